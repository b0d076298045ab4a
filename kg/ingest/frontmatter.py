"""YAML front matter (``---`` ... ``---``) of text and Markdown articles: id, title,
url, published (or date); the body that follows it is the article text, unchanged."""

from __future__ import annotations

import re

import yaml

from kg.ingest.articles import Meta, Skip, one_line

__all__ = ["split_front_matter"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)


def split_front_matter(text: str) -> tuple[str, Meta]:
    """YAML front matter and the body that follows it, unchanged."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text, {}
    meta = _load_yaml(match.group(1)) if match.group(1).strip() else {}
    if not isinstance(meta, dict):
        raise Skip("malformed front matter: it must be 'key: value' lines between the '---' lines")
    return text[match.end() :], meta


def _load_yaml(block: str) -> object:
    try:
        return yaml.safe_load(block)
    except yaml.YAMLError as error:
        reason = _yaml_reason(error)
    except (ValueError, RecursionError) as error:  # e.g. "published: 2013-02-30"
        reason = one_line(str(error))
    raise Skip(f"malformed front matter ({reason}): fix the YAML between the '---' lines")


def _yaml_reason(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or type(error).__name__
    mark = getattr(error, "problem_mark", None)
    where = f" on line {mark.line + 2}" if mark is not None else ""  # +1 for the '---' line
    return one_line(f"{problem}{where}")
