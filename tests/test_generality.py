"""The generality suite: short news passages the project was not written for
(tests/data/generality/, 14 written for this suite and 21 from the Lee corpus),
each with what a careful reader expects of it (expectations.yaml, written from
the text before running kg), checked through the contract queries on that
passage's named graph.

The suite measures quality, so one aggregate test gates CI:
``test_generality_rate`` asserts that at least 80% of the expectations hold.
The per-expectation tests (marker ``generality``) say exactly which ones fail
and what rows existed; pyproject deselects them by default (addopts
``-m 'not slow and not generality'``):

    pytest tests/test_generality.py -m generality      # every expectation
    python bench/generality.py                          # the table and the rate
"""

from __future__ import annotations

import pytest

try:
    from tests import generality_lib as lib
except ImportError:  # tests/ not a package
    import generality_lib as lib

pytestmark = pytest.mark.model

CHECKS = lib.plan_checks(lib.load_expectations())


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> lib.Answers:
    """All passages built once with the library, and their per-article answers."""
    from kg.query.sparql import load_store

    out = tmp_path_factory.mktemp("generality-build")
    summary = lib.build_passages(out)
    assert not summary.skipped, [p for p in summary.skipped]
    return lib.Answers(load_store([out]))


def test_every_passage_is_built_under_its_id(answers):
    expected = set(lib.load_expectations())
    files = {p.name for p in lib.DATA.glob("*.md")}
    assert {e["file"] for e in lib.load_expectations().values()} == files
    assert expected <= answers.passages()


def test_generality_rate(answers):
    results = lib.evaluate_all(CHECKS, answers)
    rate = lib.rate(results)
    failed = [r.check.id + ": " + r.check.text for r in results if not r.ok]
    assert rate >= lib.THRESHOLD, (
        f"generality {rate:.1%} < {lib.THRESHOLD:.0%}: {len(failed)} of {len(results)} expectations fail:\n"
        + "\n".join(failed))


@pytest.mark.generality
@pytest.mark.parametrize("check", CHECKS, ids=[c.id for c in CHECKS])
def test_expectation(answers, check):
    result = lib.evaluate(check, answers)
    if not result.ok:
        pytest.fail(result.detail, pytrace=False)
