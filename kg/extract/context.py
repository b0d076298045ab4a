"""What several extractors need from one parsed article: its time expressions,
who a subject token stands for, and the article's lexicon."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from kg.extract.arguments import DescribedTable
from kg.extract.entities import EntityTable
from kg.extract.tokens import ents_of, original_text, sentence_of, tokens_of
from kg.extract.timex import resolve_time
from kg.paths import read_json
from kg.records import Described, Span, TimeValue

__all__ = [
    "tokens_of",
    "governed_by",
    "CLAUSE_DEPS",
    "ARGUMENT_DEPS",
    "TimeMention",
    "ArticleContext",
    "lexicon",
    "time_mentions",
    "span_of",
    "clause_verb",
    "clause_tokens",
]

_TIME_LABELS = ("DATE", "TIME")
_TIME_GLUE = {"on", "of", ",", "at", "in", "the"}
#: Dependencies that open a nested clause: what lies beyond belongs to another clause.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "xcomp", "conj", "csubj", "csubjpass", "parataxis"})
#: ... or an argument: a time beyond them dates that argument, not the verb.
ARGUMENT_DEPS = CLAUSE_DEPS | {"nsubj", "nsubjpass", "dobj", "attr", "pcomp"}


def governed_by(token: Token, verb: Token, stops: frozenset[str] = CLAUSE_DEPS) -> bool:
    """The token depends on the verb without crossing a dependency in ``stops``
    ("said Sunday": yes; "said ... the 2011 push", with argument stops: no)."""
    current = token
    for _ in range(16):
        if current.i == verb.i:
            return True
        if current.head.i == current.i:
            return False
        if current.i != token.i and current.dep_ in stops:
            return False
        current = current.head
    return False


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return read_json("lexicon.json")


@lru_cache(maxsize=None)
def lex(name: str) -> frozenset[str]:
    return frozenset(lexicon()[name])


@dataclass(frozen=True)
class TimeMention:
    start: int  # token indices
    end: int
    value: TimeValue


def span_of(doc: Doc, start: int, end: int) -> Span:
    """A record span for tokens [start, end) of the doc, trimmed of outer spaces."""
    while end > start and doc[end - 1].is_space:
        end -= 1
    piece = doc[start:end]
    return Span(piece.start_char, piece.end_char, original_text(doc)[piece.start_char:piece.end_char])


def _weekday_pair(first, gap, second) -> bool:
    """'on Saturday and Sunday', 'Friday to Sunday': two days named as one span."""
    weekdays = _weekdays()
    return (len(gap) == 1 and gap[0].lower_ in ("and", "to", "through") and first[-1].lower_ in weekdays
            and second[0].lower_ in weekdays)


@lru_cache(maxsize=1)
def _weekdays() -> frozenset[str]:
    return frozenset(read_json("time_words.json")["weekdays"])


def _merged_time_spans(doc: Doc) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for ent in ents_of(doc):
        if ent.label_ not in _TIME_LABELS:
            continue
        if spans:
            gap = doc[spans[-1][1]:ent.start]
            joined = all(t.lower_ in _TIME_GLUE for t in gap) and len(gap) <= 2
            joined = joined or _weekday_pair(doc[spans[-1][0]:spans[-1][1]], gap, ent)
            same_sentence = doc[spans[-1][0]].sent.start == ent.sent.start
            if joined and same_sentence:
                spans[-1] = (spans[-1][0], ent.end)
                continue
        spans.append((ent.start, ent.end))
    return spans


@lru_cache(maxsize=1)
def _day_words() -> re.Pattern[str]:
    """A time expression that names a day: a weekday, a month, a day word ("yesterday",
    "last") of ``kg/data/time_words.json``, or a year or date in digits."""
    words = read_json("time_words.json")
    names = [*words["weekdays"], *words["months"], *words["month_abbreviations"], *words["day_words"]]
    alternation = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b|\d{{4}}|\d{{1,2}}/\d{{1,2}}", re.IGNORECASE)


def _on_day(value: TimeValue, day: dt.date) -> TimeValue:
    """A time of day moved to the day the text is talking about."""
    def move(point: dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
        if not isinstance(point, dt.datetime) or value.begin is None:
            return point
        shift = day - value.begin.date()  # type: ignore[union-attr]
        return point + shift
    return TimeValue(value.text, move(value.begin), move(value.end))


def time_mentions(doc: Doc, published: dt.date | dt.datetime | None) -> tuple[TimeMention, ...]:
    """DATE/TIME entities, neighbours joined ("shortly after noon on Saturday"), resolved.
    A bare time of day ("shortly before 9 a.m.") falls on the day last named in
    the same or the previous sentence, not on the publication date."""
    out: list[TimeMention] = []
    last_day: tuple[int, dt.date] | None = None  # (sentence start, day)
    for start, end in _merged_time_spans(doc):
        text = doc[start:end].text
        value = resolve_time(text, published)
        sentence = doc[start].sent
        if _day_words().search(text) and value.begin is not None:
            begin = value.begin
            last_day = (sentence.start, begin.date() if isinstance(begin, dt.datetime) else begin)
        elif isinstance(value.begin, dt.datetime) and last_day is not None and _near(doc, last_day[0], sentence):
            value = _on_day(value, last_day[1])
        out.append(TimeMention(start, end, value))
    return tuple(out)


def _near(doc: Doc, day_sentence: int, sentence) -> bool:
    if sentence.start == day_sentence:
        return True
    previous = doc[sentence.start - 1].sent if sentence.start > 0 else None
    return previous is not None and previous.start == day_sentence


def clause_tokens(token: Token) -> list[Token]:
    """The tokens of the clause a token is in (its clause verb's, not nested clauses'),
    then the token's own phrase; computed once per clause verb and doc."""
    verb = clause_verb(token)
    cache = token.doc.user_data.setdefault("kg_clauses", {})
    clause = cache.get(verb.i)
    if clause is None:
        clause = cache[verb.i] = [t for t in verb.subtree if governed_by(t, verb)]
    return clause + list(token.subtree)


