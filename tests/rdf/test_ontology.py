"""Tests of the ontology files: ontology/event.ttl, shapes.ttl, context.jsonld.

Fixtures live in this module (not in conftest.py) on purpose.

How pySHACL is called (pyshacl 0.40): the ontology is passed as ``ont_graph``
and the shapes as ``shacl_graph``, with no inference::

    pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
                     inference="none")

``ont_graph`` is mixed into a *copy* of the data graph (the caller's graph is
not modified), so sh:targetClass and sh:class follow the rdfs:subClassOf
hierarchy of event.ttl (kgo:ArmedGroup is checked as a kgo:Organization,
kgo:Statement as a kgo:Event, time:Instant counts as a time:TemporalEntity).
Untyped records are caught by the kgsh:Typed*Shape shapes. inference="rdfs"
works too (both modes are tested), but rdfs:range then makes sh:class checks
on ranged properties vacuous (a Person used as kgo:place becomes a kgo:Place),
so it is strictly weaker; "owlrl" inference is slow and smushes owl:sameAs
with Wikidata items: do not use it for validation.
"""

from __future__ import annotations

import json
from pathlib import Path

import owlrl
import pyoxigraph
import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SH
from rdflib.term import Node

from kg.rdf.namespaces import KGO, NIF, ONTOLOGY_IRI, PREFIXES, PROV, SCHEMA, SEM, TIME

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
EVENT_TTL = ONTOLOGY_DIR / "event.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_JSONLD = ONTOLOGY_DIR / "context.jsonld"

KGO_NS = str(KGO._NS)
KGO_TERMS = sorted(KGO.__annotations__)

# A plain Namespace: rdflib's DefinedNamespace XSD warns when pytest probes
# module attributes ("_mock_name is not defined in namespace XSD").
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ERRNS = Namespace(owlrl.Closure.ERRNS)  # where owlrl writes inconsistency messages

