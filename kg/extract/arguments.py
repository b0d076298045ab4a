"""Event arguments from the dependency parse: who did it, to what or whom, with what,
named or merely described.

A trigger's argument *slots* come from its construction: the subject, a "by" phrase
or a possessor is the agent; the object, a passive subject or an "on/against" phrase
the patient; a "with" phrase, a "using" clause or a weapon compound ("car-bomb
attack") the instrument; "at/in front of/outside" a building or vehicle the place
attacked. Relative clauses and participles lend their noun ("the gunmen, who opened
fire"; "bombs set off by guerrillas"), controlled and coordinated verbs their
subject ("tried to kill", "attacked and burned"), light verbs theirs ("carried out an
attack"), and effect verbs their object ("the blast destroyed the tower").

What fills a slot is a named entity, or a *described* participant: a noun phrase
whose head word the lexicon ``kg/data/arguments.json`` knows ("three hooded men",
"the electric tower", "two powerful bombs"), with its count, its kind (a class of
the ontology) and the named organisation it belongs to ("FMLN urban guerrillas").
Its kind and the slot decide the role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache

from spacy.tokens import Doc, Token

from kg.extract.entities import EntityTable
from kg.extract.quantities import parse_quantity
from kg.extract.tokens import original_text, tokens_of
from kg.paths import read_json
from kg.rdf.ontology import with_subclasses
from kg.records import Described, Span

__all__ = [
    "ArgumentLexicon", "argument_lexicon", "DescribedTable", "describe", "slots", "Slot",
    "AGENT_KINDS", "THING_KINDS", "harm_role", "is_armed_vehicle", "owner_of_part", "subject_of",
]

#: From the ontology: people (described), and things attacked (physical objects but weapons).
AGENT_KINDS = with_subclasses("People")
THING_KINDS = with_subclasses("PhysicalObject") - with_subclasses("Weapon")
_LEFT_DEPS = frozenset({"det", "amod", "compound", "nummod", "quantmod", "nmod", "poss", "advmod", "npadvmod"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "such"})


@dataclass(frozen=True)
class ArgumentLexicon:
    kinds: dict[str, str]  # head word (lemma or lower case, maybe two words) -> kind
    heads: frozenset[str]  # every word a phrase's head may be (the last word of two-word kinds too)
    collective: frozenset[str]
    quantity_collectives: frozenset[str]
    not_participants: frozenset[str]
    plural_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    agent_preps: frozenset[str]
    patient_preps: frozenset[str]
    place_preps: frozenset[str]
    part_words: frozenset[str]
    weapon_object_verbs: frozenset[str]
    instrument_preps: frozenset[str]
    instrument_verbs: frozenset[str]
    light_verbs: frozenset[str]
    effect_verbs: frozenset[str]
    harm_verbs: dict[str, str]
    armed_vehicles: frozenset[str]
    warplanes: frozenset[str]
    aircraft: frozenset[str]
    unaccusative_verbs: frozenset[str]
    aim_verbs: frozenset[str]
    member_preps: frozenset[str]
    culpability_words: frozenset[str]
    operation_words: frozenset[str]
    happen_verbs: frozenset[str]


_JSON_KEYS = {"plural_pronouns": "person_plural_pronouns"}  # field -> key of arguments.json where they differ


@lru_cache(maxsize=1)
def argument_lexicon() -> ArgumentLexicon:
    """kg/data/arguments.json as typed word sets (every list a frozenset)."""
    data = read_json("arguments.json")
    kinds: dict[str, str] = {}
    for kind, words in data["kinds"].items():
        for word in words:
            kinds.setdefault(word, kind)  # the first class listed wins a shared word
    sets = {f.name: frozenset(data[_JSON_KEYS.get(f.name, f.name)]) for f in fields(ArgumentLexicon)
            if f.name not in ("kinds", "heads", "harm_verbs")}
    sets["collective"] |= sets["quantity_collectives"]
    heads = frozenset(w.split()[-1] for w in kinds) | sets["collective"]
    return ArgumentLexicon(kinds=kinds, heads=heads, harm_verbs=dict(data["harm_verbs"]), **sets)


# --- described participants -------------------------------------------------------------


def _kind_of(token: Token, lexicon: ArgumentLexicon) -> str | None:
    """The kind of a noun by its head word, a two-word compound first ("car bomb"); a
    vehicle's name before it makes it a vehicle ("a B-52 bomber", "F-16 fighters")."""
    for child in token.lefts:
        if child.dep_ == "compound":
            pair = f"{child.lower_} {token.lemma_.lower()}"
            if pair in lexicon.kinds:
                return lexicon.kinds[pair]
            if lexicon.kinds.get(child.lower_) == "Vehicle" and child.lower_ in lexicon.armed_vehicles:
                return "Vehicle"
    for word in (token.lemma_.lower(), token.lower_, *_singulars(token.lower_)):
        if word in lexicon.kinds:
            return lexicon.kinds[word]
    return None


