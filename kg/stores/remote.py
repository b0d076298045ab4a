"""Remote triple stores over the SPARQL 1.1 protocols, with httpx.

``push_graphs`` sends each named graph of a build (and the ontology) with one
HTTP PUT to a SPARQL 1.1 Graph Store HTTP Protocol endpoint, addressed with
the ``graph`` query parameter: PUT replaces the graph, so loading the same
build twice leaves one copy. It works with Oxigraph (``http://host:7878/store``)
and Fuseki (``http://host:3030/ds/data``). Triples in the default graph of a
quad file (kg builds have none) are PUT to ``?default``.

``query_endpoint`` runs a SELECT query with the SPARQL 1.1 Protocol (POST,
form-encoded) and reads the results (tab-separated values, else JSON) into a
``kg.query.sparql.ResultTable`` of pyoxigraph terms, so ``to_csv`` / ``to_json`` work on
it unchanged.

Credentials are sent with HTTP Basic authentication, or Digest when the server
asks for it (``ChallengeAuth``), and never appear in messages: URLs in errors
are shown without their user-info part.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.errors import InputError, QueryError, StoreError, first_line, printable
from kg.paths import ONTOLOGY_FILE
from kg.query.sparql import ResultTable, load_store, solutions_table
from kg.rdf.namespaces import ONTOLOGY_IRI, PREFIXES

__all__ = ["push_graphs", "query_endpoint", "safe_url", "with_prefixes", "ChallengeAuth", "challenge_schemes"]

log = logging.getLogger(__name__)
_NTRIPLES = "application/n-triples"
_TURTLE = "text/turtle"
_RESULTS_JSON = "application/sparql-results+json"
#: What a SELECT asks for: tab-separated values first (a half of JSON's bytes, and read faster),
#: else JSON or XML; every one of them keeps each term whole (IRIs, blank nodes, datatypes, languages).
_SELECT_ACCEPT = "text/tab-separated-values, application/sparql-results+json;q=0.9, application/sparql-results+xml;q=0.8"
#: Endpoints whose tab-separated values do not read (Virtuoso 7.2 quotes the variables of its header):
#: asked for JSON from then on, in this process.
_NO_TSV: set[str] = set()
_REASON_CHARS = 160


def safe_url(url: str | httpx.URL) -> str:
    """The URL without user name and password (for messages)."""
    try:
        return str(httpx.URL(url).copy_with(userinfo=b""))
    except (httpx.InvalidURL, TypeError, ValueError):
        return "<invalid URL>"


def _check_url(url: str, option: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise InputError(f"invalid {option} '{safe_url(url)}': give an http(s)://host:port/path URL")
    return parsed


def _credentials(url: httpx.URL, user: str | None, password: str | None) -> tuple[httpx.URL, str | None, str | None]:
    """User and password written into the URL move to basic auth: the URL that
    requests (and httpx's log lines) carry has none."""
    if not url.userinfo:
        return url, user, password
    return url.copy_with(userinfo=b""), user or url.username or None, password or url.password or None


class ChallengeAuth(httpx.Auth):
    """HTTP Basic authentication, or Digest when the server asks for it.

    A request goes with Basic credentials (as curl and requests send them, for
    the stores that answer a bare request with 403 and no challenge). A 401 that
    names no scheme (Virtuoso's answer to credentials of the wrong scheme) is
    asked again without credentials, for the challenge; a ``WWW-Authenticate:
    Digest`` challenge (Virtuoso's authenticated Graph Store) is answered with
    Digest (httpx's own), and the client keeps to Digest after.
    """

    requires_request_body = True  # a PUT may be sent twice

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self.scheme = "basic"

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield next(self._basic.auth_flow(request))
        if response.status_code != 401:
            return
        del request.headers["Authorization"]
        if not challenge_schemes(response):
            response = yield request  # which scheme, then?
        if response.status_code != 401 or "digest" not in challenge_schemes(response):
            return
        self.scheme = "digest"
        log.info("%s asks for Digest authentication: answering with Digest", request.url.copy_with(query=None, userinfo=b""))
        flow = self._digest.auth_flow(request)
        next(flow)  # the request as it was; Digest reads the challenge from its 401
        retry = flow.send(response)
        while True:
            response = yield retry
            try:
                retry = flow.send(response)
            except StopIteration:
                return


def challenge_schemes(response: httpx.Response) -> list[str]:
    """The authentication schemes a response's ``WWW-Authenticate`` headers ask for, lower-case."""
    return [value.strip().split(" ", 1)[0].lower() for value in response.headers.get_list("www-authenticate")
            if value.strip()]


def _auth(user: str | None, password: str | None) -> ChallengeAuth | None:
    return ChallengeAuth(user, password or "") if user else None


def _refused(where: str, response: httpx.Response, auth: httpx.Auth | None) -> str:
    """Why a 401: no credentials given, a scheme kg does not speak, or credentials refused."""
    schemes = challenge_schemes(response)
    asked = " or ".join(s.capitalize() for s in schemes)
    if schemes and not any(s in ("basic", "digest") for s in schemes):
        return f"{where} asks for {asked} authentication, which kg does not speak: use a store with Basic or Digest"
    if not isinstance(auth, ChallengeAuth):
        wants = f" (it asks for {asked} authentication)" if asked else ""
        return f"{where} needs credentials{wants}: give --user and KG_STORE_PASSWORD"
    said = f"{asked} authentication asked, {auth.scheme} sent" if asked else f"{auth.scheme} authentication sent"
    return f"{where} refused the credentials ({said}): {_reason(response)}: check --user/--password"


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """httpx's default TLS settings, made once: each client building its own takes ~20 ms,
    which ``kg answers --endpoint`` paid for every question."""
    return httpx.create_ssl_context()


@contextmanager
def _client(timeout: float, user: str | None, password: str | None) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=timeout, auth=_auth(user, password), follow_redirects=False, verify=_tls()) as client:
        yield client


