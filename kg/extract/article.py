"""One article's extraction: the Doc goes in, frozen records come out.

The steps are pure functions; this module chains them and adds what needs
several of them at once: a claimant is the claimed attack's perpetrator; a
security force of an attack article is its responder; a speaker who tells
what they saw or heard is a witness.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from spacy.tokens import Doc

from kg.ingest.dateline import Dateline, parse_dateline
from kg.extract.tokens import ORIGINAL_TEXT
from kg.extract.arguments import describe
from kg.extract.claims import extract_claims
from kg.extract.context import ArticleContext, lex, time_mentions
from kg.extract.entities import Linker, extract_entities
from kg.extract.events import ATTACK_TYPES, described_responders, extract_events, find_victims, main_event
from kg.extract.figures import extract_figures
from kg.extract.roles import add_roles
from kg.extract.statements import extract_statements
from kg.link.kb import KnowledgeBase
from kg.records import Article, ArticleRecords, Claim, Described, Entity, Event, Participant, Statement

__all__ = ["extract_article"]


def _with(event: Event, extra: list[Participant]) -> Event:
    return replace(event, participants=tuple(dict.fromkeys([*event.participants, *extra])))


def _claimants_as_perpetrators(events: tuple[Event, ...], claims: tuple[Claim, ...]) -> tuple[Event, ...]:
    by_event: dict[str, list[Participant]] = {}
    for claim in claims:
        if claim.event:
            by_event.setdefault(claim.event, []).append(Participant(claim.claimant, "perpetrator"))
    return tuple(_with(e, by_event[e.id]) if e.id in by_event and e.type in ATTACK_TYPES else e for e in events)


def _is_official(entity: Entity | None) -> bool:
    from kg.paths import read_json

    heads = set(read_json("titles.json")["official_heads"])
    return entity is not None and any(w.lower() in heads for r in entity.roles for w in r.split())


def _witnesses(statements: tuple[Statement, ...], entities: tuple[Entity, ...]) -> list[str]:
    """Named people who tell in the first person what they saw or heard."""
    people = {e.key: e for e in entities if e.kind == "Person"}
    first, seen = lex("first_person"), lex("perception_verbs")
    out = []
    for statement in statements:
        entity = people.get(statement.speaker or "")
        words = {w.strip(".,;:!?\"“”'").lower() for w in statement.quote.split()}
        lemmas = {w[:-2] if w.endswith("ed") else w for w in words} | words
        perceived = bool(lemmas & seen) or any(w.startswith(("saw", "heard")) for w in words)
        if entity is not None and not _is_official(entity) and words & first and perceived:
            out.append(entity.key)
    return list(dict.fromkeys(out))


def _responders(events: tuple[Event, ...], entities: tuple[Entity, ...]) -> list[str]:
    taken = {p.entity for e in events for p in e.participants}
    return [e.key for e in entities if e.kind == "SecurityForce" and e.key not in taken]


def _add_main_roles(events: tuple[Event, ...], statements: tuple[Statement, ...],
                    entities: tuple[Entity, ...], victims: list[str], responders: list[str] = ()) -> tuple[Event, ...]:
    main = main_event(events)
    if main is None:
        return events
    extra = [Participant(k, "witness") for k in _witnesses(statements, entities)]
    extra += [Participant(k, "victim") for k in victims]
    if main.type in ATTACK_TYPES or main.type in ("HostageTaking", "Kidnapping"):
        extra += [Participant(k, "responder") for k in _responders(events, entities)]
        taken = {p.entity for e in events for p in e.participants}
        extra += [Participant(n, "responder", described=True) for n in responders if n not in taken]
    return tuple(_with(e, extra) if e.id == main.id else e for e in events)


def _same_attackers(events: tuple[Event, ...]) -> tuple[Event, ...]:
    """A hostage taking or kidnapping at the place of the article's attack, with no
    perpetrator of its own, is the attackers' doing ("the attackers held hostages")."""
    main = main_event(events)
    if main is None or main.type not in ATTACK_TYPES:
        return events
    culprits = [p for p in main.participants if p.role == "perpetrator"]
    out = []
    for event in events:
        own = any(p.role == "perpetrator" for p in event.participants)
        if event.type in ("HostageTaking", "Kidnapping") and not own and event.place == main.place and culprits:
            event = _with(event, culprits)
        out.append(event)
    return tuple(out)


def _taking_part(ctx: ArticleContext, events: tuple[Event, ...]) -> tuple[Described, ...]:
    """The described phrases that are some event's participants."""
    used = {p.entity for e in events for p in e.participants if p.described}
    return tuple(n for n in ctx.described.nodes if n.id in used) if ctx.described is not None else ()


def _local(published: dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
    """Relative times resolve on the article's own clock: a time zone is dropped,
    the wall-clock time kept (times in the text carry none either)."""
    if isinstance(published, dt.datetime) and published.tzinfo is not None:
        return published.replace(tzinfo=None)
    return published


def _anchor(published: dt.date | dt.datetime | None, dateline: Dateline | None) -> dt.date | dt.datetime | None:
    """The date the text's relative times ("on Saturday", "last week") count from: the
    dateline's date when it has one (the day the story was filed: "Lima, 31 Oct 88 --"),
    else the publication date."""
    filed = dateline.date if dateline is not None else None
    if filed is None:
        return published
    day = published.date() if isinstance(published, dt.datetime) else published
    return published if day == filed else filed


def extract_article(doc: Doc, article: Article, kb: KnowledgeBase, linker: Linker | None = None) -> ArticleRecords:
    """Entities, events, figures, statements and claims of a parsed article
    (``linker``: an online Wikidata look-up, with --online)."""
    doc.user_data[ORIGINAL_TEXT] = article.text  # the parser may have read kg.ingest.wire.readable(text)
    table = add_roles(doc, extract_entities(doc, kb, linker))
    dateline = parse_dateline(article.text)
    published = _anchor(_local(article.published), dateline)
    ctx = ArticleContext(doc, table, time_mentions(doc, published), published, dateline.end if dateline else 0,
                         describe(doc, table))
    events = extract_events(ctx)
    claims = extract_claims(ctx, events)
    statements = extract_statements(ctx)
    victims = [key for key, _ in find_victims(ctx)]
    events = _add_main_roles(_claimants_as_perpetrators(events, claims), statements, table.entities, victims,
                             described_responders(ctx))
    events = _same_attackers(events)
    figures = extract_figures(ctx, events, statements)
    return ArticleRecords(article=article, entities=table.entities, described=_taking_part(ctx, events), events=events,
                          figures=figures, statements=statements, claims=claims)
