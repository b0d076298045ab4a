"""Where the project's data folders are (the ontology and the contract queries)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "ONTOLOGY_DIR", "QUERIES_DIR", "ONTOLOGY_FILE", "SHAPES_FILE"]

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
ONTOLOGY_FILE = ONTOLOGY_DIR / "event.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
