"""Offline Wikidata knowledge base (``kg/data/wikidata.tsv``).

A small, verified slice of Wikidata used to link entity mentions found in news
articles (countries, cities, organisations, media, armed groups, ...) to QIDs
without network access. Every row records where its QID was verified
(``source`` column; see ``kg/data/wikidata-sources.md``).

Lookups are exact (no fuzzy matching) on a normalised form of the name:
case-folded, Unicode NFKC, dashes and apostrophes unified, whitespace
collapsed and a leading ``"the "`` dropped.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import DataError
from kg.paths import DATA_DIR

__all__ = [
    "DEFAULT_KB_PATH",
    "KB_KINDS",
    "KbEntry",
    "KnowledgeBase",
    "load_kb",
    "normalize_name",
    "name_form",
]

DEFAULT_KB_PATH = DATA_DIR / "wikidata.tsv"

#: Ontology class local names a KB row may carry in its ``kind`` column.
KB_KINDS: frozenset[str] = frozenset(
    {
        "Country",
        "Region",
        "City",
        "Facility",
        "Person",
        "Organization",
        "ArmedGroup",
        "GovernmentBody",
        "SecurityForce",
        "Company",
        "MediaOrganization",
        "Group",
    }
)

_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u02bc\u02b9\u0060\u00b4\u2032"), "'")
_SPACE_RE = re.compile(r"\s+")
_DASH_RUN_RE = re.compile(r"-+")
_DASH_SPACE_RE = re.compile(r"\s*-\s*")


def name_form(name: str) -> str:
    """The one comparison form of a name in kg: NFKC, one dash (a run of dashes is one
    '-') and one apostrophe, spaces collapsed, case-folded, no leading 'the'.

    The knowledge base looks names up by ``normalize_name`` (this, and no spaces around
    a dash); entities compare their mentions by ``kg.extract.entities.normalise_name``
    (this, less a possessive and the punctuation at its ends).
    """
    text = unicodedata.normalize("NFKC", name)
    text = text.translate(_DASHES).translate(_APOSTROPHES)
    text = _SPACE_RE.sub(" ", text).strip().casefold()
    text = _DASH_RUN_RE.sub("-", text)
    if text.startswith("the "):
        text = text[4:]
    return text


def normalize_name(name: str) -> str:
    """A surface form as the knowledge base matches it: ``name_form``, and no spaces around a dash.

    >>> normalize_name("  The  Kenya\u2013Somalia border ")
    'kenya-somalia border'
    >>> normalize_name("Côte d\u2019Ivoire")
    "côte d'ivoire"
    """
    return _DASH_SPACE_RE.sub("-", name_form(name))


@dataclass(frozen=True)
class KbEntry:
    """One Wikidata item of the offline knowledge base."""

    qid: str
    label: str
    kind: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    country: str | None = None  # the country a city is the capital of, where its source says so

    @property
    def names(self) -> tuple[str, ...]:
        """The label followed by all aliases."""
        return (self.label, *self.aliases)


class KnowledgeBase:
    """In-memory index over :class:`KbEntry` rows."""

    def __init__(self, entries: list[KbEntry] | tuple[KbEntry, ...]) -> None:
        self._entries: tuple[KbEntry, ...] = tuple(entries)
        self._by_qid: dict[str, KbEntry] = {}
        self._by_name: dict[str, list[KbEntry]] = {}
        self._by_demonym: dict[str, KbEntry] = {}
        for entry in self._entries:
            if entry.qid in self._by_qid:
                raise ValueError(f"duplicate QID in knowledge base: {entry.qid}")
            self._by_qid[entry.qid] = entry
            for name in entry.names:
                key = normalize_name(name)
                if not key:
                    continue
                bucket = self._by_name.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)
            for demonym in entry.demonyms:
                key = normalize_name(demonym)
                if key:
                    # first row wins; the data file keeps demonyms unambiguous
                    self._by_demonym.setdefault(key, entry)

    @classmethod
    def from_tsv(cls, path: Path) -> KnowledgeBase:
        """Parse ``qid label kind aliases demonyms source`` TSV (with header)."""
        entries: list[KbEntry] = []
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            for lineno, row in enumerate(reader, start=2):
                qid = (row.get("qid") or "").strip()
                kind = (row.get("kind") or "").strip()
                label = (row.get("label") or "").strip()
                if not _QID_RE.match(qid):
                    raise DataError(f"{path}:{lineno}: bad QID {qid!r}: give Q and digits")
                if kind not in KB_KINDS:
                    raise DataError(f"{path}:{lineno}: unknown kind {kind!r}: use one of {', '.join(sorted(KB_KINDS))}")
                if not label:
                    raise DataError(f"{path}:{lineno}: empty label: give the item's English label")
                entries.append(
                    KbEntry(
                        qid=qid,
                        label=label,
                        kind=kind,
                        aliases=_split(row.get("aliases")),
                        demonyms=_split(row.get("demonyms")),
                        country=_capital_of(row.get("source")) if kind == "City" else None,
                    )
                )
        return cls(entries)

    def by_name(self, name: str) -> list[KbEntry]:
        """Entries whose label or an alias equals ``name`` after normalisation."""
        return list(self._by_name.get(normalize_name(name), ()))

    def by_demonym(self, word: str) -> KbEntry | None:
        """The entry a demonym refers to: ``"French"`` -> France, ``"Kenyans"`` -> Kenya."""
        return self._by_demonym.get(normalize_name(word))

    def get(self, qid: str) -> KbEntry | None:
        """The entry with this QID, if any."""
        return self._by_qid.get(qid)

    def __contains__(self, qid: object) -> bool:
        return qid in self._by_qid

    def __iter__(self) -> Iterator[KbEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


_CAPITAL_RE = re.compile(r"\(capital of (Q[1-9][0-9]*)\)")


def _capital_of(source: str | None) -> str | None:
    """'… countries.js (capital of Q114)' -> 'Q114': the row was verified as that country's capital."""
    found = _CAPITAL_RE.search(source or "")
    return found.group(1) if found else None


def _split(field: str | None) -> tuple[str, ...]:
    if not field:
        return ()
    return tuple(part.strip() for part in field.split("|") if part.strip())


@lru_cache(maxsize=1)
def _load_default() -> KnowledgeBase:
    return KnowledgeBase.from_tsv(DEFAULT_KB_PATH)


def load_kb(path: Path | None = None) -> KnowledgeBase:
    """Load the knowledge base; the default file is parsed once and cached."""
    if path is None or Path(path).resolve() == DEFAULT_KB_PATH:
        return _load_default()
    return KnowledgeBase.from_tsv(Path(path))
