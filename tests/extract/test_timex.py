from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.timex import is_time_expression, resolve_time

D, T = dt.date, dt.datetime
SUN = D(2013, 9, 22)  # a Sunday
MON = D(2001, 12, 31)  # a Monday at the end of a year
WED = D(2024, 2, 28)  # a Wednesday before a leap day

CASES = [
    # weekdays: the latest such day on or before publication
    (SUN, "Sunday", D(2013, 9, 22), D(2013, 9, 22)),
    (SUN, "on Saturday", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "last Friday", D(2013, 9, 20), D(2013, 9, 20)),
    (SUN, "last Sunday", D(2013, 9, 15), D(2013, 9, 15)),
    (SUN, "next Monday", D(2013, 9, 23), D(2013, 9, 23)),
    (MON, "Sunday", D(2001, 12, 30), D(2001, 12, 30)),
    (MON, "Monday", D(2001, 12, 31), D(2001, 12, 31)),
    (MON, "last Monday", D(2001, 12, 24), D(2001, 12, 24)),
    (WED, "Thursday", D(2024, 2, 22), D(2024, 2, 22)),
    (WED, "next Thursday", D(2024, 2, 29), D(2024, 2, 29)),
    # weekday and part of day
    (SUN, "Saturday afternoon", T(2013, 9, 21, 12), T(2013, 9, 21, 18)),
    (SUN, "Sunday morning", T(2013, 9, 22, 6), T(2013, 9, 22, 12)),
    (SUN, "Saturday night", T(2013, 9, 21, 18), T(2013, 9, 22, 6)),
    (SUN, "early Sunday", T(2013, 9, 22, 0), T(2013, 9, 22, 12)),
    (SUN, "in the early hours of Sunday", T(2013, 9, 22, 0), T(2013, 9, 22, 6)),
    (SUN, "shortly after noon on Saturday", T(2013, 9, 21, 12), T(2013, 9, 21, 13)),
    (SUN, "shortly after dawn Sunday morning", T(2013, 9, 22, 6), T(2013, 9, 22, 7)),
    (SUN, "shortly before midnight on Saturday", T(2013, 9, 21, 23), T(2013, 9, 22, 0)),
    (SUN, "Saturday, September 21, 2013 at 4pm", T(2013, 9, 21, 16), T(2013, 9, 21, 16)),
    # relative days
    (SUN, "today", D(2013, 9, 22), D(2013, 9, 22)),
    (SUN, "yesterday", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "the day before", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "two days ago", D(2013, 9, 20), D(2013, 9, 20)),
    (SUN, "a week ago", D(2013, 9, 15), D(2013, 9, 15)),
    (SUN, "this morning", T(2013, 9, 22, 6), T(2013, 9, 22, 12)),
    (SUN, "yesterday morning", T(2013, 9, 21, 6), T(2013, 9, 21, 12)),
    (SUN, "tonight", T(2013, 9, 22, 18), T(2013, 9, 23, 6)),
    (SUN, "last night", T(2013, 9, 21, 18), T(2013, 9, 22, 6)),
    (SUN, "overnight", T(2013, 9, 21, 18), T(2013, 9, 22, 6)),
    (MON, "tomorrow", D(2002, 1, 1), D(2002, 1, 1)),
    (MON, "tonight", T(2001, 12, 31, 18), T(2002, 1, 1, 6)),
    (WED, "tomorrow", D(2024, 2, 29), D(2024, 2, 29)),
    (WED, "a year ago", D(2023, 2, 28), D(2023, 2, 28)),
    (D(2024, 2, 29), "a year ago", D(2023, 2, 28), D(2023, 2, 28)),
    # relative periods
    (SUN, "last week", D(2013, 9, 9), D(2013, 9, 15)),
    (SUN, "earlier this week", D(2013, 9, 16), D(2013, 9, 22)),
    (SUN, "last month", D(2013, 8, 1), D(2013, 8, 31)),
    (SUN, "last year", D(2012, 1, 1), D(2012, 12, 31)),
    (SUN, "the weekend", D(2013, 9, 21), D(2013, 9, 22)),
    (SUN, "last weekend", D(2013, 9, 14), D(2013, 9, 15)),
    (MON, "last week", D(2001, 12, 24), D(2001, 12, 30)),
    (MON, "earlier this week", D(2001, 12, 31), D(2001, 12, 31)),
    (MON, "next year", D(2002, 1, 1), D(2002, 12, 31)),
    (WED, "last month", D(2024, 1, 1), D(2024, 1, 31)),
    (WED, "this month", D(2024, 2, 1), D(2024, 2, 29)),
    # clock times on the publication date
    (SUN, "noon", T(2013, 9, 22, 12), T(2013, 9, 22, 12)),
    (SUN, "at 4:00pm", T(2013, 9, 22, 16), T(2013, 9, 22, 16)),
    (SUN, "4 p.m.", T(2013, 9, 22, 16), T(2013, 9, 22, 16)),
    (SUN, "about 4:00pm AEDT", T(2013, 9, 22, 16), T(2013, 9, 22, 16)),
    (SUN, "1600 GMT", T(2013, 9, 22, 16), T(2013, 9, 22, 16)),
    (SUN, "in the afternoon", T(2013, 9, 22, 12), T(2013, 9, 22, 18)),
    (SUN, "the night", T(2013, 9, 21, 18), T(2013, 9, 22, 6)),
    # absolute dates
    (SUN, "21 September 2013", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "September 21, 2013", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "Sept. 21", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "September 21", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "2013-09-21", D(2013, 9, 21), D(2013, 9, 21)),
    (SUN, "October 5", D(2012, 10, 5), D(2012, 10, 5)),
    (MON, "January 2", D(2002, 1, 2), D(2002, 1, 2)),
    (MON, "January 10", D(2001, 1, 10), D(2001, 1, 10)),
    (WED, "February 29", D(2024, 2, 29), D(2024, 2, 29)),
    (WED, "March 1", D(2024, 3, 1), D(2024, 3, 1)),
    (WED, "March 10", D(2023, 3, 10), D(2023, 3, 10)),
    (D(2023, 3, 1), "February 29", D(2020, 2, 29), D(2020, 2, 29)),
    (SUN, "in 2011", D(2011, 1, 1), D(2011, 12, 31)),
    (SUN, "2011", D(2011, 1, 1), D(2011, 12, 31)),
    (SUN, "the 2002", D(2002, 1, 1), D(2002, 12, 31)),
    (SUN, "in September 2013", D(2013, 9, 1), D(2013, 9, 30)),
    (SUN, "late September", D(2013, 9, 21), D(2013, 9, 30)),
    (SUN, "mid-2012", D(2012, 5, 1), D(2012, 8, 31)),
    (SUN, "at the beginning of the month", D(2013, 9, 1), D(2013, 9, 10)),
    (SUN, "the end of last month", D(2013, 8, 21), D(2013, 8, 31)),
    (SUN, "early this year", D(2013, 1, 1), D(2013, 4, 30)),
    (SUN, "the 1990s", D(1990, 1, 1), D(1999, 12, 31)),
    (SUN, "between 2011 and 2013", D(2011, 1, 1), D(2013, 12, 31)),
    (SUN, "21-22 September 2013", D(2013, 9, 21), D(2013, 9, 22)),
    # no publication date: absolute dates still resolve
    (None, "21 September 2013", D(2013, 9, 21), D(2013, 9, 21)),
    (None, "September 21, 2013 at 4 p.m.", T(2013, 9, 21, 16), T(2013, 9, 21, 16)),
    (None, "in 2011", D(2011, 1, 1), D(2011, 12, 31)),
    # a datetime publication is anchored on its date
    (T(2013, 9, 22, 9, 30), "yesterday", D(2013, 9, 21), D(2013, 9, 21)),
]

