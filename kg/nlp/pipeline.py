"""The spaCy pipeline: the statistical model, our gazetteer entity ruler, a
paragraph sentence splitter and a facility ruler. Patterns are data files in
``kg/data``; this module only assembles them.

Parse time and memory stay linear in a text's length whatever the text:
spaCy's tokenizer takes time quadratic in the length of a run without spaces
that it strips affixes from (8,000 '%' took 25 s), and makes a token of each
character of a punctuation run, so such runs (``LONG_WORD`` characters or
more, or 8 punctuation characters or more) are cut into tokens of half
``LONG_WORD`` instead. A text longer than ``PIECE_CHARS`` is cut into pieces
at paragraph breaks (``text_pieces``) that ``kg.run.longtext`` parses and
extracts one at a time. Texts below both limits (ordinary articles) are
parsed exactly as before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.errors import ModelError
from kg.ingest.dateline import dateline_end
from kg.nlp.attribute_ruler import use_indexed_attribute_ruler
from kg.nlp.lemmatizer import use_fast_lemmas
from kg.paths import DATA_DIR, DEFAULT_MODEL, read_json, read_jsonl, resolve_model_name

__all__ = [
    "load_pipeline",
    "gazetteer_patterns",
    "facility_patterns",
    "text_pieces",
    "PIECE_CHARS",
    "LONG_WORD",
]

#: Texts longer than this are parsed and extracted in pieces (time per character is flat up to here).
PIECE_CHARS = 50_000
#: Runs without whitespace this long or longer are cut into tokens by ``_LONG_PARTS``, not spaCy's rules.
LONG_WORD = 100
#: ... and so are runs of 8 or more punctuation characters ('%%%%%%%%', '--------'): spaCy would make a token of each.
_LONG_RUN = re.compile(r"\S{%d,}|[^\w\s]{8,}" % LONG_WORD)
_LONG_PARTS = re.compile(r"\S{1,%d}" % (LONG_WORD // 2))
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?]\s"), re.compile(r"\s"))

def gazetteer_patterns() -> list[dict[str, Any]]:
    """Every pattern of ``kg/data/gazetteer/*.jsonl``, sorted by file name."""
    patterns: list[dict[str, Any]] = []
    for path in sorted((DATA_DIR / "gazetteer").glob("*.jsonl")):
        patterns.extend(read_jsonl(f"gazetteer/{path.name}"))
    return patterns


def facility_patterns() -> list[dict[str, Any]]:
    """Token patterns "Proper Name + facility noun" ("Westgate shopping mall")."""
    data = read_json("facilities.json")
    name = {"POS": "PROPN", "ENT_TYPE": {"NOT_IN": data["not_entity_types"]}, "OP": "+"}
    modifier = {"LOWER": {"IN": data["modifiers"]}, "OP": "*"}
    head = {"LOWER": {"IN": data["heads"]}}
    return [{"label": "FAC", "pattern": [name, modifier, head], "id": "Facility"}]


@Language.component("kg_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """A blank line always ends a sentence (news paragraphs are sentences' bounds)."""
    body = dateline_end(doc.text)
    for token in doc[1:]:
        if body and token.idx == body:
            token.is_sent_start = True  # the dateline is no part of the first sentence
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and not (following.is_space or following.is_punct):
                following.is_sent_start = False  # no one-word sentence at a paragraph start
    return doc


class FacilityRuler:
    """Facility names ("Westgate shopping mall"): the token patterns of
    ``facility_patterns`` run only on the few words before each facility noun,
    not from every token of the text (the Matcher's cost on "+" patterns)."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.matcher.add("FAC", [p["pattern"] for p in facility_patterns()])
        self.heads = frozenset(read_json("facilities.json")["heads"])
        self.label = "FAC"
        self.kind = facility_patterns()[0]["id"]

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for token in doc:
            if token.lower_ not in self.heads:
                continue
            start = max(token.sent.start, token.i - _FACILITY_WINDOW)
            window = doc[start:token.i + 1]
            ends = [(s, e) for _, s, e in self.matcher(window) if start + e == token.i + 1]
            if ends:
                first = min(s for s, _ in ends) + start
                found.append(Span(doc, first, token.i + 1, label=self.label, span_id=self.kind))
        if found:
            doc.ents = filter_spans(found + [e for e in doc.ents if not any(_overlap(e, f) for f in found)])
        return doc


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


_FACILITY_WINDOW = 6


@Language.factory("kg_facilities")
def make_facility_ruler(nlp: Language, name: str) -> FacilityRuler:
    return FacilityRuler(nlp)


def _add_rulers(nlp: Language) -> None:
    before = "ner" if "ner" in nlp.pipe_names else None
    gazetteer = nlp.add_pipe(
        "entity_ruler",
        name="kg_gazetteer",
        before=before,
        config={"phrase_matcher_attr": "LOWER", "validate": True},
    )
    with nlp.select_pipes(enable=[]):  # phrase patterns need only the tokenizer
        gazetteer.add_patterns(gazetteer_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe("kg_facilities")


class LongRunTokenizer:
    """spaCy's tokenizer, except on runs of ``LONG_WORD`` or more non-space characters
    (no word of any language; a long URL) and runs of 8 or more punctuation characters,
    which become tokens of ``LONG_WORD // 2`` characters."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.vocab = inner.vocab

    def __call__(self, text: str) -> Doc:
        if _LONG_RUN.search(text) is None:
            return self.inner(text)
        docs, position = [], 0
        for run in _LONG_RUN.finditer(text):
            if run.start() > position:
                docs.append(self.inner(text[position:run.start()]))
            words = _LONG_PARTS.findall(run.group())
            docs.append(Doc(self.vocab, words=words, spaces=[False] * len(words)))
            position = run.end()
        if position < len(text):
            docs.append(self.inner(text[position:]))
        return Doc.from_docs([d for d in docs if len(d)], ensure_whitespace=False)

    def __getattr__(self, name: str) -> Any:  # rules, pipe(), to_disk() ... of the wrapped tokenizer
        return getattr(self.inner, name)


def text_pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters whose concatenation is ``text``:
    after a blank line if one falls in the second half of the window, else a newline,
    a sentence end, a space; else exactly at ``size``."""
    pieces, start = [], 0
    while len(text) - start > size:
        cut = _cut(text, start + size // 2, start + size)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _cut(text: str, low: int, high: int) -> int:
    window = text[low:high]
    for pattern in _CUTS:
        found = [m.end() for m in pattern.finditer(window)]
        if found:
            return low + found[-1]
    return high


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The model plus our components; cached per process (loading is slow)."""
    package = resolve_model_name(model)
    try:
        nlp = spacy.load(package)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"cannot load spaCy model '{model}': {exc}") from exc
    nlp.tokenizer = LongRunTokenizer(nlp.tokenizer)  # linear on long runs of punctuation
    use_indexed_attribute_ruler(nlp)  # same annotations, ~10x faster than the Matcher
    use_fast_lemmas(nlp)  # same lemmas, ~8x faster on a fresh process
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    _add_rulers(nlp)
    return nlp
