"""Wire copy: hard-wrapped lines, editorial brackets and datelines, without moving a character."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest.dateline import parse_dateline
from kg.ingest.wire import is_hard_wrapped, readable

WRAPPED = (
    "Lima, 20 Aug 88 (EFE) -- [Report] [Jorge Luis Malebram] [Text] Police sources have\n"
    "reported that unidentified individuals planted a bomb in front of a Mormon\n"
    "church in Talcahuano District. The bomb, which exploded and caused damage\n"
    "worth 50,000 pesos, was placed at a chapel of the church on Gomez Street.\n"
    "\n"
    "   The shock wave destroyed a wall [passage omitted] and the windows of the\n"
    "church, but did not cause any injuries [words indistinct].\n"
)


def test_same_length_and_offsets():
    assert len(readable(WRAPPED)) == len(WRAPPED)


def test_line_wraps_become_spaces_and_paragraphs_stay():
    text = readable(WRAPPED)
    assert "individuals planted a bomb in front of a Mormon church in Talcahuano" in text
    assert "\n\n   The shock wave" in text


@pytest.mark.parametrize("note", ["[Report]", "[Jorge Luis Malebram]", "[Text]", "[passage omitted]",
                                  "[words indistinct]"])
def test_editorial_notes_are_not_content(note):
    assert note not in readable(WRAPPED)


def test_clarifications_in_brackets_are_content():
    text = "Santiago, 22 Aug 88 (EL MERCURIO) -- [Text] The entry of FPMR [Manuel Rodriguez Patriotic Front] members."
    assert "[Manuel Rodriguez Patriotic Front]" in readable(text)


def test_a_note_that_ends_a_sentence_breaks_it():
    text = "He was arrested in the morning [passage omitted] Unidentified individuals fled."
    assert "\n" in readable(text)[text.index("[passage"):text.index("Unidentified")]


@pytest.mark.parametrize("text", [
    "One paragraph per line, as most web copy comes.\nAnother paragraph that is a long line of text, well past any terminal's width of ninety characters.\n",
    "Short.\nLines.\n",
])
def test_unwrapped_text_is_left_alone(text):
    assert not is_hard_wrapped(text) and readable(text) == text


@pytest.mark.parametrize("text, place, date, agency", [
    ("Lima, 20 Aug 88 (EFE) -- Police said", "Lima", dt.date(1988, 8, 20), "EFE"),
    ("Managua (Nicaragua), 27 Aug 88 (Radio Sandino) -- The", "Managua", dt.date(1988, 8, 27), "Radio Sandino"),
    ("Concepcion, 23 Aug 88 (Santiago Domestic Service) -- [Report]", "Concepcion", dt.date(1988, 8, 23),
     "Santiago Domestic Service"),
    ("BERLIN (Reuters) - Police said", "BERLIN", None, "Reuters"),
    ("NAIROBI, Kenya — Gunmen", "NAIROBI", None, None),
    ("Kabul, 3 March 2005 -- Officials", "Kabul", dt.date(2005, 3, 3), None),
])
def test_datelines(text, place, date, agency):
    found = parse_dateline(text)
    assert found is not None and (found.place, found.date, found.agency) == (place, date, agency)
    assert text[found.end - 1] == " "


@pytest.mark.parametrize("text", ["Police said on Monday - in a statement - that", "The bomb -- a big one -- went off"])
def test_no_dateline(text):
    assert parse_dateline(text) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ab", " ", "[", "]", "[Text]", "\n", " -- ", ",", "(EFE)", "Lima", "20 Aug 88",
                                  "[passage omitted]", "\n\n   ", "x" * 70]), max_size=80).map("".join))
def test_readable_keeps_every_offset(text):
    out = readable(text)
    assert len(out) == len(text)
    assert all(a == b or a.isspace() for a, b in zip(out, text))  # characters only ever blanked
