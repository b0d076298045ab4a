"""SPARQL over build outputs with pyoxigraph; results as table, CSV or JSON.

Data files load into named graphs (quad formats keep theirs; a triple file
goes into a graph named after the file), and the ontology into its own named
graph, so the contract queries, which match ``GRAPH ?g``, run the same here
and on any store loaded with ``kg load``.
"""

from __future__ import annotations

import gc
import io
import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.errors import InputError, QueryError, first_line
from kg.paths import ONTOLOGY_FILE, QUERIES_DIR
from kg.query.sparqlscan import has_dataset, uses_service
from kg.rdf.formats import SUFFIXES, build_files, of_file
from kg.rdf.namespaces import DEFAULT_BASE, ONTOLOGY_IRI, PREFIXES
from kg.rdf.serialize import prefixed, prefixes_for

__all__ = [
    "ResultTable",
    "solutions_table",
    "load_store",
    "data_files",
    "read_query",
    "run_query",
    "run_sparql",
    "query_form",
    "contract_queries",
    "contract_query",
    "GraphResult",
    "QueryResult",
    "QUERY_PREFIXES",
    "display",
    "check_service",
    "with_deadline",
    "to_csv",
    "to_json",
]

#: A bare word names a contract query (no SPARQL query is one word).
_QUERY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\.rq)?")



@dataclass(frozen=True)
class ResultTable:
    """SELECT results as plain values: variables, and rows of terms (None if unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[ox.NamedNode | ox.Literal | ox.BlankNode | None, ...], ...]


def data_files(paths: Sequence[str | Path]) -> list[Path]:
    """The RDF files behind each PATH: a build folder gives its best file."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = next((path / n for n in build_files() if (path / n).is_file()), None)
            if found is None:
                raise InputError(f"no graph file in '{path}': give a build output folder (kg build -o) or RDF files")
            files.append(found)
        elif path.is_file():
            if of_file(path) is None:
                raise InputError(f"unknown RDF file type '{path}': use {', '.join(SUFFIXES)}")
            files.append(path)
        else:
            raise InputError(f"data path '{path}' does not exist: give a build folder or RDF files")
    return files


def _load_file(store: ox.Store, path: Path) -> None:
    fmt = of_file(path).oxigraph
    graph = None if fmt.supports_datasets else ox.NamedNode(path.resolve().as_uri())
    try:
        store.bulk_load(path=str(path), format=fmt, to_graph=graph) if graph else store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"cannot read '{path}': {first_line(exc)}") from exc


def load_store(paths: Sequence[str | Path], *, ontology: bool = True, store: ox.Store | None = None) -> ox.Store:
    """An in-memory store (or the given one) with the data and the ontology."""
    store = store if store is not None else ox.Store()
    for path in data_files(paths):
        _load_file(store, path)
    if ontology:
        store.bulk_load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_IRI)))
    return store


def contract_queries() -> list[Path]:
    """The contract queries (``queries/*.rq``, the competency questions), by name."""
    return sorted(QUERIES_DIR.glob("*.rq"))


def contract_query(name: str) -> Path:
    """The contract query ``name`` (``figures`` or ``figures.rq``)."""
    path = QUERIES_DIR / f"{name.removesuffix('.rq')}.rq"
    if not path.is_file():
        names = ", ".join(p.stem for p in contract_queries())
        raise InputError(f"unknown query '{name}': give a .rq file, a SPARQL string or a contract query ({names})")
    return path


def read_query(query: str) -> str:
    """A query from a .rq file (as given, or by name from queries/, with or without .rq), or a query string."""
    text = query.strip()
    if _QUERY_NAME.fullmatch(text):  # a contract query by name: kg query figures
        return contract_query(text).read_text(encoding="utf-8")
    if text.endswith(".rq") and "\n" not in text:
        for path in (Path(text), QUERIES_DIR / text, QUERIES_DIR / Path(text).name):
            if path.is_file():
                return path.read_text(encoding="utf-8")
        raise InputError(f"query file '{query}' does not exist: give a .rq file or a SPARQL string")
    if not text:
        raise QueryError("empty query: give a .rq file or a SPARQL string")
    return text


#: A solution's terms in the order of its variables (iterating one is several times faster
#: than looking each variable up).
_terms: Callable[[ox.QuerySolution], tuple] = tuple


def check_service(query: str, allow_service: bool) -> None:
    """QueryError for a federated query (SERVICE) unless allowed: it makes this host send requests."""
    if not allow_service and uses_service(query):
        raise QueryError("the query uses SERVICE, which makes this host send requests to other endpoints: "
                         "remove it, or give --allow-service to allow federated queries")


def _execute(store: ox.Store, query: str, union: bool, bindings: dict[str, ox.NamedNode | ox.Literal] | None,
             prefixes: dict[str, str]) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """pyoxigraph's query; a syntax error is a one-line QueryError. The default graph
    is the union of the graphs unless the query has its own dataset (FROM / FROM NAMED)."""
    substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()} or None
    union = union and not has_dataset(query)
    try:
        return store.query(query, prefixes=prefixes, use_default_graph_as_union=union, substitutions=substitutions)
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {first_line(exc)}") from exc


