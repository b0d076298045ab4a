"""Issue 14 on the 300 Lee articles: --online with no network against the offline build,
kg validate of a build folder and of its graph.ttl, and kg reason (reasonable, and owlrl
on the same union for the ratio).

Run from the project root (``.venv/bin/python bench/truth.py [--runs 3]``), with no
route to Wikidata (this machine's case: its name does not resolve). Writes
``bench/results-truth.md``. Every build is a whole ``kg build --no-cache`` process;
the online and offline builds alternate, so host drift hits both alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEE = ROOT.parent / "shared" / "corpora" / "lee_background.cor"
KG = [sys.executable, "-m", "kg.cli"]


def timed(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - started, done


def corpus(folder: Path) -> Path:
    lines = [line.strip() for line in LEE.read_text(encoding="ascii", errors="replace").splitlines() if line.strip()]
    path = folder / "lee.jsonl"
    path.write_text("".join(json.dumps({"id": f"lee-{n:03d}", "text": t}) + "\n" for n, t in enumerate(lines, 1)))
    return path


def builds(jsonl: Path, folder: Path, runs: int) -> tuple[list[float], list[float], str]:
    times: dict[str, list[float]] = {"offline": [], "online": []}
    warnings = ""
    for _ in range(runs):
        for mode in ("offline", "online"):
            out = folder / mode
            flags = ["--online"] if mode == "online" else []
            seconds, done = timed([*KG, "build", str(jsonl), "-o", str(out), "--no-cache", "-q", *flags])
            assert done.returncode == 0, done.stderr
            times[mode].append(seconds)
            warnings = done.stderr if mode == "online" else warnings
    same = (folder / "offline" / "graph.ttl").read_bytes() == (folder / "online" / "graph.ttl").read_bytes()
    return times["offline"], times["online"], warnings.strip() + (" (outputs identical)" if same else " (OUTPUTS DIFFER)")


def owlrl_seconds(out: Path) -> float:
    from kg.paths import ONTOLOGY_FILE
    from kg.query.validate import read_union
    import owlrl
    from rdflib import Graph

    graph = Graph(store="SimpleMemory")
    for triple in (*read_union([out]), *Graph().parse(ONTOLOGY_FILE)):
        graph.add(triple)
    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-truth.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-truth-") as tmp:
        folder = Path(tmp)
        jsonl = corpus(folder)
        offline, online, warning = builds(jsonl, folder, args.runs)
        out = folder / "offline"
        validate_dir, v1 = timed([*KG, "validate", str(out)])
        validate_ttl, v2 = timed([*KG, "validate", str(out / "graph.ttl")])
        reason_s, r = timed([*KG, "reason", str(out), "-o", str(folder / "inferred.ttl")])
        owlrl_s = owlrl_seconds(out)
    ratio = statistics.median(online) / statistics.median(offline)
    rows = [
        ("`kg build --no-cache` offline, median of runs", f"{statistics.median(offline):.1f} s ({', '.join(f'{t:.1f}' for t in offline)})"),
        ("`kg build --no-cache --online`, no network", f"{statistics.median(online):.1f} s ({', '.join(f'{t:.1f}' for t in online)})"),
        ("online / offline (medians)", f"**{ratio:.2f}**; stderr: {warning}"),
        ("`kg validate OUT`", f"exit {v1.returncode}, {validate_dir:.1f} s: {v1.stdout.strip() or v1.stderr.strip()[:120]}"),
        ("`kg validate OUT/graph.ttl`", f"exit {v2.returncode}, {validate_ttl:.1f} s: {v2.stdout.strip() or v2.stderr.strip()[:120]}"),
        ("`kg reason OUT` (reasonable, whole process)", f"exit {r.returncode}, **{reason_s:.1f} s**: {r.stdout.strip()}"),
        ("owlrl closure of the same union (in process, closure only)", f"{owlrl_s:.1f} s"),
    ]
    text = ["# Issue 14 on the 300 Lee articles", "",
            f"`.venv/bin/python bench/truth.py --runs {args.runs}`, {time.strftime('%Y-%m-%d %H:%M')}", "",
            "| measure | value |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows), ""]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
