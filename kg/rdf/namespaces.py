"""Namespaces. Ontology terms are reached only through these objects.

``KGO`` is our own ontology (``ontology/event.ttl``); it is a closed
``DefinedNamespace``: a typo is an AttributeError, not a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "KGO",
    "SEM",
    "NIF",
    "ITSRDF",
    "TIME",
    "PROV",
    "SCHEMA",
    "WD",
    "ONTOLOGY_IRI",
    "DEFAULT_BASE",
    "PREFIXES",
]

DEFAULT_BASE = "https://w3id.org/kg-news/id/"
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-news/ontology")


class KGO(DefinedNamespace):
    """The kg event ontology."""

    _NS = Namespace("https://w3id.org/kg-news/ontology#")
    _fail = True

    # --- agents and places -------------------------------------------------
    Agent: URIRef
    Person: URIRef
    Organization: URIRef
    ArmedGroup: URIRef
    GovernmentBody: URIRef
    SecurityForce: URIRef
    Company: URIRef
    MediaOrganization: URIRef
    Group: URIRef  # nationalities, religious or political groups
    Place: URIRef
    Country: URIRef
    Region: URIRef
    City: URIRef
    Facility: URIRef
    Thing: URIRef  # named things of no other kind (category Other)
    # participants described, not named ("three hooded men", "the bridge", "a car bomb")
    Described: URIRef
    People: URIRef
    ArmedActor: URIRef
    SecurityPersonnel: URIRef
    PhysicalObject: URIRef
    Building: URIRef
    Vehicle: URIRef
    Infrastructure: URIRef
    Weapon: URIRef

    # --- events ------------------------------------------------------------
    Event: URIRef
    Attack: URIRef
    Bombing: URIRef
    Shooting: URIRef
    AirStrike: URIRef
    Stabbing: URIRef
    Arson: URIRef
    HostageTaking: URIRef
    Kidnapping: URIRef
    Rescue: URIRef
    Evacuation: URIRef
    Arrest: URIRef
    MilitaryOperation: URIRef
    ClaimOfResponsibility: URIRef
    Threat: URIRef
    Statement: URIRef
    Protest: URIRef
    Disaster: URIRef
    Flood: URIRef
    Fire: URIRef
    Earthquake: URIRef
    Storm: URIRef
    Accident: URIRef
    Death: URIRef
    Injury: URIRef
    Election: URIRef
    Meeting: URIRef
    LegalAction: URIRef

    # --- provenance and text -----------------------------------------------
    Article: URIRef
    Mention: URIRef
    Figure: URIRef
    Build: URIRef
    Story: URIRef  # one real-world incident, as the events of many articles report it

    # --- roles (sub-properties of sem:hasActor) ------------------------------
    participant: URIRef
    instrument: URIRef
    perpetrator: URIRef
    target: URIRef
    victim: URIRef
    responder: URIRef
    witness: URIRef
    speaker: URIRef
    claimant: URIRef

    # --- event properties ----------------------------------------------------
    place: URIRef  # sub-property of sem:hasPlace
    time: URIRef  # sub-property of sem:hasTime
    timeText: URIRef  # the time expression as written, when unresolved or kept
    claimedEvent: URIRef  # ClaimOfResponsibility -> Event
    motive: URIRef
    quote: URIRef
    channel: URIRef  # Statement -> Agent (an entity) ...
    channelLabel: URIRef  # ... or the channel as written ("emergency text message")
    direct: URIRef  # boolean: a direct quote or indirect speech
    speakerLabel: URIRef  # the speaker's label, repeated on the statement (a named one's as the build decided it)

    # --- figures -----------------------------------------------------------
    measure: URIRef
    value: URIRef
    minValue: URIRef
    maxValue: URIRef
    approximate: URIRef
    about: URIRef  # Figure -> Event
    reportedAt: URIRef
    unattributed: URIRef  # boolean true when no reporter was found
    victimsLabel: URIRef  # how the counted are described ("villagers")
    partOfFigure: URIRef  # a sub-count -> the figure it is part of

    # --- entities ----------------------------------------------------------
    category: URIRef
    key: URIRef  # the canonical key the IRI was minted from
    head: URIRef  # a described participant's head word
    count: URIRef  # how many a described participant is
    role: URIRef  # title or role of a person ("President")
    affiliation: URIRef  # Person -> Organization
    nationality: URIRef  # Person -> Country or Group
    locatedIn: URIRef  # Place -> Place (sub-property of schema:containedInPlace)

    # --- participations: one participant in one role of one event, as participants.rq shows it ----
    Participation: URIRef
    participationOf: URIRef  # Participation -> its event (or claim)
    agent: URIRef  # Participation -> the participant (entity, described node or source)
    roleName: URIRef  # "perpetrator", "victim", ... (the role property's local name)
    named: URIRef  # boolean: a named entity (not described, not an unnamed source)
    eventType: URIRef  # the event's class, repeated
    eventLabel: URIRef  # the event's label, repeated
    agentLabel: URIRef  # the agent's label, repeated (a named one's as the build decided it)
    agentKind: URIRef  # the local name of the agent's class, likewise

    # --- stories -----------------------------------------------------------
    story: URIRef  # an article's event -> the story (incident) it reports
    storyType: URIRef  # a story's event family (a kgo event class)

    # --- provenance --------------------------------------------------------
    mentionOf: URIRef  # Mention -> entity / event / figure / statement it evidences
    evidence: URIRef  # any record -> its Mention (a span)
    evidenceText: URIRef  # a figure's, statement's or claim's one evidence span: its text,
    evidenceStart: URIRef  # its start offset (an event's: its first span's)
    evidenceEnd: URIRef  # and its end offset, on the record itself
    article: URIRef  # any record -> its Article
    toolVersion: URIRef
    model: URIRef


SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")  # ITS 2.0 in RDF, as NIF uses it
TIME = Namespace("http://www.w3.org/2006/time#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

#: Prefixes bound in every graph we write and every query we run.
PREFIXES: dict[str, str] = {
    "kgo": str(KGO._NS),
    "sem": str(SEM),
    "nif": str(NIF),
    "itsrdf": str(ITSRDF),
    "time": "http://www.w3.org/2006/time#",
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "wd": str(WD),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