def _singulars(word: str) -> tuple[str, ...]:
    """Plain English singulars of a plural the lemmatizer kept ("Helicopters" as a name)."""
    if word.endswith("ies"):
        return (word[:-3] + "y",)
    if word.endswith("es"):
        return (word[:-2], word[:-1])
    return (word[:-1],) if word.endswith("s") else ()


def _of_phrase(token: Token) -> Token | None:
    prep = next((c for c in token.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None


def _left_edge(token: Token) -> int:
    lefts = [c for c in token.lefts if c.dep_ in _LEFT_DEPS]
    return min((c.left_edge.i for c in lefts), default=token.i)


def _label_start(doc: Doc, start: int, head: int) -> int:
    """The label leaves out what the node's other properties say: determiners and
    quantifiers ("the", "some", "another"), the count ("two powerful bombs": its
    kgo:count is 2) and possessive pronouns ("his house")."""
    own = doc[head]
    skipped = {t.i for c in own.lefts if c.dep_ in ("det", "nummod", "quantmod")
               or (c.dep_ == "poss" and c.pos_ == "PRON") for t in c.subtree}
    i = start
    while i < head and (i in skipped or doc[i].is_punct):
        i += 1
    return i


def _count(doc: Doc, token: Token) -> int | None:
    numbers = [c for c in token.lefts if c.dep_ == "nummod"]
    if not numbers:
        return None
    quantity = parse_quantity(doc[numbers[0].left_edge.i:numbers[0].i + 1].text)
    if quantity is None:
        return None
    return quantity.value if quantity.value is not None else quantity.min


@dataclass(frozen=True)
class _Phrase:
    head: Token  # the noun whose word gives the kind ("group" in "a group of terrorists": terrorists)
    start: int  # token range of the phrase as written
    end: int
    kind: str


def _phrase(token: Token, lexicon: ArgumentLexicon, table: EntityTable) -> _Phrase | None:
    """The described phrase a noun heads, or None when it is no participant."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    if table.at(token.i) is not None and lexicon.kinds.get(token.lower_) != "Weapon":
        return None  # a name ("TNT" tagged as an organisation is still a weapon)
    lemma = token.lemma_.lower()
    if lemma in lexicon.not_participants and lemma not in lexicon.collective:
        return None
    member = _of_phrase(token) if lemma in lexicon.collective else None
    if member is not None:
        kind = _kind_of(member, lexicon) or _kind_of(token, lexicon)
        end = member.i + 1
    else:
        kind = _kind_of(token, lexicon)
        end = token.i + 1
    if kind is None:
        return None
    if kind == "Building" and member is None:  # "the home of a Peruvian Army general"
        owner = _of_phrase(token)
        if owner is not None and (table.at(owner.i) is not None or _kind_of(owner, lexicon) in AGENT_KINDS):
            end = owner.i + 1
    start = member.left_edge.i if member is not None and lemma in lexicon.quantity_collectives else _left_edge(token)
    return _Phrase(member or token, start, end, kind)


def _affiliation(phrase: _Phrase, doc: Doc, table: EntityTable) -> str | None:
    """A named organisation or group inside the phrase ("FMLN urban guerrillas",
    "terrorists of the Maoist Shining Path group")."""
    head = phrase.head
    tokens = list(doc[phrase.start:phrase.end])
    of = _of_phrase(head)
    if of is not None:
        tokens += list(of.subtree)
    for t in tokens:
        entity = table.get(table.at(t.i))
        if entity is not None and entity.category in ("Organization", "Group") and t.i != head.i:
            return entity.key
    return None


@dataclass(frozen=True)
class DescribedTable:
    """The article's described phrases: which token stands for which node."""

    nodes: tuple[Described, ...]
    token_node: dict[int, str]  # token index of a phrase's head noun -> Described.id
    by_id: dict[str, Described] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {n.id: n for n in self.nodes})

    def get(self, node_id: str | None) -> Described | None:
        return self.by_id.get(node_id) if node_id is not None else None

    def at(self, token_index: int) -> Described | None:
        return self.get(self.token_node.get(token_index))

    def last_agent(self, before: int) -> Described | None:
        """The most recent described group of actors before a character offset."""
        found = [n for n in self.nodes if n.kind in AGENT_KINDS - {"People"}
                 and any(m.start < before for m in n.mentions)]
        return max(found, key=lambda n: max(m.start for m in n.mentions if m.start < before), default=None)


def _span(doc: Doc, start: int, end: int) -> Span:
    piece = doc[start:end]
    return Span(piece.start_char, piece.end_char, original_text(doc)[piece.start_char:piece.end_char])


def _head_word(token: Token) -> str:
    lemma = token.lemma_.lower()
    if token.pos_ == "PROPN" and lemma not in argument_lexicon().kinds:
        return next((w for w in _singulars(lemma) if w in argument_lexicon().kinds), lemma)
    return lemma


def _may_head(token: Token, heads: frozenset[str]) -> bool:
    """A cheap first look: a noun whose word could head a described phrase."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    lower = token.lower_
    return token.lemma_.lower() in heads or lower in heads or (lower[-1:] == "s" and any(w in heads for w in _singulars(lower)))


def _plural(token: Token) -> bool:
    return token.tag_ in ("NNS", "NNPS")


def _bare_plural(token: Token) -> bool:
    """'rebels' with no determiner: the same rebels as before, in one article."""
    return _plural(token) and not any(c.dep_ == "det" for c in token.children)


def _definite(token: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children)


def describe(doc: Doc, table: EntityTable) -> DescribedTable:
    """Every noun phrase of a known kind, as a node; a definite phrase ("the bomb",
    "the attackers") is the node of the last earlier phrase with its head word."""
    lexicon = argument_lexicon()
    drafts: dict[str, dict] = {}
    token_node: dict[int, str] = {}
    last_by_head: dict[tuple[str, str], str] = {}
    for token in tokens_of(doc):
        if not _may_head(token, lexicon.heads):
            continue
        phrase = _phrase(token, lexicon, table)
        if phrase is None:
            continue
        head_word = _head_word(phrase.head)
        span = _span(doc, phrase.start, phrase.end)
        earlier = last_by_head.get((phrase.kind, head_word))
        affiliation = _affiliation(phrase, doc, table) if phrase.kind in AGENT_KINDS else None
        if affiliation is not None and (phrase.kind, affiliation) in last_by_head:
            earlier = last_by_head[(phrase.kind, affiliation)]  # "EPS soldiers" ... "EPS troops"
        elif not (_definite(token) or _bare_plural(token)) or any(c.dep_ == "nummod" for c in token.children):
            earlier = None
        if earlier is not None and drafts[earlier]["plural"] != _plural(phrase.head):
            earlier = None  # "officials" are not the "senior official" named before
        if earlier is not None:
            drafts[earlier]["mentions"].append(span)
            token_node[token.i] = earlier
            continue
        node_id = f"d{span.start}"
        label_head = phrase.head.i if phrase.start > token.i else token.i
        label = doc[_label_start(doc, phrase.start, label_head):phrase.end].text
        drafts[node_id] = {"label": " ".join(label.split()), "head": head_word, "kind": phrase.kind,
                           "mentions": [span], "count": _count(doc, phrase.head) or _count(doc, token),
                           "affiliation": affiliation, "plural": _plural(phrase.head)}
        token_node[token.i] = node_id
        if phrase.head.i != token.i:
            token_node.setdefault(phrase.head.i, node_id)
        last_by_head[(phrase.kind, head_word)] = node_id
        if affiliation is not None:
            last_by_head.setdefault((phrase.kind, affiliation), node_id)
    nodes = tuple(Described(node_id, d["label"], d["head"], d["kind"], tuple(d["mentions"]), d["count"],
                            d["affiliation"]) for node_id, d in drafts.items())
    return DescribedTable(nodes, token_node)


# --- slots -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    token: Token
    slot: str  # agent, patient, instrument, place, modifier, self
    via: str = ""  # the lemma of the verb whose object fills a patient slot


def owner_of_part(token: Token) -> Token | None:
    """'the windows of the church', "the home's front door": the thing a part belongs to
    (the token itself when it is no part word)."""
    current = token
    for _ in range(3):
        if current.lemma_.lower() not in argument_lexicon().part_words and current.lower_ not in argument_lexicon().part_words:
            return current
        owner = next((c for c in current.children if c.dep_ == "poss" and c.pos_ != "PRON"), None) or _of_phrase(current)
        if owner is None:
            return None
        current = owner
    return current


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ == "pobj"]


def _prep_slots(prep: Token, lexicon: ArgumentLexicon, nominal: bool) -> Iterator[Slot]:
    word = prep.lower_
    if word in lexicon.agent_preps:
        yield from (Slot(t, "agent") for t in _pobjs(prep))
    elif word in lexicon.instrument_preps:
        yield from (Slot(t, "instrument") for t in _pobjs(prep))
    elif word in lexicon.patient_preps or (nominal and word == "of"):
        yield from (Slot(t, "patient") for t in _pobjs(prep))
    elif word == "at" and prep.head.lemma_.lower() in lexicon.aim_verbs:  # "fired at security guards"
        yield from (Slot(t, "patient") for t in _pobjs(prep))
    elif word in lexicon.place_preps:
        for pobj in _pobjs(prep):
            yield Slot(pobj, "place")
    elif word == "to" and prep.head.lemma_.lower() == "set":  # "set fire to the house"
        yield from (Slot(t, "patient") for t in _pobjs(prep))


def subject_of(verb: Token) -> Token | None:
    """A verb's own subject, active or passive."""
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _borrowed_subject(verb: Token) -> list[Slot]:
    """A controlled or coordinated verb's subject: "tried to kill", "attacked and burned";
    and the one a gerund is said of: "found the men guilty of killing", "accused of
    murdering" (whoever the holder's subject is, active or passive, did it)."""
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        holder = verb.head.head
        subject = subject_of(holder)
        return [Slot(subject, "agent")] if subject is not None else []
    current = verb
    for _ in range(3):
        if current.dep_ not in ("xcomp", "conj") or current.head.i == current.i:
            return []
        current = current.head
        subject = subject_of(current)
        if subject is not None:
            if subject.dep_ == "nsubjpass" and current.dep_ != "conj":
                return []
            return [Slot(subject, "agent" if subject.dep_ == "nsubj" else "patient")]
    return []


def _verb_slots(verb: Token, lexicon: ArgumentLexicon) -> list[Slot]:
    out: list[Slot] = []
    undergoes = verb.lemma_.lower() in lexicon.unaccusative_verbs and not any(c.dep_ == "dobj" for c in verb.children)
    for child in verb.children:
        dep = child.dep_
        if dep == "nsubj":
            out.append(Slot(child, "patient" if undergoes else "agent", verb.lemma_.lower()))
        elif dep in ("dobj", "nsubjpass"):
            out.append(Slot(child, "patient", verb.lemma_.lower()))
        elif dep == "agent":
            out += [Slot(t, "agent") for t in _pobjs(child)]
        elif dep in ("prep", "dative"):
            out += list(_prep_slots(child, lexicon, nominal=False))
        elif dep in ("xcomp", "advcl") and child.lemma_.lower() in ("use", "employ", "wield"):
            out += [Slot(t, "instrument") for t in child.children if t.dep_ == "dobj"]
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        out += _borrowed_subject(verb)
    if verb.dep_ == "relcl":  # "the gunmen, who opened fire"; "the tower that they blew up"
        pronoun_slot = next((s.slot for s in out if s.token.lower_ in lexicon.relative_pronouns), "agent")
        out.append(Slot(verb.head, pronoun_slot))
    elif verb.dep_ == "acl":  # "bombs set off by guerrillas", "houses burned by the rebels"
        out.append(Slot(verb.head, "patient"))
    return out


def _noun_slots(noun: Token, lexicon: ArgumentLexicon) -> list[Slot]:
    out: list[Slot] = []
    for child in noun.children:
        if child.dep_ == "poss":
            out.append(Slot(child, "agent"))
        elif child.dep_ == "compound" and child.pos_ in ("NOUN", "PROPN") and child.i < noun.i:
            out.append(Slot(child, "modifier"))
        elif child.dep_ == "prep":
            out += list(_prep_slots(child, lexicon, nominal=True))
        elif child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":  # "a bomb dropped by a B-52"
            out += [s for s in _verb_slots(child, lexicon) if s.token.i != noun.i]
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "attr", "nsubj") and head.lemma_.lower() in lexicon.light_verbs:
        happened = head.lemma_.lower() in lexicon.happen_verbs  # "the explosion occurred in X": where, not what
        out += [s for s in _verb_slots(head, lexicon) if s.token.i != noun.i and not (happened and s.slot == "place")]
    elif noun.dep_ == "nsubj" and head.lemma_.lower() in lexicon.instrument_verbs:  # "a bomb dropped by a B-52"
        out += [Slot(t, "agent") for c in head.children if c.dep_ == "agent" for t in _pobjs(c)]
    elif noun.dep_ == "nsubj" and head.lemma_.lower() in lexicon.effect_verbs:
        out += [Slot(c, "patient") for c in head.children if c.dep_ == "dobj"]  # "the blast destroyed"
        out += [s for c in head.children if c.dep_ == "prep" for s in _prep_slots(c, lexicon, False)
                if s.slot == "place"]
    out += _culprit(noun, lexicon)
    out.append(Slot(noun, "self"))  # a weapon trigger is its own instrument ("a car bomb exploded")
    return out


