"""Read news articles from files, folders, JSON Lines corpora and stdin.

``iter_articles`` turns the user's inputs into a stream of ``Article`` values.
A bad *input* (missing or unreadable path) is the user's mistake and raises
``InputError``; a bad *article* (binary file, empty text, broken JSONL line,
malformed front matter, unparseable date) is skipped and reported as a
``Problem`` through ``on_problem`` (or raised when ``strict``).

Formats
    ``.txt .text .md .markdown``  the whole file is one article; optional YAML
        front matter (``---`` ... ``---``) gives id, title, url, published/date
        (``kg.ingest.frontmatter``). Article.text is the body exactly as it
        follows the front matter.
    ``.html .htm``  reduced to the article text (``kg.ingest.html``).
    ``.jsonl``  one JSON object per line (``kg.ingest.jsonl``): "text" plus
        optional "id", "title", "url", "published" (or "date"); blank lines are ignored.
    ``-``  stdin: one plain-text article (front matter allowed), or JSON Lines
        when ``jsonl=True``.

Every format is decoded and its newlines normalised by ``kg.ingest.decode``.
Only regular files are read, never more than ``MAX_INPUT_BYTES`` of one.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from kg.errors import InputError
from kg.errors import printable as _printable
from kg.ingest.articles import MAX_INPUT_BYTES, Problem, Result, Skip, article_of, show_path
from kg.ingest.decode import clean, decode
from kg.ingest.frontmatter import split_front_matter
from kg.ingest.html import html_article
from kg.ingest.jsonl import jsonl_file, jsonl_results
from kg.records import MAX_ARTICLE_CHARS, Article

__all__ = ["iter_articles", "count_articles", "TEXT_SUFFIXES", "HTML_SUFFIXES", "JSONL_SUFFIXES"]

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
_FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

_STDIN = "<stdin>"


@dataclass(frozen=True)
class _Input:
    """One planned read: a file (``path``) or stdin (``path is None``)."""

    kind: str  # "text", "html", "jsonl" or "skip" (then ``problem`` says why)
    source: str
    path: Path | None = None
    problem: str | None = None


# --------------------------------------------------------------------------
# driver


def iter_articles(
    inputs: Sequence[str | Path],
    *,
    published: date | datetime | None = None,
    jsonl: bool = False,
    stdin: TextIO | BinaryIO | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    strict: bool = False,
) -> Iterator[Article]:
    """Stream the articles of ``inputs`` (files, folders, "-" for stdin).

    Paths are checked and folders listed when this is called, so a missing or
    unreadable path raises ``InputError`` before any article is produced.
    Skipped articles go to ``on_problem`` (logged as warnings when it is
    None); with ``strict`` the first one raises ``InputError`` instead.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    plan = _plan(inputs, jsonl=jsonl)
    return _generate(plan, published, stdin, on_problem, strict)


def _generate(
    plan: Iterable[_Input],
    published: date | datetime | None,
    stdin: TextIO | BinaryIO | None,
    on_problem: Callable[[Problem], None] | None,
    strict: bool,
) -> Iterator[Article]:
    for item in plan:
        for result in _read(item, published, stdin):
            if isinstance(result, Article):
                yield result
            else:
                _report(result, on_problem, strict)


def _report(problem: Problem, on_problem: Callable[[Problem], None] | None, strict: bool) -> None:
    if strict:
        raise InputError(f"{problem.source}: {problem.message}")
    if on_problem is None:
        log.warning("skipped %s: %s", _printable(problem.source), problem.message)
    else:
        on_problem(problem)


def _read(
    item: _Input, published: date | datetime | None, stdin: TextIO | BinaryIO | None
) -> Iterator[Result]:
    if item.problem is not None:
        return iter([Problem(item.source, item.problem)])
    if item.path is None:
        stream = _stdin_stream(stdin)
        if item.kind == "jsonl":
            return jsonl_results(stream, item.source, published)
        return _whole(lambda: _read_stream(stream), item.source, "text", published)
    if item.kind == "jsonl":
        return jsonl_file(item.path, item.source, published)
    path = item.path
    return _whole(lambda: _read_bytes(path, item.source), item.source, item.kind, published)


def _whole(read: Callable[[], bytes | str], source: str, kind: str, published: date | datetime | None) -> Iterator[Result]:
    """The one article of a whole file or stream (a Problem if it cannot be read as one)."""
    try:
        data = read()
    except Skip as skip:
        return iter([Problem(source, skip.message)])
    return iter([_document(data, source, kind, published)])


# --------------------------------------------------------------------------
# planning: which files, in which order


def _plan(inputs: Iterable[str | Path], *, jsonl: bool) -> list[_Input]:
    plan: list[_Input] = []
    seen: set[str] = set()
    for item in inputs:
        for planned in _expand(item, jsonl=jsonl):
            key = _identity(planned)
            if key not in seen:
                seen.add(key)
                plan.append(planned)
    return plan