ENTITY_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(EVENT_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def _declared_types(g: Graph, term: Node) -> set[Node]:
    return {t for t in g.objects(term, RDF.type) if t in ENTITY_TYPES}


def _kgo_iris(g: Graph) -> set[URIRef]:
    return {
        n
        for triple in g
        for n in triple
        if isinstance(n, URIRef) and str(n).startswith(KGO_NS)
    }


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", [EVENT_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_parses_with_rdflib(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    assert len(g) > 50


@pytest.mark.parametrize("path", [EVENT_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_parses_with_pyoxigraph(path: Path) -> None:
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(Graph().parse(path, format="turtle"))


# --------------------------------------------------------------------------- header


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert "MIT" in str(ontology.value(ONTOLOGY_IRI, DCTERMS.license))
    assert not list(ontology.triples((None, OWL.imports, None))), "align by reference only"


# --------------------------------------------------------------------------- KGO <-> event.ttl


@pytest.mark.parametrize("name", KGO_TERMS)
def test_kgo_term_is_defined(ontology: Graph, name: str) -> None:
    term = getattr(KGO, name)
    types = _declared_types(ontology, term)
    if name[0].isupper():
        assert types == {OWL.Class}, f"{name}: {types}"
    else:
        assert len(types) == 1 and types <= set(PROPERTY_TYPES), f"{name}: {types}"
    for prop in (RDFS.label, RDFS.comment):
        values = [o for o in ontology.objects(term, prop) if isinstance(o, Literal) and o.language == "en"]
        assert len(values) == 1, f"{name} needs exactly one @en {prop}"
        assert str(values[0]).strip()
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology


def test_no_drift_between_kgo_and_event_ttl(ontology: Graph) -> None:
    in_file = {str(n)[len(KGO_NS):] for n in _kgo_iris(ontology)}
    assert in_file - set(KGO_TERMS) == set(), "terms in event.ttl missing from KGO"
    assert set(KGO_TERMS) - in_file == set(), "KGO terms missing from event.ttl"


# --------------------------------------------------------------------------- OWL 2 DL hygiene


def test_no_punning_and_every_property_has_one_kind(ontology: Graph) -> None:
    for s in set(ontology.subjects(RDF.type, None)):
        if isinstance(s, URIRef):
            assert len(_declared_types(ontology, s)) <= 1, f"{s} is punned"
    used_as_property = set(ontology.predicates()) | {
        n for p in (RDFS.subPropertyOf,) for t in ontology.triples((None, p, None)) for n in (t[0], t[2])
    }
    builtin = (str(RDF), str(RDFS), str(OWL))
    for p in used_as_property:
        if str(p).startswith(builtin):
            continue
        types = _declared_types(ontology, p)
        assert len(types) == 1 and types <= set(PROPERTY_TYPES), f"{p}: {types}"


def test_every_referenced_class_is_declared(ontology: Graph) -> None:
    classes: set[Node] = set()
    for p in (RDFS.subClassOf, OWL.disjointWith):
        for s, _, o in ontology.triples((None, p, None)):
            classes |= {s, o}
    classes |= set(ontology.objects(None, RDFS.domain))
    classes |= {
        o for s, o in ontology.subject_objects(RDFS.range) if (s, RDF.type, OWL.ObjectProperty) in ontology
    }
    for c in classes:
        assert isinstance(c, URIRef), f"anonymous class {c}"
        assert _declared_types(ontology, c) == {OWL.Class}, f"{c} not declared owl:Class"


def test_ranges_match_property_kind(ontology: Graph) -> None:
    for s, o in ontology.subject_objects(RDFS.range):
        if (s, RDF.type, OWL.DatatypeProperty) in ontology:
            assert str(o).startswith(str(XSD)), f"{s} range {o}"
        else:
            assert (s, RDF.type, OWL.ObjectProperty) in ontology
            assert not str(o).startswith(str(XSD)), f"{s} range {o}"


def test_subproperties_keep_their_kind(ontology: Graph) -> None:
    for s, o in ontology.subject_objects(RDFS.subPropertyOf):
        assert _declared_types(ontology, s) == _declared_types(ontology, o), f"{s} < {o}"


def test_transitive_properties_are_object_properties(ontology: Graph) -> None:
    for p in ontology.subjects(RDF.type, OWL.TransitiveProperty):
        assert (p, RDF.type, OWL.ObjectProperty) in ontology
    assert (KGO.locatedIn, RDF.type, OWL.TransitiveProperty) in ontology


# --------------------------------------------------------------------------- alignment

SUBCLASS_ALIGNMENTS = [
    (KGO.Event, SEM.Event),
    (KGO.Attack, SEM.Event),
    (KGO.Bombing, KGO.Attack),
    (KGO.Shooting, KGO.Attack),
    (KGO.AirStrike, KGO.Attack),
    (KGO.Stabbing, KGO.Attack),
    (KGO.Statement, KGO.Event),
    (KGO.Rescue, KGO.Event),
    (KGO.Evacuation, KGO.Event),
    (KGO.Flood, KGO.Disaster),
    (KGO.Storm, SEM.Event),
    (KGO.LegalAction, SCHEMA.Event),
    (KGO.Agent, SEM.Actor),
    (KGO.Agent, FOAF.Agent),
    (KGO.Agent, PROV.Agent),
    (KGO.Group, KGO.Agent),
    (KGO.Person, KGO.Agent),
    (KGO.Person, SCHEMA.Person),
    (KGO.Person, FOAF.Person),
    (KGO.Organization, SCHEMA.Organization),
    (KGO.Organization, FOAF.Organization),
    (KGO.ArmedGroup, SEM.Actor),
    (KGO.MediaOrganization, KGO.Organization),
    (KGO.Place, SEM.Place),
    (KGO.Place, SCHEMA.Place),
    (KGO.Facility, SEM.Place),
    (KGO.Country, SCHEMA.Country),
    (KGO.City, SCHEMA.City),
    (KGO.Event, SCHEMA.Event),
    (KGO.Article, SCHEMA.NewsArticle),
    (KGO.Article, NIF.Context),
    (KGO.Mention, NIF.String),
    (KGO.Mention, PROV.Entity),
    (KGO.Figure, PROV.Entity),
    (KGO.Build, PROV.Activity),
    (TIME.Instant, TIME.TemporalEntity),
    (TIME.Interval, TIME.TemporalEntity),
]

SUBPROPERTY_ALIGNMENTS = [
    *[
        (getattr(KGO, role), SEM.hasActor)
        for role in ("participant", "perpetrator", "target", "victim", "instrument", "responder", "witness", "speaker", "claimant")
    ],
    *[
        (getattr(KGO, role), KGO.participant)
        for role in ("perpetrator", "target", "victim", "responder", "witness", "speaker", "claimant")
    ],
    (KGO.place, SEM.hasPlace),
    (KGO.time, SEM.hasTime),
    (KGO.locatedIn, SCHEMA.containedInPlace),
    (KGO.affiliation, SCHEMA.affiliation),
    (KGO.nationality, SCHEMA.nationality),
    (KGO.role, SCHEMA.jobTitle),
]


def _short(n: Node) -> str:
    for prefix, ns in PREFIXES.items():
        if str(n).startswith(ns):
            return f"{prefix}:{str(n)[len(ns):]}"
    return str(n)


@pytest.mark.parametrize(
    ("sub", "sup"), SUBCLASS_ALIGNMENTS, ids=[f"{_short(a)}<{_short(b)}" for a, b in SUBCLASS_ALIGNMENTS]
)
def test_subclass_alignment(ontology: Graph, sub: URIRef, sup: URIRef) -> None:
    assert sup in set(ontology.transitive_objects(sub, RDFS.subClassOf))


@pytest.mark.parametrize(
    ("sub", "sup"), SUBPROPERTY_ALIGNMENTS, ids=[f"{_short(a)}<{_short(b)}" for a, b in SUBPROPERTY_ALIGNMENTS]
)
def test_subproperty_alignment(ontology: Graph, sub: URIRef, sup: URIRef) -> None:
    assert sup in set(ontology.transitive_objects(sub, RDFS.subPropertyOf))


def test_statement_is_not_a_prov_entity(ontology: Graph) -> None:
    assert PROV.Entity not in set(ontology.transitive_objects(KGO.Statement, RDFS.subClassOf))


def test_time_range(ontology: Graph) -> None:
    assert (KGO.time, RDFS.range, TIME.TemporalEntity) in ontology
    assert (KGO.reportedAt, RDFS.range, TIME.TemporalEntity) in ontology


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (KGO.Person, KGO.Organization),
        (KGO.Person, KGO.Place),
        (KGO.Event, KGO.Agent),
        (KGO.Event, KGO.Place),
        (KGO.Event, KGO.Figure),
    ],
    ids=lambda n: _short(n),
)
def test_disjointness(ontology: Graph, a: URIRef, b: URIRef) -> None:
    assert (a, OWL.disjointWith, b) in ontology or (b, OWL.disjointWith, a) in ontology


@pytest.mark.parametrize(
    ("prop", "kind", "rng"),
    [
        (KGO.value, OWL.DatatypeProperty, XSD.integer),
        (KGO.minValue, OWL.DatatypeProperty, XSD.integer),
        (KGO.maxValue, OWL.DatatypeProperty, XSD.integer),
        (KGO.approximate, OWL.DatatypeProperty, XSD.boolean),
        (KGO.unattributed, OWL.DatatypeProperty, XSD.boolean),
        (KGO.direct, OWL.DatatypeProperty, XSD.boolean),
        (KGO.measure, OWL.DatatypeProperty, XSD.string),
        (KGO.quote, OWL.DatatypeProperty, XSD.string),
        (KGO.category, OWL.DatatypeProperty, XSD.string),
        (KGO.key, OWL.DatatypeProperty, XSD.string),
        (KGO.role, OWL.DatatypeProperty, XSD.string),
        (KGO.channel, OWL.ObjectProperty, KGO.Agent),
        (KGO.participant, OWL.ObjectProperty, SEM.Actor),  # agents, described things, weapons
        (KGO.evidence, OWL.ObjectProperty, KGO.Mention),
        (KGO.article, OWL.ObjectProperty, KGO.Article),
        (KGO.about, OWL.ObjectProperty, KGO.Event),
        (KGO.claimedEvent, OWL.ObjectProperty, KGO.Event),
        (KGO.locatedIn, OWL.ObjectProperty, KGO.Place),
    ],
    ids=lambda n: _short(n),
)
def test_property_kind_and_range(ontology: Graph, prop: URIRef, kind: URIRef, rng: URIRef) -> None:
    assert (prop, RDF.type, kind) in ontology
    assert (prop, RDFS.range, rng) in ontology


# --------------------------------------------------------------------------- OWL RL reasoning

EX = Namespace("https://w3id.org/kg-news/id/")


def _owlrl_closure(ontology: Graph, data: Graph) -> Graph:
    g = Graph()
    for t in ontology:
        g.add(t)
    for t in data:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def _inconsistencies(g: Graph) -> list[str]:
    found = [f"{s} a owl:Nothing" for s in g.subjects(RDF.type, OWL.Nothing)]
    found += [str(m) for m in g.objects(None, ERRNS.error)]
    return found


def test_owlrl_closure_aligns_to_sem_and_is_consistent(ontology: Graph) -> None:
    data = Graph()
    data.add((EX.e1, RDF.type, KGO.Attack))
    data.add((EX.e1, KGO.perpetrator, EX.p1))
    data.add((EX.p1, RDF.type, KGO.Person))
    data.add((EX.e1, KGO.place, EX.nairobi))
    data.add((EX.nairobi, KGO.locatedIn, EX.kenya))
    data.add((EX.kenya, KGO.locatedIn, EX.africa))
    g = _owlrl_closure(ontology, data)

    assert (EX.e1, RDF.type, SEM.Event) in g
    assert (EX.e1, RDF.type, SCHEMA.Event) in g
    assert (EX.e1, SEM.hasActor, EX.p1) in g
    assert (EX.e1, KGO.participant, EX.p1) in g
    assert (EX.p1, RDF.type, SEM.Actor) in g
    assert (EX.p1, RDF.type, FOAF.Person) in g
    assert (EX.e1, SEM.hasPlace, EX.nairobi) in g
    assert (EX.nairobi, RDF.type, SEM.Place) in g
    assert (EX.nairobi, KGO.locatedIn, EX.africa) in g  # transitive
    assert (EX.nairobi, SCHEMA.containedInPlace, EX.africa) in g
    assert _inconsistencies(g) == []


def test_owlrl_detects_disjointness_violation(ontology: Graph) -> None:
    """Guard for the test above: the consistency check can fail."""
    data = Graph()
    data.add((EX.x, RDF.type, KGO.Person))
    data.add((EX.x, RDF.type, KGO.ArmedGroup))
    assert _inconsistencies(_owlrl_closure(ontology, data)) != []


# --------------------------------------------------------------------------- SHACL

VALID_BUILD = """
@prefix kgo:    <https://w3id.org/kg-news/ontology#> .
@prefix ex:     <https://w3id.org/kg-news/id/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix time:   <http://www.w3.org/2006/time#> .
@prefix nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix wd:     <http://www.wikidata.org/entity/> .

ex:build a kgo:Build ; kgo:toolVersion "0.1.0" ; kgo:model "en_core_web_sm 3.7.1" .

ex:a1 a kgo:Article ;
    schema:datePublished "2013-09-22"^^xsd:date .

# --- entities
ex:kenyatta a kgo:Person ;
    rdfs:label "Uhuru Kenyatta" ; kgo:category "Person" ; kgo:key "uhuru kenyatta" ;
    owl:sameAs wd:Q57655 ; kgo:role "President" ; kgo:nationality ex:kenya .
ex:police a kgo:SecurityForce ;
    rdfs:label "Kenya Police"@en ; kgo:category "Organization" ; kgo:key "kenya police" .
ex:shabab a kgo:ArmedGroup ;
    rdfs:label "al-Shabab" ; kgo:category "Organization" ; kgo:key "al-shabab" ; owl:sameAs wd:Q1056929 .
ex:kenya a kgo:Country ;
    rdfs:label "Kenya" ; kgo:category "Place" ; kgo:key "kenya" ; owl:sameAs wd:Q114 .
ex:westgate a kgo:Facility ;
    rdfs:label "Westgate mall" ; kgo:category "Place" ; kgo:key "westgate mall" ; kgo:locatedIn ex:kenya .

# --- mentions
ex:a1-m0 a kgo:Mention ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "14"^^xsd:nonNegativeInteger ;
    nif:anchorOf "Uhuru Kenyatta" ; nif:referenceContext ex:a1 ; kgo:mentionOf ex:kenyatta .
ex:a1-m1 a kgo:Mention ;
    nif:beginIndex "20"^^xsd:nonNegativeInteger ; nif:endIndex "26"^^xsd:nonNegativeInteger ;
    nif:anchorOf "attack" ; nif:referenceContext ex:a1 ; kgo:mentionOf ex:e1 .
ex:a1-m2 a kgo:Mention ;
    nif:beginIndex "30"^^xsd:nonNegativeInteger ; nif:endIndex "42"^^xsd:nonNegativeInteger ;
    nif:anchorOf "at least 39" ; nif:referenceContext ex:a1 ; kgo:mentionOf ex:f1 .
ex:a1-m3 a kgo:Mention ;
    nif:beginIndex "50"^^xsd:nonNegativeInteger ; nif:endIndex "90"^^xsd:nonNegativeInteger ;
    nif:anchorOf "We will not be intimidated" ; nif:referenceContext ex:a1 ; kgo:mentionOf ex:s1 .
ex:a1-m4 a kgo:Mention ;
    nif:beginIndex "95"^^xsd:nonNegativeInteger ; nif:endIndex "120"^^xsd:nonNegativeInteger ;
    nif:anchorOf "al-Shabab claimed" ; nif:referenceContext ex:a1 ; kgo:mentionOf ex:c1 , ex:shabab .

# --- time
ex:t1 a time:Instant ; time:inXSDDate "2013-09-21"^^xsd:date .
ex:t2 a time:Interval ; time:hasBeginning ex:t1 ; time:hasEnd ex:t3 .
ex:t3 a time:Instant ; time:inXSDDateTime "2013-09-24T18:00:00"^^xsd:dateTime .
ex:t4 a time:Instant ; time:inXSDDateTimeStamp "2013-09-22T10:00:00+03:00"^^xsd:dateTimeStamp .

# --- events
ex:e1 a kgo:Attack ;
    rdfs:label "Westgate shopping mall attack" ;
    kgo:perpetrator ex:shabab ; kgo:place ex:westgate ; kgo:time ex:t2 ;
    kgo:evidence ex:a1-m1 ; kgo:article ex:a1 ; kgo:evidenceStart "20"^^xsd:nonNegativeInteger ;
    prov:wasGeneratedBy ex:build .

ex:p1 a kgo:Participation ;
    kgo:participationOf ex:e1 ; kgo:agent ex:shabab ; kgo:roleName "perpetrator" ; kgo:named true ;
    kgo:eventType kgo:Attack ; kgo:eventLabel "Westgate shopping mall attack" ;
    kgo:agentLabel "al-Shabab" ; kgo:agentKind "ArmedGroup" .

ex:f1 a kgo:Figure ;
    kgo:measure "killed" ; kgo:minValue 39 ; kgo:approximate false ;
    kgo:about ex:e1 ; prov:wasAttributedTo ex:police ; kgo:reportedAt ex:t4 ;
    kgo:evidence ex:a1-m2 ; kgo:article ex:a1 ; kgo:evidenceText "at least 39" ;
    kgo:evidenceStart "30"^^xsd:nonNegativeInteger ; kgo:evidenceEnd "42"^^xsd:nonNegativeInteger .

ex:s1 a kgo:Statement ;
    rdfs:label "Statement by Uhuru Kenyatta" ;
    kgo:quote "We will not be intimidated" ; kgo:speaker ex:kenyatta ; kgo:speakerLabel "Uhuru Kenyatta" ;
    kgo:direct true ;
    kgo:channelLabel "televised address" ;
    kgo:evidence ex:a1-m3 ; kgo:article ex:a1 ; kgo:evidenceText "We will not be intimidated" ;
    kgo:evidenceStart "50"^^xsd:nonNegativeInteger ; kgo:evidenceEnd "90"^^xsd:nonNegativeInteger .

ex:c1 a kgo:ClaimOfResponsibility ;
    rdfs:label "al-Shabab claims the Westgate attack" ;
    kgo:claimant ex:shabab ; kgo:claimedEvent ex:e1 ; kgo:motive "retribution" ;
    kgo:evidence ex:a1-m4 ; kgo:article ex:a1 ; kgo:evidenceText "al-Shabab claimed" ;
    kgo:evidenceStart "95"^^xsd:nonNegativeInteger ; kgo:evidenceEnd "120"^^xsd:nonNegativeInteger .
"""

SPARQL_PREFIXES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + (
    "\nPREFIX ex: <https://w3id.org/kg-news/id/>\n"
)

# (id, SPARQL update turning the valid build invalid, expected result message fragment)
INVALID_VARIANTS = [
    (
        "figure-without-number",
        "DELETE WHERE { ex:f1 kgo:minValue ?v }",
        "Figure without a number or bound",
    ),
    (
        "figure-without-reporter-or-unattributed",
        "DELETE WHERE { ex:f1 prov:wasAttributedTo ?r }",
        "Figure must have a reporter",
    ),
    (
        "figure-with-reporter-and-unattributed",
        "INSERT DATA { ex:f1 kgo:unattributed true }",
        "Figure must have a reporter",
    ),
    (
        "figure-min-above-max",
        "INSERT DATA { ex:f1 kgo:maxValue 10 }",
        "not above its kgo:maxValue",
    ),
    (
        "figure-value-not-integer",
        'INSERT DATA { ex:f1 kgo:value "many" }',
        "kgo:value",
    ),
    (
        "mention-begin-equals-end",
        'DELETE WHERE { ex:a1-m1 nif:endIndex ?e } ;'
        ' INSERT DATA { ex:a1-m1 nif:endIndex "20"^^xsd:nonNegativeInteger }',
        "lower than its nif:endIndex",
    ),
    (
        "mention-begin-after-end",
        'DELETE WHERE { ex:a1-m1 nif:endIndex ?e } ;'
        ' INSERT DATA { ex:a1-m1 nif:endIndex "5"^^xsd:nonNegativeInteger }',
        "lower than its nif:endIndex",
    ),
    (
        "mention-without-record",
        "DELETE WHERE { ex:a1-m0 kgo:mentionOf ?x }",
        "kgo:mentionOf",
    ),
    (
        "entity-category-alien",
        'DELETE WHERE { ex:kenyatta kgo:category ?c } ; INSERT DATA { ex:kenyatta kgo:category "Alien" }',
        "kgo:category",
    ),
    (
        "entity-category-lowercase",
        'DELETE WHERE { ex:kenyatta kgo:category ?c } ; INSERT DATA { ex:kenyatta kgo:category "person" }',
        "kgo:category",
    ),
    (
        "entity-without-category",
        "DELETE WHERE { ex:kenya kgo:category ?c }",
        "kgo:category",
    ),
    (
        "entity-two-labels",
        'INSERT DATA { ex:shabab rdfs:label "Harakat al-Shabaab al-Mujahideen" }',
        "exactly one rdfs:label",
    ),
    (
        "entity-without-key",
        "DELETE WHERE { ex:westgate kgo:key ?k }",
        "kgo:key",
    ),
    (
        "entity-sameas-not-wikidata",
        "INSERT DATA { ex:kenya owl:sameAs <http://dbpedia.org/resource/Kenya> }",
        "Wikidata item",
    ),
    (
        "event-without-evidence",
        "DELETE WHERE { ex:e1 kgo:evidence ?m }",
        "Event without evidence",
    ),
    (
        "event-two-places",
        "INSERT DATA { ex:e1 kgo:place ex:kenya }",
        "at most one kgo:place",
    ),
    (
        "event-time-literal",
        'DELETE WHERE { ex:e1 kgo:time ?t } ; INSERT DATA { ex:e1 kgo:time "last Saturday" }',
        "kgo:time",
    ),
    (
        # with inference="rdfs" the range of kgo:time makes ex:kenya a
        # time:TemporalEntity, so only the no-inference mode catches this
        "event-time-not-temporal",
        "DELETE WHERE { ex:e1 kgo:time ?t } ; INSERT DATA { ex:e1 kgo:time ex:kenya }",
        "kgo:time",
        ("none",),
    ),
    (
        "event-place-is-a-person",
        "DELETE WHERE { ex:e1 kgo:place ?p } ; INSERT DATA { ex:e1 kgo:place ex:kenyatta }",
        "kgo:place",
        ("none",),
    ),
    (
        "untyped-figure",
        "DELETE WHERE { ex:f1 a kgo:Figure }",
        "not typed kgo:Figure",
        ("none",),  # with "rdfs", the domain of kgo:measure types it, and it is valid
    ),
    (
        "untyped-mention",
        "DELETE WHERE { ex:a1-m1 a kgo:Mention }",
        "not typed kgo:Mention",
        ("none",),
    ),
    (
        "untyped-event",
        "DELETE WHERE { ex:e1 a kgo:Attack }",
        "not typed kgo:Event",
        ("none",),
    ),
    (
        "untyped-article",
        "DELETE WHERE { ex:a1 a kgo:Article }",
        "not typed kgo:Article",
        ("none",),
    ),
    (
        "untyped-figure-missing-measure",
        "DELETE WHERE { ex:f1 a kgo:Figure . ex:f1 kgo:measure ?m }",
        "kgo:measure",
        ("rdfs",),  # caught by FigureShape through the domain of kgo:value ...
    ),
    (
        "figure-without-evidence-text",
        "DELETE WHERE { ex:f1 kgo:evidenceText ?t }",
        "exactly one kgo:evidenceText",
    ),
    (
        "statement-evidence-text-not-its-mention",
        'DELETE WHERE { ex:s1 kgo:evidenceText ?t } ; INSERT DATA { ex:s1 kgo:evidenceText "We will" }',
        "differs from the nif:anchorOf",
    ),
    (
        "claim-evidence-start-not-its-mention",
        'DELETE WHERE { ex:c1 kgo:evidenceStart ?t } ; INSERT DATA { ex:c1 kgo:evidenceStart "96"^^xsd:nonNegativeInteger }',
        "differs from the nif:beginIndex",
    ),
    (
        "participation-event-label-not-its-event",
        'DELETE WHERE { ex:p1 kgo:eventLabel ?l } ; INSERT DATA { ex:p1 kgo:eventLabel "attack" }',
        "differs from the rdfs:label of the participation's event",
    ),
    (
        "participation-role-unknown",
        'DELETE WHERE { ex:p1 kgo:roleName ?r } ; INSERT DATA { ex:p1 kgo:roleName "bystander" }',
        "kgo:roleName",
    ),
    (
        "statement-without-quote",
        "DELETE WHERE { ex:s1 kgo:quote ?q }",
        "kgo:quote",
    ),
    (
        "claim-without-claimant",
        "DELETE WHERE { ex:c1 kgo:claimant ?a }",
        "without a claimant",
    ),
    (
        "article-date-not-a-date",
        'DELETE WHERE { ex:a1 schema:datePublished ?d } ; INSERT DATA { ex:a1 schema:datePublished "Sunday" }',
        "schema:datePublished",
    ),
    (
        "instant-two-dates",
        'INSERT DATA { ex:t1 time:inXSDDateTime "2013-09-21T12:00:00"^^xsd:dateTime }',
        "Instant must have exactly one",
    ),
    (
        "interval-without-beginning",
        "DELETE WHERE { ex:t2 time:hasBeginning ?b }",
        "time:hasBeginning",
    ),
]

# ont_graph is always given; "rdfs" additionally infers types from domains/ranges.
VALIDATION_MODES = ["none", "rdfs"]


def _validate(data: Graph, shapes: Graph, ontology: Graph, inference: str) -> tuple[bool, Graph]:
    conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=inference,
        allow_warnings=False,
    )
    return conforms, report


