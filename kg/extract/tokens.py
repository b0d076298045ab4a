"""Per-doc caches shared by the extractors."""

from __future__ import annotations

from spacy.tokens import Doc, Token

import bisect

from spacy.tokens import Span

__all__ = ["tokens_of", "sentence_of", "sentence_index", "ents_of", "text_of", "original_text", "ORIGINAL_TEXT"]

#: ``doc.user_data`` key of the article text as given, when the parser read a
#: same-length readable copy of it (kg.ingest.wire): spans quote the original.
ORIGINAL_TEXT = "kg_original_text"


def tokens_of(doc: Doc) -> list[Token]:
    """The doc's tokens as a list, made once per doc: loops over it do not
    re-create Token objects (several extractors scan every token)."""
    tokens = doc.user_data.get("kg_tokens")
    if tokens is None:
        tokens = doc.user_data["kg_tokens"] = list(doc)
    return tokens


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence of token i, from a per-doc list of sentences (faster than
    ``token.sent`` in loops over many tokens)."""
    cached = doc.user_data.get("kg_sents")
    if cached is None:
        sents = list(doc.sents)
        cached = doc.user_data["kg_sents"] = (sents, [s.start for s in sents])
    sents, starts = cached
    return sents[bisect.bisect_right(starts, i) - 1]


def sentence_index(doc: Doc, i: int) -> int:
    """The number of the sentence token i is in (0 for the first)."""
    sentence_of(doc, i)  # fills the per-doc cache
    return bisect.bisect_right(doc.user_data["kg_sents"][1], i) - 1


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """The doc's entity spans, made once per doc (``doc.ents`` builds them anew)."""
    ents = doc.user_data.get("kg_ents")
    if ents is None:
        ents = doc.user_data["kg_ents"] = tuple(doc.ents)
    return ents


def text_of(doc: Doc) -> str:
    """The doc's text, made once per doc (``doc.text`` joins every token anew)."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def original_text(doc: Doc) -> str:
    """The article text as given (same length and offsets as the doc's text)."""
    return doc.user_data.get(ORIGINAL_TEXT) or text_of(doc)
