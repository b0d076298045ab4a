"""Every contract query gives the same rows as before the query-speed change (issue 15).

A fixed small build (``tests/contract_build.py``: the seed, the 23 dated Lee articles of the
stories set, the first 12 MUC-4 reports) is queried with every ``queries/*.rq``; the rows, as plain values, must
be those recorded in ``tests/data/contract/rows.json`` with the model and queries of
before the change (rows compared as multisets: the order among ties is the engine's).

Rows that changed on purpose are listed in ``CHANGED`` with the reason. To record the
rows again after a deliberate change of what a query answers:

    .venv/bin/python -m tests.query.test_contract_rows --write
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "contract" / "rows.json"

pytestmark = pytest.mark.model

Row = tuple[str, ...]


def rows_of(build: Path) -> dict[str, list[Row]]:
    """Every contract query's rows, as plain strings ('' for unbound), sorted."""
    from kg.query.sparql import contract_queries, load_store, plain, run_query

    store = load_store([build])
    answers = {}
    for query in contract_queries():
        table = run_query(store, query.read_text(encoding="utf-8"))
        answers[query.stem] = sorted(tuple(plain(t) for t in row) for row in table.rows)
    return answers


#: Rows that differ from the recorded ones on purpose: query -> (rows gone, rows new, why).
_TREES = "'huge trees that came crashing down on homes' (lee-265) is the storm's damage, no accident"
CHANGED: dict[str, tuple[list[Row], list[Row], str]] = {
    "events": ([("https://w3id.org/kg-news/id/article/lee-265-event-accident-317",
                 "https://w3id.org/kg-news/ontology#Accident", "Accident in Sydney",
                 "https://w3id.org/kg-news/id/entity/q3130", "Sydney", "", "", "",
                 "https://w3id.org/kg-news/id/article/lee-265")], [], _TREES),
    "stories": ([("https://w3id.org/kg-news/id/story/accident-q3130-2001-12",
                  "https://w3id.org/kg-news/ontology#Accident", "Accident in Sydney, December 2001",
                  "https://w3id.org/kg-news/id/entity/q3130", "Sydney", "", "", "1", "2001-12-04", "2001-12-04")],
                [], _TREES),
}


@pytest.fixture(scope="module")
def answers(contract_build: Path) -> dict[str, list[Row]]:
    return rows_of(contract_build)


def golden() -> dict[str, list[Row]]:
    if not GOLDEN.is_file():
        return {}
    return {name: [tuple(r) for r in rows] for name, rows in json.loads(GOLDEN.read_text(encoding="utf-8")).items()}


def test_the_build_fills_every_question(answers) -> None:
    """Equal empty answers would prove nothing."""
    assert all(answers.values()), [name for name, rows in answers.items() if not rows]


@pytest.mark.parametrize("name", sorted(golden()))
def test_a_contract_query_gives_the_rows_of_before(answers, name: str) -> None:
    gone, new, _ = CHANGED.get(name, ([], [], ""))
    expected = Counter(golden()[name])
    expected.subtract(Counter(gone))
    expected.update(Counter(new))
    got = Counter(answers[name])
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (name, sorted(missing)[:5], sorted(extra)[:5])


def test_every_contract_query_is_recorded(answers) -> None:
    assert sorted(answers) == sorted(golden())


def _dumps(answers: dict[str, list[Row]]) -> str:
    """One row a line, so that a change of the recorded rows reads as a diff."""
    blocks = []
    for name, rows in answers.items():
        lines = ",\n".join("  " + json.dumps(list(row), ensure_ascii=False) for row in rows)
        blocks.append(f"{json.dumps(name)}: [\n{lines}\n]")
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def main(argv: list[str]) -> int:
    import tempfile

    from tests.contract_build import make_build

    if argv != ["--write"]:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        answers = rows_of(make_build(Path(folder)))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(_dumps(answers), encoding="utf-8")
    print(f"{GOLDEN}: " + ", ".join(f"{name} {len(rows)}" for name, rows in answers.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
