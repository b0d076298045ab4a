"""Statements: direct quotes (straight or curly quotation marks) and indirect
speech ("X said that ..."), with speaker, channel and time."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span as SpacySpan, Token

from kg.extract.tokens import original_text, text_of, tokens_of
from kg.extract.context import ArticleContext, lex, span_of
from kg.records import Span, Statement

__all__ = ["quote_regions", "extract_statements", "speech_verb_of"]

_QUOTES = re.compile(r"“([^”\n]{1,3000})”|\"([^\"\n]{1,3000})\"|«([^»\n]{1,3000})»")
_MIN_WORDS = 3


@dataclass(frozen=True)
class _Quote:
    start: int  # characters, quote marks included
    end: int
    text: str  # without the marks


def quote_regions(text: str) -> list[_Quote]:
    """Quoted passages within one paragraph, in order."""
    out = []
    for match in _QUOTES.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        if inner.strip():
            out.append(_Quote(match.start(), match.end(), inner.strip()))
    return out


def _inside(token: Token, quotes: list[_Quote]) -> bool:
    return any(q.start <= token.idx < q.end for q in quotes)


def speech_verb_of(tokens: list[Token]) -> Token | None:
    """The verb that attributes a quote: a speech verb, not as a to-infinitive
    ("it is not to say that…", "refused to say": no one is quoted)."""
    speech = lex("speech_verbs")
    verbs = [t for t in tokens if t.lemma_.lower() in speech and t.pos_ in ("VERB", "AUX") and not _infinitive(t)]
    return verbs[0] if verbs else None


def _infinitive(verb: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children)


def _subject(verb: Token) -> Token | None:
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.is_alpha), None)
    if subject is None and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.i != verb.i:
        return _subject(verb.head)  # "..., saying it was retribution"
    return subject


def _channel(ctx: ArticleContext, verb: Token) -> tuple[str | None, Token | None]:
    """'in an emergency text message', 'on its Twitter feed', 'told Channel 2':
    the channel (an entity as '@key', or its words) and its head token."""
    nouns, preps = lex("channel_nouns"), lex("channel_preps")
    subject = _subject(verb)
    holders = [verb] + ([subject] if subject is not None and subject.head.i == verb.i else [])
    for holder in holders:
        for child in holder.children:
            if child.dep_ in ("dobj", "dative") and verb.lemma_.lower() == "tell":
                own = ctx.table.at(child.i)  # "Channel 2" is the entity; in "ABC radio" the radio is the channel
                key = own if own is not None or child.lemma_.lower() in nouns else ctx.entity_at(child)
                entity = ctx.table.get(key) if key else None
                if entity is not None and entity.category == "Organization":
                    return "@" + entity.key, child
                if child.pos_ == "PROPN" or child.lemma_.lower() in nouns:  # "told WBNS-TV", "told ABC radio"
                    words = [t for t in child.subtree if t.i <= child.i and t.dep_ not in ("det", "poss", "case")]
                    return ctx.doc[words[0].i:child.i + 1].text, child
            if child.dep_ == "prep" and child.lower_ in preps:
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    if pobj.lemma_.lower() in nouns or pobj.lower_ in nouns:
                        words = [t for t in pobj.subtree if t.dep_ not in ("det", "poss", "case") and t.i <= pobj.i]
                        return " ".join(t.text for t in words), pobj
    return None, None


def _statement(ctx: ArticleContext, verb: Token, quote: str, span: Span, direct: bool) -> Statement:
    subject = _subject(verb)
    speaker = ctx.agent(subject) if subject is not None else None
    channel, channel_token = _channel(ctx, verb)
    times = [m.value for m in ctx.times_of(verb)]
    if not times and channel_token is not None:  # "in a text message issued Sunday morning"
        inside = {t.i for t in channel_token.subtree}
        times = [m.value for m in ctx.times if m.start in inside]
    return Statement(span=span, quote=quote, speaker=speaker,
                     reported_at=times[0] if times else ctx.published_value(),
                     channel=channel, direct=direct)


def _sentences_of(doc: Doc, quote: _Quote) -> list[SpacySpan]:
    first = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if first is None:
        return []
    return list(dict.fromkeys(t.sent for t in (first[0], first[-1])))


def _direct(ctx: ArticleContext, quote: _Quote, quotes: list[_Quote]) -> tuple[Statement, Token | None] | None:
    sentences = _sentences_of(ctx.doc, quote)
    if not sentences:
        return None
    outside_last = [t for t in sentences[-1] if not _inside(t, quotes)]
    outside_first = [t for t in sentences[0] if not _inside(t, quotes)]
    verb = speech_verb_of(outside_last) or speech_verb_of(outside_first)
    if verb is None and len(quote.text.split()) < _MIN_WORDS:
        return None
    start = min(sentences[0].start_char, quote.start)
    end = max(sentences[-1].end_char, quote.end)
    piece = ctx.doc.char_span(start, end, alignment_mode="expand")
    span = span_of(ctx.doc, piece.start, piece.end) if piece is not None else Span(start, end, original_text(ctx.doc)[start:end])
    if verb is None:
        return Statement(span=span, quote=quote.text.rstrip(" ,;:"), reported_at=ctx.published_value()), None
    return _statement(ctx, verb, quote.text.rstrip(" ,;:"), span, True), verb


def _content(verb: Token) -> Token | None:
    """The reported clause: a ccomp after the verb ("said that ..."), else before it."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    after = [c for c in clauses if c.i > verb.i]
    return (after or clauses or [None])[0]


