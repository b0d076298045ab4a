"""The model's rule lemmatizer, the same lemmas for a fraction of the cost.

Two things make spaCy's rule lemmatizer slow on news text, neither of which
shapes its answers:

- it looks each candidate form up in a *list* of known words (57,528 nouns):
  a linear scan per unseen word; here the lists become sets (membership only);
- it caches its answers by (word, POS, morphology), except for words already in
  base form ("attack" as a singular noun), worked out again at every
  occurrence; here those answers are cached too (they depend on nothing else).
"""

from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.lookups import Table
from spacy.pipeline import Lemmatizer
from spacy.tokens import Token

__all__ = ["use_fast_lemmas"]


def _cached(lemmatize: Callable[[Token], list[str]], cache: dict) -> Callable[[Token], list[str]]:
    def rule_lemmatize(token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        found = cache.get(key)
        if found is None:
            found = lemmatize(token)
            if token.pos:  # no POS: spaCy warns (W108) each time; leave that path alone
                cache[key] = found
        return found

    return rule_lemmatize


def _index_as_sets(lemmatizer: Lemmatizer) -> None:
    index = lemmatizer.lookups.get_table("lemma_index", None)
    if index is None:
        return
    table = Table(name=index.name)
    for key, words in index.items():
        table[key] = frozenset(words)
    lemmatizer.lookups.set_table("lemma_index", table)


def use_fast_lemmas(nlp: Language, name: str = "lemmatizer") -> bool:
    """Speed up the pipeline's rule lemmatizer in place (same lemmas); returns
    whether it applied. The pipeline is not meant to be saved afterwards."""
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        return False
    _index_as_sets(lemmatizer)
    lemmatizer.lemmatize = _cached(lemmatizer.rule_lemmatize, lemmatizer.cache)
    return True
