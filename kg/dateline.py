"""News datelines: "BOGOTÁ, Colombia — ...", "BERLIN (Reuters) - ...".

The dateline names where a story was filed, not who did what: extractors do
not take agents from it, and events take their place from it only when the
text names no other.
"""

from __future__ import annotations

import re

__all__ = ["dateline_end"]

_DASH = re.compile(r"\s(?:—|–|--|-)\s")
_MAX = 80


def _is_place_line(head: str) -> bool:
    head = re.sub(r"\([^)]*\)", "", head).strip()  # "(Reuters)", "(AP)"
    city = head.split(",")[0].strip()
    letters = [c for c in city if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and len(city.split()) <= 4


def dateline_end(text: str) -> int:
    """Offset where the body starts after a dateline (0 when there is none)."""
    start = len(text) - len(text.lstrip())
    match = _DASH.search(text, start, start + _MAX)
    if match is None or "\n" in text[start:match.start()]:
        return 0
    return match.end() if _is_place_line(text[start:match.start()]) else 0
