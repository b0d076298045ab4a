"""Incremental builds: each article's N-Quads kept under a key of everything that
shapes them (the article's content and metadata, kg's version, the model, the
base IRI and the data files). An unchanged article is not parsed again.

Entries are written atomically (temp file, then rename), so a build killed at
any moment leaves only whole entries behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import __version__
from kg.paths import DATA_DIR, ONTOLOGY_DIR
from kg.records import Article

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
