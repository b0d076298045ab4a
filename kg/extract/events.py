"""Events: triggers from data patterns, grouped into one node per real-world
event, with type, participants in roles, place and time.

Triggers come from ``kg/data/events/triggers.jsonl`` (token ``Matcher``
patterns) and ``dependency.jsonl`` (``DependencyMatcher`` patterns). Mentions
of one type family in an article are one event unless a mention carries its
own earlier date ("the 2002 attacks", "Kenya's 2011 push into Somalia"),
which makes it a past event of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from kg.extract.arguments import (
    AGENT_KINDS, THING_KINDS, Slot, argument_lexicon, harm_role, is_armed_vehicle, owner_of_part, slots,
)
from kg.extract.tokens import sentence_index, sentence_of, tokens_of
from kg.extract.context import ArticleContext, TimeMention, clause_tokens, clause_verb, lex, lexicon, span_of
from kg.extract.entities import PLACE_RANK, org_kind
from kg.nlp.patterns import add_pattern, check_token_pattern
from kg.paths import data_name, jsonl_rows
from kg.rdf.ontology import with_subclasses
from kg.records import Described, Entity, Event, Participant, TimeValue
from kg.extract.timex import incident_time

__all__ = ["Trigger", "find_triggers", "extract_events", "family", "main_event", "ATTACK_TYPES", "described_responders"]

#: From the ontology's class hierarchy: attacks, and harm nobody did (disasters and accidents).
ATTACK_TYPES = with_subclasses("Attack")
DISASTER_TYPES = with_subclasses("Disaster") | with_subclasses("Accident")
MAIN_TYPES = ATTACK_TYPES | DISASTER_TYPES | {"HostageTaking", "Kidnapping", "MilitaryOperation", "Protest"}
#: role of a trigger's agent (subject, "by" phrase, possessor) and patient (object) per type
ROLES: dict[str, tuple[str, str]] = {
    **{t: ("perpetrator", "target") for t in ATTACK_TYPES},
    "HostageTaking": ("perpetrator", "victim"),
    "Kidnapping": ("perpetrator", "victim"),
    "Rescue": ("responder", "participant"),
    "Evacuation": ("responder", "participant"),
    "Arrest": ("responder", "participant"),
    "MilitaryOperation": ("participant", "target"),
    "Threat": ("perpetrator", "target"),
    "Protest": ("participant", "target"),
}
_PAST_DAYS = 45
#: Types that are only events when someone does them ("the fire threatened homes" is no threat).
NEEDS_AGENT = frozenset({"Threat"})


@dataclass(frozen=True)
class Trigger:
    token: int
    type: str
    priority: int  # dependency pattern 3, multi-token 2, single token 1
    named_end: int | None = None  # end token of a named event ("Operation Linda Nchi")


_SIMPLE_KEYS = {"LEMMA", "POS"}


def _simple(pattern: list[dict[str, Any]]) -> tuple[list[str], frozenset[str] | None] | None:
    """A one-token pattern on lemma (and POS) only: matched by a dictionary look-up,
    which is much faster than the Matcher on every token of every article."""
    if len(pattern) != 1 or set(pattern[0]) - _SIMPLE_KEYS or "LEMMA" not in pattern[0]:
        return None
    lemma, pos = pattern[0]["LEMMA"], pattern[0].get("POS")
    lemmas = lemma["IN"] if isinstance(lemma, dict) else [lemma]
    tags = None if pos is None else frozenset(pos["IN"] if isinstance(pos, dict) else [pos])
    return lemmas, tags


@dataclass(frozen=True)
class _Rules:
    by_lemma: dict[str, list[tuple[str, frozenset[str] | None]]]
    matcher: Matcher
    dependency: DependencyMatcher
    dependency_needs: tuple[tuple[frozenset[str], ...], ...]  # per pattern: words each constrained node needs
    matcher_starts: frozenset[str]  # words the first token of a multi-token pattern needs
    rules: dict[str, dict[str, Any]]


def _first_words(attrs: dict[str, Any]) -> set[str]:
    """Lemmas/lower forms a pattern token requires (lower-cased), for pre-filtering."""
    words: set[str] = set()
    for key in ("LEMMA", "LOWER"):
        value = attrs.get(key)
        if value is not None:
            words.update(value["IN"] if isinstance(value, dict) else [value])
    return words


_TRIGGERS, _DEPENDENCY = "events/triggers.jsonl", "events/dependency.jsonl"


@lru_cache(maxsize=4)
def _matchers(vocab: Vocab) -> _Rules:
    matcher, dep = Matcher(vocab, validate=True), DependencyMatcher(vocab, validate=True)
    rules: dict[str, dict[str, Any]] = {}
    by_lemma: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
    starts: set[str] = set()
    for i, (line, rule) in enumerate(jsonl_rows(_TRIGGERS)):
        where = f"{data_name(_TRIGGERS)}:{line}"
        simple = _simple(rule["pattern"])
        if simple is not None and not rule.get("named"):
            check_token_pattern(rule["pattern"], where)
            for lemma in simple[0]:
                by_lemma.setdefault(lemma, []).append((rule["type"], simple[1]))
            continue
        add_pattern(matcher, f"T{i}", rule["pattern"], where)
        rules[f"T{i}"] = rule
        starts |= _first_words(rule["pattern"][0])
    needs: list[tuple[frozenset[str], ...]] = []
    for i, (line, rule) in enumerate(jsonl_rows(_DEPENDENCY)):
        add_pattern(dep, f"D{i}", rule["pattern"], f"{data_name(_DEPENDENCY)}:{line}")
        rules[f"D{i}"] = rule
        nodes = (frozenset(_first_words(node["RIGHT_ATTRS"])) for node in rule["pattern"])
        needs.append(tuple(words for words in nodes if words))
    return _Rules(by_lemma, matcher, dep, tuple(needs), frozenset(starts), rules)


_WINDOW = 6  # longest multi-token trigger pattern we match ("Operation Linda Nchi …")


def _token_hits(doc: Doc) -> list[Trigger]:
    compiled = _matchers(doc.vocab)
    hits = []
    starts: list[int] = []
    words: dict[int, set[str]] = {}  # sentence start -> its lemmas and lower-case forms
    for token in tokens_of(doc):
        lemma, lower = token.lemma_, token.lower_
        if lower in compiled.matcher_starts or lemma in compiled.matcher_starts:
            starts.append(token.i)
        bag = words.setdefault(sentence_of(doc, token.i).start, set())
        bag.add(lemma)
        bag.add(lower)
        for event_type, tags in compiled.by_lemma.get(lemma, ()):
            if tags is None or token.pos_ in tags:
                hits.append(Trigger(token.i, event_type, 1))
    rooted = {start: sentence_of(doc, start) for start, bag in words.items()
              if any(all(node & bag for node in need) for need in compiled.dependency_needs)}
    for first in starts:  # multi-token patterns, matched in a short window at each candidate
        window = doc[first:min(first + _WINDOW, sentence_of(doc, first).end)]
        for match_id, start, end in compiled.matcher(window):
            if start != 0:
                continue
            rule = compiled.rules[doc.vocab.strings[match_id]]
            start, end = start + first, end + first
            named_end = end if rule.get("named") else None
            hits.append(Trigger(start + rule.get("anchor", 0), rule["type"], 2 if end - start > 1 else 1, named_end))
    for offset in sorted(rooted):  # dependency patterns, only on sentences that can match
        for match_id, tokens in compiled.dependency(rooted[offset]):
            rule = compiled.rules[doc.vocab.strings[match_id]]
            ids = [p["RIGHT_ID"] for p in rule["pattern"]]
            hits.append(Trigger(offset + tokens[ids.index(rule["anchor"])], rule["type"], 3))
    return hits


def _modal(token: Token) -> bool:
    """A trigger that is only threatened, planned, feared or denied ("threatened more attacks")."""
    modal = lex("modality_verbs")
    head = token.head
    return token.dep_ in ("dobj", "xcomp", "pobj", "ccomp") and (
        head.lemma_.lower() in modal or head.head.lemma_.lower() in modal and head.dep_ in ("prep", "xcomp")
    )


def _not_an_event(token: Token) -> bool:
    """'heart attack', 'photo shoot': a modifier that makes the word no event."""
    blocked = lexicon()["not_events"].get(token.lemma_.lower())
    return bool(blocked) and any(c.dep_ in ("compound", "amod") and c.lower_ in blocked for c in token.children)


def find_triggers(doc: Doc) -> list[Trigger]:
    """One trigger per token (the highest-priority pattern wins), filtered.
    Computed once per doc (events and claims both ask)."""
    cached = doc.user_data.get("kg_triggers")
    if cached is None:
        cached = doc.user_data["kg_triggers"] = _find_triggers(doc)
    return list(cached)


def _find_triggers(doc: Doc) -> list[Trigger]:
    best: dict[int, Trigger] = {}
    for hit in _token_hits(doc):
        old = best.get(hit.token)
        if old is None or (hit.priority, hit.named_end or 0) > (old.priority, old.named_end or 0):
            best[hit.token] = hit
    out = []
    for hit in sorted(best.values(), key=lambda h: h.token):
        token = doc[hit.token]
        if token.dep_ == "compound" and hit.priority == 1:
            continue
        if hit.type != "Threat" and _modal(token):
            continue
        if _not_an_event(token):
            continue
        out.append(hit)
    return out


def family(event_type: str) -> str:
    """Mentions of one family are one event: a shooting, a bombing and 'the attack'
    are usually one assault; air strikes are carried out by others, apart."""
    return "Attack" if event_type in ATTACK_TYPES and event_type != "AirStrike" else event_type


# --- time ------------------------------------------------------------------------


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _own_times(ctx: ArticleContext, token: Token) -> list[TimeMention]:
    """Times inside the trigger's own phrase ("the 2011 push", "Saturday's attack")."""
    subtree = {t.i for t in token.subtree}
    return [m for m in ctx.times if m.start in subtree and m.start < token.i + 1]


