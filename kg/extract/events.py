"""Events: triggers from data patterns, grouped into one node per real-world
event, with type, participants in roles, place and time.

Triggers come from ``kg/data/events/triggers.jsonl`` (token ``Matcher``
patterns) and ``dependency.jsonl`` (``DependencyMatcher`` patterns). Mentions
of one type family in an article are one event unless a mention carries its
own earlier date ("the 2002 attacks", "Kenya's 2011 push into Somalia"),
which makes it a past event of its own, or names another place or day; a
definite mention ("the accident") of an article that tells of no current
incident of its family is its past one. An incident its own mentions do not
date takes the one past time the article's sentences about incidents give
("a canyoning trip in 1999 that ended with 21 people dying").
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
    AGENT_KINDS, THING_KINDS, Slot, argument_lexicon, harm_role, aircraft_kind, is_armed_vehicle, owner_of_part, slots,
    subject_of,
)
from kg.extract.tokens import sentence_index, sentence_of, tokens_of
from kg.extract.context import ArticleContext, TimeMention, clause_tokens, clause_verb, lex, lexicon, span_of
from kg.extract.entities import PLACE_RANK, org_kind
from kg.nlp.patterns import add_pattern, check_token_pattern
from kg.paths import data_name, jsonl_rows, read_json
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
    modified_by: frozenset[str] | None = None  # an event only with one of these modifiers (see _by_modifier)


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
        if simple is not None and not rule.get("named") and "modified_by" not in rule:
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
            modified_by = frozenset(rule["modified_by"]) if "modified_by" in rule else None
            hits.append(Trigger(start + rule.get("anchor", 0), rule["type"], 2 if end - start > 1 else 1, named_end,
                                modified_by))
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


def _vehicle_less(token: Token) -> bool:
    """'shares crashed', 'a yorker crashing into the stumps', 'don't collide': a vehicle's verb
    (lexicon vehicle_event_verbs) negated, or done by a common noun that is no vehicle, person
    or crash bearer."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in lex("vehicle_event_verbs"):
        return False
    if any(c.dep_ == "neg" for c in token.children):  # "don't collide", "the plane did not crash"
        return True
    bearer = _bearer(token)
    if bearer is None or bearer.pos_ in ("PROPN", "PRON", "NUM") or bearer.ent_type_:
        return False
    word, lexicon = bearer.lemma_.lower(), argument_lexicon()
    return (lexicon.kinds.get(word) not in ("Vehicle", *AGENT_KINDS) and word not in lex("crash_bearers")
            and word not in lexicon.armed_vehicles)


def _bearer(token: Token, depth: int = 0) -> Token | None:
    """Who or what does a verb: its subject, the noun a participle or relative clause
    describes ('a bomber that has crashed'), or the bearer of the verb it is joined to."""
    subject = subject_of(token)
    if subject is not None and subject.lower_ not in argument_lexicon().relative_pronouns:
        return subject
    if token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head
    if token.dep_ == "conj" and token.head.pos_ == "VERB" and depth < 4:
        return _bearer(token.head, depth + 1)
    return None


def _denied(token: Token) -> bool:
    """'no air strikes were launched', 'no attack': a mention the text says did not happen."""
    return token.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "det" and c.lower_ in lex("negative_determiners")
                                                    for c in token.children)


def find_triggers(doc: Doc) -> list[Trigger]:
    """One trigger per token (the highest-priority pattern wins), filtered.
    Computed once per doc (events and claims both ask)."""
    cached = doc.user_data.get("kg_triggers")
    if cached is None:
        cached = doc.user_data["kg_triggers"] = _find_triggers(doc)
    return list(cached)


