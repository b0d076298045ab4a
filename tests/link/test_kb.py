"""Tests for the offline Wikidata KB (kg/data/wikidata.tsv) and the gazetteer."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from kg.link.kb import DEFAULT_KB_PATH, KB_KINDS, KbEntry, KnowledgeBase, load_kb, normalize_name

DATA_DIR = Path(__file__).resolve().parents[2] / "kg" / "data"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
GAZETTEER_FILES = (
    "armed_groups.jsonl",
    "security_forces.jsonl",
    "government_bodies.jsonl",
    "media.jsonl",
    "companies.jsonl",
    "places.jsonl",
)
NER_LABELS = {"ORG", "GPE", "LOC", "FAC", "NORP", "PERSON"}
GAZETTEER_KINDS = KB_KINDS | {"Facility"}
SEED_QIDS = {
    "Q114": "Kenya",
    "Q1045": "Somalia",
    "Q801": "Israel",
    "Q142": "France",
    "Q16": "Canada",
    "Q30": "United States",
    "Q3870": "Nairobi",
    "Q40469": "Associated Press",
    "Q918": "Twitter",
    "Q483915": "Nike",
    "Q3895": "Adidas",
}
QID_RE = re.compile(r"^Q[1-9][0-9]*$")

# Names deliberately shared by two entries of the same kind: none at present.
# Add ("kind", "normalised name") pairs here, with a reason, if one is needed.
SHARED_NAME_EXCEPTIONS: set[tuple[str, str]] = set()


def _rows() -> list[dict[str, str]]:
    with DEFAULT_KB_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


# --------------------------------------------------------------------- file


def test_header_and_columns() -> None:
    with DEFAULT_KB_PATH.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n")
        assert header == "qid\tlabel\tkind\taliases\tdemonyms\tsource"
        for lineno, line in enumerate(fh, start=2):
            assert line.count("\t") == 5, f"line {lineno}: expected 6 columns"


def test_rows_are_well_formed() -> None:
    rows = _rows()
    assert len(rows) >= 250
    for row in rows:
        assert QID_RE.match(row["qid"]), row
        assert row["kind"] in KB_KINDS, row
        assert row["label"].strip(), row
        assert row["source"].strip(), row


def test_no_duplicate_qids() -> None:
    qids = [row["qid"] for row in _rows()]
    assert len(qids) == len(set(qids))


def test_seed_qids_present() -> None:
    kb = load_kb()
    for qid, name in SEED_QIDS.items():
        entry = kb.get(qid)
        assert entry is not None, qid
        assert normalize_name(name) in {normalize_name(n) for n in entry.names}


def test_no_name_shared_within_a_kind() -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in load_kb():
        for name in entry.names:
            owners[(entry.kind, normalize_name(name))].add(entry.qid)
    clashes = {
        key: qids
        for key, qids in owners.items()
        if len(qids) > 1 and key not in SHARED_NAME_EXCEPTIONS
    }
    assert not clashes


def test_no_demonym_shared() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in load_kb():
        for demonym in entry.demonyms:
            owners[normalize_name(demonym)].add(entry.qid)
    assert not {d: q for d, q in owners.items() if len(q) > 1}


def test_most_sovereign_countries_present() -> None:
    countries = [e for e in load_kb() if e.kind == "Country"]
    assert len(countries) >= 190
    assert all(e.demonyms for e in countries if e.qid not in {"Q971", "Q784", "Q237"})


# ------------------------------------------------------------------- loader


@pytest.mark.parametrize(
    ("word", "qid"),
    [
        ("French", "Q142"),
        ("Frenchmen", "Q142"),
        ("Canadian", "Q16"),
        ("Israeli", "Q801"),
        ("Israelis", "Q801"),
        ("Kenyans", "Q114"),
        ("Kenyan", "Q114"),
        ("Somali", "Q1045"),
        ("American", "Q30"),
        ("british", "Q145"),
    ],
)
def test_by_demonym(word: str, qid: str) -> None:
    entry = load_kb().by_demonym(word)
    assert entry is not None and entry.qid == qid


def test_by_demonym_unknown() -> None:
    assert load_kb().by_demonym("Martian") is None


@pytest.mark.parametrize(
    ("name", "qid"),
    [
        ("U.S.", "Q30"),
        ("US", "Q30"),
        ("the United States", "Q30"),
        ("AP", "Q40469"),
        ("The Associated Press", "Q40469"),
        ("Nairobi", "Q3870"),
        ("Kenya", "Q114"),
        ("Côte d\u2019Ivoire", "Q1008"),
        ("United  Nations", "Q1065"),
        ("al\u2013Qaeda", "Q34490"),
        ("NATO", "Q7184"),
        ("Nike Inc.", "Q483915"),
    ],
)
def test_by_name(name: str, qid: str) -> None:
    assert qid in {e.qid for e in load_kb().by_name(name)}


def test_by_name_unknown_and_case() -> None:
    kb = load_kb()
    assert kb.by_name("Atlantis") == []
    assert [e.qid for e in kb.by_name("kenya")] == ["Q114"]


def test_get_iter_len() -> None:
    kb = load_kb()
    assert len(kb) == len(_rows())
    assert sum(1 for _ in kb) == len(kb)
    france = kb.get("Q142")
    assert isinstance(france, KbEntry) and france.kind == "Country"
    assert kb.get("Q999999999999") is None
    assert "Q142" in kb


def test_load_kb_cached_and_explicit_path(tmp_path: Path) -> None:
    assert load_kb() is load_kb()
    assert load_kb(DEFAULT_KB_PATH) is load_kb()
    small = tmp_path / "kb.tsv"
    small.write_text(
        "qid\tlabel\tkind\taliases\tdemonyms\tsource\n"
        "Q142\tFrance\tCountry\tFrench Republic\tFrench\ttest\n",
        encoding="utf-8",
    )
    kb = load_kb(small)
    assert isinstance(kb, KnowledgeBase) and len(kb) == 1
    assert kb.by_demonym("french") is kb.get("Q142")


def test_bad_rows_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(
        "qid\tlabel\tkind\taliases\tdemonyms\tsource\nX1\tFoo\tCountry\t\t\tt\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError):
        load_kb(bad)


def test_normalize_name() -> None:
    assert normalize_name("  The  Gaza\u2014Strip ") == "gaza-strip"
    assert normalize_name("Al\u2019Qaeda") == "al'qaeda"


# ---------------------------------------------------------------- gazetteer


def _gazetteer_patterns() -> list[dict[str, str]]:
    patterns: list[dict[str, str]] = []
    for name in GAZETTEER_FILES:
        with (GAZETTEER_DIR / name).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    patterns.append(json.loads(line))
    return patterns


@pytest.mark.parametrize("name", GAZETTEER_FILES)
def test_gazetteer_file_valid(name: str) -> None:
    path = GAZETTEER_DIR / name
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert 30 <= len(lines) <= 400
    for line in lines:
        item = json.loads(line)
        assert set(item) == {"label", "pattern", "id"}, item
        assert item["label"] in NER_LABELS, item
        assert item["id"] in GAZETTEER_KINDS, item
        assert isinstance(item["pattern"], str) and item["pattern"].strip(), item


def test_gazetteer_no_conflicting_duplicates() -> None:
    seen: dict[str, tuple[str, str]] = {}
    for item in _gazetteer_patterns():
        key = item["pattern"].casefold()
        value = (item["label"], item["id"])
        assert seen.setdefault(key, value) == value, item["pattern"]


@pytest.fixture(scope="module")
def ruler_nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(_gazetteer_patterns())
    return nlp


@pytest.mark.parametrize(
    ("text", "span", "label", "kind"),
    [
        ("Al-Shabab gunmen attacked the mall.", "Al-Shabab", "ORG", "ArmedGroup"),
        ("Al Shabaab claimed the attack.", "Al Shabaab", "ORG", "ArmedGroup"),
        ("the Kenya Defense Forces arrived", "Kenya Defense Forces", "ORG", "SecurityForce"),
        ("Kenya Defence Forces soldiers", "Kenya Defence Forces", "ORG", "SecurityForce"),
        ("A spokesman for the Israel Defense Forces said", "Israel Defense Forces", "ORG", "SecurityForce"),
        ("Hezbollah fired rockets", "Hezbollah", "ORG", "ArmedGroup"),
        ("the interior ministry said", "interior ministry", "ORG", "GovernmentBody"),
        ("The White House declined", "White House", "ORG", "GovernmentBody"),
        ("the Associated Press reported", "Associated Press", "ORG", "MediaOrganization"),
        ("he wrote on Twitter", "Twitter", "ORG", "MediaOrganization"),
        ("Royal Dutch Shell shares fell", "Royal Dutch Shell", "ORG", "Company"),
        ("rockets fired from the Gaza Strip", "Gaza Strip", "GPE", "Region"),
        ("troops near Tora Bora", "Tora Bora", "LOC", "Region"),
        ("a blast in Mogadishu", "Mogadishu", "GPE", "City"),
    ],
)
def test_gazetteer_in_spacy(ruler_nlp, text: str, span: str, label: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    doc = ruler_nlp(text)
    found = {(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents}
    assert (span, label, kind) in found, found


def test_gazetteer_avoids_common_words(ruler_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = ruler_nlp("A shell hit the house and the apple tree burned in the amazon heat.")
    assert {ent.text.lower() for ent in doc.ents} <= {"apple"}