def _culprit(noun: Token, lexicon: ArgumentLexicon) -> list[Slot]:
    """'Whiting was convicted of the kidnap and murder', 'found guilty of the massacre':
    whoever is convicted of (accused of, jailed for) the act did it."""
    first = noun
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    prep = first.head
    if first.dep_ != "pobj" or prep.lower_ not in ("of", "for", "with", "over"):
        return []
    holder = prep.head
    for _ in range(2):  # "found (the men) guilty of": the adjective's subject, else its verb's
        if holder.lemma_.lower() in lexicon.culpability_words:
            subject = subject_of(holder)
            if subject is not None:
                return [Slot(subject, "agent")]
        holder = holder.head
    return []


def slots(trigger: Token) -> list[Slot]:
    """The argument slots of a trigger (or of a harm verb), conjuncts included;
    computed once per token and doc."""
    cache = trigger.doc.user_data.setdefault("kg_slots", {})
    found = cache.get(trigger.i)
    if found is None:
        found = cache[trigger.i] = _slots(trigger)
    return found


def _slots(trigger: Token) -> list[Slot]:
    lexicon = argument_lexicon()
    found = _noun_slots(trigger, lexicon) if trigger.pos_ in ("NOUN", "PROPN") else _verb_slots(trigger, lexicon)
    out: list[Slot] = []
    for slot in found:
        out.append(slot)
        out += [Slot(t, slot.slot, slot.via) for t in slot.token.conjuncts if t.i > slot.token.i]
        out += [Slot(t, slot.slot, slot.via) for t in _members(slot.token, lexicon)]
    return out


