"""OWL 2 RL reasoning over build outputs: the inferred triples only.

The closure of (data union + ontology) is computed by reasonable, a Rust OWL 2
RL reasoner (``reasonable`` on PyPI): on the 300 Lee articles it takes about
2 s where owlrl took 100 s, and on the seed and the hand-made builds it infers
exactly what owlrl infers about the data (``tests/query/test_reason.py`` checks it).
The whole union is closed at once, so inferences that join articles (a
transitive ``kgo:locatedIn`` chain, an ``owl:sameAs`` merge) are all made.

The closure is then checked for inconsistency: members of ``owl:Nothing`` and
nodes of two disjoint classes. Each clash is explained by the asserted triples
it comes from (a node's ``rdf:type`` assertions, else the properties whose
domain or range types it) and the article graphs (or files) holding them, and
is a ReasoningError. With ``keep_going`` the article graphs holding the
minority side of each clash (both sides on a tie; in a triple file, the
triples themselves) are left out, the rest is closed again, its inferences
are written, and the ReasoningError says what was left out.

What is written (design): only the triples the reasoner added, that is the
closure minus the asserted data minus the ontology, and minus what no reader
wants: triples about literals, reflexive tautologies (``x owl:sameAs x``,
``C rdfs:subClassOf C``, ...), "everything is an ``owl:Thing``", and facts
about the RDF/RDFS/OWL/XSD vocabularies themselves. The output format follows
the file name: ``.ttl`` (the default, ``inferred.ttl`` next to the build) is
plain Turtle, which ``kg query --data OUT OUT/inferred.ttl`` loads into a graph
of its own; ``.trig`` puts the same triples in the named graph
``<base>graph/inferred`` (the base of the build, found from its build graph),
so they never mix with an article's graph.

owl:sameAs links to Wikidata items are taken at their word: the reasoner
copies every property of an entity to its Wikidata item and back, and that
is in the output too.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from kg.errors import InputError, OutputError, ReasoningError
from kg.paths import ONTOLOGY_FILE
from kg.query.sparql import data_files, load_store
from kg.rdf.iri import mint
from kg.rdf.namespaces import DEFAULT_BASE, PREFIXES
from kg.rdf.serialize import atomic_write, prefixed, to_ox

__all__ = ["reason", "closure", "clashes", "Clash", "inferred_triples", "default_output", "INFERRED_GRAPH"]

INFERRED_GRAPH = "inferred"
DEFAULT_NAME = "inferred.ttl"
_TAUTOLOGIES = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
_BUILTIN = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_SHOWN = 3
_MAX_ROUNDS = 20

Triple = tuple[Node, Node, Node]


# --- the closure ------------------------------------------------------------------------


def closure(triples: Iterable[ox.Triple]) -> tuple[set[Triple], set[Triple]]:
    """(closure, asserted) of the triples and the ontology, as rdflib terms."""
    import reasonable

    with tempfile.TemporaryDirectory(prefix="kg-reason-") as folder:
        data = Path(folder) / "data.ttl"  # N-Triples is Turtle; reasonable reads .ttl and .n3 only
        with data.open("wb") as handle:
            ox.serialize(triples, handle, ox.RdfFormat.N_TRIPLES)
        reasoner = reasonable.PyReasoner()
        reasoner.load_file(str(data))
        reasoner.load_file(str(ONTOLOGY_FILE))
        full = set(reasoner.reason())
        return full, set(reasoner.get_base_triples())


def _wanted(triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal):
        return False
    if (s == o and p in _TAUTOLOGIES) or (o == OWL.Thing and p in (RDF.type, RDFS.subClassOf)):
        return False
    return not str(s).startswith(_BUILTIN)


def inferred_triples(full: set[Triple], asserted: set[Triple]) -> list[Triple]:
    """What the reasoner added: closure minus the asserted triples (and minus noise, see module doc)."""
    return sorted(t for t in full - asserted if _wanted(t))


# --- inconsistencies ----------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """An asserted triple behind a clash, and where it is: an article graph or a file."""

    triple: tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.Term]
    graph: ox.NamedNode | ox.DefaultGraph
    side: int = 0  # which of the clash's classes it gives the node

    @property
    def in_article(self) -> bool:
        return isinstance(self.graph, ox.NamedNode) and not self.graph.value.startswith("file:")

    @property
    def unit(self) -> ox.NamedNode | ox.Triple:
        """What --keep-going leaves out for it: its article graph, else (in a triple file) the triple."""
        return self.graph if self.in_article else ox.Triple(*self.triple)


@dataclass(frozen=True)
class Clash:
    """A node of two disjoint classes (or of owl:Nothing), and the triples that say so."""

    node: Node
    classes: tuple[Node, ...]
    sources: tuple[Source, ...]

    def phrase(self) -> str:
        """"<node> is both A and B (disjoint): rdf:type A (article x, article y); <s> kgo:place it (article z)"."""
        what = (" and ".join(sorted(_short(c) for c in self.classes)) + " (disjoint)"
                if len(self.classes) > 1 else "a member of owl:Nothing")
        where: dict[str, list[str]] = {}
        subject = to_ox(self.node)
        for source in self.sources:
            s, p, o = source.triple
            said = f"{_short(p)} {_short(o)}" if s == subject else f"{_short(s)} {_short(p)} it"
            where.setdefault(said, []).append(_where(source.graph))
        because = "; ".join(f"{said} ({_places(places)})" for said, places in where.items())
        both = "both " if len(self.classes) > 1 else ""
        return f"{_short(self.node)} is {both}{what}: {because or 'no asserted triple found'}"


def _short(node: Node | ox.Term) -> str:
    text = node.value if isinstance(node, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(node)
    if isinstance(node, (Literal, ox.Literal)):
        return f'"{text}"'
    return prefixed(text) or f"<{text}>"


def _where(graph: ox.NamedNode | ox.DefaultGraph) -> str:
    name = getattr(graph, "value", "")
    marker = str(mint("", "graph", "x"))[:-1]  # "graph/"
    if marker in name:
        return "article " + name.rsplit(marker, 1)[1]
    return Path(name.removeprefix("file://")).name if name.startswith("file:") else "default graph"


def _places(places: Iterable[str]) -> str:
    """"articles a, b; graph.ttl": where sources are, articles together."""
    names = sorted(set(places))
    articles = [n.removeprefix("article ") for n in names if n.startswith("article ")]
    others = [n for n in names if not n.startswith("article ")]
    head = [f"article{'s' if len(articles) > 1 else ''} {', '.join(articles)}"] if articles else []
    return "; ".join(head + others)


def _types(full: set[Triple]) -> dict[Node, set[Node]]:
    types: dict[Node, set[Node]] = defaultdict(set)
    for s, p, o in full:
        if p == RDF.type:
            types[s].add(o)
    return types


def _disjoint_pairs(full: set[Triple]) -> set[frozenset[Node]]:
    return {frozenset((s, o)) for s, p, o in full if p == OWL.disjointWith and s != o}


def clashes(full: set[Triple], store: ox.Store) -> list[Clash]:
    """Every inconsistency of a closure, with the asserted triples (in ``store``) behind it."""
    types = _types(full)
    found: list[Clash] = []
    for node in sorted(n for n, classes in types.items() if OWL.Nothing in classes):
        found.append(Clash(node, (OWL.Nothing,), _sources(node, (OWL.Nothing,), full, store)))
    for pair in sorted(_disjoint_pairs(full), key=sorted):
        first, second = sorted(pair)
        for node in sorted(n for n, classes in types.items() if first in classes and second in classes):
            found.append(Clash(node, (first, second), _sources(node, (first, second), full, store)))
    return found


def _sources(node: Node, classes: tuple[Node, ...], full: set[Triple], store: ox.Store) -> tuple[Source, ...]:
    """The asserted triples that give ``node`` one of ``classes``: its rdf:type assertions of
    the class or a subclass, else the triples whose property's domain or range is one."""
    below = {c: {s for s, p, o in full if p == RDFS.subClassOf and o == c} | {c} for c in classes}
    subject = to_ox(node)
    found: list[Source] = []
    for side, cls in enumerate(classes):
        typed = [Source((q.subject, q.predicate, q.object), q.graph_name, side)
                 for q in store.quads_for_pattern(subject, to_ox(RDF.type), None, None)
                 if URIRef(q.object.value) in below[cls]]
        found += typed or _by_domain_or_range(subject, below[cls], full, store, side)
    return tuple(dict.fromkeys(found))


