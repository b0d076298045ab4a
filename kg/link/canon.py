"""One truth per entity across a build: the build-level pass over every article's reading.

Each article says what its entities are (``Reading``: a label, a kind, a Wikidata
link, and how many mentions back it). Articles disagree: "Hobart" is a city in
one, an organisation in another; "Arafat" and "Yasser Arafat" are one person.
``Canon`` gathers the readings of a build and ``decide`` picks, once per entity
key, its label, its class (``kind``, with its superclasses implied by the
ontology), its category and its Wikidata link, by evidence:

1. readings backed by the knowledge base (a Wikidata link) outvote the others;
2. the category most mentions give wins, ties going to the contract's order
   (Person, Organization, Place, Group, Other);
3. an entity an article gives as an event's place is a place (``kgo:place``
   takes a ``kgo:Place``: "a protest at Collins Place"), whatever the other
   articles tagged it;
4. within the category, the most specific class the mentions support: a
   mention of a ``Place`` supports ``City`` (a city is a place), so "Place 3,
   City 1" gives ``City``, while siblings ("City 2, Country 1") compete on
   their own votes;
5. a person's label is the fullest name, any other's the most frequent one.

A person key (``person/...``) is always a Person and any other key never is
(a known person is keyed by its QID), so the classes of one IRI are never
disjoint. What each article said stays in its graph as mention-level data
(``nif:anchorOf`` and ``itsrdf:taClassRef`` of its mentions).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.rdf.ontology import superclasses
from kg.records import CATEGORIES, EntityFacts

__all__ = ["Reading", "Canon", "decide"]


@dataclass(frozen=True)
class Reading:
    """What one article says an entity is, and how many of its mentions say so."""

    facts: EntityFacts
    mentions: int = 1
    place: bool = False  # the article gives it as an event's place (kgo:place: a kgo:Place)

    def encode(self) -> list:
        f = self.facts
        return [f.key, f.label, f.kind, f.category, f.wikidata, self.mentions, self.place]

    @classmethod
    def decode(cls, row: list) -> Reading:
        key, label, kind, category, wikidata, mentions, place = row
        facts = EntityFacts(str(key), str(label), str(kind), str(category), wikidata or None)
        return cls(facts, int(mentions), bool(place))


def _fits(key: str, kind: str) -> bool:
    """A person key holds a person; no other key does, but a QID's (the knowledge base's word)."""
    if key.startswith("person/"):
        return kind == "Person"
    return kind != "Person" or key[:1] == "Q"


def _best_kind(votes: Counter[tuple[str, str]]) -> tuple[str, str]:
    """(kind, category) by the most mentions per category, then the most specific supported kind."""
    by_category: Counter[str] = Counter()
    for (_, category), weight in votes.items():
        by_category[category] += weight
    order = {c: i for i, c in enumerate(CATEGORIES)}
    category = max(by_category, key=lambda c: (by_category[c], -order.get(c, len(order)), c))
    own = {kind: weight for (kind, cat), weight in votes.items() if cat == category}

    def rank(kind: str) -> tuple:
        support = sum(w for k, w in own.items() if k == kind or k in superclasses(kind))
        return support, len(superclasses(kind)), own[kind], kind

    return max(own, key=rank), category


def _best_label(labels: Counter[str], category: str) -> str:
    if category == "Person":
        return max(labels, key=lambda n: (len(n.split()), labels[n], n))
    return max(labels, key=lambda n: (labels[n], len(n), n))


def decide(key: str, readings: Iterable[Reading]) -> EntityFacts:
    """The one label, kind, category and Wikidata link of an entity (see module doc)."""
    readings = list(readings)
    linked = [r for r in readings if r.facts.wikidata]
    voters = [r for r in (linked or readings) if _fits(key, r.facts.kind)] or linked or readings
    kinds: Counter[tuple[str, str]] = Counter()
    labels: Counter[str] = Counter()
    links: Counter[str] = Counter()
    for reading in voters:
        facts = reading.facts
        kinds[(facts.kind, facts.category)] += reading.mentions
        labels[facts.label] += reading.mentions
        if facts.wikidata:
            links[facts.wikidata] += reading.mentions
    if any(r.place for r in readings) and _fits(key, "Place"):
        kinds = Counter({kc: w for kc, w in kinds.items() if kc[1] == "Place"}) or Counter({("Place", "Place"): 1})
    kind, category = _best_kind(kinds)
    if not _fits(key, kind):  # nothing fits (hand-made readings): the key's sort wins
        kind, category = ("Person", "Person") if key.startswith("person/") else ("Thing", "Other")
    wikidata = max(links, key=lambda q: (links[q], q)) if links else None
    return EntityFacts(key, _best_label(labels, category), kind, category, wikidata)


class Canon:
    """The readings of a build, gathered article by article, decided once at the end.

    Equal readings are summed as they come ("Sydney, a City, linked" in 300 articles
    is one entry), so memory follows the distinct readings, not the articles.
    """

    def __init__(self) -> None:
        self._mentions: dict[str, Counter[tuple[EntityFacts, bool]]] = defaultdict(Counter)

    def add(self, readings: Iterable[Reading]) -> None:
        for reading in readings:
            self._mentions[reading.facts.key][(reading.facts, reading.place)] += reading.mentions

    def __len__(self) -> int:
        return len(self._mentions)

    def decided(self) -> dict[str, EntityFacts]:
        """Each key's facts (``decide`` breaks every tie by name: the order of articles does not matter)."""
        return {key: decide(key, (Reading(facts, n, place) for (facts, place), n in counts.items()))
                for key, counts in self._mentions.items()}