def _members(token: Token, lexicon: ArgumentLexicon) -> list[Token]:
    """'four people, including two policemen': the members named after the group."""
    out = []
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in lexicon.member_preps):
        for pobj in _pobjs(prep):
            out += [pobj, *(t for t in pobj.conjuncts if t.i > pobj.i)]
    return out


def harm_role(verb: Token) -> str | None:
    """The role of a harm verb's object: victim ("killed three peasants") or target
    ("burned the houses")."""
    return argument_lexicon().harm_verbs.get(verb.lemma_.lower()) if verb.pos_ == "VERB" else None


def aircraft_kind(node: Described) -> str | None:
    """'warplane' (a warplane, helicopter gunships, a B-52 bomber, Apache helicopters), 'aircraft' (a helicopter,
    a plane: military only when a state's), or None."""
    if not is_armed_vehicle(node):
        return None
    words = node.label.lower().split()
    names = {node.head, f"{words[-2]} {node.head}" if len(words) > 1 else node.head}
    lexicon = argument_lexicon()
    if (names | set(words)) & lexicon.warplanes:  # "Apache combat helicopters"
        return "warplane"
    return "aircraft" if names & lexicon.aircraft else None


def is_armed_vehicle(node: Described) -> bool:
    """A gunship, a tank, patrol boats: a vehicle that carries weapons."""
    if node.kind != "Vehicle":
        return False
    words = node.label.lower().split()
    return node.head in argument_lexicon().armed_vehicles or (
        len(words) > 1 and f"{words[-2]} {node.head}" in argument_lexicon().armed_vehicles)
