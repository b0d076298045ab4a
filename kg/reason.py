"""OWL 2 RL reasoning over build outputs with owlrl: the inferred triples only.

The closure of (data union + ontology) is computed with owlrl's OWL 2 RL
rules (no axiomatic or datatype axiom triples), then checked for
inconsistency: members of owl:Nothing, individuals of two disjoint classes,
and owlrl's own error markers (``err:error`` messages, err being
``http://www.daml.org/2002/03/agents/agent-ont#``). An inconsistency is a
ReasoningError naming the violating nodes.

What is written (design): only the triples the reasoner added, that is the
closure minus the asserted data minus the ontology, and minus what no reader
wants: triples about literals (illegal as subjects in Turtle), reflexive
tautologies (``x owl:sameAs x``, ``C rdfs:subClassOf C``, ...) and facts about
the RDF/RDFS/OWL/XSD vocabularies themselves. The output format follows the
file name: ``.ttl`` (the default, ``inferred.ttl`` next to the build) is plain
Turtle, which ``kg query --data OUT OUT/inferred.ttl`` loads into a graph of
its own; ``.trig`` puts the same triples in the named graph
``<base>graph/inferred`` (the base of the build, found from its build graph),
so they never mix with an article's graph.

owl:sameAs links to Wikidata items are taken at their word: the reasoner
copies every property of an entity to its Wikidata item and back, and that
is in the output too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import owlrl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from kg.errors import InputError, OutputError, ReasoningError
from kg.iri import mint
from kg.namespaces import DEFAULT_BASE, PREFIXES
from kg.paths import ONTOLOGY_FILE
from kg.query import data_files
from kg.serialize import atomic_write
from kg.store import graphs_in_files
from kg.validate import read_union

__all__ = ["reason", "closure", "inconsistencies", "inferred_triples", "default_output", "INFERRED_GRAPH"]

INFERRED_GRAPH = "inferred"
DEFAULT_NAME = "inferred.ttl"
ERRNS = owlrl.Namespaces.ERRNS
_TAUTOLOGIES = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
_BUILTIN = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_SHOWN = 3

Triple = tuple[Node, Node, Node]


def closure(data: Graph, ontology: Graph) -> Graph:
    """The OWL 2 RL closure of data + ontology (SimpleMemory: owlrl runs faster without contexts)."""
    graph = Graph(store="SimpleMemory")
    for triple in data:
        graph.add(triple)
    for triple in ontology:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    return graph


def _short(node: Node) -> str:
    text = str(node)
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri) and len(text) > len(iri):
            return f"{prefix}:{text[len(iri):]}"
    return f"<{text}>" if isinstance(node, URIRef) else text


def _disjoint_violations(graph: Graph) -> list[str]:
    found: dict[tuple[Node, frozenset[Node]], str] = {}
    for c1, c2 in graph.subject_objects(OWL.disjointWith):
        for node in graph.subjects(RDF.type, c1):
            if (node, RDF.type, c2) in graph:
                key = (node, frozenset((c1, c2)))
                first, second = sorted((_short(c1), _short(c2)))
                found.setdefault(key, f"{_short(node)} is both {first} and {second} (disjoint)")
    return sorted(found.values())


def inconsistencies(graph: Graph) -> list[str]:
    """Every inconsistency in a closure, one readable phrase each (empty if consistent)."""
    problems = [f"{_short(n)} is a member of owl:Nothing" for n in sorted(set(graph.subjects(RDF.type, OWL.Nothing)))]
    problems += _disjoint_violations(graph)
    if not problems:  # owlrl's own markers (datatype clashes, ...) only when nothing clearer was found
        problems += sorted({" ".join(str(m).split()) for m in graph.objects(None, ERRNS.error)})
    return problems


def _wanted(triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal) or p == ERRNS.error or (p == RDF.type and o == ERRNS.ErrorMessage):
        return False
    if s == o and p in _TAUTOLOGIES:
        return False
    return not str(s).startswith(_BUILTIN)


def inferred_triples(full: Graph, data: Graph, ontology: Graph) -> list[Triple]:
    """What the reasoner added: closure minus data minus ontology (and minus noise, see module doc)."""
    return sorted(t for t in full if t not in data and t not in ontology and _wanted(t))


def default_output(paths: Sequence[str | Path]) -> Path:
    """OUT/inferred.ttl next to the first input (in it, for a build folder)."""
    first = Path(paths[0])
    return (first if first.is_dir() else first.parent) / DEFAULT_NAME


def _base(paths: Sequence[str | Path]) -> str:
    """The build's base IRI, from its build graph ``<base>graph/build``; else the default base."""
    marker = str(mint("", "graph", "build"))
    for graph in graphs_in_files(paths):
        name = getattr(graph, "value", "")
        if name.endswith(marker) and len(name) > len(marker):
            return name[: -len(marker)]
    return DEFAULT_BASE


def _bind(graph: Graph) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)


def _serialize(triples: Iterable[Triple], output: Path, paths: Sequence[str | Path]) -> bytes:
    if output.suffix.lower() == ".trig":
        dataset = Dataset()
        _bind(dataset)
        graph = dataset.graph(mint(_base(paths), "graph", INFERRED_GRAPH))
        for triple in triples:
            graph.add(triple)
        return dataset.serialize(format="trig", encoding="utf-8")
    graph = Graph()
    _bind(graph)
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="turtle", encoding="utf-8")


def _check_output(output: Path, paths: Sequence[str | Path]) -> None:
    if output.suffix.lower() not in (".ttl", ".trig"):
        raise InputError(f"invalid output '{output}': give a .ttl or .trig file with -o")
    inputs = {p.resolve() for p in data_files(paths)}
    if output.resolve() in inputs:
        raise InputError(f"output '{output}' is one of the inputs: give another file with -o")
    if output.is_dir():
        raise OutputError(f"output '{output}' is a folder: give a .ttl or .trig file with -o")


def reason(paths: Sequence[str | Path], output: Path | None = None) -> tuple[int, Path]:
    """Infer with OWL 2 RL and write only the inferred triples; returns (count, file written)."""
    if not paths:
        raise InputError("no input: give a build folder or RDF files")
    target = Path(output) if output is not None else default_output(paths)
    _check_output(target, paths)
    data = read_union(paths)
    ontology = Graph().parse(ONTOLOGY_FILE)
    full = closure(data, ontology)
    problems = inconsistencies(full)
    if problems:
        more = f" (and {len(problems) - _SHOWN} more)" if len(problems) > _SHOWN else ""
        raise ReasoningError(f"inconsistent data: {'; '.join(problems[:_SHOWN])}{more}: fix these nodes' types in the build")
    triples = inferred_triples(full, data, ontology)
    payload = _serialize(triples, target, paths)
    try:
        with atomic_write(target) as handle:
            handle.write(payload)
    except OSError as exc:
        raise OutputError(f"cannot write '{target}': {exc.strerror or exc}") from exc
    return len(triples), target