def _by_domain_or_range(subject: ox.Term, classes: set[Node], full: set[Triple], store: ox.Store,
                        side: int) -> list[Source]:
    domains = {str(s) for s, p, o in full if p == RDFS.domain and o in classes}
    ranges = {str(s) for s, p, o in full if p == RDFS.range and o in classes}
    found = [Source((q.subject, q.predicate, q.object), q.graph_name, side)
             for q in store.quads_for_pattern(subject, None, None, None) if q.predicate.value in domains]
    if isinstance(subject, (ox.NamedNode, ox.BlankNode)):
        found += [Source((q.subject, q.predicate, q.object), q.graph_name, side)
                  for q in store.quads_for_pattern(None, None, subject, None) if q.predicate.value in ranges]
    return found


# --- reading and writing ------------------------------------------------------------------


def _union(store: ox.Store, left_out: set[ox.NamedNode], dropped: set[ox.Triple]) -> set[ox.Triple]:
    """Every triple of the store's graphs but the left-out ones (and but the dropped triples)."""
    triples = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.graph_name in left_out:
            continue
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        if triple not in dropped:
            triples.add(triple)
    return triples


def default_output(paths: Sequence[str | Path]) -> Path:
    """OUT/inferred.ttl next to the first input (in it, for a build folder)."""
    first = Path(paths[0])
    return (first if first.is_dir() else first.parent) / DEFAULT_NAME