def _past_anchor(ctx: ArticleContext, token: Token) -> TimeValue | None:
    """An own date well before publication makes a mention a past event."""
    for mention in _own_times(ctx, token):
        value = mention.value
        if value.begin is None:
            continue
        if ctx.published is None:
            return value
        end = _as_datetime(value.end or value.begin)
        if _as_datetime(ctx.published) - end > dt.timedelta(days=_PAST_DAYS):
            return value
    return None


def _mention_times(ctx: ArticleContext, token: Token) -> list[TimeValue]:
    verb = clause_verb(token)
    mentions = ctx.times_of(token) + [m for m in ctx.times_of(verb) if m not in ctx.times_of(token)]
    return [m.value for m in mentions]


# --- places ----------------------------------------------------------------------------


def _place_votes(ctx: ArticleContext, token: Token) -> Counter[str]:
    votes: Counter[str] = Counter()
    clause = clause_tokens(token)
    for weight, tokens in ((2, clause), (1, list(token.sent))):
        seen: set[str] = set()
        for t in tokens:
            if ctx.in_dateline(t):
                continue
            key = ctx.table.at(t.i) or _facility_by_noun(ctx, t)
            entity = ctx.table.get(key) if key else None
            if entity is not None and entity.category == "Place" and key not in seen:
                seen.add(key)  # type: ignore[arg-type]
                votes[key] += weight  # type: ignore[index]
    return votes