def _messages(report: Graph) -> list[str]:
    return [str(m) for m in report.objects(None, SH.resultMessage)]


def _valid_build() -> Graph:
    return Graph().parse(data=VALID_BUILD, format="turtle")


@pytest.mark.parametrize("inference", VALIDATION_MODES)
def test_valid_build_conforms(shapes: Graph, ontology: Graph, inference: str) -> None:
    data = _valid_build()
    size = len(data)
    conforms, report = _validate(data, shapes, ontology, inference)
    assert conforms, _messages(report)
    assert len(data) == size, "pyshacl must not modify the caller's data graph"


INVALID_CASES = [
    pytest.param(mode, v[1], v[2], id=f"{v[0]}-{mode}")
    for v in INVALID_VARIANTS
    for mode in (v[3] if len(v) > 3 else VALIDATION_MODES)
]


@pytest.mark.parametrize(("inference", "update", "expected"), INVALID_CASES)
def test_invalid_build_does_not_conform(
    shapes: Graph, ontology: Graph, inference: str, update: str, expected: str
) -> None:
    data = _valid_build()
    size = len(data)
    data.update(SPARQL_PREFIXES + update)
    assert len(data) != size or "DELETE" in update  # the update did something
    conforms, report = _validate(data, shapes, ontology, inference)
    assert not conforms
    messages = _messages(report)
    assert any(expected in m for m in messages), messages


