"""Read news articles from files, folders, JSON Lines corpora and stdin.

``iter_articles`` turns the user's inputs into a stream of ``Article`` values.
A bad *input* (missing or unreadable path) is the user's mistake and raises
``InputError``; a bad *article* (binary file, empty text, broken JSONL line,
malformed front matter, unparseable date) is skipped and reported as a
``Problem`` through ``on_problem`` (or raised when ``strict``).

Formats
    ``.txt .text .md .markdown``  the whole file is one article; optional YAML
        front matter (``---`` ... ``---``) gives id, title, url, published/date.
        Article.text is the body exactly as it follows the front matter.
    ``.html .htm``  reduced to the article text (see ``_html_text``).
    ``.jsonl``  one JSON object per line: "text" plus optional "id", "title",
        "url", "published" (or "date"); blank lines are ignored.
    ``-``  stdin: one plain-text article (front matter allowed), or JSON Lines
        when ``jsonl=True``.

Text normalisation (every format): NUL characters are dropped, then "\\r\\n"
and "\\r" become "\\n". Nothing else is changed, so the character offsets of
later stages refer to ``Article.text`` as given.

Decoding: BOM (UTF-8, UTF-16, UTF-32) wins; then strict UTF-8 (a valid UTF-8
file is text even if it contains NUL bytes, which are then dropped); then, for
HTML, a ``<meta charset>`` declaration; then charset_normalizer restricted to
the legacy web encodings, preferring windows-1252 when it fits as well as the
best guess. Bytes that are not UTF-8 and contain NULs, or that no encoding
explains, are "not a text file".
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import logging
import os
import re
import stat
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, TextIO

import yaml
from charset_normalizer import from_bytes

from kg.errors import InputError
from kg.errors import printable as _printable
from kg.records import MAX_ARTICLE_CHARS, Article

if TYPE_CHECKING:  # bs4 is imported when HTML is read (its import costs ~0.1 s of every start)
    from bs4 import BeautifulSoup
    from bs4.element import Tag

__all__ = [
    "Problem",
    "iter_articles",
    "parse_published",
    "article_id",
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
]

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
_FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

#: Largest read of one article (file, stdin or JSONL line): any text within the
#: article length limit fits (4 bytes a character at most, and a BOM).
MAX_INPUT_BYTES = 4 * MAX_ARTICLE_CHARS + 4
_DATE_HELP = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"
_STDIN = "<stdin>"
_CHUNK = 1 << 16

# Legacy encodings of the WHATWG Encoding Standard (no UTF-16/32 without BOM,
# no DOS or Mac code pages: they win charset_normalizer's guesses on short
# Western text far more often than they are right).
_LEGACY_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
    "cp1257", "cp1258", "cp874", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u",
    "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)  # fmt: skip
_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)

# HTML: subtrees never read; elements that make a paragraph of their own.
_HTML_DROP = frozenset(
    "script style noscript nav header footer aside form template iframe svg".split()
)
_HTML_SKIP = _HTML_DROP | {"head", "title", "meta", "link", "object", "embed"}
_HTML_BREAK = frozenset({"br", "hr"})
_HTML_BLOCK = frozenset(
    """html body article main section div p h1 h2 h3 h4 h5 h6 li ul ol dl dt dd
    blockquote pre figure figcaption table caption thead tbody tfoot tr td th
    address details summary hgroup center fieldset legend""".split()
)
_DROPPED = object()  # block key of text inside a skipped subtree
_TOO_LONG: Any = object()  # stands for a JSONL line longer than MAX_INPUT_BYTES


@dataclass(frozen=True)
class Problem:
    """A bad article that was skipped."""

    source: str  # "path/file.jsonl:17", "path/a.txt" or "<stdin>:3"
    message: str  # one line


class _Skip(Exception):
    """Raised inside a reader: this article is skipped with ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Input:
    """One planned read: a file (``path``) or stdin (``path is None``)."""

    kind: str  # "text", "html", "jsonl" or "skip" (then ``problem`` says why)
    source: str
    path: Path | None = None
    problem: str | None = None


_Result = Article | Problem
_Meta = dict[str, Any]


# --------------------------------------------------------------------------
# public helpers


def article_id(text: str) -> str:
    """A stable id derived from the content: "a" + 16 hex digits of sha256(NFC text)."""
    data = unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass")
    return "a" + hashlib.sha256(data).hexdigest()[:16]


def parse_published(value: str) -> date | datetime:
    """Parse an ISO 8601 date ("2013-09-22") or datetime (with optional offset or Z)."""
    return _parse_date(value, "--published")


