"""The SPARQL token scan that finds SERVICE and FROM without running a query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.query.sparqlscan import has_dataset, uses_service

SERVICE = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "select * where { service<http://127.0.0.1:9/x>{?s ?p ?o} }",
    "SELECT * WHERE { SERVICE SILENT ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1:9/> } }",
    "SELECT * WHERE { ?a ?b ?c .SERVICE <http://x/> {} }",
    "SELECT * WHERE { ?a ?b 1.SERVICE <http://x/> {} }",
    "PREFIX : <http://x/> SELECT * WHERE { SERVICE:y {} }",
    "SELECT * WHERE { # a comment\n SERVICE <http://x/> {} }",
    "SELECT * WHERE { SERVIC\\u0045 <http://x/> {} }",
    "SELECT * WHERE { ?s ?p \"a\" . SERVICE <http://x/> {} } # \"",
    "INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
]
NO_SERVICE = [
    "SELECT ?service WHERE { ?service a <http://schema.org/Service> }",
    "SELECT * WHERE { ?s ?p \"SERVICE <http://x/> {}\" }",
    "SELECT * WHERE { ?s ?p '''it's a SERVICE''' }",
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE <http://x/>",
    "PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s schema:serviceType ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) }",
]


@pytest.mark.parametrize("query", SERVICE)
def test_service_is_found_however_it_is_written(query: str) -> None:
    assert uses_service(query)


@pytest.mark.parametrize("query", NO_SERVICE)
def test_service_in_strings_iris_comments_and_names_is_no_service(query: str) -> None:
    assert not uses_service(query)


def test_what_the_scan_calls_service_free_oxigraph_runs_without_a_service_call() -> None:
    """The scan's 'no' agrees with the parser: each NO_SERVICE query parses and runs locally."""
    store = ox.Store()
    for query in NO_SERVICE:
        list(store.query(query))


@pytest.mark.parametrize("query, expected", [
    ("SELECT * FROM <http://g/> WHERE { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://g/> WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from<http://g/> { ?s ?p ?o }", True),
    ("SELECT * WHERE { ?s ?p \"FROM <http://g/>\" }", False),
    ("SELECT ?from WHERE { ?from ?p ?o }", False),
    ("SELECT * WHERE { ?s <http://x/from> ?o }", False),
])
def test_dataset_clauses(query: str, expected: bool) -> None:
    assert has_dataset(query) is expected
