"""Named entities of one article: mentions, typing, in-article coreference.

``extract_entities(doc, kb)`` turns the Doc's entity spans into ``Entity``
records (one per real-world entity of the article) and an index from token
positions to entity keys that the other extractors use.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Callable, Mapping

from spacy.tokens import Doc, Span as SpacySpan, Token

from kg.extract.tokens import ents_of, tokens_of
from kg.errors import KgError
from kg.link.kb import KbEntry, KnowledgeBase, name_form
from kg.paths import read_json
from kg.rdf.ontology import category_of
from kg.records import Entity, Mention, Span

__all__ = [
    "EntityTable",
    "extract_entities",
    "normalise_name",
    "name_skeleton",
    "person_key",
    "name_units",
    "kind_category",
    "org_kind",
    "KIND_OF_LABEL",
]

_NAMES = read_json("names.json")
#: spaCy NER label -> default ontology kind.
KIND_OF_LABEL: Mapping[str, str] = MappingProxyType(_NAMES["label_kinds"])
#: How specific a kind of place is (higher: more specific).
PLACE_RANK: Mapping[str, int] = MappingProxyType(_NAMES["place_rank"])

_LOCATIVE_PREPS = frozenset(_NAMES["locative_prepositions"])


def kind_category(kind: str) -> str:
    """The contract's coarse category of an ontology kind (from the ontology's class hierarchy)."""
    return category_of(kind)


def normalise_name(name: str) -> str:
    """A comparison form of a name: ``kg.link.kb.name_form`` (case-folded, one dash,
    one apostrophe, no 'the'), less a possessive and the punctuation at its ends."""
    text = name_form(name)
    if text.endswith("'s"):
        text = text[:-2]
    return text.strip(" .,;:'\"")


@lru_cache(maxsize=1)
def _org_words() -> dict[str, str]:
    data = read_json("org_kinds.json")
    return {word: kind for kind, words in data.items() if not kind.startswith("_") for word in words}


@lru_cache(maxsize=1)
def _titles() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = read_json("titles.json")
    return (
        frozenset(data["title_heads"]),
        frozenset(data["honorifics"]),
        frozenset(data["official_heads"]),
    )


@lru_cache(maxsize=1)
def _armed_markers() -> frozenset[str]:
    return frozenset(read_json("org_kinds.json")["_armed_group_markers"])


def org_kind(name: str) -> str:
    """The kind of an organisation from the words of its name (last telling word wins;
    a word of insurgency makes any name an armed group: "Popular Liberation Army")."""
    words = _org_words()
    kind = "Organization"
    tokens = normalise_name(name).replace("-", " ").split()
    for word in tokens:
        kind = words.get(word, kind)
    if kind in ("SecurityForce", "Organization") and _armed_markers() & set(tokens):
        return "ArmedGroup"
    return kind


@dataclass
class _Draft:
    """A mention being grouped; mutable while this module works, never exported."""

    span: Span
    label: str
    kind: str
    name: str  # cleaned surface name
    norm: str
    root: int  # token index of the mention's syntactic root
    fixed: bool = False  # kind from the gazetteer or the knowledge base
    qid: str | None = None
    country: str | None = None  # QID of a country its name begins with ("US Embassy")
    group: int = -1


@dataclass(frozen=True)
class EntityTable:
    """The article's entities and where each token's entity is."""

    entities: tuple[Entity, ...]
    token_entity: dict[int, str] = field(default_factory=dict)

    def get(self, key: str | None) -> Entity | None:
        return next((e for e in self.entities if e.key == key), None)

    def at(self, token_index: int) -> str | None:
        return self.token_entity.get(token_index)


# --- mentions -----------------------------------------------------------------


def _trim(ent: SpacySpan) -> SpacySpan | None:
    """The span without leading determiners/honorifics and trailing possessives."""
    _, honorifics, _ = _titles()
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].lower_ in honorifics
                           or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None


def _split_title(span: SpacySpan) -> SpacySpan:
    """A PERSON span without title words the model swept in ("President Bush")."""
    titles, _, _ = _titles()
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in titles:
        start += 1
    return span.doc[start:span.end]


#: When a name is several places, news mostly mean the city ("Washington", "New York").
_AMBIGUOUS_PLACE_ORDER = ("City", "Country", "Region", "Facility")


def _kb_entry(kb: KnowledgeBase, name: str, category: str) -> KbEntry | None:
    fits = [e for e in kb.by_name(name) if kind_category(e.kind) == category or category == "Other"]
    return _preferred(fits)


def _preferred(entries: list[KbEntry]) -> KbEntry | None:
    if len({e.qid for e in entries}) <= 1:
        return entries[0] if entries else None
    places = [e for e in entries if e.kind in _AMBIGUOUS_PLACE_ORDER]
    if len(places) == len(entries):
        return min(places, key=lambda e: _AMBIGUOUS_PLACE_ORDER.index(e.kind))
    return None


def _kb_lookup(kb: KnowledgeBase, name: str, label: str, kind: str, fixed: bool) -> KbEntry | None:
    """The knowledge-base entry for a name: of the model's category when it has
    one, else of any category (the model's label is often wrong), but a
    multi-word PERSON name is kept a person."""
    entry = _kb_entry(kb, name, kind_category(kind))
    if entry is None and not fixed:
        entry = _preferred(kb.by_name(name))
        if entry is not None and label == "PERSON" and " " in name and entry.kind != "Person":
            entry = None
    return entry


def _locative(span: SpacySpan) -> bool:
    """'in Tasmania', 'across New South Wales': a place whatever the model said."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE_PREPS


def _draft(ent: SpacySpan, kb: KnowledgeBase) -> _Draft | None:
    label = ent.label_
    if label not in KIND_OF_LABEL:
        return None
    span = _trim(ent)
    if span is None or not any(t.is_alpha for t in span):
        return None
    if label == "PERSON":
        span = _split_title(span)
    name = " ".join(span.text.split())
    kind = ent.ent_id_ or KIND_OF_LABEL[label]
    fixed = bool(ent.ent_id_)
    draft = _Draft(Span(span.start_char, span.end_char, name), label, kind, name, normalise_name(name), span.root.i)
    demonym = kb.by_demonym(name) if label in ("NORP", "GPE", "PERSON") else None
    if demonym is not None and kb.by_name(name):
        demonym = None
    if demonym is not None:
        draft.label, draft.kind, draft.fixed, draft.qid = "NORP", "Group", True, demonym.qid
        return draft
    entry = _kb_lookup(kb, name, label, kind, fixed)
    if entry is not None:
        draft.kind, draft.fixed, draft.qid = entry.kind, True, entry.qid
    elif not fixed and _locative(span) and (label == "ORG" or (label == "PERSON" and " " not in name)):
        draft.kind = "Place"
    elif label == "ORG" and not fixed:
        draft.kind = org_kind(name)
    return draft


def _country_prefix(doc: Doc, draft: _Draft, kb: KnowledgeBase) -> _Draft | None:
    """'US Embassy', 'Kenya Defense Forces', 'Israeli army': the country a name
    begins with, as a mention of its own."""
    if draft.qid or kind_category(draft.kind) != "Organization":
        return None
    span = doc.char_span(draft.span.start, draft.span.end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return None
    for length in (3, 2, 1):
        if length >= len(span):
            continue
        piece = span[:length]
        entry = next((e for e in kb.by_name(piece.text) if e.kind == "Country"), None) or kb.by_demonym(piece.text)
        if entry is not None and entry.kind == "Country":
            draft.country = entry.qid
            return _Draft(Span(piece.start_char, piece.end_char, piece.text), "GPE", "Country", piece.text,
                          normalise_name(piece.text), piece.root.i, True, entry.qid)
    return None


_PLACE_NOUNS = frozenset(_NAMES["place_nouns"])
_PLACE_LABELS = ("GPE", "LOC", "FAC")


def _place_by_context(doc: Doc, draft: _Draft) -> bool:
    """'between Maiduguri and Monguno', 'Solok district': a place, whatever the model said."""
    root = doc[draft.root]
    if root.dep_ == "compound" and root.head.lower_ in _PLACE_NOUNS:
        return True
    partners = [root.head] if root.dep_ == "conj" else []
    partners += [c for c in root.children if c.dep_ == "conj"]
    return any(p.ent_type_ in _PLACE_LABELS for p in partners)


@lru_cache(maxsize=1)
def _armed_nouns() -> frozenset[str]:
    return frozenset(read_json("arguments.json")["kinds"]["ArmedActor"])


def _armed_group_names(doc: Doc) -> list[_Draft]:
    """'FMLN urban guerrillas', 'FARC rebels': a proper name the model left untagged that
    modifies a noun of armed actors names their armed group."""
    armed, out = _armed_nouns(), []
    for noun in tokens_of(doc):
        if noun.lemma_.lower() not in armed or noun.pos_ != "NOUN":
            continue
        for mod in noun.lefts:
            if mod.dep_ not in ("compound", "nmod", "amod") or mod.pos_ != "PROPN" or mod.ent_type_:
                continue
            start = mod.i
            while start > 0 and doc[start - 1].pos_ == "PROPN" and not doc[start - 1].ent_type_:
                start -= 1
            piece = doc[start:mod.i + 1]
            name = " ".join(piece.text.split())
            out.append(_Draft(Span(piece.start_char, piece.end_char, name), "ORG", "ArmedGroup", name,
                              normalise_name(name), mod.i))
    return out


def _drafts(doc: Doc, kb: KnowledgeBase) -> list[_Draft]:
    drafts = [d for d in (_draft(ent, kb) for ent in ents_of(doc)) if d is not None] + _armed_group_names(doc)
    drafts = [d for d in drafts if not _is_title_fragment(doc, d)]
    for draft in drafts:
        if draft.label in ("ORG", "PERSON") and not draft.fixed and _place_by_context(doc, draft):
            draft.kind = "Place"
    countries = [c for c in (_country_prefix(doc, d, kb) for d in drafts) if c is not None]
    return drafts + countries


def _is_title_fragment(doc: Doc, draft: _Draft) -> bool:
    """An unknown ORG that is only the first words of an office ("Interior Cabinet"
    in "Interior Cabinet Secretary Joseph Lenku"); an employer before a role word
    stays ("Interior Ministry spokesman")."""
    if draft.label != "ORG" or draft.fixed:
        return False
    last = doc.char_span(draft.span.start, draft.span.end, alignment_mode="expand")
    if last is None or last.end >= len(doc):
        return False
    following = doc[last.end]
    offices = frozenset(read_json("titles.json")["office_heads"])
    return following.lower_ in offices and following.ent_type_ in ("", "ORG", "PERSON")


# --- grouping -------------------------------------------------------------------


def _tokens(norm: str) -> list[str]:
    return [t for t in re.split(r"[\s-]+", norm) if t]


def _facility_core(norm: str) -> str:
    """'westgate shopping mall' -> 'westgate mall': descriptive modifiers dropped."""
    drop = set(read_json("facilities.json")["modifiers"])
    core = [t for t in _tokens(norm) if t not in drop]
    return " ".join(core) or norm


_ARTICLES = frozenset(_NAMES["name_articles"])
_DOUBLE_VOWEL = re.compile(r"([aeiou])\1+")


def name_skeleton(norm: str) -> str:
    """A spelling-tolerant form of a transliterated name: leading Arabic article
    and doubled vowels dropped ('al-Shabaab', 'Al Shabab' -> 'shabab')."""
    words = _tokens(norm)
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "-".join(_DOUBLE_VOWEL.sub(r"\1", w) for w in words) or norm


_PARTICLES = frozenset(_NAMES["name_particles"])


def name_units(norm: str) -> list[str]:
    """A person's name in units, particles kept with what follows:
    'osama bin laden' -> ['osama', 'bin laden']."""
    units: list[str] = []
    pending: list[str] = []
    for word in norm.split():
        pending.append(word)
        if word not in _PARTICLES:
            units.append(" ".join(pending))
            pending = []
    if pending:
        units.append(" ".join(pending))
    return units


def person_key(norm: str) -> str:
    """First and last name: 'joseph ole lenku' and 'joseph lenku' are one person."""
    units = name_units(norm)
    return "person/" + " ".join(units[:1] + units[-1:] if len(units) > 2 else units)


_KEY_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def _clean_key(key: str) -> str:
    """Keys that differ only in punctuation are one key (they would mint one IRI)."""
    prefix, _, name = key.rpartition("/")
    words = _KEY_NOISE.sub(" ", name).split()
    cleaned = ("-" if "-" in name and not prefix else " ").join(words) or name
    return f"{prefix}/{cleaned}" if prefix else cleaned


def _group_key(draft: _Draft) -> str:
    """The canonical key of a mention: what its IRI is minted from."""
    return _clean_key(_raw_key(draft))


def _raw_key(draft: _Draft) -> str:
    category = kind_category(draft.kind)
    if draft.qid and draft.label == "NORP":
        return f"group/{draft.qid}"
    if draft.qid:
        return draft.qid
    if category == "Person":
        return person_key(draft.norm)
    if category == "Group":
        return f"group/{draft.norm}"
    if draft.kind == "Facility":
        return name_skeleton(_facility_core(draft.norm))
    # organisations, places, other names: no category in the key, because the
    # model labels one name ORG here and LOC there
    return name_skeleton(draft.norm)


def _person_surname_merge(groups: dict[str, list[_Draft]]) -> dict[str, list[_Draft]]:
    """Attach "Lenku" to "Joseph Lenku" ("bin Laden" to "Osama bin Laden") when
    exactly one full name ends (or starts) with it; also a one-word name the model
    did not call a person; and a 'person' the model found where the same name is
    a place or an organisation of this article ("Tora Bora")."""
    full = {k: name_units(v[0].norm) for k, v in groups.items()
            if k.startswith("person/") and len(name_units(v[0].norm)) > 1}
    others = {v[0].norm: k for k, v in groups.items() if not k.startswith(("person/", "group/"))}

    def host(key: str) -> str | None:
        drafts = groups[key]
        units = name_units(drafts[0].norm)
        loose = key.startswith("person/") or not any(d.fixed for d in drafts)
        if loose and len(units) == 1 and key not in full:
            hosts = [k for k, t in full.items() if units[0] in (t[-1], t[0])]
            if len(hosts) == 1:
                return hosts[0]
        return None

    def target(key: str) -> str:
        found = host(key)
        if found:
            return found
        drafts = groups[key]
        if key.startswith("person/") and drafts[0].norm in others and not any(d.fixed for d in drafts):
            other = others[drafts[0].norm]
            return host(other) or other
        return key

    merged: dict[str, list[_Draft]] = {}
    for key, drafts in groups.items():
        merged.setdefault(target(key), []).extend(drafts)
    return merged


def _acronym_merge(groups: dict[str, list[_Draft]]) -> dict[str, list[_Draft]]:
    """Attach an all-capitals name to the one organisation whose initials it is."""
    def initials(norm: str) -> str:
        return "".join(t[0] for t in _tokens(norm) if t not in ("of", "and", "the", "for"))

    names = {k: initials(v[0].norm) for k, v in groups.items() if len(_tokens(v[0].norm)) > 1}
    merged: dict[str, list[_Draft]] = {}
    for key, drafts in groups.items():
        word = drafts[0].name
        hosts = [k for k, ini in names.items() if word.isupper() and len(word) > 1 and ini == word.lower()]
        target = hosts[0] if len(hosts) == 1 and hosts[0] != key else key
        merged.setdefault(target, []).extend(drafts)
    return merged


def _group(drafts: list[_Draft]) -> dict[str, list[_Draft]]:
    groups: dict[str, list[_Draft]] = defaultdict(list)
    for draft in drafts:
        groups[_group_key(draft)].append(draft)
    # a name seen as a person and as something known: follow the known kind
    return _acronym_merge(_person_surname_merge(dict(groups)))


# --- entity records ----------------------------------------------------------------


def _choose_kind(drafts: list[_Draft]) -> str:
    fixed = [d.kind for d in drafts if d.fixed]
    if fixed:
        return Counter(fixed).most_common(1)[0][0]
    votes = Counter(d.kind for d in drafts)
    best = max(votes.values())
    tied = [k for k in votes if votes[k] == best]
    order = ["Person", "Facility", "City", "Country", "Region", "Place"]
    return min(tied, key=lambda k: (order.index(k) if k in order else len(order), k))


def _kind_of_group(group_key: str, drafts: list[_Draft]) -> str:
    """A person key is a person: the one-word names merged into it ("Gillespie" tagged
    GPE next to "Jason Gillespie") are that person, not votes for another kind. Other
    keys take the kind of their mentions that are not persons (a person the knowledge
    base knows is keyed by its QID). So one key never mints an IRI that is a person in
    one article and a place or an organisation (disjoint classes) in another."""
    if group_key.startswith("person/"):
        return "Person"
    return _choose_kind([d for d in drafts if d.kind != "Person"] or drafts)


def _choose_label(drafts: list[_Draft], kind: str, kb: KnowledgeBase) -> str:
    qid = drafts[0].qid
    entry = kb.get(qid) if qid else None
    if entry is not None and kind != "Group":
        return entry.label
    if entry is not None:
        plural = [d for d in entry.demonyms if d.endswith("s")]
        return (plural or list(entry.demonyms) or [drafts[0].name])[0]
    names = Counter(d.name for d in drafts)
    if kind == "Person":
        return max(names, key=lambda n: (len(n.split()), names[n], n))
    return max(names, key=lambda n: (names[n], len(n), n))


def _records(groups: dict[str, list[_Draft]], kb: KnowledgeBase) -> list[tuple[Entity, list[_Draft]]]:
    out = []
    for group_key, drafts in groups.items():
        drafts.sort(key=lambda d: d.span.start)
        kind = _kind_of_group(group_key, drafts)
        label = _choose_label(drafts, kind, kb)
        qid = next((d.qid for d in drafts if d.qid), None)
        key = group_key
        mentions = tuple(Mention(d.span, d.label, d.kind) for d in drafts)
        wikidata = qid if kind != "Group" else None
        country = next((d.country for d in drafts if d.country), None)
        entity = Entity(key, label, kind, kind_category(kind), mentions, wikidata, affiliation=country)
        out.append((entity, drafts))
    return out


def _country_of_groups(entities: list[tuple[Entity, list[_Draft]]], kb: KnowledgeBase) -> list[tuple[Entity, list[_Draft]]]:
    """A demonym reaches its country: "French" also mentions France."""
    present = {e.key for e, _ in entities}
    extra: dict[str, tuple[Entity, list[_Draft]]] = {}
    for entity, drafts in entities:
        qid = drafts[0].qid
        entry = kb.get(qid) if qid and entity.kind == "Group" else None
        if entry is None or entry.kind != "Country":
            continue
        entity_plus = replace(entity, nationality=qid)
        entities[entities.index((entity, drafts))] = (entity_plus, drafts)
        if qid not in present:
            mentions = tuple(Mention(d.span, d.label, "Country") for d in drafts)
            old = extra.get(qid)
            merged = (old[0].mentions if old else ()) + mentions
            extra[qid] = (Entity(qid, entry.label, "Country", "Place", merged, qid), drafts)
    return entities + list(extra.values())


def _aliases(entity: Entity) -> set[str]:
    """Names an untagged proper noun may use for an entity of this article."""
    names = {normalise_name(m.span.text) for m in entity.mentions}
    if entity.kind == "Person":
        names |= {n.split()[-1] for n in list(names) if " " in n}
    return names


def _propn_runs(doc: Doc, taken: dict[int, str]) -> list[tuple[int, int]]:
    runs, start = [], None
    for token in tokens_of(doc):
        free = token.pos_ == "PROPN" and token.i not in taken and not token.ent_type_
        if free and start is None:
            start = token.i
        elif not free and start is not None:
            runs.append((start, token.i))
            start = None
    if start is not None:
        runs.append((start, len(doc)))
    return runs


def _untagged(doc: Doc, entities: list[Entity], index: dict[int, str]) -> list[Entity]:
    """Mentions the model missed: a free proper-noun run that is exactly a name
    (or a person's surname) of one entity already found ("Kenyatta said ...")."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        if entity.category in ("Person", "Organization", "Place"):
            for alias in _aliases(entity):
                owners[alias].add(entity.key)
    extra: dict[str, list[Mention]] = defaultdict(list)
    for start, end in _propn_runs(doc, index):
        keys = owners.get(normalise_name(doc[start:end].text), set())
        if len(keys) == 1:
            key = next(iter(keys))
            piece = doc[start:end]
            extra[key].append(Mention(Span(piece.start_char, piece.end_char, piece.text), "", ""))
            index.update({i: key for i in range(start, end)})
    out = []
    for entity in entities:
        added = tuple(replace(m, label=entity.mentions[0].label, kind=entity.kind) for m in extra.get(entity.key, ()))
        out.append(replace(entity, mentions=tuple(sorted(entity.mentions + added, key=lambda m: m.span.start)))
                   if added else entity)
    return out


Linker = Callable[[str, str], "str | None"]
_LINKED_CATEGORIES = ("Person", "Organization", "Place")


def _link_online(groups: dict[str, list[_Draft]], kb: KnowledgeBase, linker: Linker | None) -> dict[str, list[_Draft]]:
    """With --online: groups the knowledge base does not know, looked up in Wikidata;
    a linked group is keyed by its QID like any linked entity."""
    if linker is None:
        return groups
    out: dict[str, list[_Draft]] = {}
    for key, drafts in groups.items():
        kind = _kind_of_group(key, drafts)
        if not any(d.qid for d in drafts) and kind_category(kind) in _LINKED_CATEGORIES:
            label = _choose_label(drafts, kind, kb)
            try:
                qid = linker(label, kind)
            except KgError:
                qid = None  # offline after all: the entity stays unlinked
            if qid:
                for draft in drafts:
                    draft.qid = qid
                key = qid
        out.setdefault(key, []).extend(drafts)
    return out


def extract_entities(doc: Doc, kb: KnowledgeBase, linker: Linker | None = None) -> EntityTable:
    """The entities of a parsed article (see module doc)."""
    groups = _link_online(_group(_drafts(doc, kb)), kb, linker)
    records = _country_of_groups(_records(groups, kb), kb)
    index: dict[int, str] = {}
    for entity, drafts in records:
        for draft in drafts:
            span = doc.char_span(draft.span.start, draft.span.end, alignment_mode="expand")
            for token in span or ():
                if entity.kind != "Country" or token.i not in index:
                    index[token.i] = entity.key
    entities = _untagged(doc, [e for e, _ in records], index)
    return EntityTable(tuple(sorted(entities, key=lambda e: e.mentions[0].span.start)), index)


def mention_root(doc: Doc, mention: Mention) -> Token | None:
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span.root if span is not None else None