def test_subclass_instances_are_targeted_without_inference(shapes: Graph, ontology: Graph) -> None:
    """kgo:ArmedGroup is only a kgo:Organization through event.ttl's hierarchy."""
    data = _valid_build()
    data.remove((EX.shabab, KGO.key, None))
    conforms, _ = _validate(data, shapes, ontology, "none")
    assert not conforms


@pytest.mark.parametrize("inference", VALIDATION_MODES)
def test_untyped_figure_is_checked(shapes: Graph, ontology: Graph, inference: str) -> None:
    """An untyped node with a kgo:value is reached in both modes: by
    kgsh:TypedFigureShape without inference, by rdfs:domain with "rdfs"."""
    data = _valid_build()
    data.add((EX.f2, KGO.value, Literal(3)))  # no type, no measure, no evidence
    conforms, report = _validate(data, shapes, ontology, inference)
    assert not conforms
    focus = set(report.objects(None, SH.focusNode))
    assert focus == {EX.f2}, focus


@pytest.mark.parametrize("inference", VALIDATION_MODES)
def test_explicit_xsd_string_literals_conform(shapes: Graph, ontology: Graph, inference: str) -> None:
    """rdflib keeps "Person" and "Person"^^xsd:string apart; a builder writing
    Literal("Person", datatype=XSD.string) must still conform."""
    data = _valid_build()
    for s, p, o in list(data.triples((None, None, None))):
        if isinstance(o, Literal) and o.datatype is None and o.language is None:
            data.remove((s, p, o))
            data.add((s, p, Literal(str(o), datatype=XSD.string)))
    conforms, report = _validate(data, shapes, ontology, inference)
    assert conforms, _messages(report)


