"""Online entity linking against Wikidata (``--online``).

``WikidataClient`` talks to the Wikidata action API (``wbsearchentities`` to
find candidates by name, ``wbgetentities`` for their labels, aliases and P31
"instance of" claims) with httpx:

- a descriptive User-Agent (Wikimedia's User-Agent policy asks for one),
- a timeout on every request,
- retries with exponential backoff on 429 and 5xx answers (and on the API's
  ``maxlag`` error), honouring ``Retry-After``, and on read timeouts; but a
  server that cannot be reached at all (no name, no route, refused, no
  connection within ``connect_timeout``) is an :class:`kg.errors.Unreachable`
  at once, with no retry: the caller goes on offline at full speed,
- a rate limit: at least ``min_interval`` seconds between two requests,
- an on-disk JSON cache: one file per request under ``cache_dir``, named by a
  hash of the request, written atomically (temp file, then rename). A search
  that found nothing is cached too.

Query parameters always go through httpx ``params=``, never into the URL by
string concatenation. Every failure (network down, timeout, HTTP error, a body
that is not JSON) is a :class:`kg.errors.StoreError` with a one-line message;
the caller decides whether to go on offline.

``link(name, kind, client)`` picks the QID a name denotes: a candidate whose
English label or alias equals the name (after :func:`kg.link.kb.normalize_name`)
and whose P31 classes fit our kind (``kg/data/wikidata_types.json``: exact
kind first, then a kind of the same category, in Wikidata's search order).
``OnlineLinker`` wraps it for the pipeline, remembering answers, ``None`` too;
at the first unreachable request it warns once ("Wikidata unreachable: linking
offline only") and from then on answers from the disk cache only.

Answers are cached on disk by default (:func:`default_cache_dir`);
:func:`clear_cache` empties a cache folder (``kg clear-cache``).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx

from kg import __version__
from kg.errors import StoreError, Unreachable, first_line
from kg.link.kb import normalize_name
from kg.paths import read_json

__all__ = [
    "API_URL",
    "USER_AGENT",
    "Candidate",
    "EntityInfo",
    "WikidataClient",
    "OnlineLinker",
    "link",
    "accepted_types",
    "default_cache_dir",
    "clear_cache",
    "OFFLINE_WARNING",
]

OFFLINE_WARNING = "Wikidata unreachable: linking offline only"

API_URL = "https://www.wikidata.org/w/api.php"
#: Where kg can be found: Wikimedia's policy wants a way to reach the operator.
PROJECT_URL = "https://w3id.org/kg-news"
USER_AGENT = f"kg/{__version__} ({PROJECT_URL}; knowledge-graph builder) httpx/{httpx.__version__}"

#: wbgetentities takes at most 50 ids per request.
_MAX_IDS = 50
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_CACHE_VERSION = "1"


@dataclass(frozen=True)
class Candidate:
    """One ``wbsearchentities`` hit."""

    qid: str
    label: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    match_type: str = ""  # "label", "alias", ...
    match_text: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.label, self.match_text, *self.aliases) if n)


@dataclass(frozen=True)
class EntityInfo:
    """What ``wbgetentities`` says about an item, in one language."""

    qid: str
    label: str
    aliases: tuple[str, ...]
    types: tuple[str, ...]  # P31 values (QIDs), statement order
    description: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.label, *self.aliases) if n)


def default_cache_dir() -> Path:
    """``$KG_CACHE_DIR/wikidata``, else ``$XDG_CACHE_HOME/kg/wikidata``, else ``~/.cache/kg/wikidata``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"]) / "wikidata"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg" / "wikidata"


def clear_cache(folder: Path | str | None = None) -> int:
    """Remove every cached answer under ``folder`` (default: :func:`default_cache_dir`); the count removed."""
    root = Path(folder) if folder is not None else default_cache_dir()
    removed = 0
    for path in sorted(root.glob("??/*.json")) if root.is_dir() else ():
        path.unlink(missing_ok=True)
        removed += 1
    for sub in (p for p in root.glob("??") if p.is_dir()) if root.is_dir() else ():
        try:
            sub.rmdir()
        except OSError:
            pass  # something else lives there: left alone
    return removed


# --- the client -------------------------------------------------------------------------


