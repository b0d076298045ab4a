"""JSON Lines corpora: one JSON object per line, "text" plus optional "id", "title",
"url", "published" (or "date"); blank lines are ignored. Lines are split on "\\n"
only, each read no further than ``MAX_INPUT_BYTES``; a bad line is a ``Problem``
named by its line number, and the lines after it are still read."""

from __future__ import annotations

import codecs
import itertools
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.ingest.articles import MAX_INPUT_BYTES, Meta, Problem, Result, Skip, article_of, show_path
from kg.ingest.decode import BOMS, clean, decode
from kg.records import MAX_ARTICLE_CHARS

__all__ = ["jsonl_file", "jsonl_results"]

_CHUNK = 1 << 16
_TOO_LONG: Any = object()  # stands for a JSONL line longer than MAX_INPUT_BYTES


def jsonl_file(path: Path, source: str, published: date | datetime | None) -> Iterator[Result]:
    try:
        with path.open("rb") as stream:
            yield from jsonl_results(stream, source, published)
    except OSError as error:
        raise InputError(f"cannot read input {show_path(source)}: {error.strerror}; check the path") from None


def jsonl_results(stream: IO[Any], source: str, published: date | datetime | None) -> Iterator[Result]:
    number = 0
    try:
        for number, line in enumerate(_jsonl_lines(stream), 1):
            result = _jsonl_line(line, f"{source}:{number}", published)
            if result is not None:
                yield result
    except Skip as skip:  # the rest of the stream cannot be decoded
        yield Problem(f"{source}:{number + 1}", skip.message)


def _jsonl_lines(stream: IO[Any]) -> Iterator[str | bytes]:
    """Lines split on "\\n" only: text streams as they are, bytes per their BOM."""
    head = stream.read(4)
    if isinstance(head, str):
        return itertools.chain(_split_head(head + stream.readline(MAX_INPUT_BYTES)), _bounded_lines(stream))
    encoding = next((enc for bom, enc in BOMS if head.startswith(bom)), None)
    if encoding in {"utf-16", "utf-32"}:
        return _decoded_lines(head, stream, encoding)
    if encoding is not None:
        head = head[len(codecs.BOM_UTF8) :]
    return itertools.chain(_split_head(head + stream.readline(MAX_INPUT_BYTES)), _bounded_lines(stream))


def _bounded_lines(stream: IO[Any]) -> Iterator[str | bytes]:
    """The stream's lines; a line longer than MAX_INPUT_BYTES is read no further than
    that (its rest is skipped) and comes out as ``_TOO_LONG``."""
    while line := stream.readline(MAX_INPUT_BYTES + 1):
        if len(line) <= MAX_INPUT_BYTES:
            yield line
            continue
        newline = "\n" if isinstance(line, str) else b"\n"
        while line and not line.endswith(newline):  # type: ignore[arg-type]
            line = stream.readline(_CHUNK)
        yield _TOO_LONG


def _split_head(first: str | bytes) -> list[Any]:
    """The complete lines of ``first`` (read by read(4) + readline())."""
    newline = "\n" if isinstance(first, str) else b"\n"
    parts = first.split(newline)  # type: ignore[arg-type]
    return parts[:-1] + ([parts[-1]] if parts[-1] else [])


def _decoded_lines(head: bytes, stream: IO[bytes], encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    try:
        for chunk in itertools.chain([head], iter(lambda: stream.read(_CHUNK), b"")):
            *lines, pending = (pending + decoder.decode(chunk)).split("\n")
            yield from (line if len(line) <= MAX_INPUT_BYTES else _TOO_LONG for line in lines)
            if len(pending) > MAX_INPUT_BYTES:
                raise Skip(f"a line longer than {MAX_INPUT_BYTES:,} bytes; the rest of the input is skipped")
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise Skip(f"not a text file (invalid {encoding.upper()}); the rest of the input is skipped") from None
    if pending:
        yield pending


def _jsonl_line(line: str | bytes, source: str, published: date | datetime | None) -> Result | None:
    """One line's article or problem; None for a blank line."""
    if line is _TOO_LONG:
        return Problem(source, f"line too long (more than {MAX_INPUT_BYTES:,} bytes, for articles of at most "
                               f"{MAX_ARTICLE_CHARS:,} characters): split the article")
    if not line.strip():
        return None
    try:
        text = line if isinstance(line, str) else decode(line)
        record = _json_object(text)
        return article_of(clean(_json_text(record)), record, source, published)
    except Skip as skip:
        return Problem(source, skip.message)


def _json_object(line: str) -> Meta:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise Skip(f"invalid JSON ({error.msg} at column {error.colno}): each line must be one JSON object") from None
    except RecursionError:
        raise Skip("invalid JSON (nested too deeply): each line must be one JSON object") from None
    except ValueError:  # an integer of more digits than int() converts (sys.get_int_max_str_digits)
        raise Skip("invalid JSON (a number too long to read): each line must be one JSON object") from None
    if not isinstance(value, dict):
        raise Skip(f"expected a JSON object, got {_json_type(value)}: each line must be one JSON object")
    return value


def _json_text(record: Meta) -> str:
    if "text" not in record:
        raise Skip("missing \"text\": each object needs the article text in \"text\"")
    text = record["text"]
    if not isinstance(text, str):
        raise Skip(f"\"text\" is {_json_type(text)}, not a string: give the article text as a string")
    return text


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
