"""kg.link.online: Wikidata lookups over a mock transport with recorded responses (no network).

The responses under tests/data/wikidata/ follow the documented shapes of
``wbsearchentities`` and ``wbgetentities`` and use only items of
kg/data/wikidata.tsv (see the README there). Every test counts the requests
that reach the transport.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from kg import __version__
from kg.errors import KgError, StoreError
from kg.link.kb import load_kb
from kg.link.online import (
    API_URL,
    Candidate,
    OnlineLinker,
    WikidataClient,
    accepted_types,
    link,
)
from kg.paths import QUERIES_DIR

RECORDED = Path(__file__).resolve().parents[1] / "data" / "wikidata"
FEDERATED = QUERIES_DIR / "federated" / "wikidata-federated.rq"
TYPES = Path(__file__).resolve().parents[2] / "kg" / "data" / "wikidata_types.json"
TYPES_DOC = TYPES.with_suffix(".md")


def recorded(request: httpx.Request) -> httpx.Response:
    """The recorded answer to a request, by its parameters (404 when none was recorded)."""
    params = request.url.params
    action = params.get("action")
    if action == "wbsearchentities":
        name = "search-" + re.sub(r"[^a-z0-9]+", "-", params["search"].lower()).strip("-") + ".json"
    elif action == "wbgetentities":
        name = "entities-" + params["ids"].replace("|", "-") + ".json"
    else:
        name = ""
    path = RECORDED / name
    if not name or not path.is_file():
        return httpx.Response(404, text="not recorded")
    return httpx.Response(200, content=path.read_bytes(), headers={"Content-Type": "application/json; charset=utf-8"})


class Transport:
    """A MockTransport that records what it is asked."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response] = recorded) -> None:
        self.requests: list[httpx.Request] = []
        self._handler = handler
        self.mock = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._handler(request)

    @property
    def calls(self) -> int:
        return len(self.requests)

    def actions(self) -> list[tuple[str, str]]:
        return [(r.url.params.get("action", ""), r.url.params.get("search") or r.url.params.get("ids", ""))
                for r in self.requests]


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(tmp_path: Path, sleeps: list[float]):
    clients: list[WikidataClient] = []

    def make(transport: Transport, *, cache: Path | None | bool = True, **options) -> WikidataClient:
        cache_dir = tmp_path / "cache" if cache is True else (None if cache is False else cache)
        options.setdefault("min_interval", 0.0)
        client = WikidataClient(cache_dir, transport=transport.mock, sleep=sleeps.append, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# --------------------------------------------------------------------------- recorded data


def test_recorded_responses_use_only_knowledge_base_items_and_verified_classes() -> None:
    kb = load_kb()
    verified = {qid for classes in json.loads(TYPES.read_text())["kinds"].values() for qid in classes}
    for path in RECORDED.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for hit in data.get("search", []):
            assert hit["id"] in kb, (path.name, hit["id"])
            assert hit["label"] in kb.get(hit["id"]).names or hit["label"] == "The Washington Post"
        for qid, item in data.get("entities", {}).items():
            assert qid in kb, (path.name, qid)
            for claim in item["claims"].get("P31", []):
                assert claim["mainsnak"]["datavalue"]["value"]["id"] in verified, (path.name, claim)


def test_every_type_class_has_a_documented_source() -> None:
    doc = TYPES_DOC.read_text(encoding="utf-8")
    data = json.loads(TYPES.read_text(encoding="utf-8"))
    for kind, classes in data["kinds"].items():
        for qid in classes:
            assert re.fullmatch(r"Q[1-9][0-9]*", qid)
            assert re.search(rf"^\| {kind} \| {qid} \|", doc, re.M), f"{kind} {qid} has no row in {TYPES_DOC.name}"
    listed = {kind for members in data["categories"].values() for kind in members}
    assert listed == set(data["kinds"])


# --------------------------------------------------------------------------- search and link


def test_search_reads_candidates(make_client) -> None:
    transport = Transport()
    client = make_client(transport)
    hits = client.search("Washington")
    assert [h.qid for h in hits] == ["Q1223", "Q61", "Q166032"]
    assert hits[1] == Candidate("Q61", "Washington, D.C.", "", ("Washington",), "alias", "Washington")
    assert transport.actions() == [("wbsearchentities", "Washington")]


def test_entities_read_labels_aliases_and_instance_of(make_client) -> None:
    client = make_client(Transport())
    info = client.entities(["Q76"])["Q76"]
    assert (info.label, info.aliases, info.types) == ("Barack Obama", ("Obama", "President Obama"), ("Q5",))


def test_link_happy_path(make_client) -> None:
    transport = Transport()
    client = make_client(transport)
    assert link("Sydney", "City", client) == "Q3130"
    assert link("  barack   OBAMA ", "Person", client) == "Q76"
    assert transport.actions() == [("wbsearchentities", "Sydney"), ("wbgetentities", "Q3130"),
                                   ("wbsearchentities", "barack OBAMA"), ("wbgetentities", "Q76")]


def test_link_prefers_the_exact_kind_then_the_category(make_client) -> None:
    client = make_client(Transport())
    assert link("Washington", "City", client) == "Q61"  # second hit, but a city
    assert link("Washington", "Region", client) == "Q1223"
    assert link("Washington", "Place", client) == "Q1223"  # a category: Wikidata's order decides
    assert link("Sydney", "Region", client) == "Q3130"  # a city is still a place
    assert link("Hamas", "Organization", client) == "Q38799"  # an armed group is an organisation


def test_link_rejects_incompatible_types(make_client) -> None:
    transport = Transport()
    client = make_client(transport)
    assert link("Sydney", "Person", client) is None
    assert link("Barack Obama", "City", client) is None
    assert link("Hamas", "Country", client) is None
    assert link("Barack Obama", "Group", client) is None  # kinds we never link: no request
    assert transport.actions() == [("wbsearchentities", "Sydney"), ("wbgetentities", "Q3130"),
                                   ("wbsearchentities", "Barack Obama"), ("wbgetentities", "Q76"),
                                   ("wbsearchentities", "Hamas"), ("wbgetentities", "Q38799")]


def test_link_needs_the_name_itself_not_a_longer_one(make_client) -> None:
    transport = Transport()
    client = make_client(transport)
    link("Washington", "MediaOrganization", client)
    fetched = [ids for action, ids in transport.actions() if action == "wbgetentities"]
    assert fetched == ["Q1223|Q61"]  # "The Washington Post" does not match "Washington"
    assert link("Washington", "MediaOrganization", client) is None


def test_unknown_name_links_to_nothing(make_client) -> None:
    transport = Transport(lambda r: httpx.Response(200, json={"searchinfo": {"search": "x"}, "search": [],
                                                              "success": 1}))
    client = make_client(transport)
    assert link("Nowhere Town", "City", client) is None
    assert transport.actions() == [("wbsearchentities", "Nowhere Town")]


def test_accepted_types() -> None:
    exact, related = accepted_types("Person")
    assert exact == {"Q5"} and not related
    exact, related = accepted_types("City")
    assert "Q515" in exact and "Q6256" in related and "Q5" not in exact | related
    assert accepted_types("Group") == (frozenset(), frozenset())
    assert accepted_types("NoSuchKind") == (frozenset(), frozenset())


# --------------------------------------------------------------------------- cache


def test_cache_hit_makes_no_request(make_client, tmp_path: Path) -> None:
    first = Transport()
    assert link("Sydney", "City", make_client(first)) == "Q3130"
    assert first.calls == 2
    second = Transport()
    client = make_client(second)
    assert link("Sydney", "City", client) == "Q3130"
    assert link("Sydney", "Person", client) is None  # the same answers, read again
    assert second.calls == 0 and client.requests == 0
    files = list((tmp_path / "cache").rglob("*"))
    assert [f for f in files if f.is_file() and f.suffix == ".json"]
    assert not [f for f in files if f.name.endswith(".part")]


def test_negative_answers_are_cached(make_client) -> None:
    empty = {"searchinfo": {"search": "Nowhere Town"}, "search": [], "success": 1}
    first = Transport(lambda r: httpx.Response(200, json=empty))
    assert link("Nowhere Town", "City", make_client(first)) is None
    second = Transport()
    assert link("Nowhere Town", "City", make_client(second)) is None
    assert first.calls == 1 and second.calls == 0


def test_entities_are_cached_one_by_one(make_client) -> None:
    transport = Transport()
    client = make_client(transport)
    client.entities(["Q1223", "Q61"])
    assert set(client.entities(["Q61", "Q1223"])) == {"Q61", "Q1223"}
    assert transport.actions() == [("wbgetentities", "Q1223|Q61")]


def test_without_a_cache_every_lookup_asks(make_client) -> None:
    transport = Transport()
    client = make_client(transport, cache=False)
    link("Sydney", "City", client)
    link("Sydney", "City", client)
    assert transport.calls == 4


def test_online_linker_remembers_answers_and_none(make_client) -> None:
    transport = Transport()
    linker = OnlineLinker(make_client(transport, cache=False))
    assert linker("Sydney", "City") == "Q3130"
    assert linker("sydney", "City") == "Q3130"
    assert linker("Sydney", "Person") is None
    assert linker("Sydney", "Person") is None
    assert transport.calls == 4  # two lookups, each a search and a wbgetentities
    assert linker("", "City") is None and linker(" \t", "Person") is None
    assert transport.calls == 4


# --------------------------------------------------------------------------- HTTP behaviour


def test_429_then_200_retries_honouring_retry_after(make_client, sleeps: list[float]) -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "3"}, text="slow down")])

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or recorded(request)

    transport = Transport(handler)
    assert link("Sydney", "City", make_client(transport)) == "Q3130"
    assert transport.actions() == [("wbsearchentities", "Sydney"), ("wbsearchentities", "Sydney"),
                                   ("wbgetentities", "Q3130")]
    assert sleeps == [3.0]