class WikidataClient:
    """The Wikidata action API with cache, retries and a rate limit (see module doc).

    ``transport`` (an ``httpx.MockTransport`` in tests), ``sleep`` and ``clock``
    can be replaced; ``cache_dir=None`` turns the disk cache off.
    """

    def __init__(
        self,
        cache_dir: Path | str | None = None,
        *,
        api_url: str = API_URL,
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        min_interval: float = 1.0,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = min_interval
        self.requests = 0  # requests actually sent (cache hits are not requests)
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self.offline = False  # True: answers from the disk cache only, no request is sent
        self._http_options = dict(
            timeout=httpx.Timeout(timeout, connect=min(timeout, connect_timeout)),
            transport=transport,
            follow_redirects=True,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
        )
        self._http = httpx.Client(**self._http_options)

    def reset_connections(self) -> None:
        """Close open connections (before a fork: worker processes must not share sockets)."""
        self._http.close()
        self._http = httpx.Client(**self._http_options)

    # context manager / cleanup
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WikidataClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- API calls --------------------------------------------------------------------

    def search(self, name: str, language: str = "en", limit: int = 5) -> list[Candidate]:
        """Items whose label or alias matches ``name`` (``wbsearchentities``), best first."""
        text = " ".join(name.split())
        if not text:
            return []
        params = {
            "action": "wbsearchentities",
            "search": text,
            "language": language,
            "uselang": language,
            "type": "item",
            "limit": str(max(1, min(int(limit), 50))),
            "format": "json",
        }
        data = self._get(params)
        hits = data.get("search")
        if not isinstance(hits, list):
            raise StoreError("Wikidata search answered without a 'search' list: the API may have changed")
        return [c for c in (_candidate(h) for h in hits) if c is not None]

    def entities(self, qids: Iterable[str], language: str = "en") -> dict[str, EntityInfo]:
        """Labels, aliases and P31 classes of items (``wbgetentities``); missing items are left out."""
        wanted = list(dict.fromkeys(q.strip().upper() for q in qids if q and q.strip()))
        found: dict[str, EntityInfo] = {}
        missing: list[str] = []
        for qid in wanted:
            cached = self._cache_get(self._entity_key(qid, language))
            if cached is None:
                missing.append(qid)
            elif cached.get("missing") is None:
                found[qid] = _entity_info(qid, cached, language)
        for start in range(0, len(missing), _MAX_IDS):
            chunk = missing[start:start + _MAX_IDS]
            params = {
                "action": "wbgetentities",
                "ids": "|".join(chunk),
                "props": "labels|aliases|descriptions|claims",
                "languages": language,
                "format": "json",
            }
            data = self._get(params, cache=False)
            items = data.get("entities")
            if not isinstance(items, dict):
                raise StoreError("Wikidata wbgetentities answered without 'entities': the API may have changed")
            by_id = {str(v.get("id", k)).upper(): v for k, v in items.items() if isinstance(v, dict)}
            for qid in chunk:
                item = by_id.get(qid) or _redirected(items, qid)
                record = item if item is not None and "missing" not in item else {"missing": True}
                self._cache_put(self._entity_key(qid, language), record)
                if "missing" not in record:
                    found[qid] = _entity_info(qid, record, language)
        return {q: found[q] for q in wanted if q in found}

    # -- HTTP with retries, rate limit, cache ---------------------------------------------

    def _get(self, params: Mapping[str, str], *, cache: bool = True) -> dict[str, Any]:
        key = self._key(params)
        if cache:
            cached = self._cache_get(key)
            if cached is not None:
                return cached
        data = self._fetch(params)
        if cache:
            self._cache_put(key, data)
        return data

    def _fetch(self, params: Mapping[str, str]) -> dict[str, Any]:
        where = f"Wikidata ({httpx.URL(self.api_url).host}) {params.get('action', '')}".rstrip()
        if self.offline:
            raise Unreachable(f"{where}: offline (an earlier request could not reach it)")
        last = ""
        for attempt in range(self.retries + 1):
            self._throttle()
            try:
                response = self._http.get(self.api_url, params=dict(params))
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as exc:
                raise Unreachable(f"{where}: cannot connect: {first_line(exc)}: build offline or try later") from exc
            except httpx.TimeoutException:
                last = f"no answer within {self.timeout:g} s"
                self._wait(attempt, None)
                continue
            except httpx.TransportError as exc:
                last = f"cannot connect: {first_line(exc)}"
                self._wait(attempt, None)
                continue
            if response.status_code in _RETRY_STATUS:
                last = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                self._wait(attempt, response.headers.get("Retry-After"))
                continue
            if response.is_error:
                raise StoreError(f"{where} refused the request: HTTP {response.status_code} "
                                 f"{response.reason_phrase}".rstrip())
            try:
                data = response.json()
            except ValueError:
                raise StoreError(f"{where} answered with something that is not JSON "
                                 f"({response.headers.get('content-type', 'no content type')})") from None
            if not isinstance(data, dict):
                raise StoreError(f"{where} answered with unexpected JSON")
            error = data.get("error")
            if isinstance(error, dict):
                if error.get("code") == "maxlag":
                    last = "the servers are lagging (maxlag)"
                    self._wait(attempt, response.headers.get("Retry-After"))
                    continue
                info = " ".join(str(error.get("info") or error.get("code") or "unknown error").split())
                raise StoreError(f"{where} failed: {info[:160]}")
            return data
        raise StoreError(f"{where} failed after {self.retries + 1} attempts: {last}: "
                         "try again later or build offline")

    def _throttle(self) -> None:
        now = self._clock()
        if self._last is not None and self.min_interval > 0:
            wait = self._last + self.min_interval - now
            if wait > 0:
                self._sleep(wait)
                now = self._clock()
        self._last = now
        self.requests += 1

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        """Sleep before the next attempt (none after the last)."""
        if attempt >= self.retries:
            return
        delay = _retry_after_seconds(retry_after)
        if delay is None:
            delay = self.backoff * (2 ** attempt)
        self._sleep(min(max(delay, 0.0), self.max_wait))

    # -- cache ------------------------------------------------------------------------------

    def _key(self, params: Mapping[str, str]) -> str:
        canonical = json.dumps({"v": _CACHE_VERSION, "url": self.api_url, "params": dict(sorted(params.items()))},
                               sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def _entity_key(self, qid: str, language: str) -> str:
        return self._key({"action": "wbgetentities", "ids": qid, "languages": language,
                          "props": "labels|aliases|descriptions|claims"})

    def _cache_path(self, key: str) -> Path | None:
        return self.cache_dir / key[:2] / f"{key}.json" if self.cache_dir is not None else None

    def _cache_get(self, key: str) -> dict[str, Any] | None:
        path = self._cache_path(key)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _cache_put(self, key: str, data: dict[str, Any]) -> None:
        path = self._cache_path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry.", suffix=".part")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, ensure_ascii=False, sort_keys=True)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a cache that cannot be written only costs a request next time


def _retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# --- response parsing ---------------------------------------------------------------------


def _candidate(hit: Any) -> Candidate | None:
    if not isinstance(hit, dict) or not isinstance(hit.get("id"), str):
        return None
    match = hit.get("match") if isinstance(hit.get("match"), dict) else {}
    label = hit.get("label")
    if not isinstance(label, str):
        display = (hit.get("display") or {}).get("label") or {}
        label = display.get("value", "") if isinstance(display, dict) else ""
    aliases = tuple(a for a in hit.get("aliases") or () if isinstance(a, str))
    return Candidate(
        qid=hit["id"],
        label=label,
        description=hit.get("description") if isinstance(hit.get("description"), str) else "",
        aliases=aliases,
        match_type=str(match.get("type", "")),
        match_text=str(match.get("text", "")),
    )


def _redirected(items: dict[str, Any], qid: str) -> dict[str, Any] | None:
    for item in items.values():
        if isinstance(item, dict) and (item.get("redirects") or {}).get("from") == qid:
            return item
    return None


def _entity_info(qid: str, item: dict[str, Any], language: str) -> EntityInfo:
    label = ((item.get("labels") or {}).get(language) or {}).get("value", "")
    description = ((item.get("descriptions") or {}).get(language) or {}).get("value", "")
    aliases = tuple(a.get("value", "") for a in (item.get("aliases") or {}).get(language, ())
                    if isinstance(a, dict) and a.get("value"))
    types: list[str] = []
    for claim in (item.get("claims") or {}).get("P31", ()):
        if not isinstance(claim, dict) or claim.get("rank") == "deprecated":
            continue
        value = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value")
        if isinstance(value, dict):
            type_id = value.get("id") or (f"Q{value['numeric-id']}" if "numeric-id" in value else None)
            if type_id and type_id not in types:
                types.append(type_id)
    return EntityInfo(qid=qid, label=label, aliases=aliases, types=tuple(types), description=description)


# --- linking -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _types() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    data = read_json("wikidata_types.json")
    kinds = {kind: frozenset(classes) for kind, classes in data["kinds"].items()}
    categories = {cat: tuple(members) for cat, members in data["categories"].items()}
    return kinds, categories


def accepted_types(kind: str) -> tuple[frozenset[str], frozenset[str]]:
    """The classes an item of ``kind`` may have: (exact, same category).

    A category name ("Place", "Organization", "Person") accepts all its kinds
    as exact; a kind we do not link ("Group", "Thing", unknown) accepts nothing.
    """
    kinds, categories = _types()
    if kind in categories:
        return frozenset().union(*(kinds[k] for k in categories[kind])), frozenset()
    exact = kinds.get(kind, frozenset())
    if not exact:
        return frozenset(), frozenset()
    category = next((members for members in categories.values() if kind in members), (kind,))
    related = frozenset().union(*(kinds[k] for k in category if k != kind))
    return exact, related


def link(name: str, kind: str, client: WikidataClient, *, language: str = "en", limit: int = 7) -> str | None:
    """The QID ``name`` denotes as an entity of ``kind``, or None (see module doc)."""
    wanted = normalize_name(name)
    exact, related = accepted_types(kind)
    if not wanted or not (exact or related):
        return None
    named = [c for c in client.search(name, language=language, limit=limit)
             if any(normalize_name(n) == wanted for n in c.names)]
    if not named:
        return None
    infos = client.entities([c.qid for c in named], language=language)
    best: tuple[int, int, str] | None = None
    for order, candidate in enumerate(named):
        info = infos.get(candidate.qid)
        if info is None or not any(normalize_name(n) == wanted for n in (*info.names, *candidate.names)):
            continue
        types = set(info.types)
        tier = 0 if types & exact else 1 if types & related else None
        if tier is not None and (best is None or (tier, order) < best[:2]):
            best = (tier, order, candidate.qid)
    return best[2] if best else None


class OnlineLinker:
    """``linker(name, kind) -> QID | None`` for the pipeline; answers (None too) are remembered.

    The first :class:`Unreachable` turns the linker offline: ``warn`` is called once
    with :data:`OFFLINE_WARNING`, the lookup answers None, and later lookups answer
    from the disk cache only (``went_offline`` tells the build not to keep their
    results). Other errors are not remembered: a :class:`StoreError` reaches the
    caller, which may go on without linking.
    """

    def __init__(self, client: WikidataClient, *, language: str = "en",
                 warn: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.language = language
        self.went_offline = False
        self._warn = warn or _warn_on_stderr
        self._memo: dict[tuple[str, str], str | None] = {}

    def __call__(self, name: str, kind: str) -> str | None:
        key = (normalize_name(name), kind)
        if not key[0]:
            return None
        if key not in self._memo:
            try:
                self._memo[key] = link(name, kind, self.client, language=self.language)
            except Unreachable:
                self.go_offline()
                return None  # not remembered: the disk cache may know it
        return self._memo[key]

    def go_offline(self) -> None:
        """No more requests: warn (once) and answer from the disk cache only."""
        if not self.client.offline:
            self.client.offline = True
            self._warn(OFFLINE_WARNING)
        self.went_offline = True

    def reachable(self) -> bool:
        """One small uncached request; False (after the one warning) if Wikidata cannot be reached."""
        try:
            self.client._fetch({"action": "query", "meta": "siteinfo", "format": "json"})
        except Unreachable:
            self.go_offline()
            return False
        except StoreError:
            pass  # it answered, if not well: lookups will tell
        finally:
            self.client.reset_connections()
        return True


def _warn_on_stderr(message: str) -> None:
    import sys

    print(f"warning: {message}", file=sys.stderr, flush=True)
