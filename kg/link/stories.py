"""Stories across articles: the events of different articles that report one
incident, linked to one story node. A build-level pass, like ``kg.link.canon``.

Each article says, for each of its events that can be an incident (an attack,
a hostage taking, a kidnapping, a protest, a disaster, an accident), what the
linking needs: a ``Report`` (type family, place and the containers the article
gives it, the days the event happened on, the publication date, the people
taking part). Reports travel in the per-article result and the cache entry;
after all articles, ``link`` groups them. Memory follows the number of events.

Two reports are one incident when

- their families agree (a shooting, a bombing and "the attack" are the Attack
  family; a hostage taking is part of the attack; air strikes, kidnappings,
  protests, disasters and accidents are families of their own);
- their days overlap: a resolved time gives its days ("Saturday's attack",
  "the 1999 accident"), an unresolved one the publication day and the day
  before (news reports what just happened);
- their places are compatible: the same place, one inside the other (the
  ``kgo:locatedIn`` chains every article gives, and the knowledge base's
  capitals), or a region or country with a town or site whose container is
  unknown when one of the two articles names both ("New South Wales" and
  "Sydney", "Jerusalem" and "the Hilton Hotel"); two towns, two countries, two
  regions or two sites are apart, unless the events of two articles have a
  named person taking part in common (Sir Peter Blake, shot "off Macapa" and
  "in Amazonia"; persons named in many articles of the build, a president,
  are no evidence); places in two known countries are always apart. A report
  without a place joins only through a shared person.

Linking is complete-link (a report joins a story only if it is compatible with
every report already in it) over the reports sorted by content, so the result
does not depend on the order of the articles. The story's key is a pure
function of what its reports say: its family, the most specific place every
one of its articles names (with its containers), and the month of its first
day (``attack-goshen-2001-12``); two stories of one build with the same key
both add their first day (``attack-jerusalem-2001-12-01``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.records import ArticleRecords, EntityFacts, Event

__all__ = ["Report", "Story", "Linker", "reports_of", "story_family", "STORY_FAMILIES"]

#: event type -> the family a story has (only these types make stories)
STORY_FAMILIES: dict[str, str] = {
    **dict.fromkeys(("Attack", "Bombing", "Shooting", "Stabbing", "Arson", "HostageTaking"), "Attack"),
    "AirStrike": "AirStrike",
    "Kidnapping": "Kidnapping",
    "Protest": "Protest",
    **dict.fromkeys(("Disaster", "Flood", "Fire", "Earthquake", "Storm"), "Disaster"),
    "Accident": "Accident",
}
#: how specific a place of each class is: two places of one level are apart unless one is
#: known to hold the other; a place without a known container may lie in any wider one
_LEVEL = {"Country": 0, "Region": 1, "Place": 2, "City": 2, "Facility": 3}
_RECENT_DAYS = 1  # an unresolved time: the publication day and the day before


def story_family(event_type: str) -> str | None:
    return STORY_FAMILIES.get(event_type)


@dataclass(frozen=True)
class Report:
    """One article event that can be an incident, as the linking pass needs it."""

    article: str
    event: str  # Event.id
    family: str
    place: str | None  # entity key
    chain: tuple[str, ...]  # the place's containers, as the article gives them (nearest first)
    first: dt.date | None  # the days it happened on (resolved, or around its publication)
    last: dt.date | None
    published: dt.date | None
    people: tuple[str, ...] = ()  # named persons taking part (entity keys)
    around: tuple[str, ...] = ()  # every place the article names

    def encode(self) -> list:
        return [self.article, self.event, self.family, self.place, list(self.chain), _iso(self.first),
                _iso(self.last), _iso(self.published), list(self.people), list(self.around)]

    @classmethod
    def decode(cls, row: list) -> Report:
        article, event, family, place, chain, first, last, published, people, around = row
        return cls(str(article), str(event), str(family), place or None, tuple(chain), _day(first), _day(last),
                   _day(published), tuple(people), tuple(around))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


# --- what an article says -----------------------------------------------------------------


def _published(records: ArticleRecords) -> dt.date | None:
    from kg.ingest.dateline import parse_dateline

    published = records.article.published
    if published is None:
        dateline = parse_dateline(records.article.text)
        published = dateline.date if dateline is not None else None
    return _day(published)


def _days(event: Event, published: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    time = event.time
    if time is not None and time.begin is not None:
        first, last = _day(time.begin), _day(time.end or time.begin)
        if published is not None and first is not None and first > published:  # a threat's future: no incident yet
            return None, None
        return first, min(last, published) if published and last else last
    if published is None:
        return None, None
    return max(dt.date.min + dt.timedelta(days=_RECENT_DAYS), published) - dt.timedelta(days=_RECENT_DAYS), published


def _chain(place: str | None, located: dict[str, str]) -> tuple[str, ...]:
    out: list[str] = []
    current = located.get(place) if place else None
    while current and current not in out and current != place:
        out.append(current)
        current = located.get(current)
    return tuple(out)


def reports_of(records: ArticleRecords) -> tuple[Report, ...]:
    """The article's events that can be incidents (see module doc)."""
    published = _published(records)
    located = {e.key: e.located_in for e in records.entities if e.located_in}
    persons = {e.key for e in records.entities if e.category == "Person"}
    around = tuple(sorted(e.key for e in records.entities if e.category == "Place"))
    out = []
    for event in records.events:
        family = story_family(event.type)
        if family is None:
            continue
        first, last = _days(event, published)
        people = tuple(sorted({p.entity for p in event.participants if not p.described and p.entity in persons}))
        out.append(Report(records.article.id, event.id, family, event.place, _chain(event.place, located),
                          first, last, published, people, around))
    return tuple(out)