def _facility_by_noun(ctx: ArticleContext, token: Token) -> str | None:
    """'the mall' refers to the article's one facility named "... Mall"."""
    if token.pos_ != "NOUN" or not any(c.lower_ == "the" for c in token.children):
        return None
    fits = {e.key for e in ctx.table.entities if e.kind == "Facility"
            and e.label.lower().split()[-1] == token.lower_}
    return fits.pop() if len(fits) == 1 else None


def dateline_place(ctx: ArticleContext) -> str | None:
    """The most specific place the dateline names ("CEBU CITY, Philippines —")."""
    found = [e for e in ctx.table.entities if e.category == "Place"
             and any(m.span.start < ctx.body_start for m in e.mentions)]
    return max(found, key=lambda e: PLACE_RANK.get(e.kind, 0)).key if found else None


def choose_place(ctx: ArticleContext, votes: Counter[str]) -> str | None:
    """The most specific place among the well-attested ones."""
    if not votes:
        return None
    top = max(votes.values())
    strong = [k for k, v in votes.items() if v * 2 >= top]

    def rank(key: str) -> tuple[int, int, str]:
        entity = ctx.table.get(key)
        return (PLACE_RANK.get(entity.kind, 0) if entity else 0, votes[key], key)

    return max(strong, key=rank)


