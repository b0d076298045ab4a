"""HTML reduced to the article text (one paragraph per block element, whitespace
collapsed; navigation, scripts and the like dropped) and its metadata (title, url,
publication date from the page's meta tags). Parsed with the standard library's
parser: nothing is fetched or expanded."""

from __future__ import annotations

import warnings
from datetime import date, datetime
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.ingest.articles import Meta, Skip, one_line, parse_date

if TYPE_CHECKING:  # bs4 is imported when HTML is read (its import costs ~0.1 s of every start)
    from bs4 import BeautifulSoup
    from bs4.element import Tag

__all__ = ["html_article"]

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


def html_article(markup: str) -> tuple[str, Meta]:
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
            raise Skip(f"unreadable HTML ({one_line(str(error))})") from None


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
    return next((one_line(c) for c in candidates if c and c.strip()), None)


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
                return parse_date(value, "published")
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
    paragraphs = (one_line("".join(parts)) for parts in segments)
    return "\n\n".join(p for p in paragraphs if p)


def _html_block(tag: Tag, parent_block: object) -> object:
    if parent_block is _DROPPED or tag.name in _HTML_SKIP:
        return _DROPPED
    return tag if tag.name in _HTML_BLOCK else parent_block
