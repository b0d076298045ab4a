"""An embedded Oxigraph store on disk: load build outputs into it, query it.

The store holds the same named graphs as ``kg load`` puts in a remote store:
one graph per article and the build graph (quad files keep their graph names;
a triple file goes into a graph named after the file, as in ``kg query``),
and the ontology in the graph ``kg.rdf.namespaces.ONTOLOGY_IRI``.

Loading is idempotent and atomic per graph: each graph about to be loaded is
dropped and written again in one transaction, so re-loading a build replaces
its graphs instead of adding blank-node copies or keeping triples that a newer
build dropped, and a load killed at any moment leaves every graph either its
old or its new version. Graphs of other builds are left alone. The folder is
locked (``store_lock``): shared while ``kg serve`` serves it, exclusive while
a load writes it, so the two never overlap.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, StoreError, first_line, printable
from kg.query.sparql import QueryResult, ResultTable, data_files, load_store, run_query, run_sparql
from kg.rdf.formats import of_file
from kg.rdf.namespaces import ONTOLOGY_IRI

__all__ = ["open_store", "load_into_store", "query_store", "is_store", "graphs_in_files", "store_lock",
           "interrupted_load", "warn_if_interrupted"]

#: Present in a store folder while a load runs: left behind, the load was stopped.
_INCOMPLETE = "kg-load-incomplete"
#: RocksDB writes this file in every store folder; a folder without it is no store.
_MARKER = "CURRENT"

log = logging.getLogger(__name__)

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


def is_store(path: Path) -> bool:
    """True if ``path`` is a folder holding an Oxigraph (RocksDB) store."""
    return path.is_dir() and (path / _MARKER).is_file()


def _check_location(path: Path, read_only: bool) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError(f"store '{path}' is a file: give a folder for the store")
    if read_only and not is_store(path):
        raise StoreError(f"'{path}' is not an Oxigraph store: create it with kg store-load PATH --store {path}")
    if not read_only and path.is_dir() and any(path.iterdir()) and not is_store(path):
        raise StoreError(f"'{path}' is a folder of other files, not an Oxigraph store: give a new or empty folder")


def _open_error(path: Path, exc: OSError) -> StoreError:
    message = first_line(exc)
    if "lock" in message.lower():
        return StoreError(f"store '{path}' is locked by another process (a running kg serve?): stop it or use another folder")
    return StoreError(f"cannot open store '{path}': {message}")


def open_store(path: str | Path, *, read_only: bool = False) -> ox.Store:
    """Open (or create, unless ``read_only``) the store in the folder ``path``."""
    path = Path(path)
    _check_location(path, read_only)
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        raise _open_error(path, exc) from exc


def _graphs_in_file(path: Path) -> set[GraphName]:
    """The graphs ``kg.query.sparql.load_store`` puts the file's triples in (parsing it all: bad files fail here)."""
    fmt = of_file(path).oxigraph
    try:
        if not fmt.supports_datasets:
            for _ in ox.parse(path=str(path), format=fmt):
                pass
            return {ox.NamedNode(path.resolve().as_uri())}  # the rule of kg.query.sparql.load_store
        return {quad.graph_name for quad in ox.parse(path=str(path), format=fmt)}
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"cannot read '{path}': {first_line(exc)}") from exc


def graphs_in_files(paths: Sequence[str | Path]) -> set[GraphName]:
    """Every graph the build outputs at ``paths`` fill, the ontology's included."""
    graphs: set[GraphName] = {ox.NamedNode(str(ONTOLOGY_IRI))}
    for path in data_files(paths):
        graphs |= _graphs_in_file(path)
    return graphs


def _update_text(graph: GraphName, triples: list[ox.Triple]) -> str:
    """One SPARQL update that replaces ``graph`` with ``triples`` (terms written by pyoxigraph)."""
    body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    if isinstance(graph, ox.DefaultGraph):
        return f"CLEAR SILENT DEFAULT ; INSERT DATA {{ {body} }}"
    return f"DROP SILENT GRAPH {graph} ; INSERT DATA {{ GRAPH {graph} {{ {body} }} }}"


