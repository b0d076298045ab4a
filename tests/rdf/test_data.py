"""The data files of kg/data are checked when they load: a class the ontology lacks or a
pattern spaCy rejects is an error at start-up that names the file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from spacy.matcher import DependencyMatcher, Matcher
from spacy.vocab import Vocab

from kg.errors import DataError
from kg.link.kb import KB_KINDS
from kg.nlp.patterns import add_pattern, check_token_pattern
from kg.paths import DATA_DIR, read_json
from kg.rdf import ontology
from kg.rdf.ontology import category_of, check_data, classes


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of kg/data to break."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _replace_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _line_with(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_shipped_data_names_only_classes_of_the_ontology():
    check_data(DATA_DIR)


@pytest.mark.parametrize("name, old, new, what", [
    ("events/triggers.jsonl", '"Bombing"', '"Bombng"', "event type"),  # a typo
    ("events/dependency.jsonl", '"ClaimOfResponsibility"', '"City"', "event type"),  # a class, but no event
    ("gazetteer/media.jsonl", '"MediaOrganization"', '"MediaOrganisation"', "class"),
])
def test_a_class_of_a_jsonl_data_file_the_ontology_lacks_is_named_by_file_and_line(data_copy, name, old, new, what):
    path = data_copy / name
    line = _line_with(path, old)
    _replace_line(path, line, old, new)
    with pytest.raises(DataError, match=rf"kg/data/{name}:{line}: unknown {what} '{new[1:-1]}'"):
        check_data(data_copy)


def test_a_line_that_is_no_json_is_named_by_file_and_line(data_copy):
    triggers = data_copy / "events" / "triggers.jsonl"
    _replace_line(triggers, 3, "{", "{{")
    with pytest.raises(DataError, match=r"kg/data/events/triggers\.jsonl:3: invalid JSON"):
        check_data(data_copy)


@pytest.mark.parametrize("name, key, old, new", [
    ("names.json", "label_kinds", '"Region"', '"Regoin"'),
    ("arguments.json", "kinds", '"ArmedActor"', '"ArmedActors"'),
    ("lexicon.json", "verb_events", '"Rescue"', '"Rescues"'),
    ("org_kinds.json", "SecurityForce", '"SecurityForce"', '"SecurityForces"'),
])
def test_a_class_of_a_json_data_file_the_ontology_lacks_is_named_by_file_and_line(data_copy, name, key, old, new):
    path = data_copy / name
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if old in text and n >= _line_with(path, f'"{key}"'))
    _replace_line(path, line, old, new)
    with pytest.raises(DataError, match=rf"kg/data/{name}:{line}: unknown (class|event type) '{new[1:-1]}'"):
        check_data(data_copy)


def test_wikidata_types_put_each_kind_in_the_ontologys_category(data_copy):
    path = data_copy / "wikidata_types.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["categories"]["Place"].append("Company")
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    with pytest.raises(DataError, match=r"'Company' is listed under 'Place', but the ontology makes it 'Organization'"):
        check_data(data_copy)


def test_the_kinds_of_knowledge_base_rows_are_classes_of_the_ontology():
    assert KB_KINDS <= classes()
    assert {category_of(kind) for kind in KB_KINDS} <= {"Person", "Organization", "Place", "Group"}


def test_each_bound_word_is_a_word_of_a_modifier_or_a_determiner():
    """quantity_words.json: the words an amount is widened over come from its own phrases."""
    words = read_json("quantity_words.json")
    phrases = [*words["modifiers"], *words["determiners"]]
    assert set(words["bound_words"]) <= {w for phrase in phrases for w in phrase.split()}


@pytest.mark.parametrize("pattern, reason", [
    ([{"LEMA": "attack"}], "LEMA"),
    ([{"LEMMA": {"IN": "attack"}}], "LEMMA"),
])
def test_a_token_pattern_spacy_rejects_is_named_by_where_it_stands(pattern, reason):
    where = "kg/data/events/triggers.jsonl:7"
    with pytest.raises(DataError, match=rf"^kg/data/events/triggers\.jsonl:7: invalid pattern: .*{reason}"):
        add_pattern(Matcher(Vocab(), validate=True), "T0", pattern, where)
    with pytest.raises(DataError, match=rf"^kg/data/events/triggers\.jsonl:7: invalid token pattern: .*{reason}"):
        check_token_pattern(pattern, where)


def test_a_dependency_pattern_without_its_parent_is_named_by_where_it_stands():
    pattern = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "claim"}},
               {"LEFT_ID": "nowhere", "REL_OP": ">", "RIGHT_ID": "object", "RIGHT_ATTRS": {"LEMMA": "credit"}}]
    with pytest.raises(DataError, match=r"^kg/data/events/dependency\.jsonl:2: invalid pattern"):
        add_pattern(DependencyMatcher(Vocab(), validate=True), "D0", pattern, "kg/data/events/dependency.jsonl:2")


def test_a_build_with_a_broken_data_file_stops_before_it_writes_anything(data_copy, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli.app import app

    triggers = data_copy / "events" / "triggers.jsonl"
    _replace_line(triggers, 1, '"Attack"', '"Atack"')
    monkeypatch.setattr(ontology, "DATA_DIR", data_copy)
    check_data.cache_clear()
    try:
        result = CliRunner().invoke(app, ["build", str(Path(__file__).resolve().parents[2] / "seeds"), "-o", str(tmp_path / "out"),
                                          "--no-cache"])
    finally:
        check_data.cache_clear()
    assert result.exit_code == 2
    assert "kg/data/events/triggers.jsonl:1: unknown event type 'Atack'" in result.output
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").glob("graph.*"))


def test_invalid_json_in_a_json_data_file_is_named_by_file_and_line(data_copy):
    names = data_copy / "names.json"
    _replace_line(names, 3, ":", "::")
    with pytest.raises(DataError, match=r"^kg/data/names\.json:3: invalid JSON"):
        check_data(data_copy)