# --- the build's stories ------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    key: str  # the IRI's local part: family, place, month (or day)
    family: str
    place: str | None
    first: dt.date | None
    label: str


@lru_cache(maxsize=1)
def _kb_countries() -> dict[str, str]:
    """City QID -> country QID, where the knowledge base knows it (its capitals)."""
    from kg.link.kb import load_kb

    return {entry.qid: entry.country for entry in load_kb() if entry.country}


class _Places:
    """What the build knows about places: containers (every article's and the KB's) and kinds."""

    def __init__(self, reports: Iterable[Report], decided: dict[str, EntityFacts]) -> None:
        self._up: dict[str, set[str]] = defaultdict(set)
        for report in reports:
            chain = (report.place, *report.chain) if report.place else ()
            for inner, outer in zip(chain, chain[1:]):
                self._up[inner].add(outer)
        for city, country in _kb_countries().items():
            self._up[city].add(country)
        self._decided = decided
        self.named = decided.keys()  # places some article names (not only the knowledge base)

    @lru_cache(maxsize=None)
    def above(self, place: str) -> frozenset[str]:
        seen: set[str] = set()
        todo = list(self._up.get(place, ()))
        while todo:
            current = todo.pop()
            if current not in seen and current != place:
                seen.add(current)
                todo.extend(self._up.get(current, ()))
        return frozenset(seen)

    def kind(self, place: str) -> str:
        facts = self._decided.get(place)
        return facts.kind if facts else "Place"

    def countries(self, place: str) -> frozenset[str]:
        return frozenset(p for p in (place, *self.above(place)) if self.kind(p) == "Country")

    def compatible(self, a: Report, b: Report, shared_person: bool) -> bool:
        """Compatible places (see module doc); a wider and a narrower place with no known
        relation only when one of the two articles names both ("Mount Gambier, in South
        Australia's south-east" vouches for the report that says "South Australia")."""
        pa, pb = a.place, b.place
        if pa == pb or pa in self.above(pb) or pb in self.above(pa):
            return True
        if not self._apart(pa, pb):
            return shared_person or (self.level(pa) != self.level(pb) and (pb in a.around or pa in b.around))
        return False

    def _apart(self, a: str, b: str) -> bool:
        ca, cb = self.countries(a), self.countries(b)
        return bool(ca and cb and not ca & cb)

    def level(self, place: str) -> int:
        return _LEVEL.get(self.kind(place), 2)

    def depth(self, place: str) -> tuple[int, int, str]:
        return len(self.above(place)), self.level(place), place


def _overlap(a: Report, b: Report) -> bool:
    if a.first is None or b.first is None:
        return False
    return a.first <= (b.last or b.first) and b.first <= (a.last or a.first)


def _fits(report: Report, members: list[Report], places: _Places, common: frozenset[str]) -> bool:
    for other in members:
        shared = other.article != report.article and bool((set(report.people) & set(other.people)) - common)
        if report.first is not None and other.first is not None and not _overlap(report, other):
            return False
        if report.first is None or other.first is None:
            if not shared:
                return False
        if report.place and other.place:
            if not places.compatible(report, other, shared):
                return False
        elif not shared:
            return False
    return True


def _order(report: Report) -> tuple:
    return (report.first or dt.date.max, report.place is None, report.article, report.event)