def _reason(response: httpx.Response) -> str:
    """Status, phrase and the first line of a plain-text body, short."""
    head = f"{response.status_code} {response.reason_phrase}".strip()
    if "html" in response.headers.get("content-type", ""):
        return head
    lines = [line.strip() for line in response.text.splitlines() if line.strip()]
    detail = lines[0][:_REASON_CHARS] if lines else ""
    return f"{head}: {detail}" if detail and detail != response.reason_phrase else head


def _send(client: httpx.Client, request: httpx.Request, timeout: float) -> httpx.Response:
    """Send one request; every transport failure is a one-line StoreError."""
    where = safe_url(request.url.copy_with(query=None))
    try:
        response = client.send(request)
    except httpx.TimeoutException as exc:
        raise StoreError(f"{where} did not answer within {timeout:g} s: check the URL or raise the timeout") from exc
    except httpx.ConnectError as exc:
        raise StoreError(f"cannot connect to {where}: {first_line(exc)}: check the URL and that the server runs") from exc
    except httpx.HTTPError as exc:
        raise StoreError(f"request to {where} failed: {first_line(exc)}") from exc
    if 300 <= response.status_code < 400:
        raise StoreError(_redirect_message(where, request, response))
    if response.status_code == 401:
        raise StoreError(_refused(where, response, client.auth))
    if response.status_code == 403:
        raise StoreError(f"{where} forbids this request: {_reason(response)}")
    return response


def _redirect_message(where: str, request: httpx.Request, response: httpx.Response) -> str:
    """A redirect is a failure (it is never followed: a PUT would be lost): name the status and the new place."""
    head = f"{where} answered {response.status_code} {response.reason_phrase}".strip()
    location = response.headers.get("location", "").strip()
    if not location:
        return f"{head} without a Location: nothing was stored there; check the URL"
    try:
        target = safe_url(request.url.join(location).copy_with(query=None))
    except (httpx.InvalidURL, ValueError):
        target = printable(location[:_REASON_CHARS])
    return f"{head}: nothing was stored there; use {target} instead"


def _graph_params(graph: ox.NamedNode | ox.DefaultGraph) -> dict[str, str]:
    return {"default": ""} if isinstance(graph, ox.DefaultGraph) else {"graph": graph.value}


def _put(client: httpx.Client, url: httpx.URL, graph: ox.NamedNode | ox.DefaultGraph,
         body: bytes, content_type: str, timeout: float) -> None:
    request = client.build_request("PUT", url, params=_graph_params(graph), content=body,
                                   headers={"Content-Type": content_type})
    response = _send(client, request, timeout)
    if response.is_error:
        name = "the default graph" if isinstance(graph, ox.DefaultGraph) else f"graph <{graph.value}>"
        raise StoreError(f"{safe_url(url)} refused {name}: {_reason(response)}")


