"""Serve a knowledge graph over SPARQL with the Oxigraph server.

The server is the ``oxigraph`` binary of the ``oxigraph`` PyPI package (it
installs next to the Python interpreter, in the environment's ``bin``). It
runs as a child process on a store folder: either a store made with
``kg store-load``, or a temporary one loaded from build outputs and removed
afterwards. The default graph is the union of the named graphs
(``--union-default-graph``), the server is read-only unless asked
(``serve-read-only`` vs ``serve``) and listens on loopback unless told.

Endpoints: ``URL/query`` (SPARQL 1.1 Protocol), ``URL/update`` and
``URL/store`` (Graph Store Protocol, writable servers only).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from kg.errors import InputError, StoreError
from kg.store import is_store, load_into_store

__all__ = [
    "serve",
    "running_server",
    "prepared_store",
    "start_server",
    "wait_until_ready",
    "stop_server",
    "free_port",
    "oxigraph_binary",
    "server_command",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
_BINARY = "oxigraph"
_POLL_SECONDS = 0.05


def oxigraph_binary() -> str:
    """The Oxigraph server executable of the ``oxigraph`` package."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / _BINARY
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(_BINARY)
    if found is None:
        raise StoreError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def server_url(host: str, port: int) -> str:
    return f"http://{_bind(host, port)}/"


def server_command(store_dir: Path, host: str, port: int, writable: bool) -> list[str]:
    """The command line of the Oxigraph server on ``store_dir``."""
    mode = "serve" if writable else "serve-read-only"
    return [oxigraph_binary(), mode, "--location", str(store_dir), "--bind", _bind(host, port),
            "--union-default-graph"]


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nothing listens on right now (for tests)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _check_port(host: str, port: int) -> None:
    """The port is valid and free (a busy port would answer the readiness probe for another server)."""
    if not 0 < port < 65536:
        raise InputError(f"invalid --port {port}: give a number from 1 to 65535")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise StoreError(f"cannot listen on {_bind(host, port)}: {exc.strerror or exc}: choose another --port or --host") from exc


def start_server(store_dir: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 writable: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server on a store folder; returns the process and the base URL.

    The child runs in its own session, so Ctrl-C reaches only the parent,
    which then stops it (``stop_server``). Its stderr goes to a temporary
    file that ``wait_until_ready`` reads if it exits early.
    """
    _check_port(host, port)
    store_dir = Path(store_dir)
    if not writable and not is_store(store_dir):
        raise StoreError(f"'{store_dir}' is not an Oxigraph store: create it with kg store-load PATH --store {store_dir}")
    log: IO[bytes] = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(server_command(store_dir, host, port, writable), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    except OSError as exc:
        log.close()
        raise StoreError(f"cannot start the Oxigraph server: {exc.strerror or exc}") from exc
    process.kg_log = log  # type: ignore[attr-defined]  # closed by stop_server
    return process, server_url(host, port)


def _server_error(process: subprocess.Popen[bytes]) -> str:
    log: IO[bytes] | None = getattr(process, "kg_log", None)
    if log is None:
        return f"exit code {process.returncode}"
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error")]  # not the backtrace after it
    return (errors or lines or [f"exit code {process.returncode}"])[0]


def wait_until_ready(url: str, timeout: float = 10.0, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ``url`` until the server answers; StoreError if it exits or does not answer in time."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0, trust_env=False) as client:
        while True:
            if process is not None and process.poll() is not None:
                raise StoreError(f"the Oxigraph server stopped at start: {_server_error(process)}")
            try:
                if client.get(url).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise StoreError(f"the Oxigraph server at {url} did not answer within {timeout:g} s")
            time.sleep(_POLL_SECONDS)


def stop_server(process: subprocess.Popen[bytes], timeout: float = 5.0) -> int:
    """Terminate the server (SIGTERM, then SIGKILL after ``timeout``); returns its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    log: IO[bytes] | None = getattr(process, "kg_log", None)
    if log is not None:
        log.close()
    return process.returncode


@contextmanager
def prepared_store(data: Sequence[str | Path] | None = None, store: str | Path | None = None) -> Iterator[Path]:
    """The store folder to serve: ``store`` as is, or a temporary store loaded with ``data``."""
    if bool(data) == (store is not None):
        raise InputError("give either --data PATH... or --store DIR to serve")
    if store is not None:
        yield Path(store)
        return
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as tmp:
        location = Path(tmp) / "store"
        load_into_store(list(data or ()), location)
        yield location


@contextmanager
def running_server(data: Sequence[str | Path] | None = None, store: str | Path | None = None, *,
                   host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, writable: bool = False,
                   ready_timeout: float = 10.0) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A ready server on ``store`` or on ``data`` (loaded into a temporary store); stopped on exit."""
    with prepared_store(data, store) as location:
        process, url = start_server(location, host=host, port=port, writable=writable)
        try:
            wait_until_ready(url, ready_timeout, process)
            yield process, url
        finally:
            stop_server(process)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (from kill, systemd, docker stop) stops the server as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(data: Sequence[str | Path] | None = None, store: str | Path | None = None, *,
          host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, writable: bool = False,
          on_ready: Callable[[str], None] | None = None) -> int:
    """Serve until the server exits or Ctrl-C / SIGTERM (then 0); StoreError if the server fails."""
    with _sigterm_interrupts(), running_server(data, store, host=host, port=port, writable=writable) as (process, url):
        try:  # Ctrl-C from the moment the server is announced is a clean stop
            if on_ready is not None:
                on_ready(url)
            code = process.wait()
        except KeyboardInterrupt:
            stop_server(process)
            return 0
        if code != 0:
            raise StoreError(f"the Oxigraph server stopped: {_server_error(process)}")
        return code
