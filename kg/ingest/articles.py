"""What every reader of ``kg.ingest`` shares: an ``Article`` from a text and its
metadata (id, publication date, title, url), or the ``Problem`` that skips it.

A reader raises ``Skip`` for a bad article; the driver (``kg.ingest.inputs``)
reports it as a ``Problem`` with the file (and line) it came from.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kg.errors import InputError, quoted
from kg.errors import printable as _printable
from kg.records import MAX_ARTICLE_CHARS, Article

__all__ = ["Problem", "Skip", "Result", "Meta", "MAX_INPUT_BYTES", "article_id", "parse_published", "parse_date",
           "article_of", "show_path", "one_line"]

#: Largest read of one article (file, stdin or JSONL line): any text within the
#: article length limit fits (4 bytes a character at most, and a BOM).
MAX_INPUT_BYTES = 4 * MAX_ARTICLE_CHARS + 4
_DATE_HELP = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"


@dataclass(frozen=True)
class Problem:
    """A bad article that was skipped."""

    source: str  # "path/file.jsonl:17", "path/a.txt" or "<stdin>:3"
    message: str  # one line


class Skip(Exception):
    """Raised inside a reader: this article is skipped with ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Result = Article | Problem
Meta = dict[str, Any]


def article_id(text: str) -> str:
    """A stable id derived from the content: "a" + 16 hex digits of sha256(NFC text)."""
    data = unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass")
    return "a" + hashlib.sha256(data).hexdigest()[:16]


def parse_published(value: str) -> date | datetime:
    """Parse an ISO 8601 date ("2013-09-22") or datetime (with optional offset or Z)."""
    return parse_date(value, "--published")


def parse_date(value: str, what: str) -> date | datetime:
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"invalid {what} {quoted(value)}: {_DATE_HELP}") from None


def show_path(path: object) -> str:
    """A path quoted in full, control characters escaped so it stays one line."""
    return f"'{_printable(str(path))}'"


def one_line(text: str) -> str:
    return " ".join(text.split())


def article_of(text: str, meta: Meta, source: str, published: date | datetime | None) -> Article:
    """Build the Article; raises Skip for an empty text or bad metadata."""
    if not text.strip():
        raise Skip("empty article")
    _check_unicode(text, "text")
    given_id = _meta_id(meta.get("id"))
    return Article(
        id=given_id or article_id(text),
        text=text,
        published=_meta_published(meta, published),
        title=_meta_string(meta.get("title"), "title"),
        url=_meta_string(meta.get("url"), "url"),
        source=source,
    )


def _check_unicode(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise Skip(f"{what} has an unpaired surrogate at character {error.start}: fix its \\u escape") from None


def _meta_id(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise Skip(f"invalid id {quoted(value)}: give a string or an integer, or leave it out")
    if not value.strip():
        raise Skip("empty id: give a non-empty id, or leave it out")
    _check_unicode(value, "id")
    return value.strip()


def _meta_string(value: object, key: str) -> str | None:
    """A title or url: strings stripped (blank means none), numbers as text."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise Skip(f"invalid {key} {quoted(value)}: give a string, or leave it out")
    _check_unicode(value, key)
    return value.strip() or None


def _meta_published(meta: Meta, default: date | datetime | None) -> date | datetime | None:
    """The metadata's published (else date); blank or absent means ``default``."""
    value = meta.get("published")
    if value is None:
        value = meta.get("date")
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, date):  # also datetime; YAML gives these
        return value
    if not isinstance(value, str):
        raise Skip(f"invalid published {quoted(value)}: {_DATE_HELP}")
    try:
        return parse_date(value, "published")
    except InputError as error:
        raise Skip(error.message) from None
