"""The pipeline: gazetteer and facility rulers with the real model."""

from __future__ import annotations

import pytest

from kg.errors import ModelError
from kg.nlp.pipeline import facility_patterns, gazetteer_patterns
from kg.paths import resolve_model_name

pytestmark = pytest.mark.model


@pytest.mark.parametrize("text, name, label, kind", [
    ("al-Shabab gunmen stormed the building.", "al-Shabab", "ORG", "ArmedGroup"),
    ("Fighters of Al-Shabaab said so.", "Al-Shabaab", "ORG", "ArmedGroup"),
    ("Soldiers of the Kenya Defense Forces arrived.", "Kenya Defense Forces", "ORG", "SecurityForce"),
    ("Gunmen attacked the Westgate shopping mall on Saturday.", "Westgate shopping mall", "FAC", "Facility"),
    ("Police sealed off the Taj Mahal Palace hotel.", "Taj Mahal Palace hotel", "FAC", "Facility"),
    ("A statement from the Taliban was read.", "Taliban", "ORG", "ArmedGroup"),
])
def test_rulers_tag_domain_names(nlp, text, name, label, kind):
    doc = nlp(text)
    found = [(e.text, e.label_, e.ent_id_) for e in doc.ents if e.text == name]
    assert found == [(name, label, kind)], [(e.text, e.label_) for e in doc.ents]


def test_a_nationality_before_a_common_noun_is_no_facility(nlp):
    doc = nlp("Shots rang out from the upscale Kenyan mall.")
    assert not [e for e in doc.ents if e.label_ == "FAC"]


def test_a_blank_line_ends_a_sentence(nlp):
    doc = nlp("He arrived on Sunday morning\n\nKenyans and foreigners were among the dead.")
    assert [s.text.strip() for s in doc.sents][-1].startswith("Kenyans")


def test_patterns_are_data():
    assert len(gazetteer_patterns()) > 300
    assert facility_patterns()[0]["label"] == "FAC"


def test_an_unknown_model_is_a_user_error():
    with pytest.raises(ModelError, match="not installed"):
        resolve_model_name("xx_no_such_model")
