"""kg serve and kg query under attack and faults: SERVICE (server-side request
forgery), FROM, query time and memory limits with cheap queries alongside,
kill -9 of kg serve, and a served store locked against kg store-load."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from kg.errors import QueryError, StoreError
from kg.query.sparql import load_store, run_query
from kg.stores.remote import query_endpoint
from kg.stores.serve import Limits, free_port, running_server, wait_until_ready
from kg.stores.store import load_into_store
from tests.tiny_build import write_build

HOST = "127.0.0.1"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "out")


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with plain text, and remembers it."""

    def _answer(self) -> None:
        self.server.seen.append((self.command, self.path))  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b"not SPARQL results, just text\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def victim():
    """A loopback HTTP server standing for anything the host can reach."""
    server = http.server.ThreadingHTTPServer((HOST, 0), _Recorder)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def service_query(server) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://{HOST}:{server.server_address[1]}/x> {{ ?s ?p ?o }} }}"


def kg(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen[bytes]:
    code = "from kg.cli.app import app; from kg.cli.store import register; register(app); app()"
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env or dict(os.environ), **kwargs)


def run_kg(*args: str, timeout: float = 60) -> tuple[int, str, str]:
    process = kg(*args)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out.decode(), err.decode()


# --------------------------------------------------------------------------- SERVICE


