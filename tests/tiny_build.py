"""A small hand-made build (two articles, one named graph each, plus the build
graph) that conforms to ontology/shapes.ttl: for store, endpoint, validation and
reasoning tests that should not depend on the model."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUILD_TRIG", "write_build", "with_second_obama"]

BUILD_TRIG = """
@prefix kgo:    <https://w3id.org/kg-news/ontology#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix time:   <http://www.w3.org/2006/time#> .
@prefix nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix wd:     <http://www.wikidata.org/entity/> .
@prefix g:      <https://w3id.org/kg-news/id/graph/> .
@prefix art:    <https://w3id.org/kg-news/id/article/> .
@prefix ent:    <https://w3id.org/kg-news/id/entity/> .
@prefix a1:     <https://w3id.org/kg-news/id/article/a1/> .
@prefix a2:     <https://w3id.org/kg-news/id/article/a2/> .

g:build {
    g:a1 prov:wasGeneratedBy <https://w3id.org/kg-news/id/build/b1> .
    g:a2 prov:wasGeneratedBy <https://w3id.org/kg-news/id/build/b1> .
    <https://w3id.org/kg-news/id/build/b1> a kgo:Build ;
        rdfs:label "kg test build" ; kgo:toolVersion "0.1.0" ; kgo:model "none" .
}

g:a1 {
    art:a1 a kgo:Article ; schema:identifier "a1" ; schema:datePublished "2013-09-22"^^xsd:date .
    ent:person-barack-obama a kgo:Person ;
        rdfs:label "Barack Obama" ; kgo:category "Person" ; kgo:key "barack obama" ;
        owl:sameAs wd:Q76 .
    ent:organization-kenya-police a kgo:SecurityForce ;
        rdfs:label "Kenya Police" ; kgo:category "Organization" ; kgo:key "kenya police" .
    a1:mention-0-12 a kgo:Mention ;
        nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "12"^^xsd:nonNegativeInteger ;
        nif:anchorOf "Barack Obama" ; nif:referenceContext art:a1 ; kgo:mentionOf ent:person-barack-obama .
    a1:mention-20-26 a kgo:Mention ;
        nif:beginIndex "20"^^xsd:nonNegativeInteger ; nif:endIndex "26"^^xsd:nonNegativeInteger ;
        nif:anchorOf "attack" ; nif:referenceContext art:a1 ; kgo:mentionOf a1:attack-20 .
    a1:mention-30-41 a kgo:Mention ;
        nif:beginIndex "30"^^xsd:nonNegativeInteger ; nif:endIndex "41"^^xsd:nonNegativeInteger ;
        nif:anchorOf "at least 39" ; nif:referenceContext art:a1 ; kgo:mentionOf a1:figure-30-41 .
    a1:attack-20 a kgo:Attack ;
        rdfs:label "attack" ; kgo:perpetrator ent:person-barack-obama ;
        kgo:evidence a1:mention-20-26 ; kgo:article art:a1 ; kgo:evidenceStart "20"^^xsd:nonNegativeInteger .
    a1:participation-attack-20-perpetrator a kgo:Participation ;
        kgo:participationOf a1:attack-20 ; kgo:agent ent:person-barack-obama ; kgo:roleName "perpetrator" ;
        kgo:named true ; kgo:eventType kgo:Attack ; kgo:eventLabel "attack" ;
        kgo:agentLabel "Barack Obama" ; kgo:agentKind "Person" .
    a1:figure-30-41 a kgo:Figure ;
        kgo:measure "killed" ; kgo:value 39 ; kgo:approximate false ; kgo:about a1:attack-20 ;
        prov:wasAttributedTo ent:organization-kenya-police ;
        kgo:reportedAt [ a time:Instant ; time:inXSDDate "2013-09-22"^^xsd:date ] ;
        kgo:evidence a1:mention-30-41 ; kgo:article art:a1 ; kgo:evidenceText "at least 39" ;
        kgo:evidenceStart "30"^^xsd:nonNegativeInteger ; kgo:evidenceEnd "41"^^xsd:nonNegativeInteger .
}

g:a2 {
    art:a2 a kgo:Article ; schema:identifier "a2" ; schema:datePublished "2013-09-23"^^xsd:date .
    ent:person-barack-obama a kgo:Person ;
        rdfs:label "Barack Obama" ; kgo:category "Person" ; kgo:key "barack obama" .
    a2:mention-5-17 a kgo:Mention ;
        nif:beginIndex "5"^^xsd:nonNegativeInteger ; nif:endIndex "17"^^xsd:nonNegativeInteger ;
        nif:anchorOf "Barack Obama" ; nif:referenceContext art:a2 ; kgo:mentionOf ent:person-barack-obama .
    a2:mention-40-46 a kgo:Mention ;
        nif:beginIndex "40"^^xsd:nonNegativeInteger ; nif:endIndex "46"^^xsd:nonNegativeInteger ;
        nif:anchorOf "attack" ; nif:referenceContext art:a2 ; kgo:mentionOf a2:attack-40 .
    a2:mention-50-58 a kgo:Mention ;
        nif:beginIndex "50"^^xsd:nonNegativeInteger ; nif:endIndex "58"^^xsd:nonNegativeInteger ;
        nif:anchorOf "about 60" ; nif:referenceContext art:a2 ; kgo:mentionOf a2:figure-50-58 .
    a2:attack-40 a kgo:Attack ;
        rdfs:label "attack" ; kgo:perpetrator ent:person-barack-obama ;
        kgo:evidence a2:mention-40-46 ; kgo:article art:a2 ; kgo:evidenceStart "40"^^xsd:nonNegativeInteger .
    a2:participation-attack-40-perpetrator a kgo:Participation ;
        kgo:participationOf a2:attack-40 ; kgo:agent ent:person-barack-obama ; kgo:roleName "perpetrator" ;
        kgo:named true ; kgo:eventType kgo:Attack ; kgo:eventLabel "attack" ;
        kgo:agentLabel "Barack Obama" ; kgo:agentKind "Person" .
    a2:figure-50-58 a kgo:Figure ;
        kgo:measure "injured" ; kgo:value 60 ; kgo:approximate true ; kgo:about a2:attack-40 ;
        kgo:unattributed true ;
        kgo:evidence a2:mention-50-58 ; kgo:article art:a2 ; kgo:evidenceText "about 60" ;
        kgo:evidenceStart "50"^^xsd:nonNegativeInteger ; kgo:evidenceEnd "58"^^xsd:nonNegativeInteger .
}
"""


def write_build(folder: Path, trig: str = BUILD_TRIG) -> Path:
    """A build folder holding ``graph.trig``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.trig").write_text(trig, encoding="utf-8")
    return folder


_SECOND_OBAMA = ('ent:person-barack-obama a kgo:Person ;\n        rdfs:label "Barack Obama" ; '
                 'kgo:category "Person" ; kgo:key "barack obama" .')


def with_second_obama(kind: str = "Person", label: str = "Barack Obama") -> str:
    """The build with what article a2 (only) says Obama is changed: another class or label
    (on the entity, and on its participation)."""
    assert BUILD_TRIG.count(_SECOND_OBAMA) == 1
    trig = BUILD_TRIG.replace(_SECOND_OBAMA, _SECOND_OBAMA.replace("kgo:Person", f"kgo:{kind}", 1)
                              .replace('"Barack Obama"', f'"{label}"'))
    head, _, tail = trig.partition("g:a2 {")
    return head + "g:a2 {" + tail.replace('kgo:agentLabel "Barack Obama" ; kgo:agentKind "Person"',
                                          f'kgo:agentLabel "{label}" ; kgo:agentKind "{kind}"')
