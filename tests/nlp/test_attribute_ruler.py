"""The indexed attribute ruler annotates exactly as spaCy's AttributeRuler does."""

from __future__ import annotations

import pytest
from spacy.lang.en import English
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.nlp.attribute_ruler import IndexedAttributeRuler, Unsupported, compile_index, use_indexed_attribute_ruler

WORDS = ["There", "is", "a", "man", "who", "gets", "it", ",", "y'", "all", "ai", "n't", "gon", "na", "\n\n", "Go", "."]
TAGS = ["EX", "VBZ", "DT", "NN", "WP", "VBZ", "PRP", ",", "PRP", "DT", "VBP", "RB", "VBG", "TO", "_SP", "VB", "."]
DEPS = ["expl", "ROOT", "det", "attr", "nsubj", "relcl", "dobj", "punct", "nsubj", "det", "ROOT", "neg", "aux",
        "aux", "dep", "ROOT", "punct"]

RULES = [  # (patterns, attrs, index): each kind of test the model's own rules use, and precedence
    ([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"}, 0),
    ([[{"TAG": {"IN": ["VBZ", "VBP"]}}]], {"POS": "VERB"}, 0),
    ([[{"LOWER": "gets", "TAG": "VBZ"}]], {"LEMMA": "get"}, 0),
    ([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], {"POS": "AUX"}, 1),
    ([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"}, 0),
    ([[{"TAG": {"IN": ["VBP"]}, "LOWER": "ai"}, {"LOWER": {"REGEX": "^n'?t$"}}]], {"LEMMA": "be"}, 0),
    ([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, -1),
    ([[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], {"POS": "SPACE", "TAG": "_SP"}, 0),
    ([[{"ORTH": "Go"}], [{"TAG": "."}]], {"POS": "X"}, 0),
    ([[{"TAG": "VBZ"}]], {"POS": "AUX"}, 0),  # a later rule wins over rule 1
]

ATTRIBUTES = ("tag_", "pos_", "morph", "lemma_", "dep_")


def _annotations(doc: Doc) -> list[tuple[str, ...]]:
    return [tuple(str(getattr(token, a)) for a in ATTRIBUTES) for token in doc]


def _rulers(rules):
    nlp = English()
    plain = AttributeRuler(nlp.vocab)
    indexed = IndexedAttributeRuler(nlp.vocab)
    for patterns, attrs, index in rules:
        plain.add(patterns, attrs, index)
        indexed.add(patterns, attrs, index)
    return nlp, plain, indexed


def _doc(vocab) -> Doc:
    return Doc(vocab, words=WORDS, tags=TAGS, deps=DEPS, heads=list(range(len(WORDS))))


@pytest.mark.filterwarnings("ignore:.*W036")
@pytest.mark.parametrize("rules", [RULES, RULES[:1], RULES[3:7], list(reversed(RULES)), []],
                         ids=["all", "tag-map", "multi-token", "reversed", "none"])
def test_same_annotations_as_spacys_ruler(rules):
    nlp, plain, indexed = _rulers(rules)
    assert indexed._current_index() is not None
    assert _annotations(indexed(_doc(nlp.vocab))) == _annotations(plain(_doc(nlp.vocab)))


def test_a_later_rule_wins():
    nlp, _, indexed = _rulers(RULES)
    doc = indexed(_doc(nlp.vocab))
    assert doc[5].pos_ == "AUX" and doc[5].lemma_ == "get"  # rules 1, 2 and 9 all matched "gets"
    assert doc[13].lemma_ == "to" and doc[1].pos_ == "AUX"  # negative index, multi-token


@pytest.mark.parametrize("pattern", [
    [{"TAG": "NN", "OP": "+"}],
    [{"POS": "NOUN"}],
    [{"ENT_TYPE": "GPE"}],
    [{"LOWER": {"FUZZY": "gets"}}],
    [{"LENGTH": 3}],
    [{}],
])
def test_patterns_the_index_cannot_express_keep_the_matcher(pattern):
    nlp, plain, indexed = _rulers(RULES + [([pattern], {"LEMMA": "odd"}, 0)])
    with pytest.raises(Unsupported):
        compile_index(plain)
    assert indexed._current_index() is None
    assert _annotations(indexed(_doc(nlp.vocab))) == _annotations(plain(_doc(nlp.vocab)))


def test_adding_a_rule_recompiles():
    nlp, plain, indexed = _rulers(RULES[:1])
    indexed(_doc(nlp.vocab))
    for ruler in (plain, indexed):
        ruler.add([[{"LOWER": "man"}]], {"LEMMA": "person"})
    assert _annotations(indexed(_doc(nlp.vocab))) == _annotations(plain(_doc(nlp.vocab)))


def test_a_ruler_that_is_not_spacys_is_left_alone():
    nlp = English()
    nlp.add_pipe("sentencizer", name="attribute_ruler")
    assert use_indexed_attribute_ruler(nlp) is False
    assert use_indexed_attribute_ruler(English()) is False


# --- with the real model: the whole pipeline, texts of any kind (tests/nlp/test_fast_pipeline.py) ---


@pytest.mark.model
def test_the_models_rules_all_compile(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler) and ruler._current_index() is not None
