"""Every SPARQL query form against a SPARQL 1.1 Protocol endpoint.

``query_any`` sends SELECT asking for tab-separated values (JSON or XML accepted), ASK
asking for SPARQL JSON results and CONSTRUCT / DESCRIBE asking for N-Triples (Turtle
accepted too), and gives
the same results as ``kg.query.sparql.run_sparql`` does on a local store: a
ResultTable, a bool or a GraphResult. The transport, credentials and status
handling are those of ``kg.stores.remote`` (one place for them).
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox

from kg.errors import QueryError, StoreError, first_line
from kg.query.sparql import QUERY_PREFIXES, GraphResult, QueryResult, query_form
from kg.stores.remote import _check_url, _client, _credentials, _query_response, _send, safe_url, select

__all__ = ["query_any", "with_query_prefixes"]

_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_RESULTS_JSON = "application/sparql-results+json"


def with_query_prefixes(query: str) -> str:
    """The query after kg's ``QUERY_PREFIXES`` (on its first line: error line numbers stay right);
    the query's own declarations come later and win."""
    prologue = " ".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in QUERY_PREFIXES.items())
    return f"{prologue} {query}"


def _graph(response: httpx.Response, url: httpx.URL) -> GraphResult:
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    fmt = ox.RdfFormat.from_media_type(kind) if kind else None
    if fmt is None or fmt.supports_datasets:
        raise StoreError(f"{safe_url(url)} answered a graph query with '{kind or 'no content type'}': "
                         "is it a SPARQL query endpoint?")
    try:
        return GraphResult.of(ox.parse(response.content, format=fmt))
    except SyntaxError as exc:
        raise StoreError(f"{safe_url(url)} sent unreadable {kind}: {first_line(exc)}") from exc


def _boolean(response: httpx.Response, url: httpx.URL) -> bool:
    try:
        value = response.json()["boolean"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{safe_url(url)} did not answer ASK with SPARQL JSON results: is it a query endpoint?") from exc
    return bool(value)


def query_any(url: str, query: str, *, timeout: float = 30.0, user: str | None = None,
              password: str | None = None) -> QueryResult:
    """Run a query of any form on the endpoint (POST, form-encoded), kg's prefixes declared."""
    form = query_form(query)
    if not form:
        raise QueryError("not a query: give SELECT, ASK, CONSTRUCT or DESCRIBE (updates are not sent)")
    endpoint, user, password = _credentials(_check_url(url, "--endpoint"), user, password)
    accept = _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS_JSON
    with _client(timeout, user, password) as client:
        if form == "SELECT":
            return select(client, endpoint, with_query_prefixes(query), timeout)
        request = client.build_request("POST", endpoint, data={"query": with_query_prefixes(query)},
                                       headers={"Accept": accept})
        response = _send(client, request, timeout)
    if response.status_code == 400 or response.is_error:
        return _query_response(response, endpoint)
    return _boolean(response, endpoint) if form == "ASK" else _graph(response, endpoint)
