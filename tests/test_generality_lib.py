"""The generality suite's matching (tests/generality_lib.py) on hand-made query rows:
no model, no build. Participants expectations may say ``named`` and ``kind``
(issue 12: described perpetrators, targets, victims, instruments); the old
format must keep matching exactly as before, and the passages must be what the
expectations file and the corpus say they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests import generality_lib as lib
from tests.conftest import lee_articles

KGO = "https://w3id.org/kg-news/ontology#"


def row(label: str, role: str = "perpetrator", event_type: str = "Attack", **extra: str) -> dict[str, str]:
    """A participants.rq row as Answers.rows gives it (plain strings, IRIs in full)."""
    base = {"event": "https://w3id.org/kg-news/id/event/e1", "eventType": KGO + event_type,
            "agent": "https://w3id.org/kg-news/id/x/1", "agentLabel": label, "role": role,
            "eventLabel": "attack"}
    return base | extra


class FakeAnswers:
    """Answers for one passage: fixed rows per query file."""

    def __init__(self, **rows: list[dict[str, str]]) -> None:
        self._rows = {f"{name}.rq": value for name, value in rows.items()}

    def rows(self, passage: str, query: str) -> list[dict[str, str]]:
        return self._rows.get(query, [])


def check_of(kind: str, spec: dict) -> lib.Check:
    (check,) = lib.plan_checks({"p": {"file": "p.md", kind: [spec]}})
    return check


def met(kind: str, spec: dict, rows: list[dict[str, str]]) -> bool:
    return lib.evaluate(check_of(kind, spec), FakeAnswers(participants=rows)).ok


DESCRIBED_GUNMEN = row("three hooded gunmen", named="false", agentKind=KGO + "ArmedActor")
NAMED_HAMAS = row("Hamas", named="true", agentKind=KGO + "ArmedGroup")
OLD_ROW = row("Hamas")  # today's participants.rq: no named / agentKind columns


# --- the old format evaluates as before ------------------------------------------------


@pytest.mark.parametrize("spec, rows, ok", [
    ({"role": ["perpetrator"], "agent": ["Hamas"]}, [OLD_ROW], True),
    ({"role": ["perpetrator"], "agent": ["hamas"]}, [NAMED_HAMAS], True),
    ({"role": ["perpetrator"], "agent": ["gunmen"]}, [DESCRIBED_GUNMEN], True),
    ({"role": ["victim"], "agent": ["Hamas"]}, [OLD_ROW], False),
    ({"role": ["perpetrator"], "agent": ["Hamas"], "event_type": ["Bombing"]}, [OLD_ROW], False),
    ({"role": ["perpetrator"], "agent": ["Hamas"], "event_type": ["Bombing", "Attack"]}, [OLD_ROW], True),
])
def test_old_participant_expectations_match_as_before(spec, rows, ok):
    assert met("participants", spec, rows) is ok


# --- named / kind ---------------------------------------------------------------------


@pytest.mark.parametrize("spec, rows, ok", [
    ({"named": False}, [DESCRIBED_GUNMEN], True),
    ({"named": True}, [NAMED_HAMAS], True),
    ({"named": False}, [row("gunmen", named="true", agentKind=KGO + "ArmedGroup")], False),
    ({"named": True}, [DESCRIBED_GUNMEN], False),
    ({"kind": ["ArmedActor"]}, [DESCRIBED_GUNMEN], True),
    ({"kind": ["People", "ArmedActor"]}, [DESCRIBED_GUNMEN], True),
    ({"kind": ["armedactor"]}, [DESCRIBED_GUNMEN], True),            # a word, case-insensitive
    ({"kind": "ArmedActor"}, [DESCRIBED_GUNMEN], True),              # a scalar is a one-word list
    ({"kind": ["ArmedActor"]}, [row("gunmen", named="false", agentKind="ArmedActor")], True),
    ({"kind": ["Weapon"]}, [DESCRIBED_GUNMEN], False),
    ({"kind": ["Actor"]}, [DESCRIBED_GUNMEN], False),                # whole words, not substrings
    ({"named": False, "kind": ["ArmedActor"]}, [DESCRIBED_GUNMEN], True),
    ({"named": False, "kind": ["ArmedActor"]}, [NAMED_HAMAS, DESCRIBED_GUNMEN], True),
])
def test_named_and_kind_narrow_the_rows(spec, rows, ok):
    assert met("participants", {"role": ["perpetrator"], "agent": ["gunmen", "Hamas"]} | spec, rows) is ok


@pytest.mark.parametrize("spec", [{"named": False}, {"named": True}, {"kind": ["ArmedGroup"]}])
def test_named_and_kind_fail_on_rows_without_the_columns(spec):
    """Before the participants.rq change lands, the new checks fail; they never pass by default."""
    assert not met("participants", {"role": ["perpetrator"], "agent": ["Hamas"]} | spec, [OLD_ROW])


@pytest.mark.parametrize("value, named", [("true", True), ("TRUE", True), ("1", True),
                                          ("false", False), ("0", False), ("", None), (None, None)])
def test_named_column_values(value, named):
    assert lib._named({"named": value}) is named


def test_a_described_instrument_with_its_role():
    bomb = row("a car bomb", role="instrument", event_type="Bombing", named="false", agentKind=KGO + "Weapon")
    spec = {"role": ["instrument"], "agent": ["bomb"], "named": False, "kind": ["Weapon"]}
    assert met("participants", spec, [bomb])
    assert not met("participants", spec | {"role": ["perpetrator"]}, [bomb])


@pytest.mark.parametrize("spec, rows, ok", [
    ({"named": False}, [NAMED_HAMAS], True),       # only a named Hamas: no described one
    ({"named": False}, [row("Hamas gunmen", named="false", agentKind=KGO + "ArmedActor")], False),
    ({"kind": ["Weapon"]}, [NAMED_HAMAS], True),
    ({}, [NAMED_HAMAS], False),
])
def test_not_participants_use_the_same_narrowing(spec, rows, ok):
    assert met("not_participants", {"role": ["perpetrator"], "agent": ["Hamas"]} | spec, rows) is ok


# --- planning and words ---------------------------------------------------------------


@pytest.mark.parametrize("spec, message", [
    ({"role": ["target"], "agent": ["bus"], "kinds": ["Vehicle"]}, "unknown participant keys"),
    ({"role": ["target"], "agent": ["bus"], "named": "false"}, "must be true or false"),
])
def test_a_mistyped_participant_expectation_is_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        lib.plan_checks({"p": {"file": "p.md", "participants": [spec]}})


def test_check_words_and_failure_table_show_named_and_kind():
    spec = {"role": ["target"], "agent": ["bus"], "named": False, "kind": ["Vehicle"]}
    check = check_of("participants", spec)
    assert check.id == "p-role-target-bus"
    assert check.text == "bus as target (described) kind Vehicle"
    result = lib.evaluate(check, FakeAnswers(participants=[row("a bus", role="target", named="true",
                                                               agentKind=KGO + "Organization")]))
    assert not result.ok
    assert "a bus | true | Organization" in result.detail


# --- the suite's data -----------------------------------------------------------------


EXPECTATIONS = lib.load_expectations()


def front_matter(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body.strip()


def test_every_expectation_plans_with_unique_ids():
    ids = [c.id for c in lib.plan_checks(EXPECTATIONS)]
    assert len(ids) == len(set(ids))


def test_the_issue_12_passages_are_there():
    """At least 15 Lee passages whose expectations ask for described participants."""
    described = [p for p, exp in EXPECTATIONS.items()
                 if "lee_background.cor" in front_matter(lib.DATA / exp["file"])[0].get("source", "")
                 and any(s.get("named") is False for s in exp.get("participants", []))]
    assert len(described) >= 15
    roles = {r for exp in EXPECTATIONS.values() for s in exp.get("participants", [])
             if s.get("named") is False for r in s["role"]}
    assert {"perpetrator", "target", "victim", "instrument"} <= roles


@pytest.mark.parametrize("passage", sorted(EXPECTATIONS))
def test_passage_front_matter_and_lee_text(passage):
    """Each passage is filed under its id; a Lee passage is its corpus line verbatim (an excerpt)."""
    meta, body = front_matter(lib.DATA / EXPECTATIONS[passage]["file"])
    assert meta["id"] == passage
    found = re.search(r"lee_background\.cor line (\d+)", meta.get("source", ""))
    if found:
        assert body in lee_articles()[int(found.group(1)) - 1]
        assert "2001-12-01" <= str(meta["published"]) <= "2002-01-31"
