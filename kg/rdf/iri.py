"""Instance IRIs: one minting function, a pure function of content.

Every instance IRI of a build is ``mint(base, segment, ...)``. Segments are
normalised (NFKC, case-folded, runs of non-word characters become ``-``) and
percent-encoded here and nowhere else, so any text gives a valid IRI
(RFC 3987) and the same content gives the same IRI on any machine.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from kg.errors import InputError

__all__ = ["mint", "slug", "check_base", "content_hash"]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_MAX_SEGMENT = 80
_BASE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[/#]$")


def content_hash(text: str, length: int = 16) -> str:
    """A hex digest of text (NFC-normalised), for ids derived from content."""
    data = unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:length]


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """A readable, percent-encoded IRI path segment for any text."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = _NON_WORD.sub("-", folded).strip("-")
    if not words:
        return "h" + content_hash(text, 12)
    if len(words) > _MAX_SEGMENT:
        words = words[:_MAX_SEGMENT].rstrip("-") + "-" + content_hash(text, 8)
    return quote(words, safe="-")


def check_base(base: str) -> str:
    """The base IRI, if usable: absolute http(s) and ending in / or #."""
    if not _BASE.match(base):
        raise InputError(f"invalid --base '{base}': give an http(s) IRI ending in '/' or '#'")
    return base


def mint(base: str, *segments: str) -> URIRef:
    """The IRI ``base`` + slugged segments joined by '/'."""
    return URIRef(base + "/".join(slug(segment) for segment in segments))