# --- participants -----------------------------------------------------------------------


def _force_country(ctx: ArticleContext, token: Token) -> str | None:
    """'Kenyan forces', 'Israeli troops': the country whose forces they are."""
    if org_kind(token.text) != "SecurityForce" and token.lemma_.lower() not in ("troop", "soldier"):
        return None
    for child in token.children:
        if child.dep_ in ("amod", "compound", "poss"):
            entity = ctx.table.get(ctx.table.at(child.i))
            if entity is not None and entity.nationality:
                return entity.nationality
            if entity is not None and entity.kind == "Country":
                return entity.key
    return None


def _agent_of(ctx: ArticleContext, token: Token) -> str | None:
    """An entity that acts: a person, organisation, group or country (a city or
    a building does not act)."""
    key = ctx.agent(token)
    if key is None or key.startswith("~"):
        key = _force_country(ctx, token) or key
    entity = ctx.table.get(key) if key and not key.startswith("~") else None
    if entity is None or (entity.category == "Place" and entity.kind != "Country"):
        return None
    return key


HARM_TYPES = ATTACK_TYPES | {"Kidnapping", "HostageTaking", "Threat"}


def _described_role(node: Described, slot: str, roles: tuple[str, str], event_type: str) -> str | None:
    """The role a described participant of a kind plays from a slot."""
    harm, kind = event_type in HARM_TYPES, node.kind
    armed_vehicle = is_armed_vehicle(node)
    if kind == "Weapon" or (armed_vehicle and slot == "agent" and harm):
        return "instrument" if slot != "place" else None  # "helicopter gunships fired missiles"
    if slot == "agent" or (slot == "modifier" and kind in AGENT_KINDS - {"People"}):
        return roles[0] if kind in AGENT_KINDS else None
    if slot in ("patient", "modifier"):
        if harm:
            return "victim" if kind in AGENT_KINDS else "target"
        return roles[1]
    if slot == "place" and harm and kind in THING_KINDS:
        return "target"
    return None


def _named_role(ctx: ArticleContext, token: Token, slot: str, roles: tuple[str, str], event_type: str) -> list[Participant]:
    harm = event_type in HARM_TYPES
    if slot in ("patient", "place") and harm:
        entity = ctx.table.get(ctx.entity_at(token))
        if entity is not None and _named_thing(entity):
            return [Participant(entity.key, "target")]
    if slot not in ("agent", "patient", "modifier"):
        return []
    key = _agent_of(ctx, token)
    if key is None:
        return []
    entity = ctx.table.get(key)
    if slot == "modifier" and (entity is None or entity.category != "Organization"):
        return []
    if slot == "agent" or slot == "modifier":
        return [Participant(key, roles[0])]
    person = entity is not None and entity.category in ("Person", "Group")
    return [Participant(key, "victim" if harm and person else roles[1])]


def _named_thing(entity: Entity) -> bool:
    """A facility, or a place whose name ends in a word for a built thing ("La Noria Bridge")."""
    if entity.kind == "Facility":
        return True
    head = entity.label.split()[-1].lower() if entity.label else ""
    return entity.category == "Place" and argument_lexicon().kinds.get(head) in THING_KINDS


def _fill(ctx: ArticleContext, slot: Slot, roles: tuple[str, str], event_type: str) -> list[Participant]:
    token, lexicon = owner_of_part(slot.token), argument_lexicon()
    if token is None or token.lower_ in lexicon.relative_pronouns:
        return []
    node = ctx.described_at(token)
    if node is None and slot.slot == "agent" and token.lower_ in lexicon.plural_pronouns and ctx.described is not None:
        node = ctx.described.last_agent(token.idx)  # "they" after "three hooded men"
        if node is not None and ctx.last_group(token.idx) and _later_group(ctx, token, node):
            node = None
    if node is None:
        return _named_role(ctx, token, slot.slot, roles, event_type)
    role = _described_role(node, slot.slot, roles, event_type)
    if role is None or (role == "instrument" and slot.via and slot.via not in lexicon.weapon_object_verbs):
        return []  # "seized weapons", "defused the bomb": no instrument of the event
    out = [Participant(node.id, role, described=True)]
    if role == "perpetrator" and node.affiliation:
        out.append(Participant(node.affiliation, "perpetrator"))  # "FMLN urban guerrillas": the FMLN too
    return out


