"""Where a `kg build` spends its time: one profiled run over the Lee corpus (300 articles).

    .venv/bin/python bench/profile_build.py            # prints the summary, writes bench/profile.md
    .venv/bin/python bench/profile_build.py --top 40   # more cProfile rows

Three views, in one process (so imports are warm after the first stage):
1. start-up: importing kg's CLI, spacy.load of the bare model, kg's load_pipeline
   (the model + our rulers);
2. stage timers over the same texts: each pipeline component run on its own
   (``proc.pipe`` in batches of 32, which is what ``nlp.pipe`` does, one
   component after another), each extraction step of ``extract_article``,
   mapping (``article_triples``), ``article_nquads`` and ``write_outputs``;
   the bare model's components are timed the same way for comparison;
3. cProfile of ``kg.build.build`` (--jobs 1, --no-cache, --format nq), top
   functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = Path("/work/shared/corpora/lee_background.cor")
if not CORPUS.exists():
    CORPUS = ROOT.parent / "shared" / "corpora" / "lee_background.cor"
BATCH = 32


def corpus_jsonl(path: Path) -> list[str]:
    texts = [line.strip() for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as handle:
        for number, text in enumerate(texts):
            handle.write(json.dumps({"id": f"lee-{number:03d}", "text": text}) + "\n")
    return texts


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def component_times(nlp, texts: list[str]) -> tuple[dict[str, float], list]:
    """Each component over all texts, in pipeline order, in batches (as nlp.pipe does)."""
    times: dict[str, float] = defaultdict(float)
    docs_out = []
    for i in range(0, len(texts), BATCH):
        batch = texts[i:i + BATCH]
        started = time.perf_counter()
        docs = [nlp.make_doc(t) for t in batch]
        times["tokenizer"] += time.perf_counter() - started
        for name, proc in nlp.pipeline:
            started = time.perf_counter()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=BATCH))
            else:
                docs = [proc(d) for d in docs]
            times[name] += time.perf_counter() - started
        docs_out.extend(docs)
    return dict(times), docs_out


def extraction_times(docs, articles, kb) -> tuple[dict[str, float], list]:
    """Each step of kg.extract.article.extract_article, timed by wrapping its names."""
    import kg.extract.article as art

    times: dict[str, float] = defaultdict(float)
    names = ["extract_entities", "add_roles", "time_mentions", "ArticleContext", "extract_events", "extract_claims",
             "extract_statements", "find_victims", "_add_main_roles", "_claimants_as_perpetrators",
             "extract_figures"]
    originals = {n: getattr(art, n) for n in names}

    def wrap(name, fn):
        def inner(*a, **k):
            started = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                times[name] += time.perf_counter() - started
        return inner

    for name, fn in originals.items():
        setattr(art, name, wrap(name, fn))
    records = []
    try:
        started = time.perf_counter()
        for doc, article in zip(docs, articles):
            records.append(art.extract_article(doc, article, kb))
        times["(total extract_article)"] = time.perf_counter() - started
    finally:
        for name, fn in originals.items():
            setattr(art, name, fn)
    return dict(times), records


def table(rows: list[tuple[str, float]], total: float | None = None, note: str = "") -> list[str]:
    total = total or sum(s for _, s in rows)
    out = ["| stage | seconds | share |" + (f" {note} |" if note else ""), "| --- | ---: | ---: |" + (" --- |" if note else "")]
    for name, seconds in rows:
        out.append(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% |" + (" |" if note else ""))
    return out


def pstats_text(profile: cProfile.Profile, sort: str, top: int) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    text = stream.getvalue()
    start = text.find("   ncalls")
    return text[start:].rstrip() if start >= 0 else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--passes", type=int, default=2, help="alternated component-timing passes (min kept)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "profile.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kg-profile-") as tmp:
        work = Path(tmp)
        corpus = work / "lee-1x.jsonl"
        texts = corpus_jsonl(corpus)
        md: list[str] = ["# Where a kg build spends its time", "",
                         f"Corpus: {CORPUS} ({len(texts)} articles), one process, `--jobs 1`. "
                         f"Produced by `.venv/bin/python bench/profile_build.py` on "
                         f"{time.strftime('%Y-%m-%d %H:%M %Z')}.", ""]

        # 1. start-up
        _, t_cli = timed(lambda: __import__("kg.cli.app"))
        import spacy

        from kg.build import BuildOptions, build
        from kg.ingest.inputs import iter_articles
        from kg.link.kb import load_kb
        from kg.rdf.mapping import article_triples, graph_iri
        from kg.rdf.namespaces import DEFAULT_BASE
        from kg.nlp.pipeline import load_pipeline
        from kg.paths import resolve_model_name
        from kg.rdf.serialize import article_nquads, write_outputs

        package = resolve_model_name("en_core_web_sm")
        bare, t_bare_load = timed(lambda: spacy.load(package))
        nlp, t_kg_load = timed(lambda: load_pipeline("en_core_web_sm"))
        kb, t_kb = timed(load_kb)
        articles, t_ingest = timed(lambda: [a for a in iter_articles([str(corpus)]) if hasattr(a, "text")])
        md += ["## 1. Start-up (one process; the kg pipeline loads after spacy.load has warmed the caches)", "",
               *table([("import kg.cli.app (typer, rich, kg)", t_cli), ("spacy.load (bare model)", t_bare_load),
                       ("kg load_pipeline (model + kg_paragraphs + 2 entity rulers)", t_kg_load),
                       ("load_kb", t_kb), ("ingest 300 JSONL articles", t_ingest)]), ""]

        # 2. stage timers
        # alternated passes, the fastest of each component kept (a busy machine only adds time)
        bare_times, kg_times, docs = {}, {}, []
        for _ in range(args.passes):
            b, _ = component_times(bare, texts)
            k, docs = component_times(nlp, [a.text for a in articles])
            bare_times = {n: min(v, bare_times.get(n, v)) for n, v in b.items()}
            kg_times = {n: min(v, kg_times.get(n, v)) for n, v in k.items()}
        ext_times, records = extraction_times(docs, articles, kb)
        mapping = serial = 0.0
        blobs = []
        for rec in records:
            started = time.perf_counter()
            triples = list(article_triples(rec, DEFAULT_BASE))
            mapping += time.perf_counter() - started
            started = time.perf_counter()
            blobs.append(article_nquads(triples, graph_iri(DEFAULT_BASE, rec.article.id)))
            serial += time.perf_counter() - started
        spool = work / "spool.nq"
        spool.write_bytes(b"".join(blobs))
        writes = {}
        for fmt in ("nq", "ttl", "trig"):
            _, writes[fmt] = timed(lambda fmt=fmt: write_outputs(spool, work / f"w-{fmt}", [fmt], DEFAULT_BASE))
        quads = sum(b.count(b"\n") for b in blobs)

        spacy_total = sum(kg_times.values())
        ext_total = ext_times.pop("(total extract_article)")
        per_stage = [*[(f"spaCy: {k}", v) for k, v in kg_times.items()],
                     ("kg extract_article (all steps)", ext_total),
                     ("kg mapping: article_triples (rdflib terms)", mapping),
                     ("kg article_nquads (to_ox, serialize, sort)", serial),
                     ("write_outputs nq", writes["nq"])]
        md += ["## 2. Stage timers (same texts, each stage over all 300 articles)", "",
               f"spaCy components: the fastest of {args.passes} alternated passes (bare, kg, bare, kg…).", "",
               f"kg pipeline: {' → '.join(nlp.pipe_names)}; bare: {' → '.join(bare.pipe_names)}. "
               f"{quads} quads.", "",
               *table(per_stage), "",
               f"spaCy total (kg pipeline) {spacy_total:.2f} s vs bare pipeline {sum(bare_times.values()):.2f} s; "
               f"kg's own work after parsing (extract + map + N-Quads + write nq) "
               f"{ext_total + mapping + serial + writes['nq']:.2f} s.", "",
               "### spaCy components, kg pipeline vs bare", "",
               "| component | kg s | bare s |", "| --- | ---: | ---: |"]
        for name in dict.fromkeys([*kg_times, *bare_times]):
            md.append(f"| {name} | {kg_times.get(name, 0):.2f} | "
                      f"{bare_times[name]:.2f} |" if name in bare_times else f"| {name} | {kg_times[name]:.2f} | — |")
        md += ["", "### extraction steps (kg.extract.article.extract_article)", "",
               *table(sorted(ext_times.items(), key=lambda kv: -kv[1]), ext_total,), "",
               "### writers (from the N-Quads spool)", "",
               "| format | seconds |", "| --- | ---: |", *[f"| {k} | {v:.2f} |" for k, v in writes.items()], ""]

        # 3. cProfile of the build itself
        options = BuildOptions(inputs=(str(corpus),), outdir=work / "out", formats=("nq",), cache=False, jobs=1)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        summary = build(options)
        profile.disable()
        wall = time.perf_counter() - started
        md += [f"## 3. cProfile of kg.build.build (--jobs 1, --no-cache, nq): {wall:.1f} s under the profiler", "",
               f"`{summary.line()}`", "",
               f"### top {args.top} by cumulative time", "", "```", pstats_text(profile, "cumulative", args.top), "```", "",
               f"### top {args.top} by own time", "", "```", pstats_text(profile, "tottime", args.top), "```", ""]
        profile.dump_stats(str(ROOT / "bench" / "profile.prof"))

    text = "\n".join(md) + "\n"
    print(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"written: {args.out} (and bench/profile.prof for snakeviz/pstats)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
