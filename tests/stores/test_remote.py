"""kg.stores.remote: push a build to a real Oxigraph server (Graph Store Protocol) and query it over HTTP.

Every server here is the ``oxigraph`` package's binary on 127.0.0.1 and a free
port, in a temporary folder; all traffic stays on loopback.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.errors import QueryError, StoreError
from kg.paths import QUERIES_DIR
from kg.query.sparql import load_store, plain, run_query, to_csv, to_json
from kg.stores.remote import push_graphs, query_endpoint
from kg.stores.serve import free_port, running_server
from tests.tiny_build import BUILD_TRIG, write_build

HOST = "127.0.0.1"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"




@pytest.fixture
def build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "out")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A writable Oxigraph server on an empty store; yields its base URL."""
    with running_server(store=tmp_path / "server-store", host=HOST, port=free_port(HOST), writable=True) as (_, url):
        yield url


def rows(table) -> list[tuple[str, ...]]:
    return sorted(tuple(plain(t) for t in row) for row in table.rows)


def count(url: str, query: str = COUNT_ALL) -> int:
    return int(query_endpoint(url + "query", query, timeout=10).rows[0][0].value)


def contract_queries() -> list[Path]:
    found = sorted(QUERIES_DIR.glob("*.rq"))
    assert found, f"no contract queries in {QUERIES_DIR}"
    return found


def assert_same_answers(url: str, data: list[Path]) -> None:
    local = load_store(data)
    for query in contract_queries():
        text = query.read_text(encoding="utf-8")
        assert rows(query_endpoint(url + "query", text, timeout=10)) == rows(run_query(local, text)), query.name


# --------------------------------------------------------------------------- push and query


def test_push_sends_every_graph_and_the_ontology(server: str, build: Path) -> None:
    assert push_graphs([build], server + "store", timeout=10) == 4
    graphs = {plain(r[0]) for r in query_endpoint(server + "query", COUNT_PER_GRAPH, timeout=10).rows}
    assert graphs == {
        "https://w3id.org/kg-news/id/graph/a1",
        "https://w3id.org/kg-news/id/graph/a2",
        "https://w3id.org/kg-news/id/graph/build",
        "https://w3id.org/kg-news/ontology",
    }


def test_contract_queries_over_http_match_local_results(server: str, build: Path) -> None:
    push_graphs([build], server + "store", timeout=10)
    assert_same_answers(server, [build])


def test_reload_replaces_instead_of_duplicating(server: str, build: Path) -> None:
    push_graphs([build], server + "store", timeout=10)
    before = count(server)
    push_graphs([build], server + "store", timeout=10)  # the blank-node instant would double on a POST
    assert count(server) == before == len(load_store([build]))


def test_reload_of_a_newer_build_drops_what_it_dropped(server: str, build: Path, tmp_path: Path) -> None:
    push_graphs([build], server + "store", timeout=10)
    before = count(server)
    newer = write_build(tmp_path / "newer", BUILD_TRIG.replace("kgo:value 60 ;", ""))
    push_graphs([newer], server + "store", timeout=10)
    assert count(server) == before - 1


def test_results_convert_to_csv_and_json_like_local_ones(server: str, build: Path) -> None:
    push_graphs([build], server + "store", timeout=10)
    text = (QUERIES_DIR / "figures.rq").read_text(encoding="utf-8")
    remote = query_endpoint(server + "query", text, timeout=10)
    local = run_query(load_store([build]), text)
    assert to_csv(remote) == to_csv(local)
    assert to_json(remote) == to_json(local)


def test_basic_auth_credentials_are_accepted_and_never_shown(server: str, build: Path) -> None:
    assert push_graphs([build], server + "store", user="kg", password="s3cret-pw", timeout=10) == 4


# --------------------------------------------------------------------------- errors


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_refused_connection(build: Path) -> None:
    port = free_port(HOST)  # nothing listens there
    with pytest.raises(StoreError) as info:
        push_graphs([build], f"http://kg:s3cret-pw@{HOST}:{port}/store", timeout=5)
    message = one_line(info)
    assert f"{HOST}:{port}" in message and "s3cret-pw" not in message and "kg:" not in message


def test_http_error_names_status(server: str, build: Path) -> None:
    with pytest.raises(StoreError) as info:
        push_graphs([build], server + "no-such-path", timeout=10)
    message = one_line(info)
    assert "404" in message and "no-such-path" in message


