"""Typed values passed between pipeline stages.

Everything here is a frozen dataclass of plain Python values: no spaCy and no
rdflib object crosses a stage boundary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "Article",
    "Span",
    "Quantity",
    "TimeValue",
    "Mention",
    "Entity",
    "EntityFacts",
    "Participant",
    "Described",
    "Event",
    "Figure",
    "Statement",
    "Claim",
    "ArticleRecords",
    "CATEGORIES",
    "MAX_ARTICLE_CHARS",
]

#: Longest article text (characters) a build parses: spaCy's default ``nlp.max_length``.
MAX_ARTICLE_CHARS = 1_000_000

#: The coarse categories of the query contract.
CATEGORIES = ("Person", "Organization", "Place", "Group", "Other")


@dataclass(frozen=True)
class Article:
    """One news article as read from the input, before any NLP."""

    id: str
    text: str
    published: dt.date | dt.datetime | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None  # file path (and line) it came from, for messages


@dataclass(frozen=True)
class Span:
    """A character span of an article's text: text == article.text[start:end]."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Quantity:
    """A reported amount: exact value, or bounds, and whether it is approximate."""

    value: int | None = None
    min: int | None = None
    max: int | None = None
    approximate: bool = False


@dataclass(frozen=True)
class TimeValue:
    """A time expression resolved (or not) against the publication date.

    ``begin``/``end`` are dates or datetimes; both None when unresolved, in
    which case ``text`` is all we know.
    """

    text: str
    begin: dt.date | dt.datetime | None = None
    end: dt.date | dt.datetime | None = None

    @property
    def resolved(self) -> bool:
        return self.begin is not None


@dataclass(frozen=True)
class Mention:
    """One occurrence of a named entity in the article."""

    span: Span
    label: str  # spaCy / ruler label (PERSON, ORG, GPE, NORP, FAC, LOC, ...)
    kind: str  # ontology class local name: Person, ArmedGroup, City, ...


@dataclass(frozen=True)
class Entity:
    """An entity of one article: its mentions merged by in-article coreference."""

    key: str  # canonical key, stable across articles (see kg.resolve)
    label: str  # canonical label
    kind: str  # ontology class local name
    category: str  # one of CATEGORIES
    mentions: tuple[Mention, ...]
    wikidata: str | None = None  # "Q114"
    roles: tuple[str, ...] = ()  # titles: "Interior Cabinet Secretary", "President"
    affiliation: str | None = None  # key of an organisation entity
    nationality: str | None = None  # key of a country / group entity
    located_in: str | None = None  # key of a containing place entity


@dataclass(frozen=True)
class EntityFacts:
    """What an entity is: one label, one class, its category, its Wikidata item.

    An article's own reading of an entity, or (kg.link.canon) the one truth a build
    decides from all its articles' readings.
    """

    key: str
    label: str
    kind: str  # ontology class local name
    category: str  # one of CATEGORIES
    wikidata: str | None = None  # "Q114"


@dataclass(frozen=True)
class Participant:
    entity: str  # entity key, or a Described.id when ``described``
    role: str  # perpetrator, target, victim, instrument, responder, witness, participant
    described: bool = False


@dataclass(frozen=True)
class Described:
    """A participant the article describes without naming: "three hooded men",
    "the electric tower", "a car bomb". A node of its article, not of the build."""

    id: str  # article-local, from its first mention's offset
    label: str  # the phrase as written
    head: str  # its head word (lemma)
    kind: str  # ontology class local name: People, ArmedActor, Building, Weapon, ...
    mentions: tuple[Span, ...]
    count: int | None = None  # "five hooded men" -> 5
    affiliation: str | None = None  # entity key: "FMLN urban guerrillas" -> the FMLN


@dataclass(frozen=True)
class Event:
    id: str  # article-local id, stable for the same text ("e1", from its first trigger span)
    type: str  # ontology class local name: Attack, HostageTaking, ...
    label: str
    triggers: tuple[Span, ...]
    participants: tuple[Participant, ...] = ()
    place: str | None = None  # entity key
    time: TimeValue | None = None
    named: bool = False  # a named or past event ("Operation Linda Nchi")


@dataclass(frozen=True)
class Figure:
    measure: str  # killed, injured, rescued, hostages, attackers, ...
    quantity: Quantity
    span: Span
    event: str | None = None  # Event.id
    reporter: str | None = None  # entity key; None = unattributed
    reported_at: TimeValue | None = None
    victims: str | None = None  # how the counted are described: "villagers", "Palestinian children"
    part_of: int | None = None  # a sub-count ("six of them children"): index of its figure in the article's figures


@dataclass(frozen=True)
class Statement:
    span: Span  # the whole sentence or quote region
    quote: str
    speaker: str | None = None  # entity key
    reported_at: TimeValue | None = None
    channel: str | None = None  # "emergency text message", "Channel 2" (entity key when an entity)
    direct: bool = True


@dataclass(frozen=True)
class Claim:
    span: Span
    claimant: str  # entity key
    event: str | None = None  # Event.id
    motive: str | None = None


@dataclass(frozen=True)
class ArticleRecords:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    described: tuple[Described, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()
    statements: tuple[Statement, ...] = ()
    claims: tuple[Claim, ...] = ()
