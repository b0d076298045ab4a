"""SHACL validation of build outputs with pySHACL, as the ontology's author runs it.

What is validated is what a user gets: the merged graph, the union of every
triple of the inputs (a build folder is read from its graph.trig, else
graph.ttl, ...: see ``kg.query.sparql.data_files``), and each article's named graph
on its own; one verdict for all.
The ontology goes in as ``ont_graph`` (mixed into a copy of the data, so
sh:targetClass and sh:class follow rdfs:subClassOf), with no inference:
OWL RL inference would smush owl:sameAs with Wikidata items, and RDFS
inference would make sh:class checks on ranged properties vacuous.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.errors import InputError
from kg.paths import ONTOLOGY_FILE, SHAPES_FILE
from kg.query.sparql import data_files
from kg.rdf.formats import Format, by_name, of_file
from kg.rdf.namespaces import PREFIXES
from kg.rdf.serialize import prefixed

__all__ = ["validate", "format_report", "read_union"]


def _parse_error(exc: BaseException) -> str:
    """The gist of a parser's message, on one line ("at line 3: Bad syntax (...)")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    first = lines[0].replace(" of <>", "")
    if first.endswith(":") and len(lines) > 1:
        first = f"{first[:-1]}: {lines[1]}"
    return first.split(" at ^ in:")[0]


def _format(path: Path) -> Format:
    """The file's format by its suffix; Turtle for any other (a shapes file)."""
    return of_file(path) or by_name("ttl")


def _read_file(path: Path, into: Graph) -> None:
    fmt = _format(path)
    try:
        if fmt.quads:
            dataset = Dataset()
            dataset.parse(path, format=fmt.rdflib)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                into.add((s, p, o))
        else:
            into.parse(path, format=fmt.rdflib)
    except Exception as exc:  # rdflib's parsers raise many kinds of error: all mean "unreadable"
        raise InputError(f"cannot read '{path}': {_parse_error(exc)}") from exc


def read_union(paths: Sequence[str | Path]) -> Graph:
    """Every triple of the build outputs at ``paths``, in one rdflib Graph."""
    union = Graph()
    for prefix, iri in PREFIXES.items():
        union.bind(prefix, iri)
    for path in data_files(paths):
        _read_file(path, union)
    return union


def _read_shapes(shapes: str | Path) -> Graph:
    path = Path(shapes)
    if not path.is_file():
        raise InputError(f"shapes file '{path}' does not exist: give a Turtle SHACL file with --shapes")
    graph = Graph()
    _read_file(path, graph)
    return graph


def read_graphs(paths: Sequence[str | Path]) -> tuple[Graph, list[Graph]]:
    """The build outputs as a user gets them: (the merged graph, every triple of every
    input; each article's named graph of the quad files). Each file is parsed once."""
    merged, articles = Graph(), []
    for prefix, iri in PREFIXES.items():
        merged.bind(prefix, iri)
    for path in data_files(paths):
        fmt = _format(path)
        if not fmt.quads:
            _read_file(path, merged)
            continue
        dataset = Dataset()
        try:
            dataset.parse(path, format=fmt.rdflib)
        except Exception as exc:  # rdflib's parsers raise many kinds of error: all mean "unreadable"
            raise InputError(f"cannot read '{path}': {_parse_error(exc)}") from exc
        for named in dataset.graphs():
            if len(named):
                articles.append(_copy(named))
                merged += articles[-1]
    return merged, articles if len(articles) > 1 else []


def _copy(named: Graph) -> Graph:
    graph = Graph()
    for triple in named:
        graph.add(triple)
    return graph


def validate(paths: Sequence[str | Path], shapes: str | Path = SHAPES_FILE) -> tuple[bool, Graph, str]:
    """Validate what a user gets: the merged graph of all inputs (with the ontology), and
    each article's named graph on its own. One verdict (conforms, report graph, report
    text) for all of them, so a build folder, its graph.trig and its graph.ttl agree
    (an article graph's own results are those of the merged graph but for a graph that
    leans on another article's triples)."""
    shapes_graph = _read_shapes(shapes)
    ontology = Graph().parse(ONTOLOGY_FILE)
    merged, articles = read_graphs(paths)
    conforms, reports, texts = True, Graph(), []
    for data_graph in (merged, *articles):
        ok, report_graph, report_text = pyshacl.validate(
            data_graph, shacl_graph=shapes_graph, ont_graph=ontology, inference="none", allow_warnings=False,
        )
        if not ok:
            conforms = False
            texts.append(str(report_text))
        for triple in report_graph:
            reports.add(triple)
    return conforms, reports, "\n".join(texts) or "Validation Report\nConforms: True\n"


def _short(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return prefixed(str(node)) or f"<{node}>"
    if isinstance(node, BNode):
        return "[...]" if (node, None, None) in graph else f"_:{node}"  # a path such as a sequence
    return str(node)


def _result_line(report: Graph, result: Node) -> str:
    focus = report.value(result, SH.focusNode)
    message = report.value(result, SH.resultMessage)
    if message is None:
        component = report.value(result, SH.sourceConstraintComponent)
        message = _short(report, component) if component is not None else "constraint violated"
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    fields = [_short(report, focus), str(message)]
    fields += [_short(report, path)] if path is not None else []
    fields += [_short(report, value)] if value is not None and value != focus else []
    return " — ".join(fields)


def format_report(report_graph: Graph) -> str:
    """One line per result: "focus node — message — path — value" (sorted)."""
    results = report_graph.subjects(RDF.type, SH.ValidationResult)
    return "\n".join(sorted({_result_line(report_graph, r) for r in results}))