@contextmanager
def silent_server() -> Iterator[int]:
    """A loopback socket that accepts connections (kernel backlog) and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def test_timeout(build: Path) -> None:
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            push_graphs([build], f"http://{HOST}:{port}/store", timeout=0.5)
        assert time.monotonic() - started < 5
    message = one_line(info)
    assert "did not answer within 0.5 s" in message


def test_query_timeout(build: Path) -> None:
    with silent_server() as port:
        with pytest.raises(StoreError, match="did not answer"):
            query_endpoint(f"http://{HOST}:{port}/query", COUNT_ALL, timeout=0.5)


def test_invalid_query_is_a_query_error(server: str) -> None:
    with pytest.raises(QueryError) as info:
        query_endpoint(server + "query", "SELEC ?x WHERE {}", timeout=10)
    assert "400" in one_line(info)


def test_query_may_use_kg_prefixes_undeclared(server: str, build: Path) -> None:
    push_graphs([build], server + "store", timeout=10)
    table = query_endpoint(server + "query", "SELECT ?e WHERE { ?e a kgo:Attack }", timeout=10)
    assert rows(table) == [("https://w3id.org/kg-news/id/article/a1/attack-20",),
                           ("https://w3id.org/kg-news/id/article/a2/attack-40",)]


def test_query_error_line_numbers_are_the_querys_own(server: str) -> None:
    with pytest.raises(QueryError, match="error at 2:"):
        query_endpoint(server + "query", "SELECT ?x WHERE {\n ?x ?y }", timeout=10)


def test_ask_query_is_refused(server: str) -> None:
    with pytest.raises(QueryError, match="only SELECT"):
        query_endpoint(server + "query", "ASK { ?s ?p ?o }", timeout=10)


def test_url_without_scheme_is_an_input_error(build: Path) -> None:
    from kg.errors import InputError

    with pytest.raises(InputError, match="--store-url"):
        push_graphs([build], f"{HOST}:7878/store")


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def cli():
    from kg.cli.app import app
    from kg.cli.store import register

    register(app)
    return app


def test_cli_load_with_password_from_environment(cli, server: str, build: Path) -> None:
    env = {"KG_STORE_USER": "kg", "KG_STORE_PASSWORD": "s3cret-pw"}
    result = CliRunner().invoke(cli, ["load", str(build), "--store-url", server + "store"], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"loaded 4 graphs into {server}store"
    assert "s3cret-pw" not in result.output


def test_cli_load_help_has_an_example_and_no_password(cli) -> None:
    result = CliRunner().invoke(cli, ["load", "--help"], env={"KG_STORE_PASSWORD": "s3cret-pw"})
    assert result.exit_code == 0
    assert "Example:" in result.output and "s3cret-pw" not in result.output


def test_cli_load_refused_is_one_line_exit_2(cli, build: Path) -> None:
    url = f"http://kg:s3cret-pw@{HOST}:{free_port(HOST)}/store"
    result = CliRunner().invoke(cli, ["load", str(build), "--store-url", url, "--timeout", "5"])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "s3cret-pw" not in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- seed build


def test_seed_build_over_http(server: str, seed_build: Path) -> None:
    push_graphs([seed_build], server + "store", timeout=30)
    before = count(server)
    push_graphs([seed_build], server + "store", timeout=30)
    assert count(server) == before
    assert_same_answers(server, [seed_build])


# --------------------------------------------------------------------------- redirects and errors


class _Answers:
    """A loopback Graph Store that answers every request with one status."""

    def __init__(self, status: int, location: str | None) -> None:
        import http.server
        import threading

        outer = self
        self.requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append(self.path)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PUT

            def log_message(self, *args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308, 300, 404, 500, 503])
def test_kg_load_fails_on_any_3xx_4xx_5xx_naming_the_status_and_location(build: Path, status: int) -> None:
    from kg.cli.app import app

    location = "https://store.example.org/store" if 300 <= status < 400 else None
    store = _Answers(status, location)
    try:
        result = CliRunner().invoke(app, ["load", str(build), "--store-url", store.url, "--timeout", "5"])
    finally:
        store.close()
    assert result.exit_code == 2, result.output
    assert str(status) in result.output and "loaded" not in result.output
    if location:
        assert "use https://store.example.org/store instead" in result.output
    assert len(store.requests) == 1  # the first failure stops the load


class _QuotedTsvEndpoint:
    """A loopback SPARQL endpoint that answers a SELECT as Virtuoso 7.2 does when asked for
    tab-separated values first (its header quotes the variables: not SPARQL TSV), else JSON."""

    TSV = b'"entity"\n<https://w3id.org/kg-news/id/entity/q114>\n'
    JSON = (b'{"head": {"vars": ["entity"]}, "results": {"bindings": [{"entity": {"type": "uri", '
            b'"value": "https://w3id.org/kg-news/id/entity/q114"}}]}}')

    def __init__(self) -> None:
        import http.server
        import threading

        outer = self
        self.accepts: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                accept = self.headers.get("Accept", "")
                outer.accepts.append(accept)
                tsv = accept.startswith("text/tab-separated-values")
                body = outer.TSV if tsv else outer.JSON
                self.send_response(200)
                self.send_header("Content-Type", "text/tab-separated-values" if tsv else "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_an_endpoint_whose_tab_separated_values_do_not_read_is_asked_for_json() -> None:
    endpoint = _QuotedTsvEndpoint()
    try:
        first = query_endpoint(endpoint.url, "SELECT ?entity WHERE { ?entity a kgo:Country }", timeout=5)
        second = query_endpoint(endpoint.url, "SELECT ?entity WHERE { ?entity a kgo:Country }", timeout=5)
    finally:
        endpoint.close()
    assert [plain(r[0]) for r in first.rows] == [plain(r[0]) for r in second.rows] == [
        "https://w3id.org/kg-news/id/entity/q114"]
    # TSV asked once, then JSON for the retry and for every later query of the process
    assert [a.startswith("text/tab-separated-values") for a in endpoint.accepts] == [True, False, False]
