"""Reported figures with the real model: measure, amount, reporter, time."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.article import extract_article
from kg.records import Article

pytestmark = pytest.mark.model


def figures(nlp, kb, text: str, published=dt.date(2024, 3, 3)):
    recs = extract_article(nlp(text), Article(id="t", text=text, published=published), kb)
    labels = {e.key: e.label for e in recs.entities}
    return [(f.measure, f.quantity.value, f.quantity.min, f.quantity.max, f.quantity.approximate,
             labels.get(f.reporter or "", f.reporter), f) for f in recs.figures]


@pytest.mark.parametrize("text, expected", [
    ("Police said 12 people were killed in the blast.", ("killed", 12, None, None, False, "~police")),
    ("At least 23 civilians were killed, activists said.", ("killed", None, 23, None, False, "~activists")),
    ("The attack killed some 40 people and wounded about 100.", ("killed", 40, None, None, True, None)),
    ("Hundreds of people were evacuated from the area.", ("evacuated", None, 200, None, True, None)),
    ("Rescuers freed 11 hostages, police said.", ("rescued", 11, None, None, False, "~police")),
    ("Police arrested 38 people on Saturday night.", ("arrested", 38, None, None, False, None)),
    ("Another seven people were missing, a spokesman said.", ("missing", 7, None, None, False, "~spokesman")),
    ("Between 10 and 15 gunmen stormed the building.", ("attackers", None, 10, 15, False, None)),
    ("Nearly 60 people were injured, according to the Red Cross.", ("injured", 60, None, 60, True, None)),
])
def test_figure_phrases_in_context(nlp, kb, text, expected):
    found = [f[:6] for f in figures(nlp, kb, text)]
    measure, value, low, high, approximate, reporter = expected
    match = [f for f in found if f[0] == measure]
    assert match, found
    assert match[0][1:5] == (value, low, high, approximate)
    if reporter is not None:
        assert match[0][5] == reporter


def test_two_sources_that_disagree_are_two_figures(nlp, kb):
    text = ("Interior Minister Ali Hassan said 59 people were killed. "
            "The militant group al-Shabaab claimed that its fighters had killed 100 people.")
    killed = sorted((f[1], f[5]) for f in figures(nlp, kb, text) if f[0] == "killed")
    assert killed == [(59, "Ali Hassan"), (100, "al-Shabaab")]


def test_a_figure_in_a_quote_belongs_to_the_speaker(nlp, kb):
    text = "“We saw two gunmen in black,” said Patrick Kuria, a waiter."
    found = figures(nlp, kb, text)
    assert found and found[0][0] == "attackers" and found[0][5] == "Patrick Kuria"


def test_sizes_are_not_counts(nlp, kb):
    text = "The 25 kilometre fire front moved east."
    assert not figures(nlp, kb, text)


def test_reported_at_is_the_statement_time(nlp, kb):
    found = figures(nlp, kb, "Officials said on Friday that 15 people had died.", published=dt.date(2024, 3, 3))
    assert found[0][6].reported_at.begin == dt.date(2024, 3, 1)


def test_figures_point_to_their_text(nlp, kb):
    text = "Police said 12 people were killed in the blast."
    figure = figures(nlp, kb, text)[0][6]
    assert text[figure.span.start:figure.span.end] == figure.span.text and "12" in figure.span.text
