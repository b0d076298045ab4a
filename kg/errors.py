"""One error hierarchy. A KgError is a user's mistake or an environment problem:
the CLI prints its one-line message and exits with its exit code (2 by default)."""

from __future__ import annotations

__all__ = [
    "KgError",
    "InputError",
    "OutputError",
    "ModelError",
    "DataError",
    "QueryError",
    "StoreError",
    "ValidationFailed",
    "ReasoningError",
    "printable",
    "quoted",
    "first_line",
]


def printable(text: str) -> str:
    """``text`` with control and other unprintable characters escaped (``\\n``, ``\\x1b``),
    so a file name or value from the input stays one harmless line in a message."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def quoted(value: object, limit: int = 60) -> str:
    """A value quoted on one line, clipped, for messages (control characters escaped:
    an ESC in an article's id or metadata never reaches the terminal)."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{printable(text)}'"


def first_line(exc: BaseException) -> str:
    """What an exception says, on one line (its first), or its type's name when it says nothing."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class KgError(Exception):
    """Base of every error kg reports to its user."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(KgError):
    """An input path, option value or article that cannot be used."""


class OutputError(KgError):
    """An output path that cannot be written."""


class ModelError(KgError):
    """The spaCy model cannot be loaded."""


class DataError(KgError, ValueError):
    """A data file of kg/data that kg cannot use (a bad pattern, a class the ontology lacks):
    the message names the file and line. A broken installation or edit, found at start-up."""


class QueryError(KgError):
    """A SPARQL query that cannot be read or parsed."""


class StoreError(KgError):
    """A triple store or endpoint that refuses, times out or errs."""


class Unreachable(StoreError):
    """A remote service cannot be reached at all (no route, no name, refused): retrying is pointless."""


class ValidationFailed(KgError):
    """The data does not conform to the shapes (exit 1)."""

    exit_code = 1


class ReasoningError(KgError):
    """The reasoner found an inconsistency (exit 1)."""

    exit_code = 1
