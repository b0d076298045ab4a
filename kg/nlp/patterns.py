"""spaCy patterns of the data files, validated as they are added: a pattern spaCy
rejects (a misspelt attribute, a dependency node without its parent) is a
``DataError`` that names the data file and line, at start-up, not a failure
halfway through a build."""

from __future__ import annotations

from typing import Any

from spacy.errors import MatchPatternError
from spacy.matcher import DependencyMatcher, Matcher
from spacy.schemas import validate_token_pattern

from kg.errors import DataError

__all__ = ["add_pattern", "check_token_pattern"]


def _detail(exc: BaseException) -> str:
    """spaCy's reason, on one line: its last line ("- [pattern -> 0 -> LEMA] extra fields not permitted")."""
    lines = [line.strip(" -") for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def check_token_pattern(pattern: list[dict[str, Any]], where: str) -> None:
    """A token pattern kg matches by itself (not through a Matcher), checked as the Matcher would."""
    errors = validate_token_pattern(pattern)
    if errors:
        raise DataError(f"{where}: invalid token pattern: {errors[0]}: fix the pattern")


def add_pattern(matcher: Matcher | DependencyMatcher, key: str, pattern: list[dict[str, Any]], where: str) -> None:
    """``matcher.add(key, [pattern])``; a pattern it rejects is a DataError naming ``where`` (file:line)."""
    try:
        matcher.add(key, [pattern])
    except (MatchPatternError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{where}: invalid pattern: {_detail(exc)}: fix the pattern") from None