def _content_end(verb: Token, content: Token) -> int:
    """End of the reported content: its subtree, or the rest of the sentence when
    the content comes last (the parser often cuts "…retribution for X’ 2011 push")."""
    end = content.right_edge.i + 1
    sentence = verb.sent
    if content.i > verb.i:
        doc = sentence.doc
        stretch = end
        while stretch < sentence.end and not _clause_break(doc, stretch):
            stretch += 1
        while stretch > end and ctx_punct(doc[stretch - 1]):
            stretch -= 1
        end = max(end, stretch)
    return end


def _clause_break(doc: Doc, i: int) -> bool:
    """';', or ', but' / ', while': the next clause is not reported speech."""
    token = doc[i]
    if token.text in (";", ":"):
        return True
    return token.text == "," and i + 1 < len(doc) and doc[i + 1].pos_ in ("CCONJ", "SCONJ")


def ctx_punct(token: Token) -> bool:
    return token.is_punct or token.is_space


def _indirect(ctx: ArticleContext, verb: Token) -> tuple[Statement, range] | None:
    content = _content(verb)
    if content is None:
        return None
    start, end = content.left_edge.i, _content_end(verb, content)
    while start < end and ctx.doc[start].dep_ == "mark":
        start += 1  # drop the leading "that"
    quote = ctx.doc[start:end].text.strip().strip("“”\"").strip()
    subject = _subject(verb)
    first = min(verb.i, subject.left_edge.i if subject is not None and subject.head.i == verb.i else verb.i)
    statement = _statement(ctx, verb, quote, span_of(ctx.doc, min(first, start), max(end, verb.i + 1)), False)
    if statement.speaker is None or not quote:
        return None
    return statement, range(start, end)


def _according(ctx: ArticleContext, token: Token, quotes: list[_Quote]) -> Statement | None:
    """'..., according to Peter Nwosu, a UN spokesman': what the rest of the sentence says."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    speaker = ctx.agent(source) if source is not None else None
    if speaker is None or _inside(token, quotes):
        return None
    sentence = token.sent
    phrase = {t.i for t in token.subtree}
    words = [t for t in sentence if t.i not in phrase and not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    quote = ctx.doc[words[0].i:words[-1].i + 1].text if words else ""
    quote = quote.strip(" ,")
    if not quote:
        return None
    span = span_of(ctx.doc, sentence.start, sentence.end)
    return Statement(span=span, quote=quote, speaker=speaker, reported_at=ctx.published_value(), direct=False)


def extract_statements(ctx: ArticleContext) -> tuple[Statement, ...]:
    """Direct quotes first; then indirect speech whose verb no quote used and
    that is not itself reported inside another statement."""
    quotes = quote_regions(text_of(ctx.doc))
    used: set[int] = set()
    out: list[Statement] = []
    for quote in quotes:
        if _within_indirect(ctx, quote):
            continue  # a quoted phrase inside "X said that he had lost 'very close family'"
        found = _direct(ctx, quote, quotes)
        if found is not None:
            out.append(found[0])
            if found[1] is not None:
                used.add(found[1].i)
    speech = lex("speech_verbs")
    consumed: set[int] = set()
    for token in tokens_of(ctx.doc):
        if token.lemma_ not in speech or token.pos_ != "VERB" or token.i in used or token.i in consumed:
            continue
        if _infinitive(token):  # "declined to say whether…": nothing is stated
            continue
        if _inside(token, quotes):
            continue
        found_indirect = _indirect(ctx, token)
        if found_indirect is not None:
            out.append(found_indirect[0])
            consumed.update(found_indirect[1])
    for token in tokens_of(ctx.doc):
        if token.lower_ == "according" and token.i not in consumed:
            statement = _according(ctx, token, quotes)
            if statement is not None and all(s.span != statement.span for s in out):
                out.append(statement)
    return _continued(sorted(out, key=lambda s: (s.span.start, s.span.end)), text_of(ctx.doc))


def _continued(statements: list[Statement], text: str) -> tuple[Statement, ...]:
    """A quote with no attribution that follows a speaker's statement closely
    (the next sentence or paragraph) continues it: news quotes run on."""
    out: list[Statement] = []
    for statement in statements:
        previous = next((s for s in reversed(out) if s.speaker), None)
        if statement.speaker is None and statement.direct and previous is not None:
            gap = text[previous.span.end:statement.span.start]
            if len(gap) < 200 and gap.count("\n\n") <= 1:
                statement = replace(statement, speaker=previous.speaker, channel=previous.channel,
                                    reported_at=previous.reported_at)
        out.append(statement)
    return tuple(out)


def _within_indirect(ctx: ArticleContext, quote: _Quote) -> bool:
    """The quote is a fragment of a content clause that starts before it
    (he “heard the gunfire getting closer”)."""
    piece = ctx.doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if piece is None:
        return False
    speech = lex("speech_verbs")
    for token in piece:
        current = token
        for _ in range(12):
            head = current.head
            if current.dep_ == "ccomp" and head.lemma_.lower() in speech and not quote.start <= head.idx < quote.end:
                return current.left_edge.idx < quote.start
            if head.i == current.i:
                break
            current = head
    return False