def _identity(item: _Input) -> str:
    if item.path is None:
        return _STDIN
    try:
        return str(item.path.resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(item.path)


def _expand(item: str | Path, *, jsonl: bool) -> Iterator[_Input]:
    given = os.fspath(item)
    if given == "-":
        yield _Input("jsonl" if jsonl else "text", _STDIN)
        return
    path = Path(given)
    if path.is_dir():
        yield from _folder(given, path)
    elif path.is_file():
        _check_readable(path, given)
        yield _Input(_kind(path), given, path)
    elif path.exists():
        raise InputError(f"input {show_path(given)} is not a regular file or folder: give a file or a folder")
    else:
        raise InputError(f"input {show_path(given)} does not exist: check the path")


def _kind(path: Path) -> str:
    """Format by extension; an explicitly named file of another extension is text."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def _check_readable(path: Path, given: str) -> None:
    if not path.exists():  # a dangling symbolic link in a folder
        raise InputError(f"input {show_path(given)} does not exist (a broken link?): check the path")
    if not os.access(path, os.R_OK):
        raise InputError(f"cannot read input {show_path(given)}: permission denied; check its permissions")


def _folder(given: str, root: Path) -> Iterator[_Input]:
    """Files of a folder, recursively, in order of their relative paths.

    Only regular files are read: a symbolic link only to a regular file inside
    the folder; devices, FIFOs, sockets and links elsewhere are skipped with a
    message (a link to /etc/passwd or /dev/zero never reaches the graph).
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    for directory, dirnames, filenames in os.walk(root, onerror=_walk_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = Path(directory, name)
            if not name.startswith(".") and path.suffix.lower() in _FOLDER_SUFFIXES:
                found.append((path.relative_to(root).parts, path))
    inside = os.path.realpath(root)
    for parts, path in sorted(found):
        source = os.path.join(given, *parts)
        problem = _not_regular(path, inside)
        if problem is not None:
            yield _Input("skip", source, path, problem)
            continue
        _check_readable(path, source)
        yield _Input(_kind(path), source, path)


def _not_regular(path: Path, folder: str) -> str | None:
    """Why a folder entry is not read (None when it is a regular file, or a link to one in ``folder``)."""
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            target = os.path.realpath(path)
            mode = os.stat(target).st_mode  # a broken link raises: _check_readable names it
            if os.path.commonpath([folder, target]) != folder:
                return "a symbolic link out of the input folder (not followed): give the file itself"
    except (OSError, ValueError):
        return None  # a broken link: _check_readable names it
    if stat.S_ISREG(mode):
        return None
    return f"not a regular file ({_file_type(mode)}): only regular files are read"


def _file_type(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def _walk_error(error: OSError) -> None:
    raise InputError(f"cannot read folder {show_path(error.filename)}: {error.strerror}; check its permissions")


# --------------------------------------------------------------------------
# raw input


def _read_bytes(path: Path, source: str) -> bytes:
    """The file's bytes, never more than MAX_INPUT_BYTES (a larger file is skipped);
    opened without blocking, so a FIFO named on the command line cannot hang the build."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise Skip(f"not a regular file ({_file_type(os.fstat(stream.fileno()).st_mode)}): "
                            "only regular files are read")
            return _bounded(stream.read(MAX_INPUT_BYTES + 1))
    except OSError as error:
        raise InputError(f"cannot read input {show_path(source)}: {error.strerror}; check the path") from None


def _bounded(data: bytes | str) -> bytes | str:
    if len(data) > MAX_INPUT_BYTES:
        raise Skip(f"input too large (more than {MAX_INPUT_BYTES:,} bytes, for articles of at most "
                    f"{MAX_ARTICLE_CHARS:,} characters): split it into several articles")
    return data


def _stdin_stream(stdin: TextIO | BinaryIO | None) -> IO[Any]:
    if stdin is not None:
        return stdin
    if sys.stdin is None:
        raise InputError("input '-' needs stdin, but there is none: give a file instead")
    return getattr(sys.stdin, "buffer", sys.stdin)


def _read_stream(stream: IO[Any]) -> bytes | str:
    try:
        return _bounded(stream.read(MAX_INPUT_BYTES + 1))
    except OSError as error:
        raise InputError(f"cannot read stdin: {error.strerror}; give a file instead") from None


# --------------------------------------------------------------------------
# documents: text, markdown and HTML files, stdin text


def _document(data: bytes | str, source: str, kind: str, published: date | datetime | None) -> Result:
    try:
        text = data if isinstance(data, str) else decode(data, html=kind == "html")
        text = clean(text)
        if kind == "html":
            text, meta = html_article(text)
        else:
            text, meta = split_front_matter(text)
        return article_of(text, meta, source, published)
    except Skip as skip:
        return Problem(source, skip.message)


def count_articles(inputs: Sequence[str | Path], *, jsonl: bool = False) -> int | None:
    """How many articles ``inputs`` hold, counted cheaply before a build (for a progress
    bar): one per file, one per non-blank JSONL line; None when stdin is among them."""
    total = 0
    for item in _plan(inputs, jsonl=jsonl):
        if item.path is None:
            return None
        if item.kind != "jsonl":
            total += 1
            continue
        try:
            with item.path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        except OSError:
            continue  # the build reports it
    return total
