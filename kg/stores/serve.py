"""Serve a knowledge graph over SPARQL with the Oxigraph server, behind a guard.

The server is the ``oxigraph`` binary of the ``oxigraph`` PyPI package (it
installs next to the Python interpreter, in the environment's ``bin``). It
runs as a child process on a store folder: either a store made with
``kg store-load``, or a temporary one loaded from build outputs and removed
afterwards. The server is read-only unless asked (``serve-read-only`` vs
``serve``) and listens on a private loopback port; clients talk to the guard,
an HTTP front in this process on the address the user chose (loopback unless
told), which forwards each request to the child and enforces what the child
cannot:

* SERVICE (and, on a writable server, LOAD) is refused with 403 unless
  ``allow_service``: a query cannot make this host send requests.
* The default graph is the union of the named graphs unless the query names
  its own dataset (FROM / FROM NAMED, or the protocol's graph-uri
  parameters), which then wins as SPARQL 1.1 says.
* Every request has a time limit: the child's ``--timeout-s`` cancels long
  evaluations, and the guard ends any response still running after the
  limit (and one the child cancelled) without its final chunk, so the client
  sees an error, never a truncated result passed off as whole.
* The child's address space is limited (RLIMIT_AS, ``memory_mb``): a query
  that needs more makes it abort; the guard restarts it on the same store and
  retries, once, the read requests that had no answer yet, so the endpoint
  keeps answering other clients.
* Unless ``allow_service``, the child cannot open a connection at all (a
  seccomp filter on connect, ``kg.stores.sandbox``), even for a client that finds
  its private port: SERVICE and LOAD fail there too.
* The child dies with this process whatever the signal (PR_SET_PDEATHSIG);
  a temporary store left by a killed ``kg serve`` is removed at the next
  start; a served store folder is locked against ``kg store-load``.

Endpoints: ``URL/query`` (SPARQL 1.1 Protocol), ``URL/update`` and
``URL/store`` (Graph Store Protocol, writable servers only).
"""

from __future__ import annotations

import fcntl
import os
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
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from kg.errors import InputError, StoreError
from kg.query.sparqlscan import has_dataset, keywords, uses_service
from kg.stores.sandbox import child_setup
from kg.stores.store import is_store, load_into_store, store_lock, warn_if_interrupted

__all__ = [
    "Limits",
    "Served",
    "serve",
    "running_server",
    "prepared_store",
    "start_server",
    "wait_until_ready",
    "stop_server",
    "free_port",
    "oxigraph_binary",
    "server_command",
    "refusal",
    "with_union",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: Seconds a query may run on ``kg serve`` (``--timeout``).
DEFAULT_TIMEOUT = 30.0
#: Address space of the Oxigraph child in MiB (``--memory``): RocksDB, its
#: threads and every query's working memory together.
DEFAULT_MEMORY_MB = 2048
_BINARY = "oxigraph"
_POLL_SECONDS = 0.05
_GRACE_SECONDS = 2.0  # the guard's limit is the child's plus this
_BUSY_RETRIES = 8  # times a read request is asked again when the child has no memory left for it
_MAX_BODY = 64 << 20  # largest request body the guard takes (a query, an update, a graph)
_CANCELLED = b"The SPARQL operation has been cancelled"  # what the child appends when it cancels
_TEMP_PREFIX = "kg-serve-"
_STALE_SECONDS = 1.0  # a temp store folder younger than this may be one being set up (mkdtemp, then flock)
_HOP_HEADERS = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                          "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect"})


@dataclass(frozen=True)
class Limits:
    """What a client of ``kg serve`` may make the server do."""

    timeout: float = DEFAULT_TIMEOUT  # seconds per query
    memory_mb: int = DEFAULT_MEMORY_MB  # the child's address space
    allow_service: bool = False  # SERVICE (and LOAD) make the host send requests


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


