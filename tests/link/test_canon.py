"""kg.link.canon: one label, class and category per entity across a build, decided by evidence.

The cases are the Lee corpus's: "Gillespie" tagged GPE next to "Jason Gillespie"
(lee-119) made entity/person-jason-gillespie a Place there and a Person in five
other articles; "Whiting" tagged ORG next to "Roy Whiting" (lee-158) made a
person an Organization; "Collins Place" was an Organization in two articles and
the place of a protest in a third.
"""

from __future__ import annotations

import pytest

from kg.link.canon import Canon, Reading, decide
from kg.rdf.ontology import superclasses
from kg.records import EntityFacts


def reading(key: str, label: str, kind: str, category: str, mentions: int = 1, wikidata: str | None = None,
            place: bool = False) -> Reading:
    return Reading(EntityFacts(key, label, kind, category, wikidata), mentions, place)


def test_superclasses_come_from_the_ontology() -> None:
    assert superclasses("City") == {"Place"}
    assert superclasses("ArmedGroup") >= {"Organization", "Agent"}
    assert superclasses("Person") == {"Agent"}


def test_a_person_key_is_a_person_whatever_one_article_says() -> None:
    """The Person-and-Place case: five articles read a person, one (lee-119) a place."""
    key = "person/jason gillespie"
    readings = [reading(key, "Jason Gillespie", "Person", "Person", 2) for _ in range(5)]
    readings.append(reading(key, "Gillespie", "Place", "Place", 3))
    assert decide(key, readings) == EntityFacts(key, "Jason Gillespie", "Person", "Person")
    alone = decide(key, [reading(key, "Gillespie", "Place", "Place", 3)])  # even when only that article names him
    assert (alone.kind, alone.category) == ("Person", "Person")


def test_a_key_of_no_person_is_never_a_person() -> None:
    """A name read as a person in one article and an organisation in others never gets both classes."""
    readings = [reading("hollingworth", "Hollingworth", "Organization", "Organization"),
                reading("hollingworth", "Hollingworth", "Person", "Person", 4)]
    decided = decide("hollingworth", readings)
    assert (decided.kind, decided.category) == ("Organization", "Organization")


def test_an_event_place_is_a_place_against_more_votes() -> None:
    readings = [reading("collins place", "Collins Place", "Organization", "Organization", 2),
                reading("collins place", "Collins Place", "Organization", "Organization"),
                reading("collins place", "Collins Place", "Place", "Place", place=True)]
    decided = decide("collins place", readings)
    assert (decided.kind, decided.category) == ("Place", "Place")


@pytest.mark.parametrize(("votes", "expected"), [
    pytest.param({"Place": 3, "City": 1}, "City", id="a place supports the city it is"),
    pytest.param({"City": 2, "Country": 1}, "City", id="siblings compete on their own votes"),
    pytest.param({"Organization": 1, "ArmedGroup": 1}, "ArmedGroup", id="the most specific organisation"),
    pytest.param({"Organization": 3, "Place": 2, "City": 2}, "City", id="category by all its kinds' votes"),
])
def test_most_frequent_category_then_most_specific_class(votes: dict[str, int], expected: str) -> None:
    category = {"Place": "Place", "City": "Place", "Country": "Place", "Organization": "Organization",
                "ArmedGroup": "Organization"}
    readings = [reading("hobart", "Hobart", kind, category[kind], n) for kind, n in votes.items()]
    assert decide("hobart", readings).kind == expected


def test_knowledge_base_readings_outvote_the_others() -> None:
    readings = [reading("Q40921", "Honiara", "City", "Place", 1, wikidata="Q40921"),
                reading("Q40921", "Honiara Town Council", "Organization", "Organization", 9)]
    assert decide("Q40921", readings) == EntityFacts("Q40921", "Honiara", "City", "Place", "Q40921")


@pytest.mark.parametrize(("labels", "category", "expected"), [
    pytest.param({"Arafat": 5, "Yasser Arafat": 1}, "Person", "Yasser Arafat", id="a person: the fullest name"),
    pytest.param({"UN": 1, "United Nations": 3}, "Organization", "United Nations", id="else the most frequent"),
    pytest.param({"Sydney": 2, "Sydney City": 2}, "Place", "Sydney City", id="a tie: the longer"),
])
def test_one_label(labels: dict[str, int], category: str, expected: str) -> None:
    key = "person/yasser arafat" if category == "Person" else "x"
    readings = [reading(key, label, category, category, n) for label, n in labels.items()]
    assert decide(key, readings).label == expected


def test_canon_gathers_readings_in_any_order() -> None:
    readings = [reading("hobart", "Hobart", "City", "Place"), reading("hobart", "Hobart", "Organization",
                                                                      "Organization", 2),
                reading("hobart", "Hobart", "Place", "Place", 2)]
    forward, backward = Canon(), Canon()
    forward.add(readings)
    backward.add(reversed(readings))
    assert forward.decided() == backward.decided()
    assert forward.decided()["hobart"].kind == "City" and len(forward) == 1


def test_reading_round_trips_through_the_cache_encoding() -> None:
    original = reading("Q3130", "Sydney", "City", "Place", 3, wikidata="Q3130", place=True)
    assert Reading.decode(original.encode()) == original
