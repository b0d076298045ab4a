"""Resolve news time expressions ("Saturday afternoon", "last week", "21 September
2013", "shortly after noon on Saturday") against the publication date.

:func:`resolve_time` returns a :class:`~kg.records.TimeValue` whose ``begin``
and ``end`` are both ``datetime.date`` (a day or an interval of days) or both
naive ``datetime.datetime`` (a time of day); both None when the expression is
not understood, or is relative and there is no publication date.  Word lists
live in ``kg/data/time_words.json``.

Conventions:

* News reports the past: a bare weekday ("Sunday", "on Saturday") is the
  latest such day on or before the publication date; "last Friday" the latest
  Friday strictly before it (published on a Sunday, "last Sunday" is a week
  earlier); "this Friday" the Friday of the publication's (Monday-based) week;
  "next Friday" the first Friday after publication.
* A month and day without a year ("Sept. 21") take the latest year that puts
  the date no more than 7 days after publication; a month alone likewise.
* Days and intervals are dates, ends inclusive: "2011" is 2011-01-01 ..
  2011-12-31, "last week" the previous Monday .. Sunday, "earlier this week"
  Monday .. the publication date, "last month"/"last year" the previous
  calendar month/year, "the weekend" the latest Saturday-Sunday starting on
  or before publication, "two days ago" one day.  "early/mid/late" narrow a
  month (days 1-10 / 11-20 / 21-end) or a year (Jan-Apr / May-Aug / Sep-Dec).
* A time of day on a single day gives datetimes: morning 06:00-12:00,
  afternoon 12:00-18:00, evening 18:00-22:00, night 18:00-06:00 next day
  ("last night" is the night starting the day before publication, "tonight"
  the one starting on it, "overnight" the one ending on it); "early <day>"
  00:00-12:00, "late <day>" 18:00-24:00; clock times and noon / midnight /
  dawn (06:00) / dusk (18:00) are points (begin == end).  "shortly after X"
  is X .. X+1h, "shortly before X" X-1h .. X, "after X" X .. 24:00,
  "before X" 00:00 .. X.  Midnight is the start of its day, except before a
  "before" ("shortly before midnight on Saturday" ends at Saturday 24:00).
  Time zone names ("AEDT", "GMT") are ignored: times stay local and naive.
* A time of day without a day ("at 4:00pm", "in the morning") is on the
  publication date, except a bare night ("the night", "night"), which is the
  night that ended on the publication date.  A time of day with an interval
  of days is dropped.
* Anything else in the expression -- a vague duration ("over the next several
  hours", "throughout the night", "so far"), an unknown word -- leaves it
  unresolved.  :func:`resolve_time` never raises.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Callable, Mapping

from kg.extract.quantities import parse_quantity
from kg.paths import read_json
from kg.records import TimeValue

__all__ = ["resolve_time", "is_time_expression", "incident_time"]

_DAY = 24 * 60  # minutes
_NORMALIZE = str.maketrans(
    {**{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
     **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
     "\u00a0": " ", "\u2019": "'"}
)

Span = tuple[dt.date, dt.date]  # both dates or both datetimes


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _words() -> Mapping[str, Any]:
    return MappingProxyType(read_json("time_words.json"))


def _alternation(phrases: Any) -> str:
    """A regex alternation, longest first; spaces and hyphens are interchangeable."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.sub(r"\\?[ -]", r"[\\s-]?", re.escape(p)) for p in ordered)


def _key(phrase: str) -> str:
    return re.sub(r"[\s-]+", "", phrase)


@lru_cache(maxsize=None)
def _lookup(name: str) -> Mapping[str, Any]:
    """The word table ``name`` keyed without spaces or hyphens ("mid-morning" -> "midmorning")."""
    return MappingProxyType({_key(k): v for k, v in _words()[name].items()})


# --------------------------------------------------------------------------- components


@dataclass(frozen=True)
class _Days:
    """An interval of days (inclusive); rank orders competing date phrases."""

    begin: dt.date
    end: dt.date
    rank: int


@dataclass(frozen=True)
class _Clock:
    """A time of day in minutes after the day's midnight (may pass 24:00)."""

    begin: int
    end: int
    rank: int


@dataclass(frozen=True)
class _Fail:
    """A phrase that was recognised but cannot be resolved."""


_FAIL = (_Fail(),)
Component = _Days | _Clock | _Fail
Handler = Callable[[re.Match[str], dt.date | None], tuple[Component, ...]]


def _day(d: dt.date, rank: int = 3) -> _Days:
    return _Days(d, d, rank)


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def _add_months(d: dt.date, months: int) -> dt.date:
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    return dt.date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _month_number(name: str) -> int:
    words = _words()
    return words["months"].get(name) or words["month_abbreviations"][name]