def _by_modifier(doc: Doc, hit: Trigger, best: dict[int, Trigger]) -> Trigger | None:
    """A noun that names an incident only through its modifier ("tragedy", "disaster"):
    the type of a modifier that is itself an incident's trigger ("the flood disaster",
    "the bombing tragedy"), the rule's type with a modifier of its list ("the canyoning
    tragedy": an accident), else no event ("a family tragedy", "a PR disaster")."""
    for child in doc[hit.token].lefts:
        if child.dep_ not in ("compound", "amod"):
            continue
        own = best.get(child.i)
        if own is not None and own.modified_by is None and own.type in MAIN_TYPES:
            return replace(hit, type=own.type, modified_by=None)
        if child.lower_ in hit.modified_by or child.lemma_.lower() in hit.modified_by:  # type: ignore[operator]
            return replace(hit, modified_by=None)
    return None


def _find_triggers(doc: Doc) -> list[Trigger]:
    best: dict[int, Trigger] = {}
    for hit in _token_hits(doc):
        old = best.get(hit.token)
        if old is None or (hit.priority, hit.named_end or 0) > (old.priority, old.named_end or 0):
            best[hit.token] = hit
    for index, hit in list(best.items()):
        if hit.modified_by is not None:
            typed = _by_modifier(doc, hit, best)
            if typed is None:
                del best[index]
            else:
                best[index] = typed
    out = []
    for hit in sorted(best.values(), key=lambda h: h.token):
        token = doc[hit.token]
        if token.dep_ == "compound" and hit.priority == 1:
            continue
        if hit.type != "Threat" and _modal(token):
            continue
        if _not_an_event(token) or _denied(token) or _vehicle_less(token):
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
    return [m.value for m in _times_told(ctx, token)]


def _times_told(ctx: ArticleContext, token: Token) -> list[TimeMention]:
    """The time mentions of a trigger's clause (else of its object, see ``_object_times``)."""
    verb = clause_verb(token)
    mentions = ctx.times_of(token) + [m for m in ctx.times_of(verb) if m not in ctx.times_of(token)]
    return mentions or _object_times(ctx, token)


def _object_times(ctx: ArticleContext, token: Token) -> list[TimeMention]:
    """'trying to blow up a flight on Sunday': a time the parse hangs on the trigger's
    object dates the event, when its clause has no time of its own."""
    objects = {c.i for c in token.children if c.dep_ == "dobj"}
    if not objects:
        return []
    out = []
    for mention in ctx.times:
        root = ctx.doc[mention.start:mention.end].root
        if root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.i in objects:
            out.append(mention)
    return out


# --- places ----------------------------------------------------------------------------


def _place_votes(ctx: ArticleContext, token: Token, event_type: str = "",
                 others: frozenset[int] = frozenset()) -> tuple[Counter[str], dict[str, set[str]]]:
    """Votes for the places of the trigger's clause (2) and sentence (1), and apart the
    places that only say where a person is from (see ``_origin_of``): place key -> the
    persons (entity keys or described ids) they describe. A country that says whose the
    armed actors, arms or strikes are (see ``_owner_country``) is no vote, nor a place
    in the phrase of another incident's mention (see ``_in_other_mention``)."""
    votes: Counter[str] = Counter()
    origins: dict[str, set[str]] = {}
    clause = clause_tokens(token)
    for weight, tokens in ((2, clause), (1, list(token.sent))):
        seen: set[str] = set()
        for t in tokens:
            if ctx.in_dateline(t):
                continue
            key = ctx.table.at(t.i) or _facility_by_noun(ctx, t)
            entity = ctx.table.get(key) if key else None
            if entity is None or entity.category != "Place" or key in seen:
                continue
            if entity.kind == "Country" and _owner_country(ctx, t, token, event_type):
                continue
            if _in_other_mention(t, token, others):
                continue
            seen.add(key)  # type: ignore[arg-type]
            person = _origin_of(ctx, t)
            if person is not None:
                origins.setdefault(key, set()).add(person)  # type: ignore[arg-type]
            else:
                votes[key] += weight  # type: ignore[index]
    return votes, origins


@lru_cache(maxsize=1)
def _office_heads() -> frozenset[str]:
    return frozenset(read_json("titles.json")["official_heads"])