def test_server_errors_back_off_then_give_up(make_client, sleeps: list[float]) -> None:
    transport = Transport(lambda r: httpx.Response(503, text="<html>down</html>"))
    with pytest.raises(StoreError) as caught:
        make_client(transport, retries=2, backoff=0.5).search("Sydney")
    assert transport.calls == 3
    assert sleeps == [0.5, 1.0]
    message = str(caught.value)
    assert "\n" not in message and "503" in message and "3 attempts" in message


def test_timeout_is_a_one_line_store_error(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out\nwith a second line", request=request)

    transport = Transport(handler)
    with pytest.raises(StoreError) as caught:
        link("Sydney", "City", make_client(transport, retries=1, timeout=2.5))
    message = str(caught.value)
    assert "\n" not in message and "2.5 s" in message
    assert isinstance(caught.value, KgError) and caught.value.exit_code == 2
    assert transport.calls == 2


def test_network_down_is_a_store_error(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    transport = Transport(handler)
    with pytest.raises(StoreError, match=r"cannot connect: \[Errno -3\]") as caught:
        make_client(transport, retries=0).search("Sydney")
    assert "\n" not in str(caught.value) and transport.calls == 1


def test_client_errors_are_not_retried(make_client, sleeps: list[float]) -> None:
    transport = Transport(lambda r: httpx.Response(403, text="forbidden"))
    with pytest.raises(StoreError, match="HTTP 403"):
        make_client(transport).search("Sydney")
    assert transport.calls == 1 and sleeps == []


def test_api_errors_and_bad_bodies_are_store_errors(make_client) -> None:
    error = {"error": {"code": "badvalue", "info": "Unrecognized value for parameter \"type\": x."}}
    with pytest.raises(StoreError, match="Unrecognized value"):
        make_client(Transport(lambda r: httpx.Response(200, json=error)), cache=False).search("Sydney")
    with pytest.raises(StoreError, match="not JSON"):
        make_client(Transport(lambda r: httpx.Response(200, text="<html/>")), cache=False).search("Sydney")


def test_errors_are_not_cached(make_client) -> None:
    failing = Transport(lambda r: httpx.Response(500))
    with pytest.raises(StoreError):
        make_client(failing, retries=0).search("Sydney")
    working = Transport()
    assert [c.qid for c in make_client(working).search("Sydney")] == ["Q3130"]
    assert working.calls == 1


def test_user_agent_and_parameters(make_client) -> None:
    transport = Transport(lambda r: httpx.Response(200, json={"search": [], "success": 1}))
    make_client(transport).search("AT&T Inc. #1 / ?x=y", limit=3)
    request = transport.requests[0]
    agent = request.headers["User-Agent"]
    assert agent.startswith(f"kg/{__version__} (") and "knowledge-graph builder" in agent
    assert str(request.url).startswith(API_URL + "?")
    assert request.url.params["search"] == "AT&T Inc. #1 / ?x=y"  # encoded by httpx, not concatenated
    assert dict(request.url.params) == {"action": "wbsearchentities", "search": "AT&T Inc. #1 / ?x=y",
                                        "language": "en", "uselang": "en", "type": "item", "limit": "3",
                                        "format": "json"}


def test_no_request_when_the_name_is_empty(make_client) -> None:
    transport = Transport()
    client = make_client(transport)
    assert client.search("") == [] and client.search("   ") == []
    assert link("", "City", client) is None
    assert link(" \n ", "Person", client) is None
    assert client.entities([]) == {}
    assert transport.calls == 0


def test_rate_limit_spaces_requests(tmp_path: Path) -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    transport = Transport()
    with WikidataClient(None, transport=transport.mock, min_interval=1.5, sleep=sleep, clock=lambda: now[0]) as client:
        client.search("Sydney")
        now[0] += 0.5
        client.search("Washington")
        now[0] += 2.0
        client.search("Hamas")
    assert slept == [pytest.approx(1.0)]
    assert transport.calls == 3


# --------------------------------------------------------------------------- federation example


def test_federated_query_parses() -> None:
    from rdflib.plugins.sparql import prepareQuery

    text = FEDERATED.read_text(encoding="utf-8")
    assert "SERVICE <https://query.wikidata.org/sparql>" in text
    assert re.search(r"^#.*network", text, re.M | re.I) and re.search(r"^#.*federat", text, re.M | re.I)
    query = prepareQuery(text)  # syntax only: nothing is evaluated, no network
    assert [str(v) for v in query.algebra["PV"]] == ["entity", "label", "wikidata", "country", "countryLabel",
                                                     "population", "description"]
    assert "SERVICE" in str(query.algebra)


def test_federated_query_is_not_a_contract_query() -> None:
    # kg answers and the store/server tests run every queries/*.rq: they must stay offline
    assert FEDERATED.parent != QUERIES_DIR
    assert not [p for p in QUERIES_DIR.glob("*.rq") if "SERVICE" in p.read_text(encoding="utf-8")]


# --------------------------------------------------------------------------- unreachable: fail fast, warn once


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)


def test_unreachable_is_not_retried(make_client, sleeps: list[float]) -> None:
    from kg.errors import Unreachable

    transport = Transport(unreachable)
    with pytest.raises(Unreachable, match="cannot connect"):
        make_client(transport, retries=3).search("Sydney")
    assert transport.calls == 1 and sleeps == []


def test_linker_warns_once_then_answers_from_the_disk_cache_only(make_client, tmp_path: Path) -> None:
    cache = tmp_path / "answers"
    warm = OnlineLinker(make_client(Transport(), cache=cache))
    assert warm("Sydney", "City") == "Q3130"
    transport, warnings = Transport(unreachable), []
    linker = OnlineLinker(make_client(transport, cache=cache), warn=warnings.append)
    assert linker("Nairobi", "City") is None  # not cached, Wikidata unreachable: offline
    assert linker("Kabul", "City") is None and linker("Hobart", "City") is None
    assert linker("Sydney", "City") == "Q3130"  # cached on disk: still linked
    assert warnings == ["Wikidata unreachable: linking offline only"]
    assert transport.calls == 1 and linker.went_offline


@pytest.mark.model
def test_build_online_without_network_warns_once_and_is_the_offline_build(tmp_path: Path, monkeypatch, capsys) -> None:
    """The Lee articles built --online through a transport that reaches nothing: one
    request, one warning, and the offline build's bytes (the speed is in the README)."""
    import kg.run.article
    from kg.build import BuildOptions, build
    from tests.conftest import lee_articles

    transport = Transport(unreachable)
    client = WikidataClient(tmp_path / "answers", transport=transport.mock, min_interval=0.0)
    linker = OnlineLinker(client)
    monkeypatch.setattr(kg.run.article, "_online_linker", lambda cache_dir: linker)
    corpus = tmp_path / "lee.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"lee-{n}", "text": t}) + "\n"
                              for n, t in enumerate(lee_articles()[:3], 1)), encoding="utf-8")
    offline = build(BuildOptions(inputs=(str(corpus),), outdir=tmp_path / "offline", cache=False))
    capsys.readouterr()
    online = build(BuildOptions(inputs=(str(corpus),), outdir=tmp_path / "online", cache=False, online=True))
    assert capsys.readouterr().err == "warning: Wikidata unreachable: linking offline only\n"
    assert transport.calls == 1
    assert online.articles == offline.articles == 3
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "online" / name).read_bytes() == (tmp_path / "offline" / name).read_bytes()


