"""Reported figures on real news: a Lee figure set written by reading the articles
(``tests/data/figures/lee_figures.yaml``) and the MUC-4 casualty pairs
(``../shared/corpora/muc4/tst4-dev-casualties.json``, scored as that folder's README says).

A gold figure is found when some kg figure of its article has its measure (or a synonym)
and its number as value, minimum or maximum. Precision counts kg figures of the scored
measures (casualties and what happened to people: killed, injured, shot, arrested,
evacuated, rescued, missing, hostages, kidnapped, displaced, attackers, released): one is
correct when it matches a gold figure of its article. Reporter accuracy: of the found gold
figures that name a reporter, those with a matching kg figure whose reporter's label (or
key) contains the gold word.

    .venv/bin/python bench/figures.py            # scores; writes bench/figures-results.md
    .venv/bin/python bench/figures.py --errors   # also every miss and false hit
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LEE = ROOT.parent / "shared" / "corpora" / "lee_background.cor"
MUC = ROOT.parent / "shared" / "corpora" / "muc4"
GOLD = ROOT / "tests" / "data" / "figures" / "lee_figures.yaml"
HELD_OUT = ROOT / "tests" / "data" / "figures" / "lee_figures_heldout.yaml"  # never used to change a rule
RESULTS = ROOT / "bench" / "figures-results.md"
SCORED = frozenset({"killed", "injured", "shot", "arrested", "evacuated", "rescued", "missing", "hostages",
                    "kidnapped", "displaced", "attackers", "released"})
SYNONYMS = {"killed": {"killed", "dead", "died"}, "injured": {"injured", "wounded", "hurt"}}


@dataclass(frozen=True)
class Found:
    measure: str
    numbers: tuple[int, ...]
    reporter: str  # label and key, lower case ("" = unattributed)
    text: str


def _matches(gold_measure: str, number: int, figure: Found) -> bool:
    return figure.measure in SYNONYMS.get(gold_measure, {gold_measure}) and number in figure.numbers


def extract(texts: dict[str, tuple[str, dt.date | None]]) -> dict[str, list[Found]]:
    from kg.run.article import records_of
    from kg.records import Article

    articles = [Article(id=key, text=text, published=published) for key, (text, published) in texts.items()]
    out: dict[str, list[Found]] = {}
    for records in records_of(articles):  # what kg build extracts (wire copy unwrapped)
        key = records.article.id
        labels = {e.key: e.label for e in records.entities}
        out[key] = [_found(f, labels) for f in records.figures]
    return out


def _found(figure, labels: dict[str, str]) -> Found:
    q = figure.quantity
    numbers = tuple(int(n) for n in (q.value, q.min, q.max) if n is not None)
    reporter = f"{labels.get(figure.reporter, '')} {figure.reporter}".lower() if figure.reporter else ""
    return Found(figure.measure, numbers, reporter, figure.span.text)


def lee_gold(path: Path = GOLD) -> tuple[dict[str, tuple[str, dt.date | None]], dict[str, list[dict]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = LEE.read_text(encoding="utf-8").split("\n")
    texts, gold = {}, {}
    for item in data["articles"]:
        key = f"lee-{item['line']:03d}"
        texts[key] = (lines[item["line"] - 1], item.get("published", data["published"]))
        gold[key] = item["figures"]
    return texts, gold


def score_lee(found: dict[str, list[Found]], gold: dict[str, list[dict]], errors: bool) -> dict[str, float]:
    hits = attributed = right = predicted = correct = 0
    total = sum(len(g) for g in gold.values())
    for key, figures in gold.items():
        mine = [f for f in found[key] if f.measure in SCORED or any(f.measure in s for s in SYNONYMS.values())]
        for g in figures:
            match = [f for f in mine if _matches(g["m"], g["n"], f)]
            hits += bool(match)
            if match and g.get("by"):
                attributed += 1
                ok = any(word in f.reporter for f in match for word in str(g["by"]).split("|"))
                right += ok
                if errors and not ok:
                    print(f"  {key} reporter: {g} got {[f.reporter for f in match]}")
            if errors and not match:
                print(f"  {key} miss: {g}")
        for f in mine:
            predicted += 1
            good = any(_matches(g["m"], g["n"], f) for g in figures)
            correct += good
            if errors and not good:
                print(f"  {key} false: {f.measure} {f.numbers} «{f.text}»")
    return {"articles": len(gold), "gold": total, "found": hits, "recall": 100 * hits / total,
            "predicted": predicted, "correct": correct, "precision": 100 * correct / max(predicted, 1),
            "attributed": attributed, "reporter_right": right, "reporter": 100 * right / max(attributed, 1)}


def muc_gold() -> tuple[dict[str, tuple[str, dt.date | None]], dict[str, list[dict]]]:
    pairs = {d["docid"]: d["casualties"] for d in json.loads((MUC / "tst4-dev-casualties.json").read_text())}
    texts = {}
    for line in (MUC / "tst4-dev.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["id"] in pairs:
            texts[doc["id"]] = (doc["text"], dt.date.fromisoformat(doc["published"]) if doc.get("published") else None)
    return texts, pairs


def score_muc(found: dict[str, list[Found]], pairs: dict[str, list[dict]], errors: bool) -> tuple[int, int]:
    hits = 0
    for key, wanted in pairs.items():
        for pair in wanted:
            ok = any(_matches(pair["measure"], pair["number"], f) for f in found[key])
            hits += ok
            if errors and not ok:
                print(f"  {key} miss: {pair}; kg: {[(f.measure, f.numbers) for f in found[key]]}")
    return hits, sum(len(p) for p in pairs.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    lee_texts, lee = lee_gold()
    held_texts, held = lee_gold(HELD_OUT)
    muc_texts, muc = muc_gold()
    found = extract(lee_texts | held_texts | muc_texts)
    s = score_lee(found, lee, args.errors)
    h = score_lee(found, held, args.errors)
    muc_hits, muc_total = score_muc(found, muc, args.errors)
    lines = [
        "# Reported figures on real news (`bench/figures.py`)", "",
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC", "",
        "| measure | value | goal |", "| --- | ---: | ---: |",
        f"| Lee set ({s['articles']} articles, {s['gold']} figures): recall | **{s['recall']:.1f} %** ({s['found']}/{s['gold']}) | ≥ 85 % |",
        f"| Lee set: precision (scored measures) | **{s['precision']:.1f} %** ({s['correct']}/{s['predicted']}) | ≥ 90 % |",
        f"| Lee set: reporter right, attributed figures found | **{s['reporter']:.1f} %** ({s['reporter_right']}/{s['attributed']}) | ≥ 80 % |",
        f"| MUC-4 TST4 casualty pairs found | **{muc_hits} of {muc_total}** | ≥ 8 of 10 |",
        f"| held-out Lee set ({h['articles']} articles, {h['gold']} figures, written after the rules): recall | "
        f"{h['recall']:.1f} % ({h['found']}/{h['gold']}) | |",
        f"| held-out Lee set: precision | {h['precision']:.1f} % ({h['correct']}/{h['predicted']}) | |",
        f"| held-out Lee set: reporter right | {h['reporter']:.1f} % ({h['reporter_right']}/{h['attributed']}) | |",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
