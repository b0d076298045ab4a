"""The generality benchmark: build every passage of tests/data/generality/ once,
check every expectation of expectations.yaml through the contract queries, and
print a table (passage, expectation, met?) and the overall rate.

    .venv/bin/python bench/generality.py            # table + rate
    .venv/bin/python bench/generality.py --failures  # also each failure's rows
    .venv/bin/python bench/generality.py --only-failed
Exit status: 0 when the rate is at least 80%, else 1.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lib():
    spec = importlib.util.spec_from_file_location("generality_lib", ROOT / "tests" / "generality_lib.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["generality_lib"] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="print each failure with the rows that existed")
    parser.add_argument("--only-failed", action="store_true", help="list only the expectations not met")
    args = parser.parse_args(argv)

    lib = _lib()
    from kg.query.sparql import load_store

    checks = lib.plan_checks(lib.load_expectations())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        summary = lib.build_passages(Path(tmp))
        answers = lib.Answers(load_store([tmp]))
        results = lib.evaluate_all(checks, answers)
    seconds = time.perf_counter() - started

    width = max(len(r.check.passage) for r in results)
    print(f"{'passage':<{width}}  {'met':<4} expectation")
    for r in results:
        if args.only_failed and r.ok:
            continue
        print(f"{r.check.passage:<{width}}  {'yes' if r.ok else 'NO':<4} {r.check.text}")
    print()
    by_kind, met_kind = Counter(), Counter()
    by_passage, met_passage = Counter(), Counter()
    for r in results:
        by_kind[r.check.kind] += 1
        met_kind[r.check.kind] += r.ok
        by_passage[r.check.passage] += 1
        met_passage[r.check.passage] += r.ok
    print("by kind:    " + ", ".join(f"{k} {met_kind[k]}/{n}" for k, n in by_kind.items()))
    print("by passage: " + ", ".join(f"{p[:2]} {met_passage[p]}/{n}" for p, n in by_passage.items()))
    rate = lib.rate(results)
    print(f"\n{summary.articles} passages built in {seconds:.1f} s; "
          f"{sum(r.ok for r in results)}/{len(results)} expectations met: {rate:.1%} "
          f"(threshold {lib.THRESHOLD:.0%})")
    if args.failures:
        print()
        for r in results:
            if not r.ok:
                print(r.detail, end="\n\n")
    return 0 if rate >= lib.THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
