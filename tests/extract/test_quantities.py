from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.quantities import find_quantity, parse_quantity
from kg.records import Quantity

Q = Quantity

PHRASES = [
    # digits
    ("59", Q(value=59)),
    ("59 people", Q(value=59)),
    ("1,000", Q(value=1000)),
    ("1000", Q(value=1000)),
    ("1,250,000", Q(value=1250000)),
    ("2.5 million", Q(value=2500000)),
    ("5 thousand", Q(value=5000)),
    ("2.5", Q(value=3, approximate=True)),
    # number words
    ("five", Q(value=5)),
    ("Five gunmen", Q(value=5)),
    ("twenty-one", Q(value=21)),
    ("twenty one", Q(value=21)),
    ("a dozen", Q(value=12)),
    ("two dozen", Q(value=24)),
    ("half a dozen", Q(value=6)),
    ("a hundred", Q(value=100)),
    ("one hundred and twenty", Q(value=120)),
    ("three thousand", Q(value=3000)),
    ("three thousand and six", Q(value=3006)),
    ("a million", Q(value=1000000)),
    ("half a million", Q(value=500000)),
    ("one hundred twenty thousand", Q(value=120000)),
    ("no one", Q(value=0)),
    ("a couple of", Q(value=2, approximate=True)),
    # vague amounts
    ("hundreds", Q(min=200, approximate=True)),
    ("hundreds of people", Q(min=200, approximate=True)),
    ("dozens", Q(min=24, approximate=True)),
    ("scores of", Q(min=40, approximate=True)),
    ("thousands", Q(min=2000, approximate=True)),
    ("tens of thousands", Q(min=20000, approximate=True)),
    ("hundreds of thousands", Q(min=200000, approximate=True)),
    ("several", Q(min=3, approximate=True)),
    ("several hundred", Q(min=300, approximate=True)),
    ("a few", Q(min=2, approximate=True)),
    ("a few thousand", Q(min=2000, approximate=True)),
    ("few", Q(approximate=True)),
    ("many", Q(approximate=True)),
    ("some", Q(approximate=True)),
    ("some of the wounded", Q(approximate=True)),
    # ranges
    ("10–15", Q(min=10, max=15)),
    ("10-15", Q(min=10, max=15)),
    ("10 to 15", Q(min=10, max=15)),
    ("between 10 and 15", Q(min=10, max=15)),
    ("from 10 to 15", Q(min=10, max=15)),
    ("10 or 15", Q(min=10, max=15)),
    ("five to six", Q(min=5, max=6)),
    ("between one hundred and two hundred", Q(min=100, max=200)),
    ("2 to 3 million", Q(min=2000000, max=3000000)),
    ("about 10 to 15", Q(min=10, max=15, approximate=True)),
    ("3-1", Q(value=3)),
    # lower bounds
    ("at least 5", Q(min=5)),
    ("at least five", Q(min=5)),
    ("more than 100", Q(min=100)),
    ("over 100", Q(min=100)),
    ("more than a dozen", Q(min=12)),
    ("100 or more", Q(min=100)),
    ("100+", Q(min=100)),
    # upper bounds
    ("no more than 10", Q(max=10)),
    ("up to 10", Q(max=10)),
    ("at most 10", Q(max=10)),
    ("fewer than 10", Q(max=10)),
    ("less than 10", Q(max=10)),
    ("under 10", Q(max=10)),
    ("10 or fewer", Q(max=10)),
    # approximations
    ("about 1,000", Q(value=1000, approximate=True)),
    ("some 175", Q(value=175, approximate=True)),
    ("approximately 30", Q(value=30, approximate=True)),
    ("around 40", Q(value=40, approximate=True)),
    ("roughly 50", Q(value=50, approximate=True)),
    ("an estimated 500", Q(value=500, approximate=True)),
    ("more or less 20", Q(value=20, approximate=True)),
    ("about a dozen", Q(value=12, approximate=True)),
    ("100 or so", Q(value=100, approximate=True)),
    ("50-odd", Q(value=50, approximate=True)),
    ("nearly 60", Q(value=60, max=60, approximate=True)),
    ("almost 60", Q(value=60, max=60, approximate=True)),
    ("close to 90", Q(value=90, max=90, approximate=True)),
    ("up to about 30", Q(value=30, max=30, approximate=True)),
    ("just over 100", Q(value=100, min=100, approximate=True)),
    # determiners
    ("the 59", Q(value=59)),
    ("all 12", Q(value=12)),
    ("all 12 hostages", Q(value=12)),
    ("a total of 67", Q(value=67)),
    ("the remaining 30", Q(value=30)),
]