def test_served_endpoint_refuses_service_and_sends_nothing(build: Path, victim) -> None:
    sneaky = [service_query(victim), service_query(victim).replace("SERVICE", "service"),
              service_query(victim).replace("SERVICE <", "SERVICE SILENT <")]
    with running_server(data=[build], host=HOST, port=free_port(HOST)) as (_, url):
        with httpx.Client(timeout=10, trust_env=False) as client:
            for query in sneaky:
                answer = client.post(url + "query", data={"query": query}, headers=JSON)
                assert answer.status_code == 403 and "--allow-service" in answer.text
                answer = client.get(url + "query", params={"query": query}, headers=JSON)
                assert answer.status_code == 403
                answer = client.post(url + "query", content=query.encode(),
                                     headers={**JSON, "Content-Type": "application/sparql-query"})
                assert answer.status_code == 403
            cheap = client.post(url + "query", data={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
            assert cheap.status_code == 200 and cheap.json()["boolean"] is True
    assert victim.seen == []


def test_many_service_calls_to_a_dead_address_do_not_block_the_endpoint(build: Path) -> None:
    silent = socket.socket()
    silent.bind((HOST, 0))
    silent.listen(0)  # accepts nothing: a request there would hang
    query = f"SELECT * WHERE {{ SERVICE <http://{HOST}:{silent.getsockname()[1]}/x> {{ ?s ?p ?o }} }}"
    try:
        with running_server(data=[build], host=HOST, port=free_port(HOST)) as (_, url):
            with httpx.Client(timeout=10, trust_env=False) as client:
                for _ in range(64):
                    assert client.post(url + "query", data={"query": query}).status_code == 403
                started = time.monotonic()
                assert client.post(url + "query", data={"query": "ASK { ?s ?p ?o }"}, headers=JSON).status_code == 200
                assert time.monotonic() - started < 2
    finally:
        silent.close()


def test_allow_service_lets_a_federated_query_through(build: Path, victim) -> None:
    with running_server(data=[build], host=HOST, port=free_port(HOST), limits=Limits(allow_service=True)) as (_, url):
        with httpx.Client(timeout=20, trust_env=False) as client:
            client.post(url + "query", data={"query": service_query(victim)}, headers=JSON)
    assert victim.seen  # the request went out: federation works when asked for


def test_kg_query_refuses_service_on_every_source(build: Path, tmp_path: Path, victim) -> None:
    store = tmp_path / "store"
    load_into_store([build], store)
    with running_server(store=store, host=HOST, port=free_port(HOST)) as (_, url):
        for source in (["--data", str(build)], ["--store", str(tmp_path / "store2")], ["--endpoint", url + "query"]):
            if source[0] == "--store":
                load_into_store([build], tmp_path / "store2")
            code, out, err = run_kg("query", service_query(victim), *source)
            assert code == 2 and "--allow-service" in err and "Traceback" not in err, (source, err)
    assert victim.seen == []


def test_kg_query_with_allow_service_and_a_plain_text_answer_is_one_line(build: Path, victim) -> None:
    code, out, err = run_kg("query", service_query(victim), "--data", str(build), "--allow-service", "--timeout", "20")
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert victim.seen  # it was allowed


def test_run_query_times_out() -> None:
    store = load_store([], ontology=True)
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    with pytest.raises(QueryError, match="did not finish within 0.5 s"):
        run_query(store, cross, timeout=0.5)
    assert time.monotonic() - started < 3


# --------------------------------------------------------------------------- FROM


FROM_QUERY = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/kg-news/id/graph/a1> WHERE { ?s ?p ?o }"
FROM_NAMED = ("SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <https://w3id.org/kg-news/id/graph/a1> "
              "WHERE { GRAPH ?g { ?s ?p ?o } }")


def _graph_size(build: Path, graph: str) -> int:
    store = load_store([build])
    return sum(1 for _ in store.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(graph)))


def test_from_defines_the_dataset_in_kg_query_and_kg_serve(build: Path) -> None:
    expected = _graph_size(build, "https://w3id.org/kg-news/id/graph/a1")
    everything = len(load_store([build]))
    assert 0 < expected < everything
    local = load_store([build])
    assert int(run_query(local, FROM_QUERY).rows[0][0].value) == expected
    assert int(run_query(local, FROM_NAMED).rows[0][0].value) == 1
    with running_server(data=[build], host=HOST, port=free_port(HOST)) as (_, url):
        assert int(query_endpoint(url + "query", FROM_QUERY, timeout=10).rows[0][0].value) == expected
        assert int(query_endpoint(url + "query", FROM_NAMED, timeout=10).rows[0][0].value) == 1
        union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert int(query_endpoint(url + "query", union, timeout=10).rows[0][0].value) == everything


# --------------------------------------------------------------------------- limits


def _many_triples(path: Path, count: int = 3000) -> Path:
    lines = [f'<http://example.org/s{i}> <http://example.org/p{i % 7}> "value {i}" <http://example.org/g{i % 40}> .'
             for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
CPU_HOG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/s1> ?p ?o }"


def _abuse(url: str, query: str, stop: threading.Event, outcomes: list[str]) -> None:
    with httpx.Client(timeout=30, trust_env=False) as client:
        while not stop.is_set():
            try:
                answer = client.post(url + "query", data={"query": query}, headers=JSON)
                answer.json()
                outcomes.append("ok" if answer.status_code == 200 else f"status {answer.status_code}")
            except (httpx.HTTPError, ValueError) as exc:
                outcomes.append(type(exc).__name__)


def test_abusive_queries_end_in_errors_while_cheap_ones_keep_answering(tmp_path: Path) -> None:
    data = _many_triples(tmp_path / "many.nq", 4000)
    limits = Limits(timeout=3, memory_mb=800)
    with running_server(data=[data], host=HOST, port=free_port(HOST), limits=limits, warn=lambda _: None) as (served, url):
        limit = Path(f"/proc/{served.pid}/limits").read_text()
        stop = threading.Event()
        outcomes: dict[str, list[str]] = {"memory": [], "cpu": []}
        abusers = [threading.Thread(target=_abuse, args=(url, q, stop, outcomes[k]), daemon=True)
                   for k, q in (("memory", MEMORY_HOG), ("cpu", CPU_HOG))]
        for thread in abusers:
            thread.start()
        latencies = []
        with httpx.Client(timeout=30, trust_env=False) as client:
            end = time.monotonic() + 8
            while time.monotonic() < end:
                started = time.monotonic()
                answer = client.post(url + "query", data={"query": CHEAP}, headers=JSON)
                latencies.append(time.monotonic() - started)
                assert answer.status_code == 200, answer.text
                assert answer.json()["results"]["bindings"][0]["n"]["value"] == "1"
                time.sleep(0.05)
        stop.set()
        for thread in abusers:
            thread.join(40)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    assert p99 < 1.0, latencies[-5:]
    assert outcomes["memory"] and "ok" not in outcomes["memory"], outcomes
    assert outcomes["cpu"] and "ok" not in outcomes["cpu"], outcomes
    assert any(line.startswith("Max address space") and str(800 << 20) in line for line in limit.splitlines())


def test_a_query_past_the_memory_limit_ends_in_an_error_and_the_server_comes_back(tmp_path: Path) -> None:
    data = _many_triples(tmp_path / "many.nq", 4000)
    limits = Limits(timeout=120, memory_mb=800)  # only the memory limit can stop the hog
    with running_server(data=[data], host=HOST, port=free_port(HOST), limits=limits, warn=lambda _: None) as (served, url):
        with httpx.Client(timeout=150, trust_env=False) as client:
            with pytest.raises((httpx.HTTPError, ValueError, AssertionError)):
                answer = client.post(url + "query", data={"query": MEMORY_HOG}, headers=JSON)
                assert answer.status_code == 200
                answer.json()
            assert served.restarts >= 1
            cheap = client.post(url + "query", data={"query": CHEAP}, headers=JSON)
            assert cheap.status_code == 200 and cheap.json()["results"]["bindings"][0]["n"]["value"] == "1"


# --------------------------------------------------------------------------- kill -9 and locks


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:  # a thread that just ended
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("moment", ["loading", "ready", "answering"])
def test_kg_serve_killed_leaves_no_server_and_the_next_start_cleans_up(tmp_path: Path, moment: str) -> None:
    data = _many_triples(tmp_path / "many.nq", 20000)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    port = free_port(HOST)
    url = f"http://{HOST}:{port}/"
    process = kg("serve", "--data", str(data), "--port", str(port), env=env)
    children: list[int] = []
    try:
        if moment == "loading":
            time.sleep(1.0)
        else:
            wait_until_ready(url, 60, process)
            if moment == "answering":
                httpx.post(url + "query", data={"query": CHEAP}, headers=JSON, timeout=10)
        children = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        deadline = time.monotonic() + 5
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(c) for c in children), moment
        with socket.socket() as sock:
            sock.settimeout(1)
            assert sock.connect_ex((HOST, port)) != 0
        time.sleep(1.2)  # older than a store being set up
        again = kg("serve", "--data", str(data), "--port", str(port), env=env)
        try:
            wait_until_ready(url, 60, again)
            assert len(list(temp.iterdir())) == 1  # its own; the killed one's is gone
        finally:
            again.send_signal(signal.SIGINT)
            again.communicate(timeout=20)
        assert list(temp.iterdir()) == []
    finally:
        if process.poll() is None:
            process.kill()
        for child in children:
            if _alive(child):
                os.kill(child, signal.SIGKILL)