def _graph_names(dataset: ox.Store) -> list[ox.NamedNode | ox.DefaultGraph]:
    names: list[ox.NamedNode | ox.DefaultGraph] = []
    for graph in dataset.named_graphs():
        if isinstance(graph, ox.BlankNode):
            raise InputError(f"graph _:{graph.value} has a blank-node name: a store cannot address it; name it with an IRI")
        names.append(graph)
    names.sort(key=lambda g: g.value)
    if any(True for _ in dataset.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        names.append(ox.DefaultGraph())
    return names


def _ntriples(dataset: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bytes:
    triples = [quad.triple for quad in dataset.quads_for_pattern(None, None, None, graph)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def push_graphs(paths: Sequence[str | Path], store_url: str, *, user: str | None = None,
                password: str | None = None, timeout: float = 30.0) -> int:
    """PUT every graph of the build outputs, and the ontology, to a Graph Store endpoint.

    Returns the number of graphs sent (the ontology's included).
    """
    url, user, password = _credentials(_check_url(store_url, "--store-url"), user, password)
    dataset = load_store(paths, ontology=False)
    graphs = _graph_names(dataset)
    with _client(timeout, user, password) as client:
        for graph in graphs:
            _put(client, url, graph, _ntriples(dataset, graph), _NTRIPLES, timeout)
        _put(client, url, ox.NamedNode(str(ONTOLOGY_IRI)), ONTOLOGY_FILE.read_bytes(), _TURTLE, timeout)
    return len(graphs) + 1


# --------------------------------------------------------------------------- queries


def _query_response(response: httpx.Response, url: httpx.URL) -> ResultTable:
    """The endpoint's SPARQL results (in the format its content type names; JSON when it names
    none) as a table, parsed by pyoxigraph: a large answer's rows cost a tenth of what a Python
    JSON parse and term by term construction cost."""
    if response.status_code == 400:
        raise QueryError(f"{safe_url(url)} rejected the query: {_reason(response)}")
    if response.is_error:
        raise StoreError(f"{safe_url(url)} failed: {_reason(response)}")
    kind = response.headers.get("content-type", "")
    fmt = ox.QueryResultsFormat.from_media_type(kind.split(";")[0].strip()) if kind else None
    try:
        return solutions_table(ox.parse_query_results(response.content, fmt or ox.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"{safe_url(url)} did not answer with SPARQL results ({kind or 'no content type'}): "
                         "is it a query endpoint?") from exc


def with_prefixes(query: str) -> str:
    """The query with kg's prefixes declared first, as ``kg.query.sparql.run_query`` has them.

    Only the constant ``PREFIXES`` are added (never data); the query's own
    declarations come later and win (SPARQL lets a prologue redefine a prefix).
    They go on the query's first line, so the server's error line numbers stay right.
    """
    prologue = " ".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in PREFIXES.items())
    return f"{prologue} {query}"


def select(client: httpx.Client, endpoint: httpx.URL, query: str, timeout: float) -> ResultTable:
    """POST a SELECT query (form-encoded) and read its results: tab-separated values asked for
    first, JSON again from an endpoint whose tab-separated values did not read."""
    tsv = str(endpoint) not in _NO_TSV
    request = client.build_request("POST", endpoint, data={"query": query},
                                   headers={"Accept": _SELECT_ACCEPT if tsv else _RESULTS_JSON})
    response = _send(client, request, timeout)
    if tsv and response.headers.get("content-type", "").startswith("text/tab-separated-values"):
        try:
            return _query_response(response, endpoint)
        except StoreError:
            _NO_TSV.add(str(endpoint))
            return select(client, endpoint, query, timeout)
    return _query_response(response, endpoint)


def query_endpoint(url: str, query: str, *, timeout: float = 30.0, user: str | None = None,
                   password: str | None = None, prefixes: bool = True) -> ResultTable:
    """Run a SELECT query on a SPARQL 1.1 Protocol endpoint (POST; see ``select``).

    With ``prefixes`` the query may use kg's prefixes undeclared, as with ``kg query --data``.
    """
    endpoint, user, password = _credentials(_check_url(url, "--endpoint"), user, password)
    text = with_prefixes(query) if prefixes else query
    with _client(timeout, user, password) as client:
        return select(client, endpoint, text, timeout)