def _person_at(ctx: ArticleContext, token: Token) -> tuple[str, bool] | None:
    """The person a token names or describes (entity key or described id; named?), not an
    office holder or inhabitants: "the mayor of Goshen", "residents of Los Palos" say where
    the mayor governs and the residents live, which may well be the event's place."""
    entity = ctx.table.get(ctx.table.at(token.i))
    if entity is not None:
        return (entity.key, True) if entity.category == "Person" else None
    node, word = ctx.described_at(token), token.lemma_.lower()
    if node is None or node.kind != "People" or word in _office_heads() or word in lex("inhabitant_nouns"):
        return None
    return node.id, False


def _name_head(ctx: ArticleContext, token: Token) -> Token:
    """The last token of the name a token is part of ("north Queensland", "Saxet River")."""
    key = ctx.table.at(token.i)
    while token.dep_ in ("compound", "flat") and token.head.i != token.i and ctx.table.at(token.head.i) == key:
        token = token.head
    return token


def _origin_of(ctx: ArticleContext, token: Token) -> str | None:
    """The person a place token only says where they are from: "a Queensland man",
    "Queensland's Bill Peel", "a man from Queensland", "Bill Peel of Mackay in north
    Queensland" (also a place inside such a place: "from Mackay in Queensland")."""
    current = _name_head(ctx, token)
    for _ in range(4):
        head = current.head
        if head.i == current.i:
            return None
        if current.dep_ in ("compound", "amod", "poss", "nmod"):
            person = _person_at(ctx, head)
            return person[0] if person else None
        if current.dep_ != "pobj" or head.dep_ != "prep" or head.head.i == head.i:
            return None
        holder, prep = head.head, head.lower_
        person = _person_at(ctx, holder)
        if person is not None:
            key, named = person
            return key if prep in lex("origin_preps") or (named and prep in ("in", "at")) else None
        entity = ctx.table.get(ctx.table.at(holder.i))
        if entity is None or entity.category != "Place":
            return None
        current = _name_head(ctx, holder)
    return None


def _in_other_mention(place: Token, trigger: Token, others: frozenset[int]) -> bool:
    """A place inside the phrase of another incident's mention is that incident's ("the
    suicide bombing follows a wave of air strikes in the West Bank": the strikes')."""
    for ancestor in place.ancestors:
        if ancestor.i == trigger.i:
            return False
        if ancestor.i in others:
            return True
    return False


def _others(ctx: ArticleContext, triggers: list[Trigger], kind: str) -> frozenset[int]:
    """The noun mentions of incidents of other families than ``kind`` (a noun's phrase is
    its own; a verb's clause may hold the next clause, "helicopters struck Gaza City and
    bombers hit Jenin")."""
    return frozenset(t.token for t in triggers if t.type in MAIN_TYPES and family(t.type) != kind
                     and ctx.doc[t.token].pos_ == "NOUN")


def _owner_country(ctx: ArticleContext, token: Token, trigger: Token, event_type: str) -> bool:
    """A country's name that says whose the actors, arms or strikes are, not where the event
    happened: "US warplanes", "Israeli helicopters", "Israeli soldiers", "an Israeli F-16",
    "United States air strikes"."""
    current = _name_head(ctx, token)
    head = current.head
    if current.dep_ not in ("compound", "amod", "poss", "nmod") or head.i == current.i:
        return False
    if head.i == trigger.i and event_type in ("AirStrike", "MilitaryOperation"):
        return True
    return (_is_armed(ctx, head) or _is_security(ctx, head) or _is_weapon(ctx, head)
            or _military_aircraft(ctx, head))


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
    """A facility, or a place whose name ends in a word for a built thing ("La Noria Bridge");
    not a country, region or city ("the West Bank", "Rock Springs")."""
    if entity.kind == "Facility":
        return True
    head = entity.label.split()[-1].lower() if entity.label else ""
    return (entity.category == "Place" and entity.kind not in _AREA_KINDS
            and argument_lexicon().kinds.get(head) in THING_KINDS)