def test_answers_are_cached_on_disk_by_default(tmp_path: Path, monkeypatch) -> None:
    from kg.build import BuildOptions
    from kg.link.online import default_cache_dir

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "kg-cache"))
    assert default_cache_dir() == tmp_path / "kg-cache" / "wikidata"
    assert BuildOptions(inputs=(), outdir=tmp_path / "out").wikidata_cache == default_cache_dir()
    moved = BuildOptions(inputs=(), outdir=tmp_path / "out", cache_dir=tmp_path / "mine")
    assert moved.wikidata_cache == tmp_path / "mine" / "wikidata"
    monkeypatch.delenv("KG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "kg" / "wikidata"


def test_clear_cache_command_removes_the_answers(make_client, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli.app import app
    from kg.cli.store import register

    register(app)
    OnlineLinker(make_client(Transport(), cache=tmp_path / "mine" / "wikidata"))("Sydney", "City")
    assert list((tmp_path / "mine" / "wikidata").glob("??/*.json"))
    result = CliRunner().invoke(app, ["clear-cache", "--cache-dir", str(tmp_path / "mine")])
    assert result.exit_code == 0 and "removed 2 cached Wikidata answers" in result.stdout
    assert not list((tmp_path / "mine" / "wikidata").glob("??/*.json"))
