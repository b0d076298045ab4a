"""Shared fixtures: the real pipeline, and the seed article built once per session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
LEE = SHARED / "corpora" / "lee_background.cor"
SEED_PUBLISHED = dt.date(2013, 9, 22)


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy pipeline with kg's components (loaded once)."""
    from kg.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def kb():
    from kg.link.kb import load_kb

    return load_kb()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The seed article built with the library, as `kg build seeds/ --published 2013-09-22`."""
    from kg.build import BuildOptions, build

    out = tmp_path_factory.mktemp("seed-build")
    build(BuildOptions(inputs=(str(SEEDS),), outdir=out, published=SEED_PUBLISHED))
    return out


@pytest.fixture(scope="session")
def contract_build(tmp_path_factory) -> Path:
    """The small real build of tests/contract_build.py (seed, dated Lee stories, MUC-4 reports)."""
    from tests.contract_build import make_build

    return make_build(tmp_path_factory.mktemp("contract-build"))


@pytest.fixture(scope="session")
def seed_store(seed_build):
    from kg.query.sparql import load_store

    return load_store([seed_build])


@pytest.fixture(scope="session")
def ask(seed_store):
    """Run a contract query on the seed build: rows as dicts of plain strings."""
    from kg.query.sparql import plain, read_query, run_query

    def run(name: str) -> list[dict[str, str]]:
        table = run_query(seed_store, read_query(name))
        return [dict(zip(table.variables, (plain(t) for t in row))) for row in table.rows]

    return run


def lee_articles() -> list[str]:
    """The Lee corpus, one article per line (skips if shared/ is absent)."""
    if not LEE.is_file():
        pytest.skip(f"corpus not found: {LEE}")
    return [line.strip() for line in LEE.read_text(encoding="ascii", errors="replace").splitlines() if line.strip()]


@pytest.fixture
def one_triple_build(tmp_path: Path) -> Path:
    """A build folder holding one article graph of one triple (load/query error tests)."""
    out = tmp_path / "build"
    out.mkdir()
    (out / "graph.trig").write_text(
        "<https://w3id.org/kg-news/id/graph/a> { <https://w3id.org/kg-news/id/article/a> "
        "<https://schema.org/identifier> \"a\" . }\n", encoding="utf-8")
    return out
