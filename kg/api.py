"""The Python API: what the ``kg`` commands do, for notebooks and programs.

Everything here takes ``str`` and ``pathlib.Path`` alike, and a *source* of
data is any of: a :class:`KnowledgeGraph` (what :func:`build_graph` and
:func:`load_graph` return), a build folder, RDF files, an embedded store folder (``kg
store-load``), or a ``pyoxigraph.Store``.

>>> import kg
>>> graph = kg.build_graph("seeds/", published="2013-09-22")   # in memory
>>> rows = graph.query("figures")                               # a contract query by name
>>> kg.build_graph("seeds/", "out", published="2013-09-22")     # or into a folder, as `kg build`
>>> kg.sparql("out", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

(The names are not ``kg.build`` or ``kg.query``: those are the library's build
module and query package.)

Rows are dicts of plain Python values (``str`` for IRIs and strings, ``int``,
``float``, ``Decimal``, ``bool``, ``datetime.date``/``datetime``; ``None``
when unbound), ready for ``pandas.DataFrame(rows)``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import pyoxigraph as ox

from kg.errors import InputError
from kg.rdf.namespaces import ONTOLOGY_IRI
from kg.records import Article, ArticleRecords

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.build import BuildSummary
    from kg.query.sparql import ResultTable

__all__ = [
    "KnowledgeGraph", "Validation", "Source", "Row",
    "article", "read_articles", "iter_records", "build_graph", "load_graph", "sparql", "answers",
    "validate_graph", "infer", "contract_queries", "python_value",
]

log = logging.getLogger(__name__)
PathLike = Union[str, "os.PathLike[str]"]
Row = dict[str, Any]
Inputs = Union[PathLike, Article, Iterable[Union[PathLike, Article]]]
_XSD = "http://www.w3.org/2001/XMLSchema#"


def python_value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Any:
    """A term as a plain Python value (IRIs as ``str``, typed literals as their type, unbound as None)."""
    if term is None:
        return None
    if not isinstance(term, ox.Literal):
        return ("_:" + term.value) if isinstance(term, ox.BlankNode) else term.value
    kind = term.datatype.value.removeprefix(_XSD)
    try:
        if kind in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if kind in ("double", "float"):
            return float(term.value)
        if kind == "decimal":
            return Decimal(term.value)
        if kind == "boolean":
            return term.value in ("true", "1")
        if kind == "date":
            return dt.date.fromisoformat(term.value)
        if kind == "dateTime":
            return dt.datetime.fromisoformat(term.value)
    except (ValueError, InvalidOperation):
        pass  # an ill-typed literal stays its text
    return term.value


def _rows(table: "ResultTable") -> list[Row]:
    return [dict(zip(table.variables, (python_value(t) for t in row))) for row in table.rows]


@dataclass(frozen=True)
class Validation:
    """A SHACL result: true when the data conform; ``text`` is pySHACL's report."""

    conforms: bool
    text: str
    report: "Graph" = field(repr=False)

    def __bool__(self) -> bool:
        return self.conforms


@dataclass(frozen=True)
class KnowledgeGraph:
    """A built graph: the articles' named graphs and the ontology in a pyoxigraph store.

    ``folder`` is the build folder when there is one; ``summary`` what the build counted.
    """

    store: ox.Store = field(repr=False)
    folder: Path | None = None
    summary: "BuildSummary | None" = None
    #: The build's N-Quads as written (an in-memory build): validation and reasoning read these,
    #: since the store keeps values, not their exact datatypes (nonNegativeInteger reads back as integer).
    nquads: bytes | None = field(default=None, repr=False)

    def __len__(self) -> int:
        """Quads of the data (the ontology's graph not counted)."""
        ontology = ox.NamedNode(str(ONTOLOGY_IRI))
        return len(self.store) - sum(1 for _ in self.store.quads_for_pattern(None, None, None, ontology))

    def query(self, query: str, **bindings: Any) -> list[Row] | bool | "Graph":
        """A contract query by name (``"figures"``), a ``.rq`` file or SPARQL text; see :func:`sparql`."""
        return _answer(self.store, query, bindings)

    def answers(self) -> dict[str, list[Row]]:
        """Every contract query's rows, by name."""
        return answers(self)

    def validate(self, shapes: PathLike | None = None) -> Validation:
        """SHACL validation: see :func:`validate_graph`."""
        return validate_graph(self, shapes)

    def reason(self, output: PathLike | None = None) -> "Graph":
        """The OWL 2 RL inferences: see :func:`infer`."""
        return infer(self, output)

    def rdflib(self) -> "Graph":
        """The data (without the ontology) as an rdflib ``Dataset``, one named graph per article."""
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(data=self.nquads or _data_nquads(self.store), format="nquads")
        return dataset


# --------------------------------------------------------------------------- articles and records