class Linker:
    """The reports of a build, gathered article by article, linked once at the end."""

    def __init__(self) -> None:
        self._reports: list[Report] = []

    def add(self, reports: Iterable[Report]) -> None:
        self._reports.extend(reports)

    def __len__(self) -> int:
        return len(self._reports)

    def link(self, decided: dict[str, EntityFacts]) -> dict[tuple[str, str], Story]:
        """(article id, event id) -> its story, for every report that has a place in a story."""
        places = _Places(self._reports, decided)
        common = _common_people(self._reports)
        clusters: list[list[Report]] = []
        ends: list[dt.date] = []  # the earliest last day of each story: later reports cannot join it
        index: dict[tuple[str, str], list[int]] = defaultdict(list)  # (family, key) -> the stories under it
        for report in sorted(self._reports, key=_order):
            if report.first is None and not report.people:  # no day and no person: nothing can link it
                clusters.append([report])
                ends.append(dt.date.min)
                continue
            home = next((i for i in _candidates(report, index, ends, places)
                         if _fits(report, clusters[i], places, common)), None)
            if home is None:
                home = len(clusters)
                clusters.append([])
                ends.append(dt.date.max)
            clusters[home].append(report)
            if report.last is not None:
                ends[home] = min(ends[home], report.last)
            for key in _index_keys(report, places):
                bucket = index[(report.family, key)]
                if not bucket or bucket[-1] != home:
                    bucket.append(home)
        done = clusters
        stories = [(c, _story(c, places, decided)) for c in done]
        stories = [(c, s) for c, s in stories if s is not None]
        return {(r.article, r.event): s for c, s in _distinct(stories) for r in c}


def _index_keys(report: Report, places: _Places) -> list[str]:
    """What a story is found under: its reports' places, their containers, the places their
    articles name, their persons."""
    keys = [f"H:{p}" for p in report.people]
    if report.place:
        keys += [f"P:{report.place}", *(f"A:{p}" for p in places.above(report.place)), *(f"R:{p}" for p in report.around)]
    return keys


def _query_keys(report: Report, places: _Places) -> list[str]:
    """The keys under which the stories a report may join are found (see ``_index_keys``)."""
    keys = [f"H:{p}" for p in report.people]
    if report.place:
        wider = (report.place, *places.above(report.place), *report.around)
        keys += [*(f"P:{p}" for p in wider), f"A:{report.place}", f"R:{report.place}"]
    return keys


def _candidates(report: Report, index: dict[tuple[str, str], list[int]], ends: list[dt.date],
                places: _Places) -> list[int]:
    """Open stories the report may join, oldest first; closed ones are dropped from the index."""
    found: set[int] = set()
    for key in _query_keys(report, places):
        bucket = index.get((report.family, key))
        if not bucket:
            continue
        if report.first is not None:
            bucket[:] = [i for i in bucket if ends[i] >= report.first]
        found.update(bucket)
    return sorted(found)


def _common_people(reports: list[Report]) -> frozenset[str]:
    """Persons named in so many articles that naming them says nothing about the incident
    (a president, a prime minister): in more than 10 articles and 5 % of them."""
    articles: dict[str, set[str]] = defaultdict(set)
    for report in reports:
        for person in report.people:
            articles[person].add(report.article)
    total = len({r.article for r in reports})
    return frozenset(p for p, named in articles.items() if len(named) > max(10, total // 20))


def _anchor(cluster: list[Report], places: _Places) -> str | None:
    """The most specific place every article of the story names (with its containers)."""
    named: dict[str, set[str]] = defaultdict(set)
    for report in cluster:
        if report.place:
            named[report.article] |= {report.place, *places.above(report.place)}
    if not named:
        return None
    shared = set.intersection(*named.values())
    pool = {p for p in shared if p in places.named} or {r.place for r in cluster if r.place}
    if not shared:  # no place in common: the widest one they name
        return min(pool, key=places.depth)
    return max(pool, key=places.depth)


def _story(cluster: list[Report], places: _Places, decided: dict[str, EntityFacts]) -> Story | None:
    place = _anchor(cluster, places)
    if place is None:
        return None
    family = cluster[0].family
    days = [r.first for r in cluster if r.first is not None]
    first = min(days) if days else None
    # undated reports cannot be linked by their days: each undated story keeps its first report's article
    month = first.strftime("%Y-%m") if first else f"undated-{min(r.article for r in cluster)}"
    facts = decided.get(place)
    label = f"{_FAMILY_LABELS[family]} in {facts.label if facts else place}" + (
        f", {first.strftime('%B %Y')}" if first else "")
    return Story(f"{family}-{place}-{month}", family, place, first, label)


def _distinct(stories: list[tuple[list[Report], Story]]) -> list[tuple[list[Report], Story]]:
    """Two stories with one key (same family, place and month) both add their first day."""
    counts = Counter(s.key for _, s in stories)
    out = []
    for cluster, story in stories:
        if counts[story.key] > 1 and story.first is not None:
            story = Story(f"{story.family}-{story.place}-{story.first.isoformat()}", story.family, story.place,
                          story.first, story.label.rsplit(", ", 1)[0] + f", {story.first.day} "
                          f"{story.first.strftime('%B %Y')}")
        out.append((cluster, story))
    return out


_FAMILY_LABELS = {"Attack": "Attack", "AirStrike": "Air strike", "Kidnapping": "Kidnapping", "Protest": "Protest",
                  "Disaster": "Disaster", "Accident": "Accident"}