def test_a_served_store_is_locked_against_store_load(build: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_into_store([build], store)
    with running_server(store=store, host=HOST, port=free_port(HOST)) as (_, url):
        with pytest.raises(StoreError, match="in use"):
            load_into_store([build], store)
        assert query_endpoint(url + "query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=10).rows
    load_into_store([build], store)  # free again once the server stopped


def test_the_child_itself_cannot_connect_anywhere(build: Path, victim) -> None:
    """Even a client that finds the Oxigraph child's private port gets no request sent."""
    with running_server(data=[build], host=HOST, port=free_port(HOST)) as (served, _):
        direct = served.child.url
        with httpx.Client(timeout=20, trust_env=False) as client:
            answer = client.post(direct + "query", data={"query": service_query(victim)}, headers=JSON)
            assert "Operation not permitted" in answer.text, answer.text  # connect() refused by the kernel
            load = client.post(direct + "query", data={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"}, headers=JSON)
            assert load.json()["boolean"] is True  # serving itself still works
    assert victim.seen == []


def test_kg_serve_and_kg_query_show_the_limits_in_their_help() -> None:
    code, out, _ = run_kg("serve", "--help")
    assert code == 0 and all(option in out for option in ("--timeout", "--memory", "--allow-service"))
    code, out, _ = run_kg("query", "--help")
    assert code == 0 and "--allow-service" in out and "--timeout" in out


# --------------------------------------------------------------------------- the guard's rules


from kg.stores.serve import refusal, with_union  # noqa: E402

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("params, content_type, body", [
    ([("query", "SELECT * { SERVICE <http://x/> {} }")], "", b""),
    ([], FORM, b"query=SELECT+*+%7B+SERVICE+%3Chttp%3A%2F%2Fx%2F%3E+%7B%7D+%7D"),
    ([], "application/sparql-query; charset=utf-8", b"SELECT * { SERVICE <http://x/> {} }"),
    ([], "application/sparql-update", b"LOAD <http://x/data.ttl>"),
    ([], FORM, b"update=LOAD+%3Chttp%3A%2F%2Fx%2F%3E+INTO+GRAPH+%3Curn%3Ag%3E"),
])
def test_the_guard_refuses_requests_that_would_send_requests(params, content_type: str, body: bytes) -> None:
    assert "--allow-service" in refusal(params, content_type, body, Limits())
    assert refusal(params, content_type, body, Limits(allow_service=True)) is None


@pytest.mark.parametrize("params, body, union", [
    ([("query", "SELECT * { ?s ?p ?o }")], b"", True),
    ([("query", "SELECT * FROM <urn:g> { ?s ?p ?o }")], b"", False),
    ([("query", "SELECT * { ?s ?p ?o }"), ("default-graph-uri", "urn:g")], b"", False),
    ([], b"query=SELECT+*+%7B%3Fs+%3Fp+%3Fo%7D&named-graph-uri=urn%3Ag", False),
    ([], b"query=SELECT+*+FROM+NAMED+%3Curn%3Ag%3E+%7B%7D", False),
])
def test_the_union_default_graph_only_without_a_dataset(params, body: bytes, union: bool) -> None:
    forwarded = with_union("/query", params, FORM if body else "", body)
    assert (("union-default-graph", "") in forwarded) is union
    assert with_union("/store", params, "", b"") == params