#: places that are areas, never one built thing whatever their name's last word
_AREA_KINDS = frozenset({"Country", "Region", "City"})


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


@lru_cache(maxsize=1)
def _accident_verbs() -> dict[str, str | None]:
    """Verb lemma -> the particle it needs ("sweep away"), from the lexicon's accident_verbs."""
    out: dict[str, str | None] = {}
    for phrase in lexicon()["accident_verbs"]:
        verb, _, particle = phrase.partition(" ")
        out[verb] = particle or None
    return out


def _accident_triggers(ctx: ArticleContext, triggers: list[Trigger]) -> list[Trigger]:
    """A verb that says how people died without anyone doing it ("21 people who drowned
    in 1999", "hikers were swept away") is an accident when its sentence names no
    incident of its own ("swept away by the floods" belongs to the flood)."""
    verbs = _accident_verbs()
    told = {sentence_of(ctx.doc, t.token).start for t in triggers if t.type in MAIN_TYPES}
    out = []
    for token in tokens_of(ctx.doc):
        lemma = token.lemma_.lower()
        if token.pos_ != "VERB" or lemma not in verbs or sentence_of(ctx.doc, token.i).start in told:
            continue
        particle = verbs[lemma]
        if particle is None or any(c.dep_ in ("prt", "advmod") and c.lower_ == particle for c in token.children):
            out.append(Trigger(token.i, "Accident", 1))
    return out


def _operation(ctx: ArticleContext, trigger: Trigger) -> Trigger:
    """'Police raided the area', 'troops stormed the building': a security operation."""
    token = ctx.doc[trigger.token]
    if family(trigger.type) != "Attack" or token.lemma_.lower() not in argument_lexicon().operation_words:
        return trigger
    agents = [s.token for s in slots(token) if s.slot == "agent"]
    security = agents and all(_is_security(ctx, t) for t in agents)
    return replace(trigger, type="MilitaryOperation") if security else trigger


def _air_strike(ctx: ArticleContext, trigger: Trigger) -> Trigger:
    """An attack that aircraft carry out is an air strike ("US warplanes have been bombing
    the caves", "Israeli helicopters attacked a security post")."""
    if family(trigger.type) != "Attack" or trigger.type == "HostageTaking":
        return trigger
    agents = [s.token for s in slots(ctx.doc[trigger.token]) if s.slot == "agent"]
    return replace(trigger, type="AirStrike") if any(_military_aircraft(ctx, t) for t in agents) else trigger


def _military_aircraft(ctx: ArticleContext, token: Token) -> bool:
    """Warplanes, or aircraft a state's name or people's word says are its ("US aircraft")."""
    node = ctx.described_at(token)
    kind = aircraft_kind(node) if node is not None else None
    if kind != "aircraft":
        return kind == "warplane"
    for child in token.children:
        entity = ctx.table.get(ctx.table.at(child.i)) if child.dep_ in ("amod", "compound", "poss") else None
        if entity is not None and (entity.kind == "Country" or entity.category == "Group"):
            return True
    return False


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
    just_happened: bool = False  # told in the present perfect ("warplanes have bombed Gaza City")


_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "on", "into", "from"})


def _own_place(ctx: ArticleContext, token: Token, others: frozenset[int] = frozenset()) -> str | None:
    """The most specific place below country level that the trigger's own clause names
    ("the bombing in Haifa", "gunmen attacked a bus in Jerusalem"), or the clause it
    depends on ("was killed in Ramallah when his truck exploded")."""
    verb = clause_verb(token)
    found = _clause_place(ctx, token, others)
    if found is None and verb.dep_ in ("advcl", "relcl", "acl") and verb.head.i != verb.i:
        found = _clause_place(ctx, verb.head, others)
    return found