def _base(store: ox.Store) -> str:
    """The build's base IRI, from its build graph ``<base>graph/build``; else the default base."""
    marker = str(mint("", "graph", "build"))
    for graph in store.named_graphs():
        name = getattr(graph, "value", "")
        if name.endswith(marker) and len(name) > len(marker):
            return name[: -len(marker)]
    return DEFAULT_BASE


def _serialize(triples: list[Triple], output: Path, store: ox.Store) -> bytes:
    terms = [tuple(to_ox(t) for t in triple) for triple in triples]
    if output.suffix.lower() == ".trig":
        graph = ox.NamedNode(str(mint(_base(store), "graph", INFERRED_GRAPH)))
        return ox.serialize([ox.Quad(s, p, o, graph) for s, p, o in terms], format=ox.RdfFormat.TRIG,
                            prefixes=PREFIXES)
    return ox.serialize([ox.Triple(s, p, o) for s, p, o in terms], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def _check_output(output: Path, paths: Sequence[str | Path]) -> None:
    if output.suffix.lower() not in (".ttl", ".trig"):
        raise InputError(f"invalid output '{output}': give a .ttl or .trig file with -o")
    inputs = {p.resolve() for p in data_files(paths)}
    if output.resolve() in inputs:
        raise InputError(f"output '{output}' is one of the inputs: give another file with -o")
    if output.is_dir():
        raise OutputError(f"output '{output}' is a folder: give a .ttl or .trig file with -o")


def _message(found: list[Clash]) -> str:
    more = f" (and {len(found) - _SHOWN} more)" if len(found) > _SHOWN else ""
    return f"inconsistent data: {' | '.join(c.phrase() for c in found[:_SHOWN])}{more}"


def _fewest(clash: Clash, gone: set) -> list[Source]:
    """The sources of the clash's side that the fewest articles (or triples) hold: the
    minority reading goes, the majority stays (on a tie, both go)."""
    sides: dict[int, list[Source]] = defaultdict(list)
    for source in clash.sources:
        if source.unit not in gone:
            sides[source.side].append(source)
    size = {side: len({s.unit for s in found}) for side, found in sides.items()}
    least = min(size.values(), default=0)
    return [s for side, found in sides.items() if size[side] == least for s in found]


def _consistent_rest(store: ox.Store) -> tuple[set[Triple], set[Triple], list[Clash], set[ox.NamedNode]]:
    """Close, leaving out what clashes, until nothing does: (closure, asserted, first clashes, left out)."""
    left_out: set[ox.NamedNode] = set()
    dropped: set[ox.Triple] = set()
    first: list[Clash] = []
    for _ in range(_MAX_ROUNDS):
        full, asserted = closure(_union(store, left_out, dropped))
        found = clashes(full, store)
        if not found:
            return full, asserted, first, left_out
        first = first or found
        before = (len(left_out), len(dropped))
        for source in (s for c in found for s in _fewest(c, left_out | dropped)):
            (left_out if source.in_article else dropped).add(source.unit)
        if (len(left_out), len(dropped)) == before:
            break
    raise ReasoningError(_message(first) + ": no consistent rest found (clashes without asserted triples)")


def reason(paths: Sequence[str | Path], output: Path | None = None, *, keep_going: bool = False) -> tuple[int, Path]:
    """Infer with OWL 2 RL and write only the inferred triples; returns (count, file written).

    Inconsistent data is a ReasoningError naming the clashing triples and their
    articles; with ``keep_going`` the consistent rest is written first.
    """
    if not paths:
        raise InputError("no input: give a build folder or RDF files")
    target = Path(output) if output is not None else default_output(paths)
    _check_output(target, paths)
    store = load_store(paths, ontology=False)
    if keep_going:
        full, asserted, found, left_out = _consistent_rest(store)
    else:
        full, asserted = closure(_union(store, set(), set()))
        found, left_out = clashes(full, store), set()
        if found:
            raise ReasoningError(f"{_message(found)}: fix these nodes' types in the build, "
                                 "or write the consistent rest with kg reason --keep-going")
    triples = inferred_triples(full, asserted)
    try:
        with atomic_write(target) as handle:
            handle.write(_serialize(triples, target, store))
    except OSError as exc:
        raise OutputError(f"cannot write '{target}': {exc.strerror or exc}") from exc
    if found:
        places = _places(_where(g) for g in left_out) or "the clashing triples"
        raise ReasoningError(f"{_message(found)}: left out {places}; {len(triples)} inferred triples of the "
                             f"consistent rest -> {target}")
    return len(triples), target
