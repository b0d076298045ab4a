"""Story linking on real text: pairwise precision and recall against a gold clustering.

The set is ``tests/data/stories/lee-stories.jsonl``: Lee articles with plausible
publication dates and, per article, the incidents it reports (with their place),
written by reading before kg was run. Two articles are a gold pair when they
report a common incident, and a kg pair when some story (``stories.rq``'s
``kgo:story`` links) holds events of both. Printed twice: over all articles
(end to end: an incident kg found no event of is a miss), and over the articles
kg gave at least one story (the linking pass on what extraction found).

Run from the project root: ``.venv/bin/python bench/stories.py``; ``--lee N`` also
times the linking pass alone on the reports of the first N Lee articles (given
publication dates over 30 days) against parsing them.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SET = ROOT / "tests" / "data" / "stories" / "lee-stories.jsonl"
LINKS = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?story ?id WHERE { GRAPH ?g { ?event kgo:story ?story ; kgo:article ?a . ?a schema:identifier ?id } }
"""


def gold(path: Path = SET) -> dict[str, set[str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: set(row["incidents"]) for row in rows}


def predicted(outdir: Path) -> dict[str, set[str]]:
    from kg.query.sparql import load_store, run_query

    table = run_query(load_store([outdir]), LINKS)
    out: dict[str, set[str]] = {}
    for story, article in table.rows:
        out.setdefault(article.value, set()).add(story.value)
    return out


def pairs(labels: dict[str, set[str]], among: list[str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in itertools.combinations(sorted(among), 2) if labels.get(a, set()) & labels.get(b, set())}


def scores(truth: dict[str, set[str]], found: dict[str, set[str]], among: list[str]) -> tuple[float, float, int, int, int]:
    g, p = pairs(truth, among), pairs(found, among)
    hits = len(g & p)
    precision = hits / len(p) if p else 1.0
    recall = hits / len(g) if g else 1.0
    return precision, recall, hits, len(p), len(g)


def build_set(outdir: Path, path: Path = SET) -> None:
    from kg.build import BuildOptions, build

    build(BuildOptions(inputs=(str(path),), outdir=outdir, formats=("trig",), cache=False))


def link_cost(n: int) -> None:
    import datetime as dt
    import time

    from kg.run.article import readings_of, records_of
    from kg.link.canon import Canon
    from kg.records import Article
    from kg.link.stories import Linker, reports_of

    lee = ROOT.parent / "shared" / "corpora" / "lee_background.cor"
    lines = [line.strip() for line in lee.read_text(encoding="ascii").splitlines() if line.strip()][:n]
    start = dt.date(2001, 12, 1)
    articles = [Article(f"lee-{i:03d}", text, start + dt.timedelta(days=i % 30)) for i, text in enumerate(lines, 1)]
    began = time.perf_counter()
    canon, linker = Canon(), Linker()
    for records in records_of(articles):
        canon.add(readings_of(records))
        linker.add(reports_of(records))
    parsed = time.perf_counter() - began
    decided = canon.decided()
    began = time.perf_counter()
    stories = linker.link(decided)
    linked = time.perf_counter() - began
    print(f"{len(articles)} Lee articles: {len(linker)} reports, {len(set(stories.values()))} stories; "
          f"parse+extract {parsed:.1f} s, linking pass {linked * 1000:.1f} ms ({linked / parsed:.2%})")


def main() -> None:
    if "--lee" in sys.argv:
        link_cost(int(sys.argv[sys.argv.index("--lee") + 1]))
        return
    truth = gold()
    with tempfile.TemporaryDirectory() as tmp:
        build_set(Path(tmp))
        found = predicted(Path(tmp))
    print(f"{len(truth)} articles, {len({i for s in truth.values() for i in s})} gold incidents")
    print("| articles | pairs (gold / kg / both) | precision | recall |")
    print("| --- | ---: | ---: | ---: |")
    for name, among in (("all", list(truth)), ("with a story", [a for a in truth if a in found])):
        precision, recall, hits, kg_pairs, gold_pairs = scores(truth, found, among)
        print(f"| {name} ({len(among)}) | {gold_pairs} / {kg_pairs} / {hits} | {precision:.2f} | {recall:.2f} |")
    missed = pairs(truth, list(truth)) - pairs(found, list(truth))
    wrong = pairs(found, list(truth)) - pairs(truth, list(truth))
    print("missed:", ", ".join(f"{a}~{b}" for a, b in sorted(missed)) or "none")
    print("wrong:", ", ".join(f"{a}~{b}" for a, b in sorted(wrong)) or "none")


if __name__ == "__main__":
    main()
