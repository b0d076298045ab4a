"""kg.stores.serve: the Oxigraph server binary as a child process, on loopback and free ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kg.errors import InputError, StoreError
from kg.paths import QUERIES_DIR
from kg.query.sparql import load_store, plain, run_query
from kg.stores.remote import push_graphs, query_endpoint
from kg.stores.serve import (
    free_port,
    oxigraph_binary,
    running_server,
    server_command,
    start_server,
    stop_server,
    wait_until_ready,
)
from kg.stores.store import load_into_store
from tests.tiny_build import write_build

HOST = "127.0.0.1"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"




@pytest.fixture
def build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "out")


def rows(table) -> list[tuple[str, ...]]:
    return sorted(tuple(plain(t) for t in row) for row in table.rows)


def count(url: str, query: str = COUNT_ALL) -> int:
    return int(query_endpoint(url + "query", query, timeout=10).rows[0][0].value)


def assert_same_answers(url: str, data: list[Path]) -> None:
    local = load_store(data)
    queries = sorted(QUERIES_DIR.glob("*.rq"))
    assert queries
    for query in queries:
        text = query.read_text(encoding="utf-8")
        assert rows(query_endpoint(url + "query", text, timeout=10)) == rows(run_query(local, text)), query.name


def refuses_connections(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) != 0


# --------------------------------------------------------------------------- the binary


def test_oxigraph_binary_is_the_packages_executable() -> None:
    binary = Path(oxigraph_binary())
    assert binary.is_file() and os.access(binary, os.X_OK)
    assert subprocess.run([str(binary), "--version"], capture_output=True, timeout=10).returncode == 0


def test_server_command_is_read_only_timed_and_loopback_by_default(tmp_path: Path) -> None:
    command = server_command(tmp_path, HOST, 7878, writable=False, timeout=12)
    assert command[1] == "serve-read-only"
    assert f"{HOST}:7878" in command and command[command.index("--timeout-s") + 1] == "12"
    assert "--union-default-graph" not in command  # the guard asks for the union per query (FROM wins)
    assert server_command(tmp_path, HOST, 7878, writable=True)[1] == "serve"


def test_free_port_is_bindable() -> None:
    port = free_port(HOST)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, port))


# --------------------------------------------------------------------------- serving data


def test_serve_data_answers_contract_queries_like_kg_query(build: Path) -> None:
    with running_server(data=[build], host=HOST, port=free_port(HOST)) as (_, url):
        assert url.startswith(f"http://{HOST}:")
        assert_same_answers(url, [build])


def test_serve_data_has_the_union_as_default_graph(build: Path) -> None:
    with running_server(data=[build], host=HOST, port=free_port(HOST)) as (_, url):
        assert count(url, COUNT_DEFAULT) > 0
        assert count(url) == len(load_store([build]))


def test_serve_is_read_only_unless_writable(build: Path) -> None:
    with running_server(data=[build], host=HOST, port=free_port(HOST)) as (_, url):
        with pytest.raises(StoreError, match="403"):
            push_graphs([build], url + "store", timeout=10)


def test_writable_server_takes_a_reload_without_duplicates(build: Path, tmp_path: Path) -> None:
    with running_server(store=tmp_path / "store", host=HOST, port=free_port(HOST), writable=True) as (_, url):
        push_graphs([build], url + "store", timeout=10)
        before = count(url)
        push_graphs([build], url + "store", timeout=10)
        assert count(url) == before
        assert_same_answers(url, [build])


def test_serve_store_after_reloads(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    load_into_store([build], store_dir)
    with running_server(store=store_dir, host=HOST, port=free_port(HOST)) as (_, url):
        assert count(url) == len(load_store([build]))
        assert_same_answers(url, [build])
    load_into_store([build], store_dir)  # the server released the store


def test_stopped_server_leaves_no_process_and_no_temp_store(build: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    port = free_port(HOST)
    with running_server(data=[build], host=HOST, port=port) as (process, _):
        assert any((tmp_path / "tmp").iterdir())
    assert process.poll() is not None
    assert refuses_connections(port)
    assert not any((tmp_path / "tmp").iterdir())


# --------------------------------------------------------------------------- errors


def test_serve_needs_data_or_store(build: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        with running_server(host=HOST, port=free_port(HOST)):
            pass
    with pytest.raises(InputError):
        with running_server(data=[build], store=tmp_path, host=HOST, port=free_port(HOST)):
            pass


def test_serve_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        with running_server(store=tmp_path, host=HOST, port=free_port(HOST)):
            pass


def test_port_in_use_is_a_store_error(build: Path) -> None:
    port = free_port(HOST)
    with running_server(data=[build], host=HOST, port=port):
        with pytest.raises(StoreError, match="choose another --port") as info:
            with running_server(data=[build], host=HOST, port=port, ready_timeout=10):
                pass
    assert "\n" not in str(info.value) and str(port) in str(info.value)


def test_server_that_fails_at_start_is_reported_in_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="stopped at start") as info:
        with running_server(store=not_a_folder, host=HOST, port=free_port(HOST), writable=True, ready_timeout=10):
            pass
    assert "\n" not in str(info.value) and "Stack backtrace" not in str(info.value)


def test_wait_until_ready_times_out(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="did not answer"):
        wait_until_ready(f"http://{HOST}:{free_port(HOST)}/", timeout=0.3)


def test_start_and_stop_server(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    process, url = start_server(store_dir, host=HOST, port=free_port(HOST))
    try:
        wait_until_ready(url, 10, process)
        assert httpx.get(url, timeout=5).status_code == 200
    finally:
        stop_server(process)
    assert process.returncode is not None


# --------------------------------------------------------------------------- the kg serve command


def kg_command(*args: str) -> list[str]:
    code = "from kg.cli.app import app; from kg.cli.store import register; register(app); app()"
    return [sys.executable, "-c", code, *args]


def test_kg_serve_stops_cleanly_on_ctrl_c(build: Path, tmp_path: Path) -> None:
    port = free_port(HOST)
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    before = set(tmp_path.iterdir())
    process = subprocess.Popen(kg_command("serve", "--data", str(build), "--port", str(port)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        url = f"http://{HOST}:{port}/"
        wait_until_ready(url, 30, process)
        assert count(url) == len(load_store([build]))
        announced = process.stdout.readline()  # Ctrl-C once kg says it is serving, as a user would
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
        out = announced + out
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
    assert process.returncode == 0, err
    assert out.decode().startswith(f"serving read-only at {url}")
    assert "server stopped" in err.decode() and "Traceback" not in err.decode()
    assert refuses_connections(port)
    assert set(tmp_path.iterdir()) == before  # the temporary store is gone


# --------------------------------------------------------------------------- seed build


def test_serve_seed_build(seed_build: Path) -> None:
    with running_server(data=[seed_build], host=HOST, port=free_port(HOST)) as (_, url):
        assert count(url) == len(load_store([seed_build]))
        assert_same_answers(url, [seed_build])
