"""``kg load`` and ``kg query --endpoint`` against stores that demand HTTP Digest or
Basic authentication: loopback servers started here, checking the credentials
as Virtuoso's and Fuseki's Graph Store endpoints do."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.app import app
from kg.errors import StoreError
from kg.stores.remote import push_graphs
from tests.tiny_build import write_build

USER, PASSWORD, REALM = "dba", "s3cret-pw", "kg-test"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _digest_ok(header: str, method: str, nonce: str) -> bool:
    """RFC 7616 MD5 with qop=auth, as a server checks it."""
    fields = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header)}
    if fields.get("username") != USER or fields.get("nonce") != nonce:
        return False
    ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
    ha2 = _md5(f"{method}:{fields.get('uri', '')}")
    expected = _md5(f"{ha1}:{nonce}:{fields.get('nc')}:{fields.get('cnonce')}:{fields.get('qop')}:{ha2}")
    return fields.get("response") == expected


@contextmanager
def auth_server(scheme: str) -> Iterator[tuple[str, dict[str, int]]]:
    """A Graph Store stand-in on loopback that wants ``scheme`` (Digest; Virtuoso: Digest, and a 401
    without a challenge to credentials of another scheme; Basic; Bearer; none it names):
    yields its /store URL and counters of what it saw."""
    nonce = secrets.token_hex(8)
    seen = {"unauthorized": 0, "accepted": 0, "basic": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _authorized(self) -> bool:
            header = self.headers.get("Authorization", "")
            if header.startswith("Basic "):
                seen["basic"] += 1
            if scheme == "Digest":
                return header.startswith("Digest ") and _digest_ok(header, self.command, nonce)
            if scheme == "Virtuoso":  # Digest, and credentials of another scheme get a 401 without a challenge
                return header.startswith("Digest ") and _digest_ok(header, self.command, nonce)
            if scheme == "Basic":
                return header == "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            return False

        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not self._authorized():
                seen["unauthorized"] += 1
                self.send_response(401)
                challenge = (f'Digest realm="{REALM}", nonce="{nonce}", qop="auth", algorithm=MD5'
                             if scheme in ("Digest", "Virtuoso") else f'{scheme} realm="{REALM}"')
                other_scheme = scheme == "Virtuoso" and self.headers.get("Authorization", "Digest").split()[0] != "Digest"
                if scheme != "none" and not other_scheme:  # "none": a 401 without a challenge
                    self.send_header("WWW-Authenticate", challenge)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            seen["accepted"] += 1
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "out")


@pytest.mark.parametrize("scheme, challenges", [("Digest", 1), ("Virtuoso", 2), ("Basic", 0)])
def test_load_answers_the_scheme_the_server_asks_for(build: Path, scheme: str, challenges: int) -> None:
    with auth_server(scheme) as (url, seen):
        assert push_graphs([build], url, user=USER, password=PASSWORD, timeout=10) == 4
    assert seen["accepted"] == 4
    assert seen["unauthorized"] == challenges  # Basic goes at once; one Digest challenge, then Digest is kept


def test_after_a_digest_challenge_no_request_goes_with_basic(build: Path) -> None:
    with auth_server("Digest") as (url, seen):
        push_graphs([build], url, user=USER, password=PASSWORD, timeout=10)
    assert seen["basic"] == 1  # the first request only


@pytest.mark.parametrize("scheme, user, password, expected", [
    ("Digest", USER, "wrong", "refused the credentials (Digest authentication asked, digest sent)"),
    ("Virtuoso", USER, "wrong", "refused the credentials (Digest authentication asked, digest sent)"),
    ("Basic", USER, "wrong", "refused the credentials (Basic authentication asked, basic sent)"),
    ("none", USER, "wrong", "refused the credentials (basic authentication sent)"),
    ("Digest", None, None, "needs credentials (it asks for Digest authentication)"),
    ("Bearer", USER, PASSWORD, "asks for Bearer authentication, which kg does not speak"),
])
def test_a_refusal_says_which_scheme_the_server_asked_for(build, scheme, user, password, expected) -> None:
    with auth_server(scheme) as (url, _), pytest.raises(StoreError) as info:
        push_graphs([build], url, user=user, password=password, timeout=10)
    assert expected in str(info.value) and PASSWORD not in str(info.value) and "\n" not in str(info.value)


def test_cli_load_with_digest_from_the_environment(build: Path) -> None:
    with auth_server("Digest") as (url, seen):
        result = CliRunner().invoke(app, ["load", str(build), "--store-url", url],
                                    env={"KG_STORE_USER": USER, "KG_STORE_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "loaded 4 graphs" in result.output and seen["accepted"] == 4


def test_cli_load_refused_names_the_scheme_in_one_line(build: Path) -> None:
    with auth_server("Digest") as (url, _):
        result = CliRunner().invoke(app, ["load", str(build), "--store-url", url, "--user", USER],
                                    env={"KG_STORE_PASSWORD": "wrong"})
    assert result.exit_code == 2
    assert "Digest" in result.stderr and len(result.stderr.strip().splitlines()) == 1