def _parse_date(value: str, what: str) -> date | datetime:
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"invalid {what} {_show(value)}: {_DATE_HELP}") from None


def _show(value: object, limit: int = 60) -> str:
    """A value quoted on one line, clipped, for messages (control characters escaped:
    an ESC in an article's metadata never reaches the terminal)."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{_printable(text)}'"


def _show_path(path: object) -> str:
    """A path quoted in full, control characters escaped so it stays one line."""
    return f"'{_printable(str(path))}'"


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
) -> Iterator[_Result]:
    if item.problem is not None:
        return iter([Problem(item.source, item.problem)])
    if item.path is None:
        stream = _stdin_stream(stdin)
        if item.kind == "jsonl":
            return _jsonl_results(stream, item.source, published)
        return _whole(lambda: _read_stream(stream), item.source, "text", published)
    if item.kind == "jsonl":
        return _jsonl_file(item.path, item.source, published)
    path = item.path
    return _whole(lambda: _read_bytes(path, item.source), item.source, item.kind, published)


def _whole(read: Callable[[], bytes | str], source: str, kind: str, published: date | datetime | None) -> Iterator[_Result]:
    """The one article of a whole file or stream (a Problem if it cannot be read as one)."""
    try:
        data = read()
    except _Skip as skip:
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
        raise InputError(f"input {_show_path(given)} is not a regular file or folder: give a file or a folder")
    else:
        raise InputError(f"input {_show_path(given)} does not exist: check the path")


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
        raise InputError(f"input {_show_path(given)} does not exist (a broken link?): check the path")
    if not os.access(path, os.R_OK):
        raise InputError(f"cannot read input {_show_path(given)}: permission denied; check its permissions")


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
    raise InputError(f"cannot read folder {_show_path(error.filename)}: {error.strerror}; check its permissions")


# --------------------------------------------------------------------------
# raw input


def _read_bytes(path: Path, source: str) -> bytes:
    """The file's bytes, never more than MAX_INPUT_BYTES (a larger file is skipped);
    opened without blocking, so a FIFO named on the command line cannot hang the build."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise _Skip(f"not a regular file ({_file_type(os.fstat(stream.fileno()).st_mode)}): "
                            "only regular files are read")
            return _bounded(stream.read(MAX_INPUT_BYTES + 1))
    except OSError as error:
        raise InputError(f"cannot read input {_show_path(source)}: {error.strerror}; check the path") from None


def _bounded(data: bytes | str) -> bytes | str:
    if len(data) > MAX_INPUT_BYTES:
        raise _Skip(f"input too large (more than {MAX_INPUT_BYTES:,} bytes, for articles of at most "
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
# decoding


def _clean(text: str) -> str:
    """Drop NUL characters, then normalise newlines to "\\n"."""
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, *, html: bool = False) -> str:
    """Bytes to text (see the module docstring); raises _Skip for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise _Skip("not a text file (binary data)")
    declared = _declared_charset(data) if html else None
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return _decode_legacy(data)


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise _Skip(f"not a text file (invalid {encoding.upper()} after its byte order mark)") from None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name  # as browsers do


def _decode_legacy(data: bytes) -> str:
    matches = from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS))
    best = matches.best()
    if best is None:
        raise _Skip("not a text file (no text encoding fits its bytes)")
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return data.decode("cp1252")
    return str(best)


# --------------------------------------------------------------------------
# documents: text, markdown and HTML files, stdin text


def _document(data: bytes | str, source: str, kind: str, published: date | datetime | None) -> _Result:
    try:
        text = data if isinstance(data, str) else _decode(data, html=kind == "html")
        text = _clean(text)
        if kind == "html":
            text, meta = _html_article(text)
        else:
            text, meta = _split_front_matter(text)
        return _article(text, meta, source, published)
    except _Skip as skip:
        return Problem(source, skip.message)


def _split_front_matter(text: str) -> tuple[str, _Meta]:
    """YAML front matter and the body that follows it, unchanged."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text, {}
    meta = _load_yaml(match.group(1)) if match.group(1).strip() else {}
    if not isinstance(meta, dict):
        raise _Skip("malformed front matter: it must be 'key: value' lines between the '---' lines")
    return text[match.end() :], meta


def _load_yaml(block: str) -> object:
    try:
        return yaml.safe_load(block)
    except yaml.YAMLError as error:
        reason = _yaml_reason(error)
    except (ValueError, RecursionError) as error:  # e.g. "published: 2013-02-30"
        reason = _one_line(str(error))
    raise _Skip(f"malformed front matter ({reason}): fix the YAML between the '---' lines")


