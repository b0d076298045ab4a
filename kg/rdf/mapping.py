"""Records -> RDF. The only module that knows the ontology's shape.

``article_triples`` maps one article's records to triples of its named graph;
``entity_facts`` states what an entity is (type, label, category, key, Wikidata
link: a build writes the ones ``kg.link.canon`` decided into every article graph that
names the entity); ``build_triples`` describes the build activity. Every IRI comes from
``kg.rdf.iri.mint``; no blank nodes, so output is a pure function of content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.rdf.iri import content_hash, mint
from kg.rdf.namespaces import ITSRDF, KGO, NIF, PROV, SCHEMA, SEM, TIME, WD
from kg.records import (
    Article,
    ArticleRecords,
    Claim,
    Described,
    Entity,
    EntityFacts,
    Event,
    Figure,
    Participant,
    Span,
    Statement,
    TimeValue,
)

__all__ = ["Triple", "Minter", "lit", "article_triples", "entity_facts", "facts_of", "build_triples", "graph_iri",
           "story_triples", "BUILD_GRAPH", "Reference", "reference_facts", "named_references"]

Triple = tuple[URIRef, URIRef, "URIRef | ox.Literal"]
_BOOLEAN = ox.NamedNode(str(XSD.boolean))


@lru_cache(maxsize=64)
def _datatype(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value: str | int | bool, datatype: URIRef | None = None) -> ox.Literal:
    """A literal, built directly as a pyoxigraph term (the writers' own type)."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=_BOOLEAN)
    if datatype is not None:
        return ox.Literal(str(value), datatype=_datatype(str(datatype)))
    return ox.Literal(str(value))
BUILD_GRAPH = "build"


@dataclass(frozen=True)
class Minter:
    """IRIs of one article's nodes under a base."""

    base: str
    article_id: str

    def article(self) -> URIRef:
        return mint(self.base, "article", self.article_id)

    def node(self, kind: str, local: str) -> URIRef:
        """A node of the article: ``article/<id>-<kind>-<local>`` (one path segment,
        so Turtle can write it as ``article:<id>-event-attack-11``)."""
        return mint(self.base, "article", f"{self.article_id}-{kind}-{local}")

    def entity(self, key: str) -> URIRef:
        if key.startswith("~"):  # an unnamed source of this article ("witnesses")
            return self.node("source", key[1:])
        return mint(self.base, "entity", key)

    def mention(self, span: Span) -> URIRef:
        return self.node("mention", f"{span.start}-{span.end}")


def graph_iri(base: str, article_id: str) -> URIRef:
    """The named graph holding what one article says."""
    return mint(base, "graph", article_id)


def _date_literal(value: dt.date | dt.datetime) -> ox.Literal:
    if isinstance(value, dt.datetime):
        return lit(value.isoformat(), datatype=XSD.dateTime)
    return lit(value.isoformat(), datatype=XSD.date)


def _instant(node: URIRef, value: dt.date | dt.datetime) -> Iterator[Triple]:
    yield node, RDF.type, TIME.Instant
    prop = TIME.inXSDDateTime if isinstance(value, dt.datetime) else TIME.inXSDDate
    yield node, prop, _date_literal(value)


def time_triples(m: Minter, value: TimeValue) -> tuple[URIRef | None, list[Triple]]:
    """A time node for a resolved time: an Instant, or an Interval of two Instants."""
    if value.begin is None:
        return None, []
    local = value.begin.isoformat() + ("_" + value.end.isoformat() if value.end and value.end != value.begin else "")
    node = m.node("time", local)
    triples: list[Triple] = [(node, RDFS.label, lit(value.text))]
    if value.end is None or value.end == value.begin:
        return node, triples + list(_instant(node, value.begin))
    begin, end = m.node("time", value.begin.isoformat()), m.node("time", value.end.isoformat())
    triples += [(node, RDF.type, TIME.Interval), (node, TIME.hasBeginning, begin), (node, TIME.hasEnd, end)]
    return node, triples + list(_instant(begin, value.begin)) + list(_instant(end, value.end))


def _mention(m: Minter, span: Span, of: URIRef, kind: str | None = None) -> Iterator[Triple]:
    """A mention; of an entity, with the class this article reads it as (``itsrdf:taClassRef``)."""
    node = m.mention(span)
    yield node, RDF.type, KGO.Mention
    if kind:
        yield node, ITSRDF.taClassRef, getattr(KGO, kind)
    yield node, NIF.beginIndex, lit(span.start, datatype=XSD.nonNegativeInteger)
    yield node, NIF.endIndex, lit(span.end, datatype=XSD.nonNegativeInteger)
    yield node, NIF.anchorOf, lit(span.text)
    yield node, NIF.referenceContext, m.article()
    yield node, KGO.mentionOf, of


def _evidence(m: Minter, node: URIRef, spans: tuple[Span, ...]) -> Iterator[Triple]:
    yield node, KGO.article, m.article()
    for span in spans:
        yield node, KGO.evidence, m.mention(span)
        yield from _mention(m, span, node)


def _evidence_span(m: Minter, node: URIRef, span: Span) -> Iterator[Triple]:
    """The one span a figure, statement or claim is read from, and its text and offsets
    on the node itself: a question reads them there, without a hop to the mention."""
    yield from _evidence(m, node, (span,))
    yield node, KGO.evidenceText, lit(span.text)
    yield node, KGO.evidenceStart, lit(span.start, datatype=XSD.nonNegativeInteger)
    yield node, KGO.evidenceEnd, lit(span.end, datatype=XSD.nonNegativeInteger)


def article_node(m: Minter, article: Article) -> Iterator[Triple]:
    node = m.article()
    yield node, RDF.type, KGO.Article
    yield node, RDF.type, NIF.Context
    yield node, SCHEMA.identifier, lit(article.id)
    yield node, NIF.isString, lit(article.text)
    yield node, NIF.beginIndex, lit(0, datatype=XSD.nonNegativeInteger)
    yield node, NIF.endIndex, lit(len(article.text), datatype=XSD.nonNegativeInteger)
    if article.title:
        yield node, SCHEMA.headline, lit(article.title)
    if article.url:
        yield node, SCHEMA.url, lit(article.url, datatype=XSD.anyURI)
    if article.published:
        yield node, SCHEMA.datePublished, _date_literal(article.published)


def facts_of(entity: Entity) -> EntityFacts:
    """The article's own reading of an entity."""
    return EntityFacts(entity.key, entity.label, entity.kind, entity.category, entity.wikidata)


def entity_facts(m: Minter, facts: EntityFacts) -> Iterator[Triple]:
    """What an entity is: one class, label, category, key, and its Wikidata item."""
    node = m.entity(facts.key)
    yield node, RDF.type, getattr(KGO, facts.kind)
    yield node, RDFS.label, lit(facts.label)
    yield node, KGO.category, lit(facts.category)
    yield node, KGO.key, lit(facts.key)
    if facts.wikidata:
        yield node, OWL.sameAs, WD[facts.wikidata]


def entity_triples(m: Minter, entity: Entity, facts: bool = True) -> Iterator[Triple]:
    """An entity as one article describes it: roles, links, mentions (and, with ``facts``,
    the article's own reading of what it is)."""
    node = m.entity(entity.key)
    if facts:
        yield from entity_facts(m, facts_of(entity))
    for role in entity.roles:
        yield node, KGO.role, lit(role)
    for prop, key in ((KGO.affiliation, entity.affiliation), (KGO.nationality, entity.nationality),
                      (KGO.locatedIn, entity.located_in)):
        if key:
            yield node, prop, m.entity(key)
    for mention in entity.mentions:
        yield from _mention(m, mention.span, node, entity.kind)


def described_triples(m: Minter, node: Described) -> Iterator[Triple]:
    """A participant described, not named: a node of its article."""
    iri = m.node("described", node.id)
    yield iri, RDF.type, getattr(KGO, node.kind)
    yield iri, RDFS.label, lit(node.label)
    yield iri, KGO.head, lit(node.head)
    yield iri, KGO.article, m.article()
    if node.count is not None:
        yield iri, KGO.count, lit(node.count, datatype=XSD.nonNegativeInteger)
    if node.affiliation:
        yield iri, KGO.affiliation, m.entity(node.affiliation)
    for span in node.mentions:
        yield from _mention(m, span, iri)


def _participant(m: Minter, participant: Participant) -> URIRef:
    if participant.described:
        return m.node("described", participant.entity)
    return m.entity(participant.entity)


def _source(m: Minter, key: str | None) -> Iterator[Triple]:
    if key and key.startswith("~"):
        node = m.entity(key)
        yield node, RDF.type, KGO.Agent
        yield node, RDFS.label, lit(key[1:])


def _time(m: Minter, node: URIRef, prop: URIRef, value: TimeValue | None) -> Iterator[Triple]:
    if value is None:
        return
    time_node, triples = time_triples(m, value)
    yield from triples
    if time_node is not None:
        yield node, prop, time_node
    else:
        yield node, KGO.timeText, lit(value.text)


@dataclass(frozen=True)
class Agent:
    """What a participation shows of its agent, when the article decides it: a participant it
    describes, an unnamed source. A named entity's label and class are the build's (kg.link.canon)."""

    label: str
    kind: str


def _agent_of(participant: Participant, described: dict[str, Described],
              readings: dict[str, EntityFacts] | None) -> Agent | None:
    if participant.described:
        node = described.get(participant.entity)
        return Agent(node.label, node.kind) if node else None
    if participant.entity.startswith("~"):
        return Agent(participant.entity[1:], "Agent")
    facts = readings.get(participant.entity) if readings is not None else None
    return Agent(facts.label, facts.kind) if facts else None


def participation_local(event_local: str, participant: Participant) -> str:
    """The participation node's local name: its event, role and agent (content, not position)."""
    agent = ("d:" if participant.described else "e:") + participant.entity
    return f"{event_local}-{participant.role}-{content_hash(agent, 6)}"


def participation_triples(m: Minter, event_node: URIRef, event_local: str, event_type: str, event_label: str,
                          participant: Participant, agent: Agent | None) -> Iterator[Triple]:
    """One participant in one role of one event, with what participants.rq shows of it: the role as
    a name, the event's class and label, and (``agent``, else written by the build) the agent's."""
    node = m.node("participation", participation_local(event_local, participant))
    yield node, RDF.type, KGO.Participation
    yield node, KGO.participationOf, event_node
    yield node, KGO.agent, _participant(m, participant)
    yield node, KGO.roleName, lit(participant.role)
    yield node, KGO.named, lit(not participant.described and not participant.entity.startswith("~"))
    yield node, KGO.eventType, getattr(KGO, event_type)
    yield node, KGO.eventLabel, lit(event_label)
    if agent is not None:
        yield from agent_triples(node, agent)


def agent_triples(node: URIRef, agent: Agent) -> Iterator[Triple]:
    yield node, KGO.agentLabel, lit(agent.label)
    yield node, KGO.agentKind, lit(agent.kind)


#: A node of an article that repeats what a named entity is, and the entity: (node kind, local name, key).
Reference = tuple[str, str, str]


def reference_facts(m: Minter, reference: Reference, facts: EntityFacts) -> Iterator[Triple]:
    """What a node repeats of the named entity it refers to, as the build decided it: a
    participation its agent's label and class, a statement its speaker's label."""
    kind, local, _ = reference
    node = m.node(kind, local)
    if kind == "participation":
        yield from agent_triples(node, Agent(facts.label, facts.kind))
    elif kind == "statement":
        yield node, KGO.speakerLabel, lit(facts.label)


def named_references(records: ArticleRecords) -> tuple[Reference, ...]:
    """Every node of the article that repeats what a named entity is (``reference_facts``):
    the build writes those facts once it has decided them (kg.link.canon)."""
    out = [("participation", participation_local(f"event-{e.id}", p), p.entity)
           for e in records.events for p in e.participants if not p.described and not p.entity.startswith("~")]
    out += [("participation", participation_local(_claim_local(c), Participant(c.claimant, "claimant")), c.claimant)
            for c in records.claims]
    out += [("statement", _statement_local(st), st.speaker) for st in records.statements
            if st.speaker and not st.speaker.startswith("~")]
    return tuple(dict.fromkeys(out))


def event_triples(m: Minter, event: Event, described: dict[str, Described] | None = None,
                  readings: dict[str, EntityFacts] | None = None) -> Iterator[Triple]:
    node = m.node("event", event.id)
    yield node, RDF.type, getattr(KGO, event.type)
    yield node, RDFS.label, lit(event.label)
    for participant in event.participants:
        yield node, getattr(KGO, participant.role), _participant(m, participant)
        if not participant.described:
            yield from _source(m, participant.entity)
        yield from participation_triples(m, node, f"event-{event.id}", event.type, event.label, participant,
                                         _agent_of(participant, described or {}, readings))
    if event.place:
        yield node, KGO.place, m.entity(event.place)
    yield from _time(m, node, KGO.time, event.time)
    yield from _evidence(m, node, event.triggers)
    if event.triggers:  # where the article first reports it: questions order by it
        yield node, KGO.evidenceStart, lit(min(s.start for s in event.triggers), datatype=XSD.nonNegativeInteger)


def _figure_node(m: Minter, figure: Figure, index: int):
    return m.node("figure", f"{figure.span.start}-{figure.span.end}-{figure.measure}-{index}")


def figure_triples(m: Minter, figure: Figure, index: int, figures: tuple[Figure, ...] = ()) -> Iterator[Triple]:
    node = _figure_node(m, figure, index)
    q = figure.quantity
    yield node, RDF.type, KGO.Figure
    yield node, KGO.measure, lit(figure.measure)
    for prop, number in ((KGO.value, q.value), (KGO.minValue, q.min), (KGO.maxValue, q.max)):
        if number is not None:
            yield node, prop, lit(number, datatype=XSD.integer)
    yield node, KGO.approximate, lit(q.approximate)
    if figure.event:
        yield node, KGO.about, m.node("event", figure.event)
    if figure.reporter:
        yield node, PROV.wasAttributedTo, m.entity(figure.reporter)
        yield from _source(m, figure.reporter)
    else:
        yield node, KGO.unattributed, lit(True)
    if figure.victims:
        yield node, KGO.victimsLabel, lit(figure.victims)
    if figure.part_of is not None and 0 <= figure.part_of < len(figures) and figure.part_of != index:
        yield node, KGO.partOfFigure, _figure_node(m, figures[figure.part_of], figure.part_of)
    yield from _time(m, node, KGO.reportedAt, figure.reported_at)
    yield from _evidence_span(m, node, figure.span)


def _statement_local(statement: Statement) -> str:
    # two quotes of one sentence share its span: the quote tells them apart
    return f"{statement.span.start}-{statement.span.end}-{content_hash(statement.quote, 6)}"


def statement_triples(m: Minter, statement: Statement,
                      readings: dict[str, EntityFacts] | None = None) -> Iterator[Triple]:
    node = m.node("statement", _statement_local(statement))
    yield node, RDF.type, KGO.Statement
    yield node, RDFS.label, lit(statement.quote if len(statement.quote) <= 60 else statement.quote[:57] + "...")
    yield node, KGO.quote, lit(statement.quote)
    yield node, KGO.direct, lit(statement.direct)
    if statement.speaker:
        yield node, KGO.speaker, m.entity(statement.speaker)
        yield from _source(m, statement.speaker)
        # the speaker's label repeated (statements.rq reads it here); a named one's is the build's
        if statement.speaker.startswith("~"):
            yield node, KGO.speakerLabel, lit(statement.speaker[1:])
        elif readings is not None and statement.speaker in readings:
            yield node, KGO.speakerLabel, lit(readings[statement.speaker].label)
    if statement.channel and statement.channel.startswith("@"):
        yield node, KGO.channel, m.entity(statement.channel[1:])
    elif statement.channel:
        yield node, KGO.channelLabel, lit(statement.channel)
    yield from _time(m, node, KGO.reportedAt, statement.reported_at)
    yield from _time(m, node, KGO.time, statement.reported_at)
    yield from _evidence_span(m, node, statement.span)


def _claim_local(claim: Claim) -> str:
    return f"claim-{claim.span.start}-{claim.span.end}-{content_hash(claim.claimant, 6)}"


def claim_triples(m: Minter, claim: Claim, claimant_label: str,
                  readings: dict[str, EntityFacts] | None = None) -> Iterator[Triple]:
    local = _claim_local(claim)
    node = m.node("claim", local.removeprefix("claim-"))
    label = f"Claim of responsibility by {claimant_label}"
    yield node, RDF.type, KGO.ClaimOfResponsibility
    yield node, RDFS.label, lit(label)
    yield node, KGO.claimant, m.entity(claim.claimant)
    claimant = Participant(claim.claimant, "claimant")
    yield from participation_triples(m, node, local, "ClaimOfResponsibility", label, claimant,
                                     _agent_of(claimant, {}, readings))
    if claim.event:
        yield node, KGO.claimedEvent, m.node("event", claim.event)
    if claim.motive:
        yield node, KGO.motive, lit(claim.motive)
    yield from _evidence_span(m, node, claim.span)


def article_triples(records: ArticleRecords, base: str, entity_facts: bool = True) -> Iterator[Triple]:
    """Every triple of one article's named graph; without ``entity_facts``, what its
    entities are is left to the build (kg.link.canon), which decides it across articles."""
    m = Minter(base, records.article.id)
    yield from article_node(m, records.article)
    for entity in records.entities:
        yield from entity_triples(m, entity, entity_facts)
    for node in records.described:
        yield from described_triples(m, node)
    described = {node.id: node for node in records.described}
    readings = {e.key: facts_of(e) for e in records.entities} if entity_facts else None
    for event in records.events:
        yield from event_triples(m, event, described, readings)
    for index, figure in enumerate(records.figures):
        yield from figure_triples(m, figure, index, records.figures)
    for statement in records.statements:
        yield from statement_triples(m, statement, readings)
    labels = {e.key: e.label for e in records.entities}
    for claim in records.claims:
        yield from claim_triples(m, claim, labels.get(claim.claimant, claim.claimant), readings)


def story_triples(m: Minter, event_id: str, story) -> Iterator[Triple]:
    """An article event's link to its story (``kg.link.stories.Story``), and what the story is:
    written into each article graph that reports it, so shards merge by union."""
    node = mint(m.base, "story", story.key)
    yield m.node("event", event_id), KGO.story, node
    yield node, RDF.type, KGO.Story
    yield node, RDFS.label, lit(story.label)
    yield node, KGO.storyType, getattr(KGO, story.family)
    if story.place:
        yield node, SEM.hasPlace, m.entity(story.place)
    yield node, SCHEMA.subjectOf, m.article()


def build_iri(base: str, version: str, model: str) -> URIRef:
    return mint(base, "build", content_hash(f"{version}|{model}|{base}", 12))


def build_triples(base: str, version: str, model: str, article_ids: list[str],
                  when: dt.datetime | None = None) -> Iterator[Triple]:
    """The PROV-O build activity: tool version, model, (time), and what it generated."""
    node = build_iri(base, version, model)
    yield node, RDF.type, KGO.Build
    yield node, RDFS.label, lit(f"kg {version} build with {model}")
    yield node, KGO.toolVersion, lit(version)
    yield node, KGO.model, lit(model)
    if when is not None:
        yield node, PROV.endedAtTime, lit(when.isoformat(), datatype=XSD.dateTime)
    for article_id in article_ids:
        yield graph_iri(base, article_id), PROV.wasGeneratedBy, node
