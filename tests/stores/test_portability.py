"""Every contract query is portable SPARQL 1.1: the same files give the same rows on
Oxigraph (pyoxigraph), on rdflib's engine, and on Virtuoso when it is installed.

Rows are compared as multisets of values: order among ties is the engines' own, and a
boolean is compared as 1 or 0. Virtuoso 7.2 has no boolean results: a stored boolean comes
back as ``"0"^^xsd:boolean``, a computed one (``EXISTS``, ``IF``) as ``"1"^^xsd:integer``;
no query can change that, so a reader of its results takes 1 for true.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from kg.rdf.namespaces import ONTOLOGY_IRI
from kg.paths import ONTOLOGY_FILE
from kg.query.sparql import contract_queries, data_files, load_store, run_query
from kg.stores.serve import free_port
from tests.tiny_build import write_build

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
QUERIES = contract_queries()
Row = tuple[str, ...]


def _value(text: str, datatype: str | None) -> str:
    if datatype == XSD_BOOLEAN:
        return {"true": "1", "false": "0"}.get(text, text)
    return text


def _oxigraph_value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:"
    return _value(term.value, term.datatype.value if isinstance(term, ox.Literal) else None)


def _rdflib_value(term: URIRef | Literal | BNode | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:"
    return _value(str(term), str(term.datatype) if isinstance(term, Literal) and term.datatype else None)


def oxigraph_rows(store: ox.Store, query: Path) -> Counter[Row]:
    table = run_query(store, query.read_text(encoding="utf-8"))
    return Counter(tuple(_oxigraph_value(t) for t in row) for row in table.rows)


def rdflib_dataset(build: Path) -> Dataset:
    """The build's named graphs and the ontology in its own graph, as kg.query.sparql loads them."""
    dataset = Dataset()
    for path in data_files([build]):
        dataset.parse(path, format="trig")
    dataset.graph(URIRef(str(ONTOLOGY_IRI))).parse(ONTOLOGY_FILE, format="turtle")
    return dataset


def rdflib_rows(dataset: Dataset, query: Path) -> Counter[Row]:
    result = dataset.query(query.read_text(encoding="utf-8"))
    return Counter(tuple(_rdflib_value(row[v]) for v in result.vars) for row in result)


@pytest.fixture(scope="module", params=["tiny", "seed", "contract"])
def build(request, tmp_path_factory) -> Path:
    """A hand-made two-article build, the seed article built by kg, and the small real build of
    tests/contract_build.py (stories, described participants, claims: every question has rows)."""
    if request.param in ("seed", "contract"):
        return request.getfixturevalue(f"{request.param}_build")
    return write_build(tmp_path_factory.mktemp("tiny") / "out")


def test_the_contract_queries_are_all_here() -> None:
    assert {"entities", "events", "figures", "people", "statements", "timeline"} <= {q.stem for q in QUERIES}


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_oxigraph_and_rdflib_give_the_same_rows(build: Path, query: Path) -> None:
    expected = oxigraph_rows(load_store([build]), query)
    assert rdflib_rows(rdflib_dataset(build), query) == expected, query.name


def test_the_seed_build_answers_every_question_with_rows(seed_build: Path) -> None:
    """A comparison of empty answers would prove nothing: the seed fills most questions."""
    store = load_store([seed_build])
    answered = [q.stem for q in QUERIES if oxigraph_rows(store, q)]
    assert len(answered) >= len(QUERIES) - 1, answered


# --------------------------------------------------------------------------- Virtuoso (optional)

VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_INI = """[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[str]:
    """A Virtuoso 7 server on loopback in a fresh database (its default dba/dba account); yields its base URL."""
    if VIRTUOSO is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}/"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                pytest.fail(f"Virtuoso exited: {(folder / 'virtuoso.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        else:
            pytest.fail("Virtuoso did not answer within 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_virtuoso_loads_with_digest_and_gives_the_same_rows(virtuoso: str, contract_build: Path) -> None:
    from kg.stores.endpoint import query_any
    from kg.stores.remote import push_graphs

    # the authenticated Graph Store endpoint answers with a Digest challenge
    pushed = push_graphs([contract_build], virtuoso + "sparql-graph-crud-auth", user="dba", password="dba", timeout=60)
    assert pushed == len(list(load_store([contract_build], ontology=False).named_graphs())) + 1  # and the ontology
    local = load_store([contract_build])
    for query in QUERIES:
        table = query_any(virtuoso + "sparql", query.read_text(encoding="utf-8"), timeout=60)
        remote = Counter(tuple(_oxigraph_value(t) for t in row) for row in table.rows)
        assert remote == oxigraph_rows(local, query), query.name