def _clause_place(ctx: ArticleContext, token: Token, others: frozenset[int]) -> str | None:
    clause = clause_tokens(token)
    best: tuple[int, str] | None = None
    for t in clause:
        if ctx.in_dateline(t):
            continue
        key = ctx.table.at(t.i)
        entity = ctx.table.get(key)
        if entity is None or entity.category != "Place" or entity.kind == "Country" or _origin_of(ctx, t):
            continue
        if _in_other_mention(t, token, others):
            continue
        head = ctx.doc[t.i]
        while head.dep_ == "compound" and head.head.i != head.i:
            head = head.head
        score = PLACE_RANK.get(entity.kind, 0) * 2 + (head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE)
        if best is None or score > best[0]:
            best = (score, entity.key)
    return best[1] if best else None


def _participants_origin(ctx: ArticleContext, origins: dict[str, set[str]], participants: list[Participant]) -> str | None:
    """Where the event's own people are from ("a Sydney man was stabbed"), when nothing
    else says where it happened; where others are from ("Bill Peel of Mackay, whose son
    died in the accident") says nothing about it."""
    taking_part = {p.entity for p in participants}
    return choose_place(ctx, Counter({key: 1 for key, persons in origins.items() if persons & taking_part}))


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


_JUST_DAYS = 2  # the present perfect tells of what happened at most this many days before publication


def _same_incident(ctx: ArticleContext, cluster: _Cluster, place: str | None, day: dt.date | None) -> bool:
    if place and cluster.places and not any(_compatible(ctx, place, p) for p in cluster.places):
        return False
    if day and cluster.day is None and cluster.just_happened and ctx.published is not None:
        # "warplanes have bombed Gaza City ... the headquarters flattened in air raids last Thursday"
        return (_as_datetime(ctx.published) - _as_datetime(day)).days <= _JUST_DAYS
    return not (day and cluster.day and abs((day - cluster.day).days) > 1)


def _present_perfect(token: Token) -> bool:
    """'have bombed', 'has been attacked': what the text tells as just having happened."""
    if token.pos_ != "VERB" or token.tag_ != "VBN":
        return False
    return any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBP", "VBZ") for c in token.children)


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
        place, day = _own_place(ctx, token, _others(ctx, triggers, kind)), _own_day(ctx, token)
        open_ = current.setdefault(kind, [])
        several = kind not in _ONGOING and _several(token)
        cluster = next((c for c in reversed(open_) if _same_incident(ctx, c, place, day)
                        and several == _all_several(ctx, c)), None)
        if cluster is None and not open_ and not place and not day and kind in MAIN_TYPES and _definite(token):
            cluster = _latest_past(order, kind)  # "the 1999 canyoning accident ... the accident"
            if cluster is not None:
                cluster.triggers.append(trigger)
                continue
        if cluster is None:
            cluster = _Cluster(kind, "", just_happened=kind in MAIN_TYPES and _present_perfect(token))
            open_.append(cluster)
            order.append(cluster)
        cluster.triggers.append(trigger)
        if place:
            cluster.places.add(place)
        cluster.day = cluster.day or day
    return order


def _several(token: Token) -> bool:
    """An indefinite plural mention tells of several incidents ("25 people were killed in
    several suicide bombings", "a wave of attacks"), not of one ("the attacks"): it is one
    event with other such mentions only, and a mention of one incident is not one of them."""
    return token.tag_ == "NNS" and not _definite(token)


#: families whose one incident is told in the plural ("riots", "protests across the country",
#: "United States air strikes on Al Qaeda fighters have intensified": one raid is many strikes)
_ONGOING = frozenset({"Protest", "AirStrike"})


def _followed(token: Token) -> bool:
    """'The suicide bombing follows a wave of air strikes': a mention the object of a verb
    of sequence tells of what happened before the news."""
    while token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.lower_ == "of":
        token = token.head.head  # "a wave of air strikes"
    return token.dep_ == "dobj" and token.head.lemma_ in lex("sequel_verbs")


def _all_several(ctx: ArticleContext, cluster: _Cluster) -> bool:
    return cluster.family not in _ONGOING and all(_several(ctx.doc[t.token]) for t in cluster.triggers)