def server_command(store_dir: Path, host: str, port: int, writable: bool,
                   timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """The command line of the Oxigraph server on ``store_dir`` (the guard asks for the union per query)."""
    mode = "serve" if writable else "serve-read-only"
    return [oxigraph_binary(), mode, "--location", str(store_dir), "--bind", _bind(host, port),
            "--timeout-s", str(max(1, round(timeout)))]


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nothing listens on right now (for tests)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _check_port(port: int) -> None:
    if not 0 < port < 65536:
        raise InputError(f"invalid --port {port}: give a number from 1 to 65535")


# --------------------------------------------------------------------------- the child


def start_server(store_dir: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 writable: bool = False, limits: Limits = Limits()) -> tuple[subprocess.Popen[bytes], str]:
    """Start the Oxigraph server on a store folder; returns the process and its base URL.

    The child runs in its own session, so Ctrl-C reaches only the parent,
    which then stops it (``stop_server``); it dies with the parent whatever
    the signal, its address space is ``limits.memory_mb`` and, unless
    ``limits.allow_service``, it cannot open connections (``kg.stores.sandbox``). Its stderr goes
    to a temporary file that ``wait_until_ready`` reads if it exits early.
    """
    _check_port(port)
    store_dir = Path(store_dir)
    if not writable and not is_store(store_dir):
        raise StoreError(f"'{store_dir}' is not an Oxigraph store: create it with kg store-load PATH --store {store_dir}")
    log: IO[bytes] = tempfile.TemporaryFile()
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # glibc reserves 64 MiB of address space per arena
    try:
        process = subprocess.Popen(server_command(store_dir, host, port, writable, limits.timeout),
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, env=env,
                                   start_new_session=True,
                                   preexec_fn=child_setup(memory_mb=limits.memory_mb, network=limits.allow_service))
    except OSError as exc:
        log.close()
        raise StoreError(f"cannot start the Oxigraph server: {exc.strerror or exc}") from exc
    process.kg_log = log  # type: ignore[attr-defined]  # closed by stop_server
    return process, server_url(host, port)


def _server_error(process: subprocess.Popen[bytes]) -> str:
    log: IO[bytes] | None = getattr(process, "kg_log", None)
    if log is None or log.closed:
        return f"exit code {process.returncode}"
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error") or "memory allocation" in line]  # not the backtrace
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


class _Child:
    """The Oxigraph child, restarted on the same store and port when it dies (a query
    past the memory limit aborts it); ``ready`` is set while it answers."""

    def __init__(self, store_dir: Path, writable: bool, limits: Limits, ready_timeout: float,
                 warn: Callable[[str], None]) -> None:
        self.store_dir, self.writable, self.limits, self.ready_timeout = store_dir, writable, limits, ready_timeout
        self.port = free_port(DEFAULT_HOST)
        self.warn = warn
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.failed: StoreError | None = None
        self.restarts = 0
        self.process, self.url = self._start()
        self.ready.set()
        self.watcher = threading.Thread(target=self._watch, name="kg-serve-child", daemon=True)
        self.watcher.start()

    def _start(self) -> tuple[subprocess.Popen[bytes], str]:
        process, url = start_server(self.store_dir, host=DEFAULT_HOST, port=self.port, writable=self.writable,
                                    limits=self.limits)
        try:
            wait_until_ready(url, self.ready_timeout, process)
        except StoreError:
            stop_server(process)
            raise
        return process, url

    def _watch(self) -> None:
        while not self.stopping.is_set():
            self.process.wait()
            if self.stopping.is_set():
                return
            self.ready.clear()
            reason = _server_error(self.process)
            stop_server(self.process)
            self.restarts += 1
            self.warn(f"warning: the Oxigraph server stopped ({reason}; the memory limit is "
                      f"{self.limits.memory_mb} MiB): restarting it")
            try:
                self.process, self.url = self._start()
            except StoreError as exc:
                self.failed = exc
                self.ready.set()  # waiting requests get their 503 now
                return
            self.ready.set()

    def stop(self) -> None:
        self.stopping.set()
        stop_server(self.process)


# --------------------------------------------------------------------------- the guard's rules


def _texts(params: list[tuple[str, str]], content_type: str, body: bytes) -> tuple[list[str], list[tuple[str, str]]]:
    """The SPARQL texts of a request and all its protocol parameters (URL and form body)."""
    kind = content_type.split(";")[0].strip().lower()
    fields = list(params)
    texts: list[str] = []
    if kind == "application/x-www-form-urlencoded":
        fields += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    elif kind in ("application/sparql-query", "application/sparql-update"):
        texts.append(body.decode("utf-8", "replace"))
    texts += [value for name, value in fields if name in ("query", "update")]
    return texts, fields


def refusal(params: list[tuple[str, str]], content_type: str, body: bytes, limits: Limits) -> str | None:
    """Why the guard refuses a request (None if it forwards it)."""
    if limits.allow_service:
        return None
    texts, _ = _texts(params, content_type, body)
    if any(uses_service(text) for text in texts):
        return "SERVICE is disabled on this endpoint (it would make the server send requests): " \
               "start kg serve with --allow-service to allow federated queries"
    if any("LOAD" in keywords(text) for text in texts):
        return "LOAD is disabled on this endpoint (it would make the server fetch a URL): " \
               "start kg serve with --allow-service to allow it"
    return None


def with_union(path: str, params: list[tuple[str, str]], content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The URL parameters to forward: a query without its own dataset gets the union default graph."""
    if not path.rstrip("/").endswith("query"):
        return params
    texts, fields = _texts(params, content_type, body)
    named = {name for name, _ in fields}
    if named & {"default-graph-uri", "named-graph-uri", "union-default-graph"} or any(has_dataset(t) for t in texts):
        return params
    return [*params, ("union-default-graph", "")]


# --------------------------------------------------------------------------- the guard


def _out_of_resources(response: httpx.Response) -> bool:
    """The child could not take the request (no thread or memory left under its limit); closes it if so."""
    if response.status_code != 500:
        return False
    body = response.read()  # an error message: small
    if b"os error 11" in body or b"memory allocation" in body:
        response.close()
        return True
    return False


class _Abort(Exception):
    """The response cannot be finished: close the connection without its last chunk."""


class _GuardServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], child: _Child, limits: Limits) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.child, self.limits = child, limits
        self.client = httpx.Client(trust_env=False, follow_redirects=False,
                                   timeout=httpx.Timeout(limits.timeout + _GRACE_SECONDS, connect=5.0),
                                   limits=httpx.Limits(max_connections=64, max_keepalive_connections=16))
        super().__init__(address, _GuardHandler)

    def server_close(self) -> None:
        super().server_close()
        self.client.close()

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away or stayed silent is no error worth a traceback."""
        if not isinstance(sys.exc_info()[1], (OSError, TimeoutError)):
            super().handle_error(request, client_address)


class _GuardHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _GuardServer
    timeout = 60  # seconds a client may stay silent (slow-loris)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet, as Oxigraph is
        return

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        self._forward()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET  # noqa: N815

    def _forward(self) -> None:
        body = self._body()
        if body is None:
            return
        split = urlsplit(self.path)
        params = parse_qsl(split.query, keep_blank_values=True)
        content_type = self.headers.get("Content-Type", "")
        refused = refusal(params, content_type, body, self.server.limits)
        if refused is not None:
            self._plain(403, refused)
            return
        params = with_union(split.path, params, content_type, body)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        retry = self.command in ("GET", "HEAD") or split.path.rstrip("/").endswith("query")
        try:
            self._relay(split.path, params, headers, body, retry)
        except _Abort:
            self.close_connection = True
        except (OSError, httpx.HTTPError, RuntimeError):  # the client left, or the guard is stopping
            self.close_connection = True

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._plain(411, "send the request body with a Content-Length")
            return None
        try:
            size = int(length) if length else 0
        except ValueError:
            size = -1
        if not 0 <= size <= _MAX_BODY:
            self._plain(413, f"request body too large (at most {_MAX_BODY >> 20} MiB)")
            return None
        return self.rfile.read(size) if size else b""

    def _relay(self, path: str, params: list[tuple[str, str]], headers: dict[str, str], body: bytes,
               retry: bool) -> None:
        """Forward to the child. A read request is asked again, once, when the child died
        before answering, and a few times when it had no memory left to take it (EAGAIN)."""
        child, limits = self.server.child, self.server.limits
        crashes = busy = 0
        while True:
            if not child.ready.wait(child.ready_timeout + 5) or child.failed is not None:
                self._plain(503, "the SPARQL server is not available: try again later")
                return
            url = child.url.rstrip("/") + path + ("?" + urlencode(params) if params else "")
            request = self.server.client.build_request(self.command, url, headers=headers, content=body)
            started = time.monotonic()
            try:
                response = self.server.client.send(request, stream=True)
            except httpx.TimeoutException:
                self._plain(503, f"the query did not finish within {limits.timeout:g} s: simplify it")
                return
            except httpx.TransportError:
                crashes += 1
                if retry and crashes <= 1:  # the child died: once it is back, ask again
                    time.sleep(4 * _POLL_SECONDS)
                    continue
                self._plain(503, f"the SPARQL server stopped while answering (a query past the memory limit of "
                                 f"{limits.memory_mb} MiB?): try again")
                return
            if retry and busy < _BUSY_RETRIES and _out_of_resources(response):
                busy += 1
                time.sleep(busy * 2 * _POLL_SECONDS)
                continue
            try:
                self._stream(response, started + limits.timeout + _GRACE_SECONDS)
            finally:
                response.close()
            return

    def _stream(self, response: httpx.Response, deadline: float) -> None:
        """Pass the child's answer on, chunked; past the deadline or on a cancelled
        or broken answer the last chunk is never sent, so the client sees an error."""
        self.send_response(response.status_code, response.reason_phrase)
        for name, value in response.headers.multi_items():
            if name.lower() not in _HOP_HEADERS:
                self.send_header(name, value)
        chunked = self.command != "HEAD" and response.status_code not in (204, 304) and response.status_code >= 200
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if not chunked:
            return
        tail = b""
        try:
            for data in ([response.content] if response.is_stream_consumed else response.iter_raw()):
                if time.monotonic() > deadline:
                    raise _Abort
                tail = (tail + data)[-len(_CANCELLED) - 8:]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        except httpx.HTTPError:
            raise _Abort from None
        if _CANCELLED in tail:
            raise _Abort
        self.wfile.write(b"0\r\n\r\n")

    def _plain(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


# --------------------------------------------------------------------------- stores


def _remove_stale_temp_stores(folder: Path) -> None:
    """Temporary stores of killed ``kg serve`` runs: a living one holds a lock on its folder."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(_TEMP_PREFIX)]
    except OSError:
        return
    for entry in entries:
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
                continue
            if time.time() - entry.stat().st_mtime < _STALE_SECONDS:
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass  # in use
        finally:
            os.close(fd)


@contextmanager
def _temp_store(data: Sequence[str | Path]) -> Iterator[Path]:
    tmp = tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=tempfile.gettempdir())
    fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held while it serves: the next start knows it is not stale
        location = Path(tmp) / "store"
        load_into_store(list(data), location)
        yield location
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        os.close(fd)


@contextmanager
def prepared_store(data: Sequence[str | Path] | None = None, store: str | Path | None = None) -> Iterator[Path]:
    """The store folder to serve: ``store`` as is (locked against loads), or a temporary store loaded with ``data``."""
    if bool(data) == (store is not None):
        raise InputError("give either --data PATH... or --store DIR to serve")
    _remove_stale_temp_stores(Path(tempfile.gettempdir()))  # of a kg serve that was killed
    if store is None:
        with _temp_store(data or ()) as location:
            yield location
        return
    store = Path(store)
    if not store.is_dir():
        yield store  # start_server names the problem
        return
    with store_lock(store, shared=True):
        warn_if_interrupted(store)
        yield store


class Served:
    """A running ``kg serve``: the guard's URL and the (current) Oxigraph child."""

    def __init__(self, child: _Child, guard: _GuardServer, url: str) -> None:
        self.child, self.guard, self.url = child, guard, url

    @property
    def process(self) -> subprocess.Popen[bytes]:
        return self.child.process

    @property
    def pid(self) -> int:
        return self.child.process.pid

    def poll(self) -> int | None:
        return self.child.process.poll()

    @property
    def restarts(self) -> int:
        return self.child.restarts


def _guard(host: str, port: int, child: _Child, limits: Limits) -> _GuardServer:
    _check_port(port)
    try:
        return _GuardServer((host, port), child, limits)
    except OSError as exc:
        raise StoreError(f"cannot listen on {_bind(host, port)}: {exc.strerror or exc}: "
                         "choose another --port or --host") from exc


@contextmanager
def running_server(data: Sequence[str | Path] | None = None, store: str | Path | None = None, *,
                   host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, writable: bool = False,
                   ready_timeout: float = 10.0, limits: Limits = Limits(),
                   warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> Iterator[tuple[Served, str]]:
    """A ready guarded server on ``store`` or on ``data`` (loaded into a temporary store); stopped on exit."""
    _check_port(port)
    with prepared_store(data, store) as location:
        child = _Child(location, writable, limits, ready_timeout, warn)
        try:
            guard = _guard(host, port, child, limits)
            thread = threading.Thread(target=guard.serve_forever, kwargs={"poll_interval": 0.2},
                                      name="kg-serve-guard", daemon=True)
            thread.start()
            try:
                yield Served(child, guard, server_url(host, port)), server_url(host, port)
            finally:
                guard.shutdown()
                guard.server_close()
                thread.join(5)
        finally:
            child.stop()


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
          limits: Limits = Limits(), on_ready: Callable[[str], None] | None = None) -> int:
    """Serve until Ctrl-C / SIGTERM (then 0); StoreError if the server cannot start or restart."""
    with _sigterm_interrupts(), running_server(data, store, host=host, port=port, writable=writable,
                                               limits=limits) as (served, url):
        try:  # Ctrl-C from the moment the server is announced is a clean stop
            if on_ready is not None:
                on_ready(url)
            while served.child.failed is None:
                served.child.stopping.wait(0.5)
        except KeyboardInterrupt:
            return 0
        raise served.child.failed
