"""Text as it comes from wires and e-mail, made parseable without moving a character.

Hard-wrapped copy (wire services, e-mail, FBIS reports) breaks lines inside
sentences; the parser then treats every line break as a boundary. Editorial
brackets ("[Text]", "[passage omitted]", "[words indistinct]") and the bracketed
header after a dateline ("[Report] [Miguel Angel Valdebenito] [Text]") are no
part of the story. ``readable`` returns a text of the *same length* in which line
wraps are spaces and editorial notes are blanked, so every character offset the
extractors compute still points into the original article text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.ingest.dateline import dateline_end
from kg.paths import read_json

__all__ = ["readable", "is_hard_wrapped"]

_MIN_LINES = 4
_WRAP_WIDTH = 90  # no line of hard-wrapped copy is longer
_SHORT_SHARE = 0.5  # at most this share of lines may end far before the wrap width
_BRACKET = re.compile(r"\[([^\[\]]{0,200})\]")
_HEADER_RUN = re.compile(r"\s*(\[[^\[\]]{0,200}\]\s*)+")


@lru_cache(maxsize=1)
def _editorial() -> tuple[frozenset[str], frozenset[str]]:
    """(every editorial note, the notes that stand inside a sentence: "[sic]")."""
    data = read_json("editorial.json")
    return frozenset(data["notes"]) | frozenset(data["inline"]), frozenset(data["inline"])


def is_hard_wrapped(text: str) -> bool:
    """Lines of a paragraph broken at a fixed width (no line longer than a terminal,
    most lines near the width), as opposed to one paragraph per line."""
    lengths = sorted(len(line.rstrip()) for line in text.splitlines() if line.strip())
    if len(lengths) < _MIN_LINES:
        return False
    width = lengths[int(len(lengths) * 0.9) - 1]  # a few long lines (a header) are no counter-evidence
    if width > _WRAP_WIDTH:
        return False
    short = sum(n < width * 0.6 for n in lengths)
    return short <= len(lengths) * _SHORT_SHARE


def _unwrap(text: str) -> str:
    """A single line break between two non-blank lines becomes a space; blank lines
    and breaks before an indented line (a new paragraph) stay."""
    return re.sub(r"(?<=\S)[ \t]*\n(?=[^\s])", lambda m: " " * len(m.group()), text)


def _blank(text: str, start: int, end: int, breaks: bool = False) -> str:
    """Characters [start, end) as spaces; a note that ``breaks`` ends its sentence
    (a line break first: "[Begin recording]" is no part of the sentence around it)."""
    filler = ("\n" + " " * (end - start - 1)) if breaks and end > start else " " * (end - start)
    return text[:start] + filler + text[end:]


def _without_notes(text: str) -> str:
    """Editorial notes blanked: the bracket run that opens the body after a dateline,
    and anywhere a bracket whose words are an editorial note."""
    body = dateline_end(text)
    if body:
        header = _HEADER_RUN.match(text, body)
        if header is not None:
            text = _blank(text, header.start(), header.end())
    notes, inline = _editorial()
    for match in _BRACKET.finditer(text):
        words = " ".join(match.group(1).lower().split())
        if words in notes:
            text = _blank(text, match.start(), match.end(), breaks=words not in inline)
    return text


def readable(text: str) -> str:
    """The text the parser reads: same length as ``text``, wraps and notes removed."""
    if "[" in text:
        text = _without_notes(text)
    if "\n" in text and is_hard_wrapped(text):
        text = _unwrap(text)
    return text