def _definite(token: Token) -> bool:
    """A mention that refers back: a verb ("where the plane hit") or a definite noun ("the
    accident", "this tragedy", "its invasion"), not an indefinite one ("leading raids")."""
    if token.pos_ in ("VERB", "AUX"):
        return True
    return any(c.dep_ in ("det", "poss") and (c.lower_ in lex("definite_determiners") or c.dep_ == "poss")
               for c in token.children)


def _latest_past(clusters: list[_Cluster], kind: str) -> _Cluster | None:
    """The latest past event of a family ("the 1999 accident"), not a named one."""
    return next((c for c in reversed(clusters) if c.family == kind and c.past is not None
                 and c.triggers[0].named_end is None), None)


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


def _group(event_type: str) -> str:
    """Types whose mentions can tell of one incident: an attack of any kind, a disaster or
    accident of any kind ("a flash flood following a thunderstorm", "the accident")."""
    if event_type in HARM_TYPES or event_type == "AirStrike":
        return "Attack"
    return "Disaster" if event_type in DISASTER_TYPES else event_type


def _told_past(ctx: ArticleContext, triggers: list[Trigger]) -> list[tuple[TimeValue, str | None]]:
    """The past times (well before publication) of the article's sentences that tell of an
    incident: a trigger of one, or a verb of harm to people ("a canyoning trip in 1999
    that ended with 21 people dying"), each with the group of the trigger whose clause
    gives it (None: no trigger's); a baseline ("the worst floods since 1974") is none."""
    if ctx.published is None:
        return []
    doc = ctx.doc
    told = {sentence_of(doc, t.token).start for t in triggers if t.type in MAIN_TYPES}
    told |= {sentence_of(doc, t.i).start for t in _harm_tokens(ctx) if harm_role(t) == "victim"}
    owner: dict[int, str] = {}
    for trigger in triggers:
        token = doc[trigger.token]
        for mention in (*_own_times(ctx, token), *_times_told(ctx, token)):
            owner.setdefault(mention.start, _group(trigger.type))
    out = []
    for mention in ctx.times:
        value = mention.value
        if value.begin is None or sentence_of(doc, mention.start).start not in told or _baseline(doc, mention):
            continue
        group = owner.get(mention.start)
        if group is None and not _on_a_verb(doc, mention):
            continue  # "caves used during the 1979-1989 war": the war's time, no incident's
        if _as_datetime(ctx.published) - _as_datetime(value.end or value.begin) > dt.timedelta(days=_PAST_DAYS):
            out.append((value, group))
    return out


def _baseline(doc: Doc, mention: TimeMention) -> bool:
    """'since 1974', 'cars built prior to 1986': a time the text compares with."""
    before = doc[max(0, mention.start - 2):mention.start]
    words = [t.lower_ for t in before]
    return bool(words) and (words[-1] in lex("baseline_preps") or " ".join(words) in lex("baseline_preps"))


def _on_a_verb(doc: Doc, mention: TimeMention) -> bool:
    """A time that says when a clause's action happened ("organised a trip in 1999"), not
    one inside a noun's phrase ("last year's white paper", "the 1979-1989 war")."""
    root = doc[mention.start:mention.end].root
    head = root.head.head if root.dep_ == "pobj" and root.head.dep_ == "prep" else root.head
    return head.pos_ in ("VERB", "AUX") and root.dep_ not in ("compound", "amod", "nummod", "poss")