def clause_verb(token: Token) -> Token:
    """The verb heading the clause a token is in (the token itself if a verb)."""
    current = token
    for _ in range(12):
        if current.pos_ in ("VERB", "AUX") or current.dep_ == "ROOT":
            return current
        current = current.head
    return current


@dataclass(frozen=True)
class ArticleContext:
    """One article's entities and times, with look-ups used by the extractors."""

    doc: Doc
    table: EntityTable
    times: tuple[TimeMention, ...]
    published: dt.date | dt.datetime | None
    body_start: int = 0  # characters before it are a dateline ("BOGOTÁ, Colombia —")
    described: DescribedTable | None = None  # participants described, not named

    def described_at(self, token: Token) -> Described | None:
        """The described participant a token heads ("three hooded men"), if any."""
        return self.described.at(token.i) if self.described is not None else None

    def in_dateline(self, token: Token) -> bool:
        return token.idx < self.body_start

    def entity_at(self, token: Token) -> str | None:
        """The entity a token (or its name compound/apposition) refers to."""
        if self.in_dateline(token):
            return None
        key = self.table.at(token.i)
        if key is not None:
            return key
        for child in token.children:
            if child.dep_ in ("appos", "compound", "flat", "nmod") and self.table.at(child.i):
                return self.table.at(child.i)
        return None

    def _last_entity(self, before: int, categories: tuple[str, ...], kinds: tuple[str, ...] = ()) -> str | None:
        best: tuple[int, str] | None = None
        for entity in self.table.entities:
            if entity.category not in categories or (kinds and entity.kind not in kinds):
                continue
            for mention in entity.mentions:
                if mention.span.end <= before and (best is None or mention.span.start > best[0]):
                    best = (mention.span.start, entity.key)
        return best[1] if best else None

    def last_person(self, before: int) -> str | None:
        return self._last_entity(before, ("Person",))

    def last_group(self, before: int) -> str | None:
        return (self._last_entity(before, ("Organization",), ("ArmedGroup",))
                or self._last_entity(before, ("Organization",)))

    def agent(self, token: Token) -> str | None:
        """Who a subject/object token stands for: an entity key, an unnamed source
        ("~witnesses"), or None."""
        key = self.entity_at(token)
        if key is not None:
            return key
        lower = token.lower_
        if lower in lex("person_pronouns"):
            return self.last_person(token.idx)
        if lower in lex("group_pronouns"):
            return self.last_group(token.idx)
        determiner = any(c.lower_ in ("the", "this", "that") for c in token.children if c.dep_ == "det")
        if token.lemma_.lower() in lex("group_anaphora") and determiner:
            return self.last_group(token.idx)
        if token.lemma_.lower() in lex("source_nouns") or lower in lex("source_nouns"):
            return "~" + self._source_phrase(token)
        return None

    def _source_phrase(self, token: Token) -> str:
        mods = [c for c in token.lefts if c.dep_ in ("amod", "compound", "nmod") and c.is_alpha]
        words = [t.text for t in sorted([*mods, token], key=lambda t: t.i)]
        return " ".join(words).lower()

    def times_of(self, verb: Token) -> list[TimeMention]:
        """Time expressions governed by a clause head, not by a nested clause
        (only those of its sentence can be)."""
        sentence = sentence_of(self.doc, verb.i)
        found = []
        for mention in self.times:
            if not sentence.start <= mention.start < sentence.end:
                continue
            head = self.doc[mention.start:mention.end].root
            if governed_by(head, verb, ARGUMENT_DEPS):
                found.append(mention)
        return found

    def published_value(self) -> TimeValue | None:
        if self.published is None:
            return None
        return TimeValue("publication date", self.published, self.published)
