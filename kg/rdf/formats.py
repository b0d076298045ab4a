"""Every RDF format kg writes or reads, in one table: its ``--format`` name, the file a
build writes it to, the file suffixes read as it, and its names in pyoxigraph and rdflib.

``kg build --format`` names (``ttl``, ``trig``, ...) and the build folder's files
(``graph.ttl``, ...) come from here, and so does the way every reader (``kg query``,
``kg validate``, ``kg store-load``, ...) opens a file: a build folder is read from the
first of its files in ``READ_ORDER`` (they hold the same graph).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

__all__ = ["Format", "ALL", "FORMATS", "READ_ORDER", "SUFFIXES", "by_name", "of_file", "build_files"]


@dataclass(frozen=True)
class Format:
    name: str  # the --format name
    file: str  # the file a build writes it to
    suffixes: tuple[str, ...]  # file suffixes read as this format (lower case)
    oxigraph: ox.RdfFormat
    rdflib: str  # rdflib's parser name

    @property
    def quads(self) -> bool:
        """Holds named graphs (a triple format's triples go into one graph)."""
        return self.oxigraph.supports_datasets


#: In the order ``--format`` lists them.
ALL: tuple[Format, ...] = (
    Format("ttl", "graph.ttl", (".ttl",), ox.RdfFormat.TURTLE, "turtle"),
    Format("trig", "graph.trig", (".trig",), ox.RdfFormat.TRIG, "trig"),
    Format("nq", "graph.nq", (".nq",), ox.RdfFormat.N_QUADS, "nquads"),
    Format("nt", "graph.nt", (".nt",), ox.RdfFormat.N_TRIPLES, "nt"),
    Format("jsonld", "graph.jsonld", (".jsonld",), ox.RdfFormat.JSON_LD, "json-ld"),
    Format("xml", "graph.rdf", (".rdf", ".owl"), ox.RdfFormat.RDF_XML, "xml"),
)
_BY_NAME = {f.name: f for f in ALL}
_BY_SUFFIX = {suffix: f for f in ALL for suffix in f.suffixes}

#: --format name -> the file a build writes it to.
FORMATS: Mapping[str, str] = MappingProxyType({f.name: f.file for f in ALL})
#: Every file suffix kg reads as RDF (in the order of ``ALL``).
SUFFIXES: tuple[str, ...] = tuple(_BY_SUFFIX)
#: In a build folder, the first of these formats present is read: quads first (they keep the article graphs).
READ_ORDER: tuple[str, ...] = ("trig", "nq", "jsonld", "ttl", "nt", "xml")


def by_name(name: str) -> Format:
    return _BY_NAME[name]


def of_file(path: str | Path) -> Format | None:
    """The format of an RDF file by its suffix (``.ttl``, ``.owl``, ...); None when kg reads no such file."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def build_files() -> tuple[str, ...]:
    """The file names of a build folder, in ``READ_ORDER``."""
    return tuple(_BY_NAME[name].file for name in READ_ORDER)
