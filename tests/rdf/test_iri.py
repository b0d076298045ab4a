"""IRI minting: one function, pure, valid for any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from kg.errors import InputError
from kg.rdf.iri import check_base, mint, slug
from kg.rdf.namespaces import DEFAULT_BASE

# RFC 3987 forbids these in IRIs (plus controls and spaces)
_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f]')


@pytest.mark.parametrize("segments, expected", [
    (("entity", "Q114"), "entity/q114"),
    (("entity", "person/joseph lenku"), "entity/person-joseph-lenku"),
    (("article", "a1b2", "event", "attack-11"), "article/a1b2/event/attack-11"),
    (("entity", "Al-Shabab’s"), "entity/al-shabab-s"),
    (("entity", "Café Müller"), "entity/caf%C3%A9-m%C3%BCller"),
])
def test_mint(segments, expected):
    assert str(mint(DEFAULT_BASE, *segments)) == DEFAULT_BASE + expected


def test_same_content_same_iri():
    assert mint(DEFAULT_BASE, "entity", "Westgate Mall") == mint(DEFAULT_BASE, "entity", "westgate  mall")


def test_text_without_word_characters_still_gets_a_segment():
    assert slug("!!!") and slug("!!!") != slug("???")


def test_long_names_are_cut_but_stay_distinct():
    a, b = slug("x" * 200 + "a"), slug("x" * 200 + "b")
    assert len(a) < 100 and a != b


@given(st.text())
@settings(max_examples=300)
def test_any_text_gives_a_valid_iri(text):
    iri = str(mint(DEFAULT_BASE, "entity", text))
    assert iri.startswith(DEFAULT_BASE) and not _FORBIDDEN.search(iri)
    assert iri == str(mint(DEFAULT_BASE, "entity", text))


@pytest.mark.parametrize("base", ["http://example.org/kg/", "https://example.org/id#"])
def test_good_bases(base):
    assert check_base(base) == base


@pytest.mark.parametrize("base", ["example.org/", "http://example.org/x", "ftp://x/", "http://a b/"])
def test_bad_bases_are_user_errors(base):
    with pytest.raises(InputError, match="--base"):
        check_base(base)
