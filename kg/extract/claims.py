"""Claims of responsibility: who claimed which event, and the motive they gave."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import ArticleContext, lex, span_of
from kg.extract.events import find_triggers, main_event
from kg.records import Claim, Event

__all__ = ["extract_claims", "motive_of"]


def _claimant(ctx: ArticleContext, token: Token) -> str | None:
    verb = token if token.pos_ == "VERB" else token.head
    for _ in range(3):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return ctx.agent(subject)
        if verb.head.i == verb.i:
            break
        verb = verb.head
    return None


def _claimed_token(token: Token) -> Token | None:
    """'responsibility for the attack' -> attack."""
    for node in token.subtree:
        if node.lower_ == "for" and node.dep_ == "prep":
            return next((c for c in node.children if c.dep_ == "pobj"), None)
    return None


def motive_of(token: Token) -> str | None:
    """'saying it was retribution for X' -> 'retribution for X'; without such a
    word, what the claimant said while claiming ('saying it had targeted X')."""
    nouns = lex("motive_nouns")
    for node in token.sent:
        if node.i > token.i and (node.lemma_.lower() in nouns or node.lemma_.lower() == "avenge"):
            return _phrase_from(node)
    verb = token if token.pos_ == "VERB" else token.head
    for child in verb.children:
        if child.dep_ == "advcl" and child.lemma_.lower() in ("say", "add", "state", "explain"):
            content = next((c for c in child.children if c.dep_ == "ccomp"), None)
            if content is not None:
                return _phrase_from(content.left_edge)
    return None


def _phrase_from(node: Token) -> str:
    """From a word to the end of its phrase: its subtree, stretched to the next
    comma or the sentence end (the parser often cuts "retribution for X’ 2011 push")."""
    doc, sentence = node.doc, node.sent
    end = node.right_edge.i + 1
    while end < sentence.end and not (doc[end].is_punct and doc[end].text in ",;:.!?—–") and not doc[end].is_space:
        end += 1
    return doc[node.i:end].text.strip(" .,;")


def _event_of(events: tuple[Event, ...], token: Token | None) -> str | None:
    if token is not None:
        for event in events:
            if any(s.start == token.idx for s in event.triggers):
                return event.id
    main = main_event(events)
    return main.id if main else None


def extract_claims(ctx: ArticleContext, events: tuple[Event, ...]) -> tuple[Claim, ...]:
    out = []
    for trigger in find_triggers(ctx.doc):
        if trigger.type != "ClaimOfResponsibility":
            continue
        token = ctx.doc[trigger.token]
        claimant = _claimant(ctx, token)
        if claimant is None or claimant.startswith("~"):
            continue
        sentence = token.sent
        out.append(Claim(
            span=span_of(ctx.doc, sentence.start, sentence.end), claimant=claimant,
            event=_event_of(events, _claimed_token(token)), motive=motive_of(token),
        ))
    return tuple(out)