def _yaml_reason(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or type(error).__name__
    mark = getattr(error, "problem_mark", None)
    where = f" on line {mark.line + 2}" if mark is not None else ""  # +1 for the '---' line
    return _one_line(f"{problem}{where}")


# --------------------------------------------------------------------------
# HTML


def _html_article(markup: str) -> tuple[str, _Meta]:
    soup = _soup(markup)
    found: dict[str, list[Tag]] = {}
    for tag in soup.find_all(["meta", "link", "title", "time", "h1", "article", "main"]):
        found.setdefault(tag.name, []).append(tag)  # one pass over a large page
    props = _meta_properties(found.get("meta", []))
    meta = {
        "title": _html_title(found, props),
        "url": _html_url(found, props),
        "published": _html_published(found, props),
    }
    return _html_text(_html_root(soup, found)), meta


def _soup(markup: str) -> BeautifulSoup:
    """Parse with the standard library's parser: nothing is fetched or expanded."""
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
    from bs4.exceptions import ParserRejectedMarkup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        try:
            return BeautifulSoup(markup, "html.parser")
        except ParserRejectedMarkup as error:
            raise _Skip(f"unreadable HTML ({_one_line(str(error))})") from None


def _meta_properties(metas: list[Tag]) -> dict[str, str]:
    """<meta property|name|itemprop=key content=...>: the first non-blank content per key."""
    props: dict[str, str] = {}
    for tag in metas:
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if isinstance(key, str):
                props.setdefault(key.strip(), content.strip())
    return props


def _html_title(found: dict[str, list[Tag]], props: dict[str, str]) -> str | None:
    """og:title, else <title> (not an SVG's), else the first <h1>."""
    titles = [t for t in found.get("title", []) if t.find_parent("svg") is None]
    candidates = [
        props.get("og:title"),
        titles[0].get_text() if titles else None,
        found["h1"][0].get_text(" ") if "h1" in found else None,
    ]
    return next((_one_line(c) for c in candidates if c and c.strip()), None)


def _html_url(found: dict[str, list[Tag]], props: dict[str, str]) -> str | None:
    """<link rel=canonical>, else og:url."""
    for link in found.get("link", []):
        href = link.get("href")
        if "canonical" in (link.get("rel") or []) and isinstance(href, str) and href.strip():
            return href.strip()
    return props.get("og:url")


def _html_published(found: dict[str, list[Tag]], props: dict[str, str]) -> date | datetime | None:
    """The first parseable date: article:published_time, datePublished, <time datetime>.

    Scraped dates are hints: unparseable candidates are ignored, not reported.
    """
    candidates = [props.get("article:published_time"), props.get("datePublished")]
    candidates += [t.get("datetime") for t in found.get("time", [])]  # type: ignore[misc]
    for value in candidates:
        if isinstance(value, str):
            try:
                return _parse_date(value, "published")
            except InputError:
                continue
    return None


def _html_root(soup: BeautifulSoup, found: dict[str, list[Tag]]) -> Tag:
    """The largest <article>, else the largest <main>, else <body>, outside dropped parts."""
    from bs4.element import Tag

    for name in ("article", "main"):
        kept = [t for t in found.get(name, []) if t.find_parent(list(_HTML_DROP)) is None]
        if kept:
            return max(kept, key=lambda tag: len(tag.get_text()))
    return soup.body if isinstance(soup.body, Tag) else soup


def _html_text(root: Tag) -> str:
    """Visible text: one paragraph per block element or <br>, whitespace collapsed.

    Iterative (no recursion), so deeply nested markup is fine.
    """
    from bs4.element import PreformattedString, Tag

    block_of: dict[int, object] = {id(root): root}
    segments: list[list[str]] = []
    current: object = None
    for node in root.descendants:
        if isinstance(node, Tag):
            block_of[id(node)] = _html_block(node, block_of[id(node.parent)])
            current = None if node.name in _HTML_BREAK else current
            continue
        block = block_of[id(node.parent)]
        if block is _DROPPED or isinstance(node, PreformattedString):
            continue
        if block is not current:
            segments.append([])
            current = block
        segments[-1].append(str(node))
    paragraphs = (_one_line("".join(parts)) for parts in segments)
    return "\n\n".join(p for p in paragraphs if p)


def _html_block(tag: Tag, parent_block: object) -> object:
    if parent_block is _DROPPED or tag.name in _HTML_SKIP:
        return _DROPPED
    return tag if tag.name in _HTML_BLOCK else parent_block


# --------------------------------------------------------------------------
# JSON Lines


def _jsonl_file(path: Path, source: str, published: date | datetime | None) -> Iterator[_Result]:
    try:
        with path.open("rb") as stream:
            yield from _jsonl_results(stream, source, published)
    except OSError as error:
        raise InputError(f"cannot read input {_show_path(source)}: {error.strerror}; check the path") from None


def _jsonl_results(stream: IO[Any], source: str, published: date | datetime | None) -> Iterator[_Result]:
    number = 0
    try:
        for number, line in enumerate(_jsonl_lines(stream), 1):
            result = _jsonl_line(line, f"{source}:{number}", published)
            if result is not None:
                yield result
    except _Skip as skip:  # the rest of the stream cannot be decoded
        yield Problem(f"{source}:{number + 1}", skip.message)


def _jsonl_lines(stream: IO[Any]) -> Iterator[str | bytes]:
    """Lines split on "\\n" only: text streams as they are, bytes per their BOM."""
    head = stream.read(4)
    if isinstance(head, str):
        return itertools.chain(_split_head(head + stream.readline(MAX_INPUT_BYTES)), _bounded_lines(stream))
    encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
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
                raise _Skip(f"a line longer than {MAX_INPUT_BYTES:,} bytes; the rest of the input is skipped")
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _Skip(f"not a text file (invalid {encoding.upper()}); the rest of the input is skipped") from None
    if pending:
        yield pending


def _jsonl_line(line: str | bytes, source: str, published: date | datetime | None) -> _Result | None:
    """One line's article or problem; None for a blank line."""
    if line is _TOO_LONG:
        return Problem(source, f"line too long (more than {MAX_INPUT_BYTES:,} bytes, for articles of at most "
                               f"{MAX_ARTICLE_CHARS:,} characters): split the article")
    if not line.strip():
        return None
    try:
        text = line if isinstance(line, str) else _decode(line)
        record = _json_object(text)
        return _article(_clean(_json_text(record)), record, source, published)
    except _Skip as skip:
        return Problem(source, skip.message)


def _json_object(line: str) -> _Meta:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise _Skip(f"invalid JSON ({error.msg} at column {error.colno}): each line must be one JSON object") from None
    except RecursionError:
        raise _Skip("invalid JSON (nested too deeply): each line must be one JSON object") from None
    except ValueError:  # an integer of more digits than int() converts (sys.get_int_max_str_digits)
        raise _Skip("invalid JSON (a number too long to read): each line must be one JSON object") from None
    if not isinstance(value, dict):
        raise _Skip(f"expected a JSON object, got {_json_type(value)}: each line must be one JSON object")
    return value


def _json_text(record: _Meta) -> str:
    if "text" not in record:
        raise _Skip("missing \"text\": each object needs the article text in \"text\"")
    text = record["text"]
    if not isinstance(text, str):
        raise _Skip(f"\"text\" is {_json_type(text)}, not a string: give the article text as a string")
    return text


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


# --------------------------------------------------------------------------
# articles from text and metadata


def _article(text: str, meta: _Meta, source: str, published: date | datetime | None) -> Article:
    """Build the Article; raises _Skip for an empty text or bad metadata."""
    if not text.strip():
        raise _Skip("empty article")
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
        raise _Skip(f"{what} has an unpaired surrogate at character {error.start}: fix its \\u escape") from None


def _meta_id(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _Skip(f"invalid id {_show(value)}: give a string or an integer, or leave it out")
    if not value.strip():
        raise _Skip("empty id: give a non-empty id, or leave it out")
    _check_unicode(value, "id")
    return value.strip()


def _meta_string(value: object, key: str) -> str | None:
    """A title or url: strings stripped (blank means none), numbers as text."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _Skip(f"invalid {key} {_show(value)}: give a string, or leave it out")
    _check_unicode(value, key)
    return value.strip() or None


def _meta_published(meta: _Meta, default: date | datetime | None) -> date | datetime | None:
    """The metadata's published (else date); blank or absent means ``default``."""
    value = meta.get("published")
    if value is None:
        value = meta.get("date")
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, date):  # also datetime; YAML gives these
        return value
    if not isinstance(value, str):
        raise _Skip(f"invalid published {_show(value)}: {_DATE_HELP}")
    try:
        return _parse_date(value, "published")
    except InputError as error:
        raise _Skip(error.message) from None


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