def test_every_shape_is_documented(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 10
    for s in node_shapes:
        assert shapes.value(s, SH.name) is not None, s
        assert shapes.value(s, SH.description) is not None, s
        for prop in shapes.objects(s, SH.property):
            assert shapes.value(prop, SH.message) is not None, (s, shapes.value(prop, SH.path))


def test_shapes_only_use_kgo_terms(shapes: Graph) -> None:
    assert {str(n)[len(KGO_NS):] for n in _kgo_iris(shapes)} <= set(KGO_TERMS)


# --------------------------------------------------------------------------- JSON-LD context


@pytest.fixture(scope="module")
def context() -> dict:
    with CONTEXT_JSONLD.open(encoding="utf-8") as f:
        return json.load(f)


def test_context_prefixes(context: dict) -> None:
    ctx = context["@context"]
    assert ctx["@version"] == 1.1
    for prefix in ("kgo", "sem", "nif", "time", "prov", "schema", "wd", "owl", "rdfs", "xsd", "dcterms", "foaf"):
        assert ctx[prefix] == PREFIXES[prefix], prefix
    assert ctx["label"] == "rdfs:label"
    assert ctx["sameAs"] == {"@id": "owl:sameAs", "@type": "@id"}


def test_context_terms_are_kgo_terms(context: dict) -> None:
    ctx = context["@context"]
    for key, definition in ctx.items():
        if key.startswith("@"):
            continue
        iri = definition if isinstance(definition, str) else definition.get("@id", key)
        if iri.startswith("kgo:"):
            assert iri[4:] in KGO_TERMS, key
    # every KGO term has a short name, except kgo:time ("time" is the OWL-Time prefix)
    short = {
        (d if isinstance(d, str) else d.get("@id", k))[4:]
        for k, d in ctx.items()
        if not k.startswith("@") and (d if isinstance(d, str) else d.get("@id", k)).startswith("kgo:")
    }
    assert set(KGO_TERMS) <= short
    assert ctx["kgo:time"] == {"@type": "@id"}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib
def test_context_round_trips_a_build(context: dict) -> None:
    data = _valid_build()
    text = data.serialize(format="json-ld", context=context["@context"], auto_compact=True)
    doc = json.loads(text)
    assert "@context" in doc
    graph = {node["id"]: node for node in doc["@graph"]}
    assert graph[str(EX.e1)]["perpetrator"] == str(EX.shabab)
    assert graph[str(EX.e1)]["type"] == "Attack"
    assert graph[str(EX.f1)]["minValue"] in (39, "39")  # coerced to xsd:integer by the context
    assert graph[str(EX.kenya)]["sameAs"] in ("wd:Q114", "http://www.wikidata.org/entity/Q114")
    back = Graph().parse(data=text, format="json-ld")
    assert back.isomorphic(data)
    # and a JSON-LD 1.1 processor other than rdflib accepts it
    quads = list(pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.JSON_LD))
    assert len(quads) == len(data)