def article(text: str, *, id: str | None = None, published: str | dt.date | None = None,
            title: str | None = None, url: str | None = None) -> Article:
    """An article from its text (the id defaults to a hash of the text, as for files)."""
    from kg.ingest.articles import article_id

    if not isinstance(text, str) or not text.strip():
        raise InputError("an article needs a non-empty text")
    return Article(id or article_id(text), text, _date(published), title, url, source=f"article {id or ''}".strip())


def _date(value: str | dt.date | None) -> dt.date | dt.datetime | None:
    from kg.ingest.articles import parse_published

    return parse_published(value) if isinstance(value, str) else value


def _items(inputs: Inputs) -> list[str | Article]:
    """The inputs in order: paths as strings, Article objects as they are."""
    items = [inputs] if isinstance(inputs, (str, os.PathLike, Article)) else list(inputs)
    if not items:
        raise InputError("no input: give files, folders, JSONL corpora or kg.article(...) objects")
    odd = next((i for i in items if not isinstance(i, (str, os.PathLike, Article))), None)
    if odd is not None:
        raise InputError(f"cannot read {type(odd).__name__} {odd!r:.60}: give a path or kg.article(text)")
    return [i if isinstance(i, Article) else os.fspath(i) for i in items]


def read_articles(inputs: Inputs, *, published: str | dt.date | None = None) -> Iterator[Article]:
    """The articles of files, folders, JSONL corpora and kg.article(...) objects, in order
    (bad ones are logged and skipped). Every path is checked before the first article."""
    from kg.ingest.inputs import iter_articles

    date = _date(published)
    streams = [iter([i]) if isinstance(i, Article) else iter_articles([i], published=date) for i in _items(inputs)]
    return itertools.chain.from_iterable(streams)


def iter_records(inputs: Inputs, *, published: str | dt.date | None = None, model: str | None = None) -> Iterator[ArticleRecords]:
    """What kg extracts from each article (entities, events, figures, statements, claims), streaming."""
    from kg.run.article import records_of
    from kg.paths import DEFAULT_MODEL

    return records_of(read_articles(inputs, published=published), model or DEFAULT_MODEL)


# --------------------------------------------------------------------------- build and load


def _as_paths(items: list[str | Article], folder: Path) -> list[str]:
    """Build inputs in the given order: each run of Article objects as a JSONL file in ``folder``."""
    paths: list[str] = []
    for is_article, run in itertools.groupby(items, key=lambda i: isinstance(i, Article)):
        if not is_article:
            paths.extend(run)  # type: ignore[arg-type]
            continue
        path = folder / f"articles-{len(paths)}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for a in run:
                line = {"id": a.id, "text": a.text, "title": a.title, "url": a.url,
                        "published": a.published.isoformat() if a.published else None}
                handle.write(json.dumps({k: v for k, v in line.items() if v is not None}, ensure_ascii=False) + "\n")
        paths.append(str(path))
    return paths


def build_graph(inputs: Inputs, output: PathLike | None = None, *, published: str | dt.date | None = None,
                formats: str | Sequence[str] = ("ttl", "trig"), **options: Any) -> KnowledgeGraph:
    """Build the graph of ``inputs``: into the folder ``output`` (as ``kg build -o``), or in memory.

    ``inputs``: a path (file, folder, JSONL corpus), a :func:`article`, or a list of them.
    ``options`` are those of ``kg.build.BuildOptions`` (``model``, ``base``, ``jobs``, ``cache``, ...).
    Articles kg cannot read are skipped, logged as warnings and listed in ``summary.skipped``.
    """
    from kg.build import BuildOptions, build as run_build
    from kg.rdf.serialize import parse_formats

    items = _items(inputs)
    chosen = parse_formats(formats if isinstance(formats, str) else ",".join(formats))
    with tempfile.TemporaryDirectory(prefix="kg-api-") as tmp:
        paths = _as_paths(items, Path(tmp))
        folder = Path(output) if output is not None else Path(tmp) / "out"
        if output is None:
            chosen, options = ("nq",), {"cache": False, **options}
        summary = run_build(BuildOptions(inputs=tuple(paths), outdir=folder, published=_date(published),
                                         formats=chosen, **options))
        for problem in summary.skipped:
            log.warning("skipped %s: %s", problem.source, problem.message)
        graph = load_graph(folder)
        if output is not None:
            return KnowledgeGraph(graph.store, Path(output), summary)
        return KnowledgeGraph(graph.store, None, summary, (folder / "graph.nq").read_bytes())


def load_graph(source: PathLike | Sequence[PathLike]) -> KnowledgeGraph:
    """A graph from build folders or RDF files (read into memory), or an embedded store folder (opened read-only)."""
    from kg.query.sparql import load_store
    from kg.stores.store import is_store, open_store

    paths = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    if len(paths) == 1 and is_store(Path(paths[0])):
        return KnowledgeGraph(open_store(paths[0], read_only=True), Path(paths[0]))
    folder = Path(paths[0]) if len(paths) == 1 and Path(paths[0]).is_dir() else None
    return KnowledgeGraph(load_store(paths), folder)