def _dated_elsewhere(cluster: _Cluster, clusters: list[_Cluster],
                     past: list[tuple[TimeValue, str | None]]) -> TimeValue | None:
    """The time another sentence of the article gives the article's one event of a family
    when its own mentions do not date it ("the accident" in an article that says "drowned
    in 1999" before): the one past time the article's incident sentences give (the
    narrowest, when they nest: "1999" and "July 27, 1999"), none when they disagree. A time
    a trigger's clause gives tells only of incidents of its group ("a flash flood following
    a thunderstorm on July 27, 1999" dates the flood, "the 1979-1989 war" no bombing)."""
    if cluster.anchor or cluster.family not in MAIN_TYPES:
        return None
    if sum(1 for c in clusters if c.family == cluster.family) > 1:
        return None
    group = _group(_cluster_type(cluster))
    values = [v for v, owner in past if owner is None or owner == group]
    if not values:
        return None
    narrow = min(values, key=lambda v: _as_datetime(v.end or v.begin) - _as_datetime(v.begin))
    low, high = _as_datetime(narrow.begin), _as_datetime(narrow.end or narrow.begin)
    inside = all(_as_datetime(v.begin) <= low and high <= _as_datetime(v.end or v.begin) for v in values)
    return narrow if inside else None


def _resolved_or(own: TimeValue | None, elsewhere: TimeValue | None) -> TimeValue | None:
    """The event's own time when it resolves ("the day of the accident" does not), else the
    time another sentence gives it, else the unresolved text."""
    if own is not None and own.begin is not None:
        return own
    return elsewhere or own


def _event(ctx: ArticleContext, cluster: _Cluster, orphans: list[Token] = (),
           elsewhere: TimeValue | None = None, others: frozenset[int] = frozenset()) -> Event:
    doc = ctx.doc
    event_type = _cluster_type(cluster)
    tokens = [doc[t.token] for t in cluster.triggers]
    votes: Counter[str] = Counter()
    participants: list[Participant] = []
    times: list[TimeValue] = []
    origins: dict[str, set[str]] = {}
    for token in tokens:
        own, of_persons = _place_votes(ctx, token, event_type, others)
        votes.update(own)
        for key, persons in of_persons.items():
            origins.setdefault(key, set()).update(persons)
        participants += _participants(ctx, event_type, token)
        times += _mention_times(ctx, token)
    if event_type in HARM_TYPES:
        for verb in _harm_verbs(ctx, tokens):
            participants += _participants(ctx, event_type, verb)
        own_culprit = any(p.role == "perpetrator" for p in participants)
        for verb in orphans:  # another sentence's harm: who was hit (and who hit, if the event names nobody)
            participants += [p for p in _participants(ctx, event_type, verb)
                             if p.role in ("victim", "target") or not own_culprit]
    place = choose_place(ctx, votes) or dateline_place(ctx) or _participants_origin(ctx, origins, participants)
    time = cluster.past if cluster.past is not None else _resolved_or(incident_time(times), elsewhere)
    first = cluster.triggers[0]
    spans = tuple(span_of(doc, t.token, t.named_end or t.token + 1) for t in cluster.triggers)
    event_id = f"{event_type.lower()}-{spans[0].start}"
    return Event(
        id=event_id, type=event_type, label=_label(ctx, event_type, place, cluster), triggers=spans,
        participants=tuple(dict.fromkeys(participants)), place=place, time=time,
        named=bool(cluster.anchor) or first.named_end is not None, several=_all_several(ctx, cluster),
        earlier=(time is None or not time.resolved) and any(_followed(t) for t in tokens),
    )


def extract_events(ctx: ArticleContext) -> tuple[Event, ...]:
    """The article's events, in order of first mention."""
    triggers = [t for t in find_triggers(ctx.doc) if t.type != "ClaimOfResponsibility"]  # see claims.py
    triggers = [_operation(ctx, _arson(ctx, t)) for t in triggers if not _seizes_things(ctx, t)]
    triggers = [_air_strike(ctx, t) for t in triggers + _harm_triggers(ctx, {t.token for t in triggers})]
    triggers = sorted(triggers + _accident_triggers(ctx, triggers), key=lambda t: t.token)
    clusters = _cluster(ctx, triggers)
    orphans = _orphan_harm_verbs(ctx, clusters)
    past = _told_past(ctx, triggers)
    events = (_event(ctx, c, orphans.get(n, []), _dated_elsewhere(c, clusters, past), _others(ctx, triggers, c.family))
              for n, c in enumerate(clusters))
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
