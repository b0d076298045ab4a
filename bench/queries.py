"""Contract queries at corpus scale (issue 15): every ``queries/*.rq`` on Lee x1, x4 and x16.

    .venv/bin/python bench/queries.py                      # x1, x4, x16: ~15 min on 2 cores
    .venv/bin/python bench/queries.py --copies 1,4         # smaller
    .venv/bin/python bench/queries.py --baseline main      # also the queries of a git ref, same stores

For each size the Lee corpus (300 articles) is written N times with distinct ids and
" [copy N]" appended to each text (bench/bench.py's corpus, so neither the id dedup nor
the cache skips a copy), built with ``kg build`` (``--jobs``, a cache folder of its own
under the work folder, so a second run with the same code builds nothing) and loaded with
``kg store-load`` into a new embedded Oxigraph store. Then every contract query is timed:

- in-process: the store opened read-only with pyoxigraph, as ``kg query --store`` does, and
  ``kg.query.sparql.run_query`` (prefixes, union default graph) reading every row into a table;
  best of ``--runs``, taken in as many passes over all the queries (a query's runs are minutes
  apart, as this host's speed drifts);
- over HTTP: ``kg serve --store`` started on the store, ``kg.stores.endpoint.query_any`` (what
  ``kg answers --endpoint`` runs: a POST, SPARQL JSON results, every row parsed); best of
  ``--runs``, likewise.

Before each query's timings the script waits for a quiet machine (bench/bench.py's
``wait_quiet``): other processes on a shared machine would skew a few milliseconds badly.
Writes a Markdown table (quads, per-query ms, growth factor from the middle size to the
largest, which grows 4x) to ``bench/queries-results.md``; exit 1 when a goal is missed:
every query <= 100 ms at x4 and <= 400 ms at x16, in process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / ".venv" / "bin" / "kg"
GOALS = {4: 100.0, 16: 400.0}  # copies -> in-process ms every query must keep to


def _bench_module():
    """bench/bench.py (its Lee corpus writer and quiet-machine wait), loaded by path."""
    spec = importlib.util.spec_from_file_location("kg_bench", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


BENCH = _bench_module()


@dataclass
class Size:
    copies: int
    articles: int = 0
    quads: int = 0
    build_s: float = 0.0
    load_s: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    local_ms: dict[str, float] = field(default_factory=dict)
    http_ms: dict[str, float] = field(default_factory=dict)
    baseline_ms: dict[str, float] = field(default_factory=dict)


def timed_ms(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return (time.perf_counter() - started) * 1000, value


def _kg(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(KG), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - started


def build_and_load(size: Size, work: Path, jobs: int) -> Path:
    corpus = work / f"lee-x{size.copies}.jsonl"
    size.articles = BENCH.write_corpus(corpus, size.copies)
    out, store = work / f"out-x{size.copies}", work / f"store-x{size.copies}"
    print(f"x{size.copies}: building {size.articles} articles", flush=True)
    size.build_s = _kg("build", str(corpus), "-o", str(out), "--jobs", str(jobs), "-q",
                       "--cache-dir", str(work / "cache"))
    shutil.rmtree(store, ignore_errors=True)  # a fresh store: one re-loaded many times reads slower (tombstones)
    size.load_s = _kg("-q", "store-load", str(out), "--store", str(store))
    return store


def queries_of(ref: str | None, work: Path) -> dict[str, str]:
    """The contract queries of the checkout, or of a git ref (``--baseline``), by name."""
    from kg.query.sparql import contract_queries

    if ref is None:
        return {q.stem: q.read_text(encoding="utf-8") for q in contract_queries()}
    names = subprocess.run(["git", "ls-tree", "--name-only", f"{ref}:queries"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    return {Path(n).stem: subprocess.run(["git", "show", f"{ref}:queries/{n}"], cwd=ROOT, check=True,
                                         capture_output=True, text=True).stdout
            for n in names if n.endswith(".rq")}


def time_in_process(size: Size, store_dir: Path, queries: dict[str, str], runs: int,
                    into: dict[str, float], rows: bool = True) -> None:
    from kg.query.sparql import run_query
    from kg.stores.store import open_store

    store = open_store(store_dir, read_only=True)
    size.quads = len(store)
    for _ in range(runs):  # the runs of a query spread over the pass, not back to back: this host's
        for name, text in queries.items():  # speed drifts by a fifth over minutes
            BENCH.wait_quiet(limit=120)
            ms, table = timed_ms(lambda: run_query(store, text))
            into[name] = min(ms, into.get(name, ms))
            if rows:
                size.rows[name] = len(table.rows)
    for name in queries:
        print(f"  {name:15s} {into[name]:8.1f} ms  {size.rows.get(name, 0):6d} rows", flush=True)
    del store


def time_over_http(size: Size, store_dir: Path, queries: dict[str, str], runs: int) -> None:
    from kg.stores.endpoint import query_any
    from kg.stores.serve import free_port, wait_until_ready

    port = free_port()
    server = subprocess.Popen([str(KG), "-q", "serve", "--store", str(store_dir), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_until_ready(url, timeout=60, process=server)
        for _ in range(runs):
            for name, text in queries.items():
                BENCH.wait_quiet(limit=120)
                ms, table = timed_ms(lambda: query_any(url, text, timeout=120))
                size.http_ms[name] = min(ms, size.http_ms.get(name, ms))
                assert len(table.rows) == size.rows[name], (name, len(table.rows), size.rows[name])
        for name in queries:
            print(f"  {name:15s} {size.http_ms[name]:8.1f} ms over HTTP", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _growth(sizes: list[Size], name: str, attr: str) -> str:
    if len(sizes) < 2:
        return ""
    a, b = getattr(sizes[-2], attr).get(name), getattr(sizes[-1], attr).get(name)
    return f"{b / a:.1f}" if a and b else ""


def report(sizes: list[Size], argv: list[str], baseline: str | None) -> tuple[str, bool]:
    names = sorted(sizes[0].local_ms)
    ok = True
    xs = [f"x{s.copies}" for s in sizes]
    growth = f"x{sizes[-1].copies} / x{sizes[-2].copies}" if len(sizes) > 1 else ""
    lines = [
        "# Contract queries at corpus scale",
        "",
        f"`.venv/bin/python bench/queries.py {' '.join(argv)}` on {dt.datetime.now():%Y-%m-%d %H:%M} "
        f"({platform.machine()}, {platform.python_version()}, pyoxigraph; 2 cores shared, each query timed "
        "after waiting for a quiet machine). Lee corpus (300 articles) N times with distinct ids; "
        "`kg build`, `kg store-load`, then each contract query in process (store opened read-only, "
        "`kg.query.sparql.run_query`, every row read; best of the runs, a pass over all queries each) and "
        "through `kg serve --store` (`kg.stores.endpoint.query_any`, SPARQL JSON, every row parsed).",
        "",
        "| corpus | articles | quads | build s | store-load s |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| x{s.copies} | {s.articles:,} | {s.quads:,} | {s.build_s:.0f} | {s.load_s:.0f} |" for s in sizes),
        "",
        f"In process, ms (goals: <= {GOALS[4]:.0f} at x4, <= {GOALS[16]:.0f} at x16); rows at the largest size:",
        "",
        "| query | " + " | ".join(xs) + (f" | growth {growth}" if growth else "") + " | rows |",
        "| --- | " + " | ".join("---:" for _ in xs) + (" | ---:" if growth else "") + " | ---: |",
    ]
    for name in names:
        cells = []
        for s in sizes:
            ms = s.local_ms[name]
            missed = s.copies in GOALS and ms > GOALS[s.copies]
            ok = ok and not missed
            cells.append(f"**{ms:.0f}** (over)" if missed else f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}")
        lines.append(f"| {name} | " + " | ".join(cells) + (f" | {_growth(sizes, name, 'local_ms')}" if growth else "")
                     + f" | {sizes[-1].rows[name]:,} |")
    if any(s.http_ms for s in sizes):
        lines += ["", "Through `kg serve --store` (HTTP, SPARQL JSON results parsed), ms:", "",
                  "| query | " + " | ".join(xs) + (f" | growth {growth}" if growth else "") + " |",
                  "| --- | " + " | ".join("---:" for _ in xs) + (" | ---:" if growth else "") + " |"]
        for name in names:
            lines.append(f"| {name} | " + " | ".join(f"{s.http_ms.get(name, 0):.0f}" for s in sizes)
                         + (f" | {_growth(sizes, name, 'http_ms')}" if growth else "") + " |")
    if baseline:
        lines += ["", f"The queries of `{baseline}` on the same stores, in process, ms (best of 1):", "",
                  "| query | " + " | ".join(xs) + " |", "| --- | " + " | ".join("---:" for _ in xs) + " |"]
        for name in sorted(sizes[0].baseline_ms):
            lines.append(f"| {name} | " + " | ".join(f"{s.baseline_ms.get(name, 0):.0f}" for s in sizes) + " |")
    lines += ["", f"Goals {'met' if ok else 'MISSED'}."]
    return "\n".join(lines) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,4,16", help="corpus sizes, in copies of the 300 Lee articles")
    parser.add_argument("--runs", type=int, default=3, help="timings per query (the best is kept)")
    parser.add_argument("--jobs", type=int, default=2, help="kg build --jobs")
    parser.add_argument("--work", type=Path, help="work folder (kept; default: a temporary one)")
    parser.add_argument("--no-http", action="store_true", help="skip the kg serve timings")
    parser.add_argument("--baseline", metavar="REF", help="also time the queries of a git ref on the same stores")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "queries-results.md")
    args = parser.parse_args(argv)
    copies = [int(c) for c in args.copies.split(",")]
    with tempfile.TemporaryDirectory(prefix="kg-bench-queries-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        queries = queries_of(None, work)
        old = queries_of(args.baseline, work) if args.baseline else {}
        sizes = []
        for n in copies:
            size = Size(n)
            store = build_and_load(size, work, args.jobs)
            time_in_process(size, store, queries, args.runs, size.local_ms)
            if not args.no_http:
                time_over_http(size, store, queries, args.runs)
            if old:
                print(f"  baseline {args.baseline}:", flush=True)
                time_in_process(size, store, old, 1, size.baseline_ms, rows=False)
            sizes.append(size)
    text, ok = report(sizes, sys.argv[1:] if argv is None else argv, args.baseline)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
