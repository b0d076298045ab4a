"""kg's faster runs of the model's own components (the indexed attribute ruler,
the lemmatizer with set lookups and a full cache) annotate exactly as spaCy does."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.lang.en import English
from spacy.tokens import Doc

from kg.nlp.attribute_ruler import use_indexed_attribute_ruler
from kg.nlp.lemmatizer import use_fast_lemmas

from tests.conftest import SEEDS, lee_articles

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def model_pair():
    """The model as spaCy ships it, and the same model with kg's faster components."""
    import spacy

    from kg.paths import resolve_model_name

    name = resolve_model_name("en_core_web_sm")
    plain, fast = spacy.load(name), spacy.load(name)
    assert use_indexed_attribute_ruler(fast) and use_fast_lemmas(fast)
    return plain, fast


def _annotations(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_iob_, t.ent_type_) for t in doc]


def test_same_pipeline_output_on_the_seed_and_corpus(model_pair):
    plain, fast = model_pair
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    try:
        texts += lee_articles()[:80]
    except pytest.skip.Exception:
        pass
    for a, b in zip(plain.pipe(texts), fast.pipe(texts)):
        assert _annotations(a) == _annotations(b)


WORDS = ["gon", "na", "ai", "n't", "y'", "all", "There", "is", "got", "ta", "nothin'", "let", "'s", "c'm", "on",
         "a", "I", "’", ".", ",", "\n\n", "\t", "-", " ", "attacks", "attacked", "children", "better", "was",
         "mice", "wolves", "ran", "geese", "Kenyans", "data", "said", "says", "best", "worse"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join) | st.text(max_size=60))
def test_same_pipeline_output_on_any_text(model_pair, text):
    plain, fast = model_pair
    assert _annotations(fast(text)) == _annotations(plain(text))


def test_a_word_seen_again_is_answered_from_the_cache(model_pair):
    _, fast = model_pair
    lemmatizer = fast.get_pipe("lemmatizer")
    fast("The attack was an attack.")
    assert any(key[0] == fast.vocab.strings["attack"] for key in lemmatizer.cache)


def test_the_lemma_index_keeps_every_word(model_pair):
    plain, fast = model_pair
    before = plain.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    after = fast.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert {k: frozenset(v) for k, v in before.items()} == dict(after.items())


@pytest.mark.parametrize("make", [
    lambda: English(),
    lambda: _with(English(), "sentencizer", "lemmatizer"),
    lambda: _with(English(), "lemmatizer", "lemmatizer", {"mode": "lookup"}),
])
def test_other_pipelines_are_left_alone(make):
    assert use_fast_lemmas(make()) is False


def _with(nlp, factory, name, config=None):
    nlp.add_pipe(factory, name=name, config=config or {})
    return nlp


def test_the_kg_pipeline_uses_both(nlp):
    from kg.nlp.attribute_ruler import IndexedAttributeRuler

    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert "_cached" in nlp.get_pipe("lemmatizer").lemmatize.__qualname__
    assert isinstance(next(iter(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index").values())), frozenset)