def _later_group(ctx: ArticleContext, token: Token, node: Described) -> bool:
    """A named group mentioned after the described one is what "they" refers to."""
    key = ctx.last_group(token.idx)
    entity = ctx.table.get(key)
    last_named = max((m.span.start for m in entity.mentions if m.span.start < token.idx), default=-1) if entity else -1
    return last_named > max(m.start for m in node.mentions if m.start < token.idx)


def _participants(ctx: ArticleContext, event_type: str, token: Token) -> list[Participant]:
    roles = ROLES.get(event_type)
    if roles is None:
        return []
    return [p for slot in slots(token) for p in _fill(ctx, slot, roles, event_type)]


def _harm_tokens(ctx: ArticleContext) -> list[Token]:
    """The article's verbs of harm, found once per doc."""
    found = ctx.doc.user_data.get("kg_harm")
    if found is None:
        found = ctx.doc.user_data["kg_harm"] = [t for t in tokens_of(ctx.doc) if harm_role(t)]
    return found


def _harm_verbs(ctx: ArticleContext, tokens: list[Token]) -> list[Token]:
    """Verbs of harm in the sentences of an event's triggers ("killed a professor"):
    their arguments are the event's too."""
    sentences = {sentence_of(ctx.doc, t.i).start for t in tokens}
    taken = {t.i for t in tokens}
    return [t for t in _harm_tokens(ctx) if t.i not in taken and sentence_of(ctx.doc, t.i).start in sentences]


def _harm_triggers(ctx: ArticleContext, taken: set[int]) -> list[Trigger]:
    """A verb of harm done by armed actors is an attack ("guerrillas killed three
    peasants", "terrorists dynamited the tower")."""
    out = []
    uses = argument_lexicon().instrument_verbs
    for token in tokens_of(ctx.doc):
        if token.i in taken or token.pos_ != "VERB":
            continue
        found = slots(token) if harm_role(token) or token.lemma_.lower() in uses else []
        armed = harm_role(token) and any(_is_armed(ctx, s.token) for s in found if s.slot == "agent")
        weapon = token.lemma_.lower() in uses and any(_is_weapon(ctx, s.token) for s in found if s.slot == "patient")
        if armed or weapon:  # "guerrillas killed ...", "planted a bomb", "hurled grenades"
            out.append(Trigger(token.i, "Attack", 1))
    return out


def _operation(ctx: ArticleContext, trigger: Trigger) -> Trigger:
    """'Police raided the area', 'troops stormed the building': a security operation."""
    token = ctx.doc[trigger.token]
    if family(trigger.type) != "Attack" or token.lemma_.lower() not in argument_lexicon().operation_words:
        return trigger
    agents = [s.token for s in slots(token) if s.slot == "agent"]
    security = agents and all(_is_security(ctx, t) for t in agents)
    return replace(trigger, type="MilitaryOperation") if security else trigger


def _arson(ctx: ArticleContext, trigger: Trigger) -> Trigger:
    """A fire set by armed actors is an arson attack ("rebels burned houses")."""
    if trigger.type != "Fire":
        return trigger
    agents = [s.token for s in slots(ctx.doc[trigger.token]) if s.slot == "agent"]
    return replace(trigger, type="Arson") if any(_is_armed(ctx, t) for t in agents) else trigger


def _seizes_things(ctx: ArticleContext, trigger: Trigger) -> bool:
    """'seized 45,000 cartridges', 'took the town': a kidnapping verb whose object is
    no person is no kidnapping."""
    token = ctx.doc[trigger.token]
    if trigger.type != "Kidnapping" or token.pos_ != "VERB" or ctx.described is None:
        return False
    objects = [s.token for s in slots(token) if s.slot == "patient"]
    return bool(objects) and not any(_is_people(ctx, t) for t in objects)


