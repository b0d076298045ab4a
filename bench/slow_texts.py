"""Build time and peak memory of texts that are slow to parse, as ratios against a
plain 10,000-character article built in the same process (issue 13).

    .venv/bin/python bench/slow_texts.py              # prints a Markdown table
    .venv/bin/python bench/slow_texts.py --large      # also 500,000 and 999,000 characters

Each text is built through ``kg.run.article.records_of`` (parse + extraction) in a fresh
child process, so each peak RSS is its own; "linear" means time / baseline time stays
within a small multiple of length / 10,000.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from tests.run.test_long_texts import plain_text, LONG_WORD
from kg.run.article import records_of
from kg.records import Article
kind, length = sys.argv[2], int(sys.argv[3])
texts = {
    "plain": lambda n: plain_text(n),
    "percent-run": lambda n: "%" * n,
    "percent-words": lambda n: " ".join(["%" * (LONG_WORD - 1)] * (n // LONG_WORD)),
    "long-word": lambda n: "x" * n,
    "long-sentence": lambda n: "The attackers " + " ".join(["fired"] * (n // 6)) + ".",
}
list(records_of([Article(id="w", text=plain_text(2000))]))  # model loaded and warm
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
text = texts[kind](length)
started = time.perf_counter()
list(records_of([Article(id="t", text=text)]))
took = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": took, "chars": len(text), "peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024}))
"""


def measure(kind: str, length: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), kind, str(length)], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 500,000 and 999,000 characters of plain text")
    args = parser.parse_args()
    cases = [("plain", 10_000), ("percent-run", 200_000), ("percent-words", 200_000), ("long-word", 200_000),
             ("long-sentence", 200_000), ("plain", 100_000)]
    if args.large:
        cases += [("plain", 500_000), ("plain", 999_000)]
    base = measure("plain", 10_000)
    print("| text | characters | seconds | time / 10k-article time | length / 10k | peak RSS MB (growth) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, length in cases:
        row = base if (kind, length) == ("plain", 10_000) else measure(kind, length)
        print(f"| {kind} | {row['chars']:,} | {row['seconds']:.2f} | {row['seconds'] / base['seconds']:.1f} | "
              f"{row['chars'] / 10_000:.0f} | {row['peak_mb']:.0f} ({row['growth_mb']:+.0f}) |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
