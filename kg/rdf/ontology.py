"""The ontology's classes and their hierarchy, read once from ``ontology/event.ttl``.

What kg knows of a class (which category an entity kind falls in, which event
types are attacks, which classes a data file may name) comes from here, so the
ontology stays the one place that says it; ``check_data`` checks at start-up that
every class the data files of ``kg/data`` name is one of the ontology's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError
from kg.paths import DATA_DIR, ONTOLOGY_FILE, data_name, data_place, json_data, jsonl_rows
from kg.rdf.namespaces import KGO
from kg.records import CATEGORIES

__all__ = ["classes", "superclasses", "with_subclasses", "category_of", "check_data"]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_OWL_CLASS = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
_SUB_CLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


@lru_cache(maxsize=1)
def _read() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """(every kgo class, kgo class -> its direct kgo superclasses), by local name."""
    prefix = str(KGO._NS)
    found: set[str] = set()
    parents: dict[str, set[str]] = defaultdict(set)
    for triple in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate, triple.object
        if not (isinstance(s, ox.NamedNode) and s.value.startswith(prefix)):
            continue
        if p == _RDF_TYPE and o == _OWL_CLASS:
            found.add(s.value[len(prefix):])
        elif p == _SUB_CLASS_OF and isinstance(o, ox.NamedNode) and o.value.startswith(prefix):
            parents[s.value[len(prefix):]].add(o.value[len(prefix):])
    return frozenset(found), {kind: frozenset(above) for kind, above in parents.items()}


def classes() -> frozenset[str]:
    """The local names of every class of the ontology (``Attack``, ``City``, ...)."""
    return _read()[0]


@lru_cache(maxsize=None)
def superclasses(kind: str) -> frozenset[str]:
    """The kgo classes above ``kind``, transitively ("City" -> {"Place"})."""
    parents = _read()[1]
    above: set[str] = set()
    todo = list(parents.get(kind, ()))
    while todo:
        parent = todo.pop()
        if parent not in above:
            above.add(parent)
            todo.extend(parents.get(parent, ()))
    above.discard(kind)
    return frozenset(above)


@lru_cache(maxsize=None)
def with_subclasses(kind: str) -> frozenset[str]:
    """``kind`` and every kgo class below it ("Attack" -> Attack, Bombing, Shooting, ...)."""
    return frozenset({kind} | {c for c in _read()[1] if kind in superclasses(c)})


@lru_cache(maxsize=None)
def category_of(kind: str) -> str:
    """The query contract's coarse category of a class: itself or its superclass among
    ``CATEGORIES`` (ArmedGroup -> Organization, City -> Place), else "Other"."""
    return next((c for c in CATEGORIES[:-1] if c == kind or c in superclasses(kind)), "Other")


# --- the data files' classes ---------------------------------------------------------------------


def _check(kind: object, where: str, among: frozenset[str], what: str = "class") -> None:
    if kind not in among:
        raise DataError(f"{where}: unknown {what} {kind!r} (not in ontology/event.ttl): "
                        "fix the name or add the class to the ontology")


def _check_json_classes(name: str, kinds: Iterable[str], data_dir: Path, among: frozenset[str],
                        what: str = "class") -> None:
    for kind in kinds:
        if kind not in among:
            _check(kind, data_place(name, json.dumps(kind), data_dir), among, what)


@lru_cache(maxsize=4)
def check_data(data_dir: Path | None = None) -> None:
    """Every event type and class a data file of ``kg/data`` names is a class of the
    ontology, and the categories of ``wikidata_types.json`` are the ontology's; else a
    DataError naming the file and line. Run once per process at start-up (no spaCy).
    (The knowledge base checks each row's kind as it loads; its patterns each matcher.)"""
    data_dir = data_dir or DATA_DIR
    known, events = classes(), with_subclasses("Event")
    for name in ("events/triggers.jsonl", "events/dependency.jsonl"):
        for line, rule in jsonl_rows(name, data_dir):
            _check(rule.get("type"), f"{data_name(name)}:{line}", events, "event type")
    for path in sorted((data_dir / "gazetteer").glob("*.jsonl")):
        name = f"gazetteer/{path.name}"
        for line, row in jsonl_rows(name, data_dir):
            if "id" in row:
                _check(row["id"], f"{data_name(name)}:{line}", known)
    _check_json_classes("org_kinds.json", (k for k in json_data("org_kinds.json", data_dir) if not k.startswith("_")),
                        data_dir, known)
    _check_json_classes("arguments.json", json_data("arguments.json", data_dir)["kinds"], data_dir, known)
    names = json_data("names.json", data_dir)
    _check_json_classes("names.json", [*names["label_kinds"].values(), *names["place_rank"]], data_dir, known)
    verb_events = json_data("lexicon.json", data_dir)["measures"]["verb_events"].values()
    _check_json_classes("lexicon.json", verb_events, data_dir, events, "event type")
    types = json_data("wikidata_types.json", data_dir)
    _check_json_classes("wikidata_types.json", [*types["kinds"], *(k for ks in types["categories"].values() for k in ks)],
                        data_dir, known)
    for category, kinds in types["categories"].items():
        for kind in kinds:
            if category_of(kind) != category:
                raise DataError(f"{data_place('wikidata_types.json', json.dumps(kind), data_dir)}: {kind!r} is listed "
                                f"under {category!r}, but the ontology makes it {category_of(kind)!r}: fix the category")