def _replace_graphs(store: ox.Store, dataset: ox.Store, graphs: set[GraphName]) -> None:
    """Each graph replaced by its new version in one transaction (an update is one):
    killed at any moment, every graph is whole, old or new."""
    for graph in sorted(graphs, key=lambda g: (isinstance(g, ox.DefaultGraph), str(g))):
        triples = [quad.triple for quad in dataset.quads_for_pattern(None, None, None, graph)]
        store.update(_update_text(graph, triples))


def _graphs_of(dataset: ox.Store) -> set[GraphName]:
    graphs: set[GraphName] = set(dataset.named_graphs())
    if any(True for _ in dataset.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        graphs.add(ox.DefaultGraph())
    return graphs


@contextmanager
def store_lock(path: str | Path, *, shared: bool) -> Iterator[None]:
    """Hold an advisory lock on the store folder: shared while it is served or
    read, exclusive while it is loaded. StoreError if the other kind is held."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise StoreError(f"cannot open store '{path}': {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError:
            if shared:
                raise StoreError(f"store '{path}' is being loaded (kg store-load): wait for the load to end") from None
            raise StoreError(f"store '{path}' is in use (a running kg serve --store {path}?): "
                             "stop the server first, or load into another folder") from None
        yield
    finally:
        os.close(fd)


def load_into_store(paths: Sequence[str | Path], store_dir: str | Path) -> int:
    """Load build outputs and the ontology into the store at ``store_dir``.

    Each graph the inputs fill replaces its old version in one transaction, so
    a re-load replaces it and a load killed at any moment leaves every graph
    old or new, never half. The folder is locked: a store being served is refused.
    Returns the number of graphs loaded (the ontology's included).
    """
    dataset = load_store(paths)  # reads every input before the store is touched
    graphs = _graphs_of(dataset)
    _check_location(Path(store_dir), read_only=False)
    Path(store_dir).mkdir(parents=True, exist_ok=True)
    with store_lock(store_dir, shared=False):
        store = open_store(store_dir)
        marker = Path(store_dir) / _INCOMPLETE
        try:
            _write_marker(marker)
            _replace_graphs(store, dataset, graphs)
            store.flush()
            marker.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot write store '{store_dir}': {first_line(exc)}") from exc
        finally:
            del store  # release the RocksDB lock now: a server may open the folder next
    return len(graphs)


def _write_marker(marker: Path) -> None:
    with open(marker, "w", encoding="utf-8") as handle:
        handle.write("a kg store-load began and has not ended: some graphs may be of the older build\n")
        handle.flush()
        os.fsync(handle.fileno())


def interrupted_load(store_dir: str | Path) -> bool:
    """True if a ``kg store-load`` into the store was stopped before its end (each graph is
    still whole, but the store may mix graphs of the older and the newer build)."""
    return (Path(store_dir) / _INCOMPLETE).is_file()


def warn_if_interrupted(store_dir: str | Path) -> None:
    if interrupted_load(store_dir):
        log.warning("warning: the last kg store-load into '%s' was stopped before its end: some graphs may be "
                    "of the older build; run kg store-load again", printable(str(store_dir)))


def sparql_on_store(store_dir: str | Path, query: str, *, allow_service: bool = False,
                    timeout: float | None = None) -> QueryResult:
    """Run a query of any form on the store, read-only, under the store's shared lock
    (a warning first if a load of it was interrupted)."""
    _check_location(Path(store_dir), read_only=True)
    with store_lock(store_dir, shared=True):
        warn_if_interrupted(store_dir)
        return run_sparql(open_store(store_dir, read_only=True), query, allow_service=allow_service, timeout=timeout)


def query_store(store_dir: str | Path, query: str, *, allow_service: bool = False,
                timeout: float | None = None) -> ResultTable:
    """Run a SELECT query (SPARQL text) on the store, read-only, union default graph."""
    _check_location(Path(store_dir), read_only=True)  # "not a store" before any lock
    with store_lock(store_dir, shared=True):
        warn_if_interrupted(store_dir)
        return run_query(open_store(store_dir, read_only=True), query, allow_service=allow_service, timeout=timeout)
