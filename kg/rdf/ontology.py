"""The ontology's classes and their hierarchy, read once from ``ontology/event.ttl``.

What kg knows of a class (which category an entity kind falls in, which event
types are attacks, which classes a data file may name) comes from here, so the
ontology stays the one place that says it.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import pyoxigraph as ox

from kg.paths import ONTOLOGY_FILE
from kg.rdf.namespaces import KGO
from kg.records import CATEGORIES

__all__ = ["classes", "superclasses", "with_subclasses", "category_of"]

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
