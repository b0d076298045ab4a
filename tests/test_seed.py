"""The seed article, checked as a user checks it: through the contract queries
(../shared/spec/competency-questions.md, "The seed, as a user checks it")."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def rows_with(rows: list[dict[str, str]], **wanted: str) -> list[dict[str, str]]:
    """Rows whose columns contain each wanted value (case-insensitive substring)."""
    return [r for r in rows if all(v.lower() in r.get(k, "").lower() for k, v in wanted.items())]


def entity(ask, label: str) -> list[dict[str, str]]:
    return [r for r in ask("entities.rq") if r["label"].lower() == label.lower()]


# --- entities ----------------------------------------------------------------------


@pytest.mark.parametrize("label, category", [
    ("al-Shabab", "Organization"),
    ("Joseph Lenku", "Person"),
    ("Uhuru Kenyatta", "Person"),
    ("Gilad Millo", "Person"),
    ("Yariv Kedar", "Person"),
    ("Patrick Kuria", "Person"),
    ("Westgate Mall", "Place"),
    ("Nairobi", "Place"),
    ("Kenya", "Place"),
    ("Somalia", "Place"),
    ("Kenya Defense Forces", "Organization"),
    ("US Embassy", "Organization"),
    ("Associated Press", "Organization"),
    ("Channel 2", "Organization"),
    ("Nike", "Organization"),
    ("Adidas", "Organization"),
    ("Bose", "Organization"),
])
def test_exactly_one_entity_of_the_right_category(ask, label, category):
    found = entity(ask, label)
    assert len(found) == 1, f"{label}: {found}"
    assert found[0]["category"] == category


def test_artcaffe_is_one_entity_located_in_the_mall(ask, seed_store):
    from kg.query.sparql import run_query

    found = entity(ask, "Artcaffe")
    assert len(found) == 1 and found[0]["category"] in ("Place", "Organization")
    table = run_query(seed_store, """
        SELECT ?container WHERE { GRAPH ?g { ?a rdfs:label "Artcaffe" ; kgo:locatedIn/rdfs:label ?container } }""")
    assert [t[0].value for t in table.rows] == ["Westgate Mall"]


@pytest.mark.parametrize("fragment", ["lenku", "kenyatta", "shabab", "westgate"])
def test_name_variants_are_not_entities_of_their_own(ask, fragment):
    found = [r for r in ask("entities.rq") if fragment in r["label"].lower()]
    assert len(found) == 1, found


def test_every_person_is_a_person(ask):
    people = {r["label"] for r in ask("people.rq")}
    assert people == {"Joseph Lenku", "Uhuru Kenyatta", "Gilad Millo", "Yariv Kedar", "Patrick Kuria"}


@pytest.mark.parametrize("person, role, organization", [
    ("Joseph Lenku", "Interior Cabinet Secretary", "Kenya"),
    ("Uhuru Kenyatta", "President", ""),
    ("Patrick Kuria", "employee", "Artcaffe"),
])
def test_people_roles(ask, person, role, organization):
    found = rows_with(ask("people.rq"), label=person, role=role, organizationLabel=organization)
    assert found, ask("people.rq")


@pytest.mark.parametrize("person, nationality", [
    ("Uhuru Kenyatta", "Kenya"), ("Gilad Millo", "Israel"), ("Yariv Kedar", "Israel"),
])
def test_people_nationalities(ask, person, nationality):
    assert rows_with(ask("people.rq"), label=person, nationalityLabel=nationality)


@pytest.mark.parametrize("label, qid", [
    ("Kenya", "Q114"), ("Somalia", "Q1045"), ("Nairobi", "Q3870"), ("Israel", "Q801"), ("France", "Q142"),
    ("Canada", "Q16"), ("United States", "Q30"), ("Associated Press", "Q40469"), ("Twitter", "Q918"),
    ("Nike", "Q483915"), ("Adidas", "Q3895"),
])
def test_wikidata_links(ask, label, qid):
    links = {r["wikidata"] for r in ask("wikidata.rq")}
    assert f"http://www.wikidata.org/entity/{qid}" in links, (label, sorted(links))


# --- events ------------------------------------------------------------------------


def test_attack_at_westgate_with_al_shabab_as_perpetrator(ask):
    attacks = [r for r in ask("events.rq") if r["type"].endswith(("#Attack", "#Shooting", "#Bombing"))]
    at_mall = [r for r in attacks if "Westgate" in r["placeLabel"]]
    assert len(at_mall) == 1, attacks
    assert at_mall[0]["begin"].startswith("2013-09-21")
    perpetrators = rows_with(ask("participants.rq"), event=at_mall[0]["event"], role="perpetrator", named="true")
    assert {r["agentLabel"] for r in perpetrators} == {"al-Shabab"}


@pytest.mark.parametrize("query", ["events.rq", "timeline.rq"])
def test_described_participants_are_no_events(ask, query):
    kinds = {r["type"].rsplit("#", 1)[-1] for r in ask(query)}
    assert not kinds & {"People", "ArmedActor", "SecurityPersonnel", "Building", "Vehicle", "Weapon",
                        "Infrastructure", "PhysicalObject"}, kinds


def test_entities_lists_named_entities_only(ask):
    labels = {r["label"].lower() for r in ask("entities.rq")}
    assert not labels & {"gunmen", "grenades", "gunfire", "outdoor cafe"}


def _westgate_attack(ask) -> str:
    attacks = [r for r in ask("events.rq") if r["type"].endswith(("#Attack", "#Shooting", "#Bombing"))]
    return next(r["event"] for r in attacks if "Westgate" in r["placeLabel"])


def test_at_least_five_gunmen_are_an_unnamed_perpetrator_of_five(ask, seed_store):
    from kg.query.sparql import run_query

    rows = rows_with(ask("participants.rq"), event=_westgate_attack(ask), role="perpetrator", named="false")
    assert any("gunmen" in r["agentLabel"] and r["agentKind"] == "ArmedActor" for r in rows), rows
    counts = run_query(seed_store, """
        SELECT ?n WHERE { GRAPH ?g { ?a kgo:head "gunman" ; kgo:count ?n } }""")
    assert 5 in {int(t[0].value) for t in counts.rows}


@pytest.mark.parametrize(("role", "label", "kind"), [
    ("target", "cafe", "Building"),  # "an outdoor cafe" (Artcaffe)
    ("instrument", "grenades", "Weapon"),
    ("instrument", "gunfire", "Weapon"),
])
def test_described_participants_of_the_attack(ask, role, label, kind):
    rows = rows_with(ask("participants.rq"), event=_westgate_attack(ask), role=role)
    assert any(label in r["agentLabel"].lower() and r["agentKind"] == kind for r in rows), rows


def test_westgate_mall_is_in_nairobi(seed_store):
    from kg.query.sparql import run_query

    table = run_query(seed_store, """
        SELECT ?c WHERE { GRAPH ?g { ?m rdfs:label "Westgate Mall" ; kgo:locatedIn/rdfs:label ?c } }""")
    assert [t[0].value for t in table.rows] == ["Nairobi"]


@pytest.mark.parametrize("types", [("#HostageTaking",), ("#Rescue", "#Evacuation")])
def test_hostage_taking_and_rescue(ask, types):
    assert [r for r in ask("events.rq") if r["type"].endswith(types)]


def test_kenyas_2011_push_into_somalia_is_a_past_event(ask):
    past = [r for r in ask("events.rq") if r["begin"].startswith("2011")]
    assert len(past) == 1 and "Somalia" in past[0]["placeLabel"]


def test_timeline_is_ordered(ask):
    times = [r["time"] for r in ask("timeline.rq")]
    assert times == sorted(times) and times[0].startswith("2011")


# --- figures -----------------------------------------------------------------------


@pytest.mark.parametrize("reporter, measure, value, lo, hi, approximate", [
    ("Lenku", "killed", "59", "", "", "false"),
    ("Lenku", "injured", "175", "", "", "true"),
    ("Lenku", "rescued", "1000", "", "", "true"),
    ("Lenku", "attackers", "", "10", "15", "false"),
    ("al-Shabab", "killed", "100", "", "", "false"),
    ("witnesses", "attackers", "", "5", "", "false"),
])
def test_reported_figures(ask, reporter, measure, value, lo, hi, approximate):
    found = [r for r in ask("figures.rq")
             if reporter.lower() in r["reporterLabel"].lower() and r["measure"] == measure
             and (r["value"], r["min"], r["max"], r["approximate"]) == (value, lo, hi, approximate)]
    assert len(found) == 1, ask("figures.rq")


def test_conflicting_death_tolls_are_two_claims(ask):
    killed = [r for r in ask("figures.rq") if r["measure"] == "killed"]
    assert {(r["value"], r["reporterLabel"]) for r in killed} >= {("59", "Joseph Lenku"), ("100", "al-Shabab")}


def test_figures_point_to_their_text(ask):
    for row in ask("figures.rq"):
        assert row["evidence"] and int(row["start"]) < int(row["end"])


# --- statements and claims ---------------------------------------------------------


@pytest.mark.parametrize("speaker, quote, channel", [
    ("Patrick Kuria", "We started by hearing gunshots downstairs and outside", ""),
    ("US Embassy", "Violent extremists continue to occupy Westgate Mall", "text message"),
    ("Yariv Kedar", "heard the gunfire getting closer", "Channel 2"),
    ("Uhuru Kenyatta", "very close family members", ""),
    ("Joseph Lenku", "59 people have been killed", ""),
    ("Gilad Millo", "unharmed and safe", ""),
])
def test_statements(ask, speaker, quote, channel):
    assert rows_with(ask("statements.rq"), speakerLabel=speaker, quote=quote, channelLabel=channel), \
        ask("statements.rq")


def test_claim_of_responsibility_with_motive(ask):
    claims = ask("responsibility.rq")
    assert len(claims) == 1
    claim = claims[0]
    assert claim["claimantLabel"] == "al-Shabab"
    assert "retribution" in claim["motive"] and "2011 push into Somalia" in claim["motive"]
    assert "Westgate" in claim["eventLabel"]


def test_evidence_spans_match_the_article_text(seed_store):
    from kg.query.sparql import run_query

    table = run_query(seed_store, """
        SELECT ?anchor ?b ?e ?text WHERE { GRAPH ?g {
          ?m nif:anchorOf ?anchor ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:referenceContext ?a .
          ?a nif:isString ?text } }""")
    assert len(table.rows) > 50
    for anchor, begin, end, text in table.rows:
        assert text.value[int(begin.value):int(end.value)] == anchor.value