def _reading(ctx: ArticleContext, token: Token) -> Described | Entity | None:
    """What a token stands for: the described participant it heads, else its named entity."""
    return ctx.described_at(token) or ctx.table.get(ctx.entity_at(token))


def _is_people(ctx: ArticleContext, token: Token) -> bool:
    found = _reading(ctx, token)
    if isinstance(found, Described):
        return found.kind in AGENT_KINDS
    return found is not None and found.category in ("Person", "Group", "Organization")


def _has_culprit(ctx: ArticleContext, cluster: _Cluster) -> bool:
    return any(s.slot == "agent" and _is_armed(ctx, s.token) for t in cluster.triggers for s in slots(ctx.doc[t.token]))


def _is_security(ctx: ArticleContext, token: Token) -> bool:
    found = _reading(ctx, token)
    return found is not None and found.kind in ("SecurityPersonnel", "SecurityForce")


def _is_weapon(ctx: ArticleContext, token: Token) -> bool:
    found = ctx.described_at(token)
    return found is not None and found.kind == "Weapon"


def _is_armed(ctx: ArticleContext, token: Token) -> bool:
    found = _reading(ctx, token)
    if isinstance(found, Described):
        return found.kind == "ArmedActor" or is_armed_vehicle(found)
    return found is not None and found.kind == "ArmedGroup"


# --- clustering -----------------------------------------------------------------------------


@dataclass
class _Cluster:
    family: str
    anchor: str
    triggers: list[Trigger] = field(default_factory=list)
    past: TimeValue | None = None
    places: set[str] = field(default_factory=set)  # places the triggers' own clauses name
    day: dt.date | None = None  # the day the triggers' own clauses name


_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "on", "into", "from"})


def _own_place(ctx: ArticleContext, token: Token) -> str | None:
    """The most specific place below country level that the trigger's own clause names
    ("the bombing in Haifa", "gunmen attacked a bus in Jerusalem"), or the clause it
    depends on ("was killed in Ramallah when his truck exploded")."""
    verb = clause_verb(token)
    found = _clause_place(ctx, token)
    if found is None and verb.dep_ in ("advcl", "relcl", "acl") and verb.head.i != verb.i:
        found = _clause_place(ctx, verb.head)
    return found


def _clause_place(ctx: ArticleContext, token: Token) -> str | None:
    clause = clause_tokens(token)
    best: tuple[int, str] | None = None
    for t in clause:
        if ctx.in_dateline(t):
            continue
        key = ctx.table.at(t.i)
        entity = ctx.table.get(key)
        if entity is None or entity.category != "Place" or entity.kind == "Country":
            continue
        head = ctx.doc[t.i]
        while head.dep_ == "compound" and head.head.i != head.i:
            head = head.head
        score = PLACE_RANK.get(entity.kind, 0) * 2 + (head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE)
        if best is None or score > best[0]:
            best = (score, entity.key)
    return best[1] if best else None


def _containers(ctx: ArticleContext, key: str) -> set[str]:
    out: set[str] = set()
    current = ctx.table.get(key)
    while current is not None and current.located_in and current.located_in not in out:
        out.add(current.located_in)
        current = ctx.table.get(current.located_in)
    return out


def _compatible(ctx: ArticleContext, a: str, b: str) -> bool:
    """One place, or one inside the other (Westgate Mall is in Nairobi)."""
    return a == b or a in _containers(ctx, b) or b in _containers(ctx, a)


def _own_day(ctx: ArticleContext, token: Token) -> dt.date | None:
    for value in _mention_times(ctx, token):
        if value.begin is not None and (value.end is None or value.end == value.begin):
            begin = value.begin
            return begin.date() if isinstance(begin, dt.datetime) else begin
    return None


def _same_incident(ctx: ArticleContext, cluster: _Cluster, place: str | None, day: dt.date | None) -> bool:
    if place and cluster.places and not any(_compatible(ctx, place, p) for p in cluster.places):
        return False
    return not (day and cluster.day and abs((day - cluster.day).days) > 1)