def _infer_year(month: int, day: int, pub: dt.date) -> dt.date | None:
    """The latest date month/day not more than the slack after publication."""
    limit = pub + dt.timedelta(days=_words()["year_slack_days"])
    for year in range(pub.year + 1, pub.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


# --------------------------------------------------------------------------- handlers


def _clock_minutes(m: re.Match[str]) -> int | None:
    """The clock time of a match of :func:`_clock_pattern`, in minutes."""
    if m["ap"]:
        hour, minute = int(m["h12"]), int(m["m12"] or 0)
        valid = 1 <= hour <= 12 and minute < 60
        return (hour % 12 + (12 if m["ap"] == "p" else 0)) * 60 + minute if valid else None
    if m["h24"] or m["hm"]:
        hour, minute = int(m["h24"] or m["hm"]), int(m["m24"] or m["mm"])
        valid = hour < 24 and minute < 60 or (hour, minute) == (24, 0)
        return hour * 60 + minute if valid else None
    return _lookup("clock_words")[_key(m["word"])] * 60


def _on_clock(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    minutes = _clock_minutes(m)
    if minutes is None:
        return _FAIL
    if not m["q"]:
        return (_Clock(minutes, minutes, 3),)
    kind, window = _lookup("qualifiers")[_key(m["q"])]
    if kind == "before":
        if m["word"] and m["word"] in _words()["midnight_words"]:
            minutes = _DAY
        return (_Clock(minutes - window if window else 0, minutes, 3),)
    return (_Clock(minutes, minutes + window if window else max(minutes, _DAY), 3),)


def _part(name: str) -> _Clock:
    begin, end = _lookup("parts_of_day")[_key(name)]
    return _Clock(begin * 60, end * 60, 2)


def _on_night(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    if pub is None:
        return _FAIL
    offset = _lookup("nights")[_key(m["w"])]
    return _day(pub + dt.timedelta(days=offset)), _part(_words()["night"])


def _on_relative_part(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    if pub is None:
        return _FAIL
    offset = _lookup("part_of_day_relatives")[_key(m["rel"])]
    return _day(pub + dt.timedelta(days=offset)), _part(m["part"])


def _on_relative_day(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    if pub is None:
        return _FAIL
    offset = _lookup("relative_days")[_key(m["w"])]
    return (_day(pub + dt.timedelta(days=offset)),)


def _count(phrase: str) -> int | None:
    """The number of units in "two", "about a", "the 3"."""
    words = [w for w in phrase.split() if w not in _words()["fillers"]]
    if len(words) == 1 and words[0] in ("a", "an"):
        return 1
    quantity = parse_quantity(" ".join(words))
    return None if quantity is None else quantity.value


def _on_ago(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    count = _count(m["n"])
    if pub is None or count is None:
        return _FAIL
    kind, size = _lookup("ago_units")[_key(m["u"])]
    if kind == "days":
        return (_day(pub - dt.timedelta(days=count * size)),)
    return (_day(_add_months(pub, -count * size)),)


def _weekend(rel: str, pub: dt.date) -> tuple[dt.date, dt.date]:
    """ "the weekend": the latest starting on or before publication; "last",
    "this", "next" weekend: relative to the publication's Monday-based week."""
    if rel == "the":
        saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
    else:
        step = {"last": -1, "next": 1}.get(rel, 0)
        saturday = _monday(pub) + dt.timedelta(days=5 + 7 * step)
    return saturday, saturday + dt.timedelta(days=1)


def _calendar_period(period: str, step: int, pub: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar week, month or year ``step`` periods from publication's."""
    if period == "week":
        begin = _monday(pub) + dt.timedelta(days=7 * step)
        return begin, begin + dt.timedelta(days=6)
    if period == "month":
        year, month0 = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        return _month_span(year, month0 + 1)
    return dt.date(pub.year + step, 1, 1), dt.date(pub.year + step, 12, 31)


def _period_span(period: str, rel: str, pub: dt.date) -> tuple[dt.date, dt.date] | None:
    if period == "weekend":
        return _weekend(rel, pub)
    if rel == "the":
        return None  # "the week": which one?
    begin, end = _calendar_period(period, {"last": -1, "next": 1}.get(rel, 0), pub)
    return {"earlier": (begin, pub), "later": (pub, end)}.get(rel, (begin, end))


def _on_period(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    rel = _lookup("period_relatives")[_key(m["rel"])]
    span = None if pub is None else _period_span(m["p"], rel, pub)
    return _FAIL if span is None else (_Days(span[0], span[1], 2),)


def _on_full_date(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    month, day = _month_number(m["m"]), int(m["d"])
    if m["y"]:
        return (_day(dt.date(int(m["y"]), month, day), 5),)
    found = None if pub is None else _infer_year(month, day, pub)
    return _FAIL if found is None else (_day(found, 4),)


def _on_iso(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    return (_day(dt.date(int(m["y"]), int(m["mo"]), int(m["d"])), 5),)


def _narrow_month(year: int, month: int, mod: str | None) -> _Days:
    begin, end = _month_span(year, month)
    if mod:
        first, last = _words()["month_parts"][mod]
        begin, end = begin.replace(day=first), end.replace(day=min(last, end.day))
    return _Days(begin, end, 2)


def _on_month(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    month = _month_number(m["m"])
    if m["y"]:
        return (_narrow_month(int(m["y"]), month, m["mod"]),)
    found = None if pub is None else _infer_year(month, 1, pub)
    return _FAIL if found is None else (_narrow_month(found.year, month, m["mod"]),)


def _on_year(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    year = int(m["y"])
    first, last = _words()["year_parts"][m["mod"]] if m["mod"] else (1, 12)
    return (_Days(dt.date(year, first, 1), _month_span(year, last)[1], 1),)


def _on_decade(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    year = int(m["y"])
    return (_Days(dt.date(year, 1, 1), dt.date(year + 9, 12, 31), 1),)


def _on_weekday(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    if pub is None:
        return _FAIL
    target = _words()["weekdays"][m["w"]]
    rel = _words()["weekday_relatives"].get(m["rel"] or "", "")
    if rel == "this":
        return (_day(_monday(pub) + dt.timedelta(days=target)),)
    if rel == "next":
        return (_day(pub + dt.timedelta(days=(target - pub.weekday()) % 7 or 7)),)
    back = (pub.weekday() - target) % 7
    return (_day(pub - dt.timedelta(days=back or (7 if rel == "last" else 0))),)


def _on_part(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    return (_part(m["part"]),)


def _on_day_modifier(m: re.Match[str], pub: dt.date | None) -> tuple[Component, ...]:
    begin, end = _words()["day_modifiers"][m["mod"]]
    return (_Clock(begin * 60, end * 60, 1),)


# --------------------------------------------------------------------------- patterns


def _names(key: str) -> str:
    return _alternation(_words()[key])


@lru_cache(maxsize=1)
def _month_alternation() -> str:
    return _alternation({**_words()["months"], **_words()["month_abbreviations"]})


def _clock_pattern() -> str:
    quals, words = _names("qualifiers"), _names("clock_words")
    return (
        rf"(?:\b(?P<q>{quals})\s+)?(?:\b(?:at|about|around)\s+)?"
        r"(?:(?<![\d:.])(?P<h12>\d{1,2})(?:[:.](?P<m12>\d{2}))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
        r"|(?<![\d:.])(?P<h24>\d{1,2})[:h](?P<m24>\d{2})(?![\d:])(?:\s*(?:hrs|hours|h)\b)?"
        r"|\b(?P<hm>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s*(?:hrs|hours|gmt|utc)\b"
        rf"|(?:\b12\s+)?\b(?P<word>{words})\b)"
    )


def _number_words() -> str:
    numbers = read_json("numbers.json")
    names = [*numbers["units"], *numbers["tens"], *numbers["hundred"], *numbers["scales"],
             *numbers["counted"], *numbers["one_words"], *numbers["joiners"]]
    word = rf"(?:\d+|{_alternation(names)})"
    return rf"(?:(?:{_names('fillers')})\s+)?{word}(?:[\s-]+{word})*"


@lru_cache(maxsize=1)
def _handlers() -> tuple[tuple[re.Pattern[str], Handler], ...]:
    months, parts = _month_alternation(), _names("parts_of_day")
    full = _names("months")
    mod = r"(?:\b(?P<mod>early|mid|late)[\s-]+)?"
    year = r"(?P<y>[12]\d{3})"
    table: list[tuple[str, Handler]] = [
        (rf"\b{year}-(?P<mo>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\d)", _on_iso),
        (_clock_pattern(), _on_clock),
        (rf"\b(?P<w>{_names('nights')})\b", _on_night),
        (rf"\b(?P<rel>{_names('part_of_day_relatives')})\s+(?P<part>{parts})\b", _on_relative_part),
        (rf"\b(?P<w>{_names('relative_days')})\b", _on_relative_day),
        (rf"\b(?P<n>{_number_words()})\s+(?P<u>{_names('ago_units')})s?\s+(?:{_names('ago_words')})\b",
         _on_ago),
        (rf"\b(?P<rel>{_names('period_relatives')})\s+(?P<p>{_names('periods')})\b", _on_period),
        (rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{months})\b\.?(?:,?\s+{year}\b)?",
         _on_full_date),
        (rf"\b(?P<m>{months})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{year}\b)?",
         _on_full_date),
        (rf"{mod}\b(?P<m>{months})\b\.?,?\s+{year}\b", _on_month),
        (rf"{mod}\b(?P<m>{full})\b(?P<y>)", _on_month),
        (rf"\b(?:(?P<rel>{_names('weekday_relatives')})\s+)?(?P<w>{_names('weekdays')})\b",
         _on_weekday),
        (r"\b(?P<y>[12]\d{2}0)s\b", _on_decade),
        (rf"{mod}\b{year}\b", _on_year),
        (rf"\b(?P<part>{parts})\b", _on_part),
        (rf"\b(?P<mod>{_names('day_modifiers')})\b", _on_day_modifier),
    ]
    return tuple((re.compile(p), h) for p, h in table)


# --------------------------------------------------------------------------- resolution


def _normalize(text: str) -> str:
    """ASCII-lower-case, unify dashes; every character keeps its position."""
    s = text.translate(_NORMALIZE)
    s = re.sub(r"'s\b", "  ", s)
    return re.sub(r"(?<=\d)t(?=\d)", " ", s)


def _components(s: str, pub: dt.date | None) -> tuple[str, list[Component]]:
    """Every recognised phrase of s, and s with those phrases blanked out."""
    chars, found = list(s), []
    for pattern, handler in _handlers():
        for m in pattern.finditer("".join(chars)):
            found.extend(handler(m, pub))
            chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars), found


def _only_fillers(rest: str, text: str, has_clock: bool) -> bool:
    """Whether what no phrase consumed is filler ("on", "at", a time zone name)."""
    words = _words()
    for m in re.finditer(r"[^\W_]+", rest):
        word, original = m.group(), text[m.start():m.end()]
        zone = has_clock and (word in words["time_zones"] or re.fullmatch(r"[A-Z]{2,5}", original))
        if word not in words["fillers"] and not zone:
            return False
    return True


def _assemble(found: list[Component], pub: dt.date | None) -> Span | None:
    days = max((c for c in found if isinstance(c, _Days)), key=lambda c: c.rank, default=None)
    clock = max((c for c in found if isinstance(c, _Clock)), key=lambda c: c.rank, default=None)
    if days is None:
        if clock is None or pub is None:
            return None
        # a bare night is the one that ended on the publication date
        days = _day(pub - dt.timedelta(days=1 if clock.end > _DAY else 0))
    if clock is None or days.begin != days.end:
        return days.begin, days.end
    base = dt.datetime.combine(days.begin, dt.time())
    return base + dt.timedelta(minutes=clock.begin), base + dt.timedelta(minutes=clock.end)


def _resolve_single(text: str, pub: dt.date | None) -> Span | None:
    rest, found = _components(_normalize(text), pub)
    if not found or any(isinstance(c, _Fail) for c in found):
        return None
    has_clock = any(isinstance(c, _Clock) and c.rank == 3 for c in found)
    return _assemble(found, pub) if _only_fillers(rest, text, has_clock) else None


def _range_parts(s: str) -> tuple[str, str] | None:
    """The two ends of "between X and Y", "21-22 September", "2011-13"."""
    months = _month_alternation()
    m = re.fullmatch(r"\s*(?:on\s+)?(?:between|from)\s+(.+?)\s+(?:and|to|until|till|through|-)\s+(.+?)\s*", s) or \
        re.fullmatch(r"\s*(?:on\s+)?(\d{1,2}(?:st|nd|rd|th)?)\s+(?:to|until|till|through)\s+(.+?)\s*", s)
    if m:
        return _shared_ends(m[1], m[2], months)
    m = re.fullmatch(rf"(.*?)\b(\d{{1,2}})\s*-\s*(\d{{1,2}})\s+((?:of\s+)?(?:{months})\b.*)", s)
    if m:
        return f"{m[1]}{m[2]} {m[4]}", f"{m[1]}{m[3]} {m[4]}"
    m = re.fullmatch(rf"(.*?\b(?:{months})\b\.?\s+)(\d{{1,2}})\s*-\s*(\d{{1,2}})\b(.*)", s)
    if m:
        return f"{m[1]}{m[2]}{m[4]}", f"{m[1]}{m[3]}{m[4]}"
    m = re.fullmatch(r"\s*(?:in\s+)?([12]\d{3})\s*-\s*(\d{2}|[12]\d{3})\s*", s)
    if m:
        second = m[2] if len(m[2]) == 4 else m[1][:2] + m[2]
        return m[1], second
    days = _alternation(_words()["weekdays"])  # "on Saturday and Sunday": both days
    m = re.fullmatch(rf"\s*(?:on\s+)?((?:last\s+|this\s+)?(?:{days}))\s+(?:and|to|through|-)\s+((?:{days}))\s*", s)
    if m:
        return m[1], m[2]
    return None


def _shared_ends(first: str, second: str, months: str) -> tuple[str, str]:
    """The month and year written once for both ends: "from 3 to 5 May 2016" is 3 May 2016
    .. 5 May 2016, "May 3 to 5" May 3 .. May 5, "3 May to 5 June 2016" takes the year."""
    day_first = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", first.strip())
    tail = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+((?:of\s+)?(?:{months})\b.*)", second.strip())
    if day_first and tail:
        return f"{day_first[1]} {tail[2]}", second
    head = re.fullmatch(rf"((?:{months})\b\.?)\s+\d{{1,2}}(?:st|nd|rd|th)?", first.strip())
    day_second = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(,?\s+[12]\d{3})?", second.strip())
    if head and day_second:
        return first + (day_second[2] or ""), f"{head[1]} {day_second[1]}{day_second[2] or ''}"
    year = re.search(r"\b([12]\d{3})\s*$", second)
    if year and not re.search(r"\b[12]\d{3}\b", first) and re.search(rf"\b(?:{months})\b", first):
        return f"{first} {year[1]}", second
    return first, second


def _resolve_range(text: str, pub: dt.date | None) -> Span | None:
    parts = _range_parts(_normalize(text))
    if parts is None:
        return None
    first, second = (_resolve_single(p, pub) for p in parts)
    if first is None or second is None:
        return None
    begin, end = first[0], second[1]
    if isinstance(begin, dt.datetime) != isinstance(end, dt.datetime) or begin > end:
        return None
    return begin, end


def _bounds(value: TimeValue) -> tuple[dt.datetime, dt.datetime]:
    def at(d: Any, end: bool) -> dt.datetime:
        if isinstance(d, dt.datetime):
            return d
        return dt.datetime.combine(d, dt.time.max if end else dt.time.min)
    return at(value.begin, False), at(value.end or value.begin, True)


def incident_time(values: list[TimeValue]) -> TimeValue | None:
    """The time of one incident from the times of the clauses that report it: when it
    began (the earliest resolved time; of two that begin together the first reported),
    narrowed by a time inside it ("last week" .. "on Saturday night"); never one interval
    stretched over all of them. The unresolved text is kept when none resolves."""
    resolved = [v for v in values if v.begin is not None]
    if not resolved:
        return values[0] if values else None
    best = min(resolved, key=lambda v: _bounds(v)[0])
    for value in resolved:
        begin, end = _bounds(value)
        low, high = _bounds(best)
        if low <= begin and end <= high and (end - begin) < (high - low):
            best = value
    return best


def _anchor(published: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(published, dt.datetime):
        return published.date()
    return published if isinstance(published, dt.date) else None


def resolve_time(text: str, published: dt.date | dt.datetime | None) -> TimeValue:
    """Resolve a time expression against the publication date (see the module doc)."""
    try:
        pub = _anchor(published)
        span = _resolve_range(text, pub) or _resolve_single(text, pub)
    except (ValueError, OverflowError):  # dates beyond the calendar's range
        span = None
    return TimeValue(text) if span is None else TimeValue(text, span[0], span[1])


@lru_cache(maxsize=1)
def _time_re() -> re.Pattern[str]:
    words = _words()
    full = [m for m in words["months"] if m != "may"]
    abbreviations = _alternation([*words["month_abbreviations"], "may"])
    patterns = (
        rf"\b(?:{_alternation([*words['weekdays'], *full, *words['time_words']])})\b(?!-)",
        rf"\b(?:{_alternation(words['parts_of_day'])}|{_alternation(words['clock_words'])})\b",
        rf"\b(?:{abbreviations})\b\.?\s+\d",
        r"\b\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\b",
        r"\b\d{1,2}:\d{2}\b",
        r"(?<![\d,.])(?:1[89]|20)\d{2}(?![\d,])",
    )
    return re.compile("|".join(patterns), re.IGNORECASE)


def is_time_expression(text: str) -> bool:
    """A cheap check: does the text mention a day, date, period or time of day?"""
    return _time_re().search(text) is not None
