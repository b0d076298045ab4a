"""News datelines: "BOGOTÁ, Colombia — ...", "BERLIN (Reuters) - ...",
"Lima, 20 Aug 88 (EFE) -- ...".

The dateline names where a story was filed, not who did what: extractors do
not take agents from it, and events take their place from it only when the
text names no other. A dateline with a date ("23 Aug 88", two-digit years
too) gives the article a publication date when none was given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.paths import read_json

__all__ = ["dateline_end", "Dateline", "parse_dateline"]

_DASH = re.compile(r"\s(?:—|–|--|-)\s")
_MAX = 100
_PAREN = re.compile(r"\(([^)]*)\)")
_DATE = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{2}|\d{4})\b")
_US_DATE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")  # "Oct. 31, 1988"


@dataclass(frozen=True)
class Dateline:
    end: int  # offset where the body starts
    place: str
    date: dt.date | None = None
    agency: str | None = None


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    words = read_json("time_words.json")
    return {**words["months"], **words["month_abbreviations"]}


def _date(head: str) -> dt.date | None:
    match = _DATE.search(head)
    if match is None:
        us = _US_DATE.search(head)
        if us is None or us.group(1).lower() not in _months():
            return None
        return _day(int(us.group(3)), _months()[us.group(1).lower()], int(us.group(2)))
    month = _months().get(match.group(2).lower())
    year = int(match.group(3))
    if len(match.group(3)) == 2:  # wire copy's two-digit years: 88 is 1988, 05 is 2005
        year += 1900 if year >= 50 else 2000
    try:
        return dt.date(year, month, int(match.group(1))) if month else None
    except ValueError:
        return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _city(head: str) -> str:
    return _PAREN.sub("", head).split(",")[0].strip()


def _is_place_line(head: str) -> bool:
    """An upper-case place ("NAIROBI, Kenya"), or any place followed by a date
    ("Concepcion, 23 Aug 88 (Santiago Domestic Service)")."""
    city = _city(head)
    letters = [c for c in city if c.isalpha()]
    if len(letters) < 3 or len(city.split()) > 4:
        return False
    return all(c.isupper() for c in letters) or (city[0].isupper() and _date(head) is not None)


def parse_dateline(text: str) -> Dateline | None:
    """The article's dateline, if it opens with one."""
    start = len(text) - len(text.lstrip())
    match = _DASH.search(text, start, start + _MAX)
    if match is None or "\n" in text[start:match.start()]:
        return None
    head = text[start:match.start()]
    if not _is_place_line(head):
        return None
    agencies = [p.strip() for p in _PAREN.findall(head) if p.strip()]
    agency = agencies[-1] if agencies and head.rstrip().endswith(")") else None
    return Dateline(match.end(), _city(head), _date(head), agency)


def dateline_end(text: str) -> int:
    """Offset where the body starts after a dateline (0 when there is none)."""
    found = parse_dateline(text)
    return found.end if found is not None else 0