def _cluster(ctx: ArticleContext, triggers: list[Trigger]) -> list[_Cluster]:
    """Mentions of one family are one event when they can be one incident: a mention
    that names another place ("a bus bombed in Jerusalem", "an attack in Haifa") or
    another day starts an event of its own; one that names neither ("the attack")
    belongs to the latest event of its family."""
    anchored: dict[tuple[str, str], _Cluster] = {}
    current: dict[str, list[_Cluster]] = {}
    order: list[_Cluster] = []
    for trigger in triggers:
        token = ctx.doc[trigger.token]
        past = _past_anchor(ctx, token)
        anchor = ""
        if trigger.named_end is not None:
            anchor = ctx.doc[trigger.token:trigger.named_end].text
        elif past is not None:
            anchor = past.begin.isoformat() if past.begin else past.text
        kind = family(trigger.type)
        if anchor:
            cluster = anchored.get((kind, anchor))
            if cluster is None:
                cluster = anchored[(kind, anchor)] = _Cluster(kind, anchor, past=past)
                order.append(cluster)
            cluster.triggers.append(trigger)
            continue
        place, day = _own_place(ctx, token), _own_day(ctx, token)
        open_ = current.setdefault(kind, [])
        cluster = next((c for c in reversed(open_) if _same_incident(ctx, c, place, day)), None)
        if cluster is None:
            cluster = _Cluster(kind, "")
            open_.append(cluster)
            order.append(cluster)
        cluster.triggers.append(trigger)
        if place:
            cluster.places.add(place)
        cluster.day = cluster.day or day
    return order


def _cluster_type(cluster: _Cluster) -> str:
    votes = Counter(t.type for t in cluster.triggers)
    best = max(votes.values())
    tied = sorted(t for t, n in votes.items() if n == best)
    specific = [t for t in tied if t != cluster.family]
    return specific[0] if specific else tied[0]


def _words(event_type: str) -> str:
    out = "".join(" " + c.lower() if c.isupper() and i else c for i, c in enumerate(event_type))
    return out.replace("air strike", "air strike")


def _label(ctx: ArticleContext, event_type: str, place: str | None, cluster: _Cluster) -> str:
    if cluster.anchor and not cluster.past:
        return cluster.anchor  # a named event
    words = _words(event_type)
    entity = ctx.table.get(place) if place else None
    if entity is not None:
        words += (" at " if entity.kind == "Facility" else " in ") + entity.label
    if cluster.past is not None and cluster.past.begin is not None:
        words += f" ({cluster.past.begin.year})"
    return words


_ORPHAN_BEFORE, _ORPHAN_AFTER = 3, 1  # sentences


def _orphan_harm_verbs(ctx: ArticleContext, clusters: list[_Cluster]) -> dict[int, list[Token]]:
    """Verbs of harm in sentences that name no harmful event ("Two boys were killed."):
    their arguments belong to the latest such event at most three sentences before,
    else to one in the next sentence. Keyed by the cluster's position."""
    doc = ctx.doc
    mentions = sorted((sentence_index(doc, t.token), n) for n, c in enumerate(clusters)
                      if not c.anchor and (c.family == "Attack" or c.family in HARM_TYPES - {"Threat"})
                      for t in c.triggers)
    if not mentions:
        return {}
    with_trigger = {s for s, _ in mentions}
    out: dict[int, list[Token]] = {}
    for token in _harm_tokens(ctx):
        here = sentence_index(doc, token.i)
        if here in with_trigger:
            continue
        before = [n for s, n in mentions if here - _ORPHAN_BEFORE <= s < here]
        after = [n for s, n in mentions if here < s <= here + _ORPHAN_AFTER]
        chosen = before[-1] if before else (after[0] if after else None)
        security = any(_is_security(ctx, s.token) for s in slots(token) if s.slot == "agent")
        if chosen is not None and not (security and _has_culprit(ctx, clusters[chosen])):
            # "troops killed a guerrilla in a skirmish" is no part of the guerrillas' bombing
            out.setdefault(chosen, []).append(token)
    return out


