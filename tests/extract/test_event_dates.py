"""Event dates the way news writes them (issue 19): absolute dates and spans, nights,
datelines, relative dates against the dateline's date, and an event's time from the clause
that reports it -- each against several publication dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.ingest.dateline import parse_dateline
from kg.extract.timex import incident_time, resolve_time
from kg.records import TimeValue

D, T = dt.date, dt.datetime
PUBLISHED = [D(2016, 5, 8), D(2016, 6, 10), D(1988, 10, 31)]  # a Sunday in May, a Friday in June, a wire Monday


def _year(pub: dt.date, month: int, day: int) -> int:
    """The latest year putting month/day no more than a week after publication."""
    return pub.year if D(pub.year, month, day) <= pub + dt.timedelta(days=7) else pub.year - 1


@pytest.mark.parametrize("pub", PUBLISHED)
@pytest.mark.parametrize("text, begin, end", [
    ("from 3 to 5 May 2016", D(2016, 5, 3), D(2016, 5, 5)),
    ("3 to 5 May 2016", D(2016, 5, 3), D(2016, 5, 5)),
    ("between 3 and 5 May 2016", D(2016, 5, 3), D(2016, 5, 5)),
    ("from May 3 to 5, 2016", D(2016, 5, 3), D(2016, 5, 5)),
    ("3-5 May 2016", D(2016, 5, 3), D(2016, 5, 5)),
    ("from 3 May to 5 June 2016", D(2016, 5, 3), D(2016, 6, 5)),
    ("on 4 June 2015", D(2015, 6, 4), D(2015, 6, 4)),
    ("on the night of 3 March 2016", T(2016, 3, 3, 18), T(2016, 3, 4, 6)),
])
def test_absolute_dates_and_spans(pub, text, begin, end):
    value = resolve_time(text, pub)
    assert (value.begin, value.end) == (begin, end)


@pytest.mark.parametrize("pub", PUBLISHED)
@pytest.mark.parametrize("text, month, day, night", [
    ("on 4 June", 6, 4, False),
    ("on the night of 3 March", 3, 3, True),
    ("between 3 and 5 May", 5, 3, False),
    ("from 3 to 5 May", 5, 3, False),
])
def test_dates_without_a_year_take_the_publication_year(pub, text, month, day, night):
    value = resolve_time(text, pub)
    year = _year(pub, month, day)
    begin = T(year, month, day, 18) if night else D(year, month, day)
    assert value.begin == begin


@pytest.mark.parametrize("pub, text, begin, end", [
    (D(2016, 5, 8), "on Saturday", D(2016, 5, 7), D(2016, 5, 7)),
    (D(2016, 6, 10), "on Saturday", D(2016, 6, 4), D(2016, 6, 4)),
    (D(1988, 10, 31), "on Saturday", D(1988, 10, 29), D(1988, 10, 29)),
    (D(2016, 5, 8), "last week", D(2016, 4, 25), D(2016, 5, 1)),
    (D(2016, 6, 10), "last week", D(2016, 5, 30), D(2016, 6, 5)),
    (D(1988, 10, 31), "last week", D(1988, 10, 24), D(1988, 10, 30)),
    (D(2016, 6, 10), "from Monday to Wednesday", D(2016, 6, 6), D(2016, 6, 8)),
])
def test_relative_dates(pub, text, begin, end):
    value = resolve_time(text, pub)
    assert (value.begin, value.end) == (begin, end)


@pytest.mark.parametrize("text, place, date, agency", [
    ("Lima, 31 Oct 88 (EFE) -- [Text] Police said", "Lima", D(1988, 10, 31), "EFE"),
    ("Lima, 31 Oct 88 -- [Text] Police said", "Lima", D(1988, 10, 31), None),
    ("Lima, October 31, 1988 (Reuters) - Police said", "Lima", D(1988, 10, 31), "Reuters"),
    ("LIMA, Peru, Oct. 31, 1988 (AP) — Police said", "LIMA", D(1988, 10, 31), "AP"),
    ("Bogota, 4 Jun 05 (AFP) -- Police said", "Bogota", D(2005, 6, 4), "AFP"),
])
def test_dateline_dates(text, place, date, agency):
    found = parse_dateline(text)
    assert (found.place, found.date, found.agency) == (place, date, agency)


def test_incident_time_is_never_stretched_over_all_mentions():
    week = TimeValue("last week", D(2016, 4, 25), D(2016, 5, 1))
    saturday = TimeValue("Saturday night", T(2016, 4, 30, 18), T(2016, 5, 1, 6))
    assert incident_time([week, saturday]) == saturday  # narrowed by a time inside it
    monday = TimeValue("Monday", D(2016, 5, 2), D(2016, 5, 2))
    assert incident_time([saturday, monday]) == saturday  # when it began, not Saturday .. Monday
    assert incident_time([TimeValue("so far")]) == TimeValue("so far")
    assert incident_time([]) is None



def _events(nlp, kb, text: str, published):
    from kg.extract.article import extract_article
    from kg.records import Article

    return extract_article(nlp(text), Article(id="t", text=text, published=published), kb).events


@pytest.mark.model
@pytest.mark.parametrize("published, saturday", [
    (None, D(1988, 10, 29)),  # the dateline's date
    (D(1988, 11, 2), D(1988, 10, 29)),  # published later: "Saturday" still counts from the dateline
    (D(1988, 10, 31), D(1988, 10, 29)),
])
def test_relative_dates_count_from_the_dateline(nlp, kb, published, saturday):
    text = "Lima, 31 Oct 88 (EFE) -- [Text] Guerrillas attacked a police station on Saturday, killing four policemen."
    attack = next(e for e in _events(nlp, kb, text, published) if e.time is not None)
    assert attack.time.begin == saturday


@pytest.mark.model
@pytest.mark.parametrize("published", [D(2016, 5, 8), D(2016, 5, 10)])
def test_each_event_has_the_time_of_its_own_clause(nlp, kb, published):
    text = ("Two people were killed in a bombing in Baghdad on Saturday. "
            "On Monday, a second bombing in Basra killed three people.")
    times = sorted(e.time.begin for e in _events(nlp, kb, text, published) if e.time and e.time.begin)
    saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
    monday = published - dt.timedelta(days=published.weekday())
    assert times == sorted({saturday, monday})


@pytest.mark.model
@pytest.mark.parametrize("text, begin, end", [
    ("Gunmen attacked the village from 3 to 5 May 2016, killing 12 people.", D(2016, 5, 3), D(2016, 5, 5)),
    ("A car bomb exploded in Kabul on the night of 3 March, police said.", T(2016, 3, 3, 18), T(2016, 3, 4, 6)),
    ("A bomb exploded in a market in Kabul on 4 June.", D(2015, 6, 4), D(2015, 6, 4)),
])
def test_event_dates_in_context(nlp, kb, text, begin, end):
    timed = [e.time for e in _events(nlp, kb, text, D(2016, 5, 8)) if e.time and e.time.begin]
    assert timed and (timed[0].begin, timed[0].end) == (begin, end)
