"""Incremental builds: each article's result (``kg.run.article.ArticleResult``: its
N-Quads, its entities' readings, its incident reports, its references to named entities) kept under a key of
everything that shapes it (the article's content and metadata, kg's version, the
model, the base IRI, the code and the data files). An unchanged article is not
parsed again.

An entry is one line ``# kg {JSON head}`` (id, readings, counts, reports, references) and the
N-Quads after it; an entry that does not read back is a miss.

Entries are written atomically (temp file, then rename), so a build killed at
any moment leaves only whole entries behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import __version__
from kg.link.canon import Reading
from kg.link.stories import Report
from kg.paths import DATA_DIR, ONTOLOGY_DIR
from kg.records import Article
from kg.run.article import ArticleResult

__all__ = ["Cache", "article_key", "setup_fingerprint"]


@lru_cache(maxsize=1)
def _data_fingerprint() -> str:
    """A digest of every data file and the ontology: changing a pattern invalidates the cache."""
    digest = hashlib.sha256()
    for folder in (DATA_DIR, ONTOLOGY_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _source_fingerprint() -> str:
    """The code itself: a changed extractor invalidates the cache too."""
    digest = hashlib.sha256()
    package = Path(__file__).parent.parent  # kg/, every subpackage's modules
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=8)
def setup_fingerprint(model: str, base: str) -> str:
    parts = (__version__, model, base, _data_fingerprint(), _source_fingerprint())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def article_key(article: Article, setup: str) -> str:
    fields = (setup, article.id, article.text, str(article.published or ""), article.title or "", article.url or "")
    digest = hashlib.sha256()
    for value in fields:
        digest.update(value.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass(frozen=True)
class Cache:
    """A folder of entries ``ab/abcdef….nq``."""

    root: Path

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.nq"

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def get_result(self, key: str) -> ArticleResult | None:
        """The article result kept under ``key`` (None when there is none, or it does not read back)."""
        return _decode(self.get(key))

    def put_result(self, key: str, result: ArticleResult) -> None:
        self.put(key, _encode(result))

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry.", suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _encode(result: ArticleResult) -> bytes:
    head = {"id": result.id, "readings": [r.encode() for r in result.readings], "events": result.events,
            "figures": result.figures, "statements": result.statements,
            "reports": [r.encode() for r in result.reports],
            "references": [list(r) for r in result.references]}
    return b"# kg " + json.dumps(head, ensure_ascii=True).encode() + b"\n" + result.nquads


def _decode(data: bytes | None) -> ArticleResult | None:
    if not data or not data.startswith(b"# kg "):
        return None
    head, _, nquads = data.partition(b"\n")
    try:
        meta = json.loads(head[5:])
        readings = tuple(Reading.decode(row) for row in meta["readings"])
        reports = tuple(Report.decode(row) for row in meta["reports"])
        references = tuple((str(kind), str(local), str(key)) for kind, local, key in meta["references"])
        return ArticleResult(meta["id"], nquads, readings, meta["events"], meta["figures"], meta["statements"],
                             reports=reports, references=references)
    except (ValueError, KeyError, TypeError):
        return None