def _event(ctx: ArticleContext, cluster: _Cluster, orphans: list[Token] = ()) -> Event:
    doc = ctx.doc
    event_type = _cluster_type(cluster)
    tokens = [doc[t.token] for t in cluster.triggers]
    votes: Counter[str] = Counter()
    participants: list[Participant] = []
    times: list[TimeValue] = []
    for token in tokens:
        votes.update(_place_votes(ctx, token))
        participants += _participants(ctx, event_type, token)
        times += _mention_times(ctx, token)
    if event_type in HARM_TYPES:
        for verb in _harm_verbs(ctx, tokens):
            participants += _participants(ctx, event_type, verb)
        own_culprit = any(p.role == "perpetrator" for p in participants)
        for verb in orphans:  # another sentence's harm: who was hit (and who hit, if the event names nobody)
            participants += [p for p in _participants(ctx, event_type, verb)
                             if p.role in ("victim", "target") or not own_culprit]
    place = choose_place(ctx, votes) or dateline_place(ctx)
    time = cluster.past if cluster.past is not None else incident_time(times)
    first = cluster.triggers[0]
    spans = tuple(span_of(doc, t.token, t.named_end or t.token + 1) for t in cluster.triggers)
    event_id = f"{event_type.lower()}-{spans[0].start}"
    return Event(
        id=event_id, type=event_type, label=_label(ctx, event_type, place, cluster), triggers=spans,
        participants=tuple(dict.fromkeys(participants)), place=place, time=time,
        named=bool(cluster.anchor) or first.named_end is not None,
    )


def extract_events(ctx: ArticleContext) -> tuple[Event, ...]:
    """The article's events, in order of first mention."""
    triggers = [t for t in find_triggers(ctx.doc) if t.type != "ClaimOfResponsibility"]  # see claims.py
    triggers = [_operation(ctx, _arson(ctx, t)) for t in triggers if not _seizes_things(ctx, t)]
    triggers = sorted(triggers + _harm_triggers(ctx, {t.token for t in triggers}), key=lambda t: t.token)
    clusters = _cluster(ctx, triggers)
    orphans = _orphan_harm_verbs(ctx, clusters)
    events = (_event(ctx, c, orphans.get(n, [])) for n, c in enumerate(clusters))
    return tuple(e for e in events if e.type not in NEEDS_AGENT or e.participants)


def main_event(events: tuple[Event, ...]) -> Event | None:
    """The article's central event: the most mentioned current attack, disaster, …"""
    current = [e for e in events if e.type in MAIN_TYPES and not e.named]
    if not current:
        return None
    return max(current, key=lambda e: (len(e.triggers) + (3 if family(e.type) == "Attack" else 0), -e.triggers[0].start))


def _subject_holder(token: Token) -> Token | None:
    """The nearest ancestor (or self) with a subject: 'were among those confirmed dead' -> were."""
    current = token
    for _ in range(8):
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in current.children):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def described_responders(ctx: ArticleContext) -> list[str]:
    """Described security forces and rescuers who respond ("police squads made their way
    in", "soldiers surrounded the house"): the ids of their nodes."""
    if ctx.described is None:
        return []
    verbs, out = lex("response_verbs"), []
    for token in tokens_of(ctx.doc):
        if token.pos_ != "VERB" or token.lemma_.lower() not in verbs:
            continue
        for slot in slots(token):
            node = ctx.described_at(slot.token) if slot.slot == "agent" else None
            if node is not None and node.kind == "SecurityPersonnel":
                out.append(node.id)
    return list(dict.fromkeys(out))


def find_victims(ctx: ArticleContext) -> list[tuple[str, Token]]:
    """People and groups the text says were killed, wounded or among the dead."""
    words = lex("victim_words")
    out: list[tuple[str, Token]] = []
    for token in tokens_of(ctx.doc):
        if token.lemma_.lower() not in words or token.pos_ not in ("VERB", "ADJ", "NOUN"):
            continue
        args = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        if token.lemma_.lower() in ("die", "dead") or token.pos_ == "ADJ":
            holder = _subject_holder(token)
            args += [c for c in (holder.children if holder is not None else ()) if c.dep_ in ("nsubj", "nsubjpass")]
        for arg in args:
            for node in arg.subtree:
                key = ctx.table.at(node.i)
                entity = ctx.table.get(key)
                if entity is not None and entity.category in ("Person", "Group"):
                    out.append((entity.key, token))
    return list({k: (k, t) for k, t in out}.values())