def _read(results: Iterable, convert: Callable[[Any], Any]) -> tuple:
    """Every result read now: a SERVICE endpoint's bad answer or an unreadable store is a QueryError.

    The cyclic garbage collector is paused meanwhile: the rows are new tuples of terms, none in a
    cycle, and on a large answer its passes over them cost a tenth of the reading."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return tuple(map(convert, results))
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {first_line(exc)}") from exc
    finally:
        if paused:
            gc.enable()


def run_query(store: ox.Store, query: str, *, union: bool = True,
              bindings: dict[str, ox.NamedNode | ox.Literal] | None = None,
              prefixes: dict[str, str] = PREFIXES, allow_service: bool = False,
              timeout: float | None = None) -> ResultTable:
    """Run a SELECT query; ``bindings`` substitute variables (never string formatting).

    SERVICE is refused unless ``allow_service``. With ``timeout`` (seconds), a
    QueryError ends a query that runs longer (it runs on in a daemon thread until
    the process exits).
    """
    check_service(query, allow_service)
    return with_deadline(lambda: _table(store, query, union, bindings, prefixes), timeout)


def _table(store: ox.Store, query: str, union: bool, bindings: dict[str, ox.NamedNode | ox.Literal] | None,
           prefixes: dict[str, str]) -> ResultTable:
    return solutions_table(_execute(store, query, union, bindings, prefixes))


def solutions_table(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ResultTable:
    """pyoxigraph's solutions (of a query, or parsed from an endpoint's answer) as a table, every row read."""
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT queries give result tables: use SELECT")
    variables = tuple(v.value for v in result.variables)
    return ResultTable(variables, _read(result, _terms))


T = TypeVar("T")


def _detached(exc: BaseException) -> BaseException:
    link: BaseException | None = exc
    while link is not None:
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return exc


def with_deadline(work: Callable[[], T], timeout: float | None) -> T:
    """``work()``, or a QueryError after ``timeout`` seconds (pyoxigraph releases the GIL while it evaluates)."""
    if timeout is None:
        return work()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # re-raised in the caller's thread, without the frames
            box["error"] = _detached(exc)  # that hold pyoxigraph objects bound to this thread

    worker = threading.Thread(target=run, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"the query did not finish within {timeout:g} s: simplify it or raise --timeout")
    if "error" in box:
        raise box["error"]
    return box["value"]


def plain(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    """A term as a plain string: IRIs in full, literals by value, unbound as ''."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def to_csv(table: ResultTable, delimiter: str = ",") -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow([plain(t) for t in row])
    return out.getvalue()


def _json_term(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(table: ResultTable) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {var: _json_term(term) for var, term in zip(table.variables, row) if term is not None}
        for row in table.rows
    ]
    return json.dumps({"head": {"vars": list(table.variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1)


#: The prefixes every query may use undeclared, and that tables print: kg's vocabularies
#: and its instances under the default base (entity:, article:, kggraph:), as in its files.
QUERY_PREFIXES = prefixes_for(DEFAULT_BASE)


def shorten(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    """A term for people: IRIs prefixed where a known prefix fits."""
    if isinstance(term, ox.NamedNode):
        short = prefixed(term.value, QUERY_PREFIXES)
        if short is not None:
            return short
    return plain(term)


_LOCAL_NAME = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def display(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    """A term for a table that ``kg query`` takes back: a prefixed name (``entity:q114``)
    where one of ``QUERY_PREFIXES`` fits and the rest is a plain local name, else
    ``<full IRI>``; literals by value, unbound as ''."""
    if not isinstance(term, ox.NamedNode):
        return plain(term)
    short = shorten(term)
    local = short.partition(":")[2]
    return short if short != term.value and _LOCAL_NAME.fullmatch(local) else f"<{term.value}>"


# --------------------------------------------------------------------------- every query form


@dataclass(frozen=True)
class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE query."""

    triples: tuple[ox.Triple, ...]

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> GraphResult:
        """A graph is a set: each triple once (a union of named graphs may repeat one), in order."""
        return cls(tuple(dict.fromkeys(triples)))

    def serialize(self, fmt: str = "ttl") -> bytes:
        """As Turtle (``ttl``, with kg's prefixes) or N-Triples (``nt``)."""
        if fmt == "nt":
            return ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=QUERY_PREFIXES) or b""


QueryResult = ResultTable | bool | GraphResult
_PROLOGUE = re.compile(r"\s+|#[^\n]*|(?i:PREFIX)\s+[^\s:]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue ('' if none)."""
    position = 0
    while (match := _PROLOGUE.match(query, position)) and match.end() > position:
        position = match.end()
    word = re.match(r"[A-Za-z]+", query[position:])
    form = word.group(0).upper() if word else ""
    return form if form in _FORMS else ""


def run_sparql(store: ox.Store, query: str, *, union: bool = True,
               bindings: dict[str, ox.NamedNode | ox.Literal] | None = None,
               allow_service: bool = False, timeout: float | None = None) -> QueryResult:
    """Run a query of any form: SELECT gives a ResultTable, ASK a bool, CONSTRUCT and
    DESCRIBE a GraphResult. kg's ``QUERY_PREFIXES`` may be used undeclared; SERVICE
    and ``timeout`` as in ``run_query``."""
    if query_form(query) == "SELECT":
        return run_query(store, query, union=union, bindings=bindings, prefixes=QUERY_PREFIXES,
                         allow_service=allow_service, timeout=timeout)
    check_service(query, allow_service)
    return with_deadline(lambda: _other_form(store, query, union, bindings), timeout)


def _other_form(store: ox.Store, query: str, union: bool,
                bindings: dict[str, ox.NamedNode | ox.Literal] | None) -> bool | GraphResult:
    result = _execute(store, query, union, bindings, QUERY_PREFIXES)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return GraphResult(tuple(dict.fromkeys(_read(result, lambda t: t))))
    raise QueryError("this is not a query (SELECT, ASK, CONSTRUCT, DESCRIBE): updates are not run here")
