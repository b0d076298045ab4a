"""What a SPARQL query text asks for, read from its tokens without running it.

kg refuses federated queries (``SERVICE``) unless the user allows them, and
lets a query's own dataset (``FROM`` / ``FROM NAMED``) win over the union
default graph. Both need to know whether the text uses a keyword, so this
module splits it into SPARQL's lexical tokens: comments, strings (all four
quotings), IRIs, variables, and words (keywords, prefixed names, numbers).
Only words are looked at; ``SERVICE`` inside a string, an IRI, a comment or a
variable name is no keyword.

The scan errs on the side of "present": a word counts when any of its
dot-separated parts, before the prefix colon, starts with the keyword (so
``1.SERVICE`` or ``SERVICE:x``, which a parser may read as ``SERVICE :x``,
count too). The text is scanned as given and with its ``\\uXXXX`` escapes
decoded (SPARQL 1.1 section 19.2 allows a parser to decode them first).
"""

from __future__ import annotations

import re

__all__ = ["keywords", "uses_service", "has_dataset"]

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '''(?:[^'\\]|\\.|'(?!''))*'''
             | "(?:[^"\\\n\r]|\\.)*"
             | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]*)
  | (?P<word>(?:[\w\u00b7\u00c0-\uffff.:%-]|\\.)+)
  | (?P<other>.)
    """,
    re.X | re.S,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _decoded(text: str) -> str:
    def char(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group(0)

    return _CODEPOINT.sub(char, text)


def _word_heads(text: str) -> set[str]:
    """The upper-cased starts of the words of ``text`` that a parser could read as keywords."""
    heads: set[str] = set()
    for match in _TOKEN.finditer(text):
        word = match.group("word")
        if word:
            prefix = word.split(":", 1)[0]  # a prefixed name's local part is never a keyword
            heads.update(part.upper() for part in prefix.split(".") if part)
    return heads


def keywords(query: str) -> set[str]:
    """Upper-cased word starts of ``query`` (and of its escape-decoded form)."""
    return _word_heads(query) | _word_heads(_decoded(query))


def _starts(heads: set[str], keyword: str) -> bool:
    return any(head.startswith(keyword) for head in heads)


def uses_service(query: str) -> bool:
    """True if the query may call a remote endpoint (a SERVICE clause)."""
    return _starts(keywords(query), "SERVICE")


def has_dataset(query: str) -> bool:
    """True if the query names its own dataset (FROM or FROM NAMED)."""
    return "FROM" in keywords(query)