UNRESOLVED = [
    (SUN, "over the next several hours"),
    (SUN, "throughout the night"),
    (SUN, "so far"),
    (SUN, "Saturday's attack"),
    (SUN, "the attackers"),
    (SUN, ""),
    (SUN, "31 February 2013"),
    (SUN, "25:00"),
    (None, "Sunday"),
    (None, "yesterday"),
    (None, "September 21"),
    (None, "4pm"),
    (None, "last week"),
]


@pytest.mark.parametrize(("published", "text", "begin", "end"), CASES)
def test_resolve_time(published: dt.date | None, text: str, begin: dt.date, end: dt.date) -> None:
    value = resolve_time(text, published)
    assert value.text == text
    assert (value.begin, value.end) == (begin, end)
    assert type(value.begin) is type(begin) and type(value.end) is type(end)


@pytest.mark.parametrize(("published", "text"), UNRESOLVED)
def test_unresolved(published: dt.date | None, text: str) -> None:
    value = resolve_time(text, published)
    assert value.text == text
    assert value.begin is None and value.end is None
    assert not value.resolved


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sunday morning", True),
        ("Sept. 21", True),
        ("4pm", True),
        ("in 2011", True),
        ("last week", True),
        ("the attackers", False),
        ("a 25-year-old man", False),
        ("they may be", False),
    ],
)
def test_is_time_expression(text: str, expected: bool) -> None:
    assert is_time_expression(text) is expected


VOCAB = [
    "on", "at", "the", "last", "this", "next", "earlier", "Sunday", "Saturday", "morning",
    "night", "afternoon", "noon", "midnight", "dawn", "shortly", "after", "before", "ago", "two",
    "a", "days", "week", "month", "year", "weekend", "September", "Sept.", "Feb", "29", "21",
    "31", "2013", "2011", "-", "–", "4:00pm", "4", "p.m.", "24:00", "AEDT", "between", "and",
    "from", "to", "early", "late", "mid", "yesterday", "today", "tonight", "1990s", "9999", "0000",
]
PUBLISHED = st.one_of(st.none(), st.dates(), st.datetimes())


def _check(text: str, published: dt.date | None) -> None:
    value = resolve_time(text, published)
    assert value.text == text
    assert (value.begin is None) == (value.end is None)
    if value.begin is not None and value.end is not None:
        assert type(value.begin) is type(value.end)
        assert value.begin <= value.end


@given(st.text(), PUBLISHED)
def test_never_raises(text: str, published: dt.date | None) -> None:
    _check(text, published)


@given(st.lists(st.sampled_from(VOCAB), max_size=7).map(" ".join), PUBLISHED)
def test_phrases_consistent(text: str, published: dt.date | None) -> None:
    _check(text, published)


@pytest.mark.parametrize("text, published, begin, end", [
    ("on Saturday and Sunday", dt.date(2001, 12, 5), dt.date(2001, 12, 1), dt.date(2001, 12, 2)),
    ("Saturday to Sunday", dt.date(2001, 12, 5), dt.date(2001, 12, 1), dt.date(2001, 12, 2)),
    ("Sunday and Monday", dt.date(2024, 3, 6), dt.date(2024, 3, 3), dt.date(2024, 3, 4)),
])
def test_two_days_named_together_are_both_days(text, published, begin, end):
    value = resolve_time(text, published)
    assert (value.begin, value.end) == (begin, end)