Source = Union[KnowledgeGraph, ox.Store, PathLike, Sequence[PathLike]]


def _store(source: Source) -> ox.Store:
    if isinstance(source, KnowledgeGraph):
        return source.store
    if isinstance(source, ox.Store):
        return source
    return load_graph(source).store


# --------------------------------------------------------------------------- queries


def contract_queries() -> dict[str, Path]:
    """The contract queries (``queries/*.rq``) by name."""
    from kg.paths import QUERIES_DIR

    return {path.stem: path for path in sorted(QUERIES_DIR.glob("*.rq"))}


def _answer(store: ox.Store, text: str, bindings: dict[str, Any]) -> list[Row] | bool | "Graph":
    from kg.query.sparql import GraphResult, read_query, run_sparql

    from kg.errors import QueryError

    try:
        result = run_sparql(store, read_query(text), bindings={k: _term(v) for k, v in bindings.items()})
    except RuntimeError as exc:  # pyoxigraph: a bound variable must be in the query's projection
        raise QueryError(f"cannot bind {', '.join(bindings)}: {exc}") from exc
    if isinstance(result, bool):
        return result
    if isinstance(result, GraphResult):
        from rdflib import Graph

        return Graph().parse(data=result.serialize("nt"), format="nt")
    return _rows(result)


def _term(value: Any) -> ox.NamedNode | ox.Literal:
    """A binding: terms as they are, ``str`` starting with http(s):// as an IRI, others as literals."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, dt.date):
        kind = "dateTime" if isinstance(value, dt.datetime) else "date"
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + kind))
    return ox.Literal(value) if isinstance(value, (str, int, float)) else ox.Literal(str(value))


def sparql(source: Source, query: str, **bindings: Any) -> list[Row] | bool | "Graph":
    """Run a query on ``source``: a contract query by name (``"figures"``), a ``.rq`` file or SPARQL text.

    SELECT gives rows (dicts of Python values), ASK a ``bool``, CONSTRUCT and DESCRIBE an
    ``rdflib.Graph``. Keyword arguments bind variables (``event="https://..."``), never by text.
    """
    return _answer(_store(source), query, bindings)


def answers(source: Source) -> dict[str, list[Row]]:
    """Every contract query's rows, by name (what ``kg answers`` prints)."""
    store = _store(source)
    return {name: _answer(store, str(path), {}) for name, path in contract_queries().items()}


# --------------------------------------------------------------------------- validate and reason


def _data_nquads(store: ox.Store) -> bytes:
    ontology = ox.NamedNode(str(ONTOLOGY_IRI))
    quads = (q for q in store if q.graph_name != ontology)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


@contextmanager
def _paths(source: Source) -> Iterator[list[str]]:
    """Files to hand to the validator and the reasoner: the source's own, or a temporary N-Quads dump."""
    if isinstance(source, (str, os.PathLike)):
        yield [os.fspath(source)]
    elif isinstance(source, KnowledgeGraph) and source.folder is not None and not _is_store_dir(source.folder):
        yield [str(source.folder)]
    elif isinstance(source, (KnowledgeGraph, ox.Store)):
        kept = source.nquads if isinstance(source, KnowledgeGraph) else None
        with tempfile.TemporaryDirectory(prefix="kg-api-") as tmp:
            path = Path(tmp) / "graph.nq"
            path.write_bytes(kept or _data_nquads(_store(source)))
            yield [str(path)]
    else:
        yield [os.fspath(p) for p in source]


def _is_store_dir(folder: Path) -> bool:
    from kg.stores.store import is_store

    return is_store(folder)


def validate_graph(source: Source, shapes: PathLike | None = None) -> Validation:
    """SHACL validation (``ontology/shapes.ttl`` unless ``shapes``), as ``kg validate``."""
    from kg.paths import SHAPES_FILE
    from kg.query.validate import validate as run_validate

    with _paths(source) as paths:
        conforms, report, text = run_validate(paths, Path(shapes) if shapes is not None else SHAPES_FILE)
    return Validation(conforms, text, report)


def infer(source: Source, output: PathLike | None = None) -> "Graph":
    """The OWL 2 RL inferences (``kg reason``) as an rdflib ``Graph``; also written to ``output``
    when given (and to ``inferred.ttl`` in a build folder given by path, as the command does)."""
    from rdflib import Dataset, Graph

    from kg.query.reason import reason as run_reason
    from kg.rdf.formats import of_file

    with _paths(source) as paths, tempfile.TemporaryDirectory(prefix="kg-api-") as tmp:
        in_folder = isinstance(source, (str, os.PathLike)) and Path(source).is_dir()
        target = Path(output) if output is not None else (None if in_folder else Path(tmp) / "inferred.ttl")
        _, written = run_reason(paths, target)
        fmt = of_file(written)
        inferred = Dataset() if fmt.quads else Graph()
        inferred.parse(written, format=fmt.rdflib)
    return inferred