NONE_PHRASES = [
    "",
    "   ",
    "the attackers",
    "over the weekend",
    "twenty-first",
    "AK-47",
    "4pm",
    "21 September",
    "in 2013",
    "between",
    "at least",
]


@pytest.mark.parametrize(("text", "expected"), PHRASES)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", NONE_PHRASES)
def test_parse_quantity_none(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("Lenku said 59 people have been killed", "59", Q(value=59)),
        ("some 175 injured", "some 175", Q(value=175, approximate=True)),
        ("about 1,000 people have been rescued", "about 1,000", Q(value=1000, approximate=True)),
        ("there are 10–15 attackers involved", "10–15", Q(min=10, max=15)),
        ("Witnesses said at least five gunmen", "at least five", Q(min=5)),
        ("He said hundreds of people were evacuated", "hundreds", Q(min=200, approximate=True)),
        ("On 21 September 2013, 59 were killed", "59", Q(value=59)),
        ("In 2011, a dozen soldiers died", "a dozen", Q(value=12)),
        ("Some people said many were hurt by the 3 blasts", "3", Q(value=3)),
        ("At 4 p.m. more than 100 had fled", "more than 100", Q(min=100)),
    ],
)
def test_find_quantity(text: str, span: str, expected: Quantity) -> None:
    found = find_quantity(text)
    assert found is not None
    start, end, quantity = found
    assert text[start:end] == span
    assert quantity == expected


@pytest.mark.parametrize("text", ["", "the attackers", "some people said many were hurt", "AK-47s"])
def test_find_quantity_none(text: str) -> None:
    assert find_quantity(text) is None


def _consistent(q: Quantity) -> None:
    assert isinstance(q, Quantity)
    if q.min is not None and q.max is not None:
        assert q.min <= q.max
    if q.value is not None:
        assert q.min is None or q.min <= q.value
        assert q.max is None or q.value <= q.max
    if q.value is None and q.min is None and q.max is None:
        assert q.approximate


VOCAB = [
    "a", "an", "the", "and", "or", "to", "of", "some", "about", "at", "least", "more", "than",
    "over", "up", "nearly", "between", "from", "hundred", "hundreds", "thousand", "thousands",
    "dozen", "dozens", "million", "tens", "several", "few", "many", "half", "one", "two",
    "twenty", "-", "–", "+", "odd", "plus", "so", "fewer", "less", "no", "1,000", "10", "15",
    "2.5", "0", "999999999999999999999", "September", "21", "2013", "in", "pm", "people",
]


@given(st.text())
def test_parse_quantity_never_raises(text: str) -> None:
    result = parse_quantity(text)
    if result is not None:
        _consistent(result)


@given(st.lists(st.sampled_from(VOCAB), max_size=8).map(" ".join))
def test_parse_quantity_phrases_consistent(text: str) -> None:
    result = parse_quantity(text)
    if result is not None:
        _consistent(result)


@given(st.one_of(st.text(), st.lists(st.sampled_from(VOCAB), max_size=10).map(" ".join)))
def test_find_quantity_span(text: str) -> None:
    found = find_quantity(text)
    if found is not None:
        start, end, quantity = found
        assert 0 <= start < end <= len(text)
        _consistent(quantity)
        assert quantity.value is not None or quantity.min is not None or quantity.max is not None
