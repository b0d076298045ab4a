"""A small real build for the contract queries (issue 15): the seed, the 23 dated Lee articles
of the stories set and the first 12 MUC-4 reports, so that every question has rows (entities,
events with described participants, figures, statements, claims, stories)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

__all__ = ["make_build"]

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT / "tests" / "data" / "stories" / "lee-stories.jsonl"
MUC4 = ROOT.parent / "shared" / "corpora" / "muc4" / "tst4-dev.jsonl"
MUC4_REPORTS = 12


def _inputs(folder: Path) -> list[str]:
    if not MUC4.is_file():
        pytest.skip(f"corpus not found: {MUC4}")
    muc4 = folder / "muc4.jsonl"
    lines = MUC4.read_text(encoding="utf-8").splitlines()[:MUC4_REPORTS]
    muc4.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(ROOT / "seeds"), str(STORIES), str(muc4)]


def make_build(folder: Path) -> Path:
    """The build in ``folder/out`` (the seed is dated as the seed checks date it)."""
    from kg.build import BuildOptions, build

    out = folder / "out"
    build(BuildOptions(inputs=tuple(_inputs(folder)), outdir=out, published=dt.date(2013, 9, 22), cache=False))
    return out
