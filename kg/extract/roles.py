"""People's titles and affiliations, and where places are.

- "Kenya's Interior Cabinet Secretary Joseph Lenku": role, affiliation Kenya
- "Kenyan President Uhuru Kenyatta": role President, nationality Kenya
- "Patrick Kuria, an employee at Artcaffe": role employee, affiliation Artcaffe
- "Gilad Millo, a Nairobi-based Israeli": nationality Israel
- "Nairobi's Westgate Mall", "Artcaffe in Westgate Mall", "Nairobi, Kenya": located in
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from kg.extract.tokens import tokens_of
from kg.extract.entities import EntityTable, mention_root
from kg.paths import read_json
from kg.records import Entity

__all__ = ["add_roles", "title_of"]


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(read_json("titles.json")["title_heads"])


def _entity(table: EntityTable, token: Token) -> Entity | None:
    return table.get(table.at(token.i))


def title_of(root: Token, table: EntityTable, key: str) -> tuple[str | None, Token | None]:
    """A title written before a name and its owner: "Kenya's Interior Cabinet
    Secretary Joseph Lenku" -> ("Interior Cabinet Secretary", Kenya)."""
    titles = _title_words()
    words: list[Token] = []
    owner: Token | None = None
    for child in root.lefts:
        if child.dep_ not in ("compound", "amod", "nmod", "poss") or table.at(child.i) == key:
            continue
        for token in child.subtree:
            entity = _entity(table, token)
            if entity is not None and entity.category in ("Place", "Group", "Organization"):
                owner = owner or token  # "Kenya's", "Kenyan", "White House"
            elif token.is_alpha and token.dep_ not in ("case", "det", "poss") and table.at(token.i) != key:
                words.append(token)
    if not words or not any(w.lower_ in titles for w in words):
        return None, owner
    return " ".join(w.text for w in sorted(words, key=lambda t: t.i)), owner


def _role_words(head: Token, table: EntityTable) -> str:
    """'a 52-year-old farmer' -> 'farmer'; 'a UN spokesman' -> 'spokesman'; 'interior minister'."""
    mods = [t for t in head.lefts if t.dep_ in ("compound", "amod") and t.is_alpha and not _entity(table, t)
            and t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.lower_.endswith("old")]
    return " ".join(t.text for t in [*mods, head])


def _is_role_noun(token: Token, table: EntityTable) -> bool:
    """A common noun in apposition to a name, with an article: ', a cashier,'."""
    titles = _title_words()
    if token.lower_ in titles or token.lemma_.lower() in titles:
        return True
    has_article = any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in token.children)
    return token.pos_ == "NOUN" and has_article and _entity(table, token) is None


def _apposition(root: Token, table: EntityTable) -> tuple[str | None, Token | None, Token | None]:
    """(role, organisation token, nationality token) from ", an employee at X" / ", a ... Israeli",
    and from a title the name stands in apposition to ("the interior minister, Jonas Hartmann")."""
    heads = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        heads.append(root.head)
    for child in heads:
        entity = _entity(table, child)
        if entity is not None and entity.category == "Group":
            return None, None, child
        role, org, nation = None, None, None
        if _is_role_noun(child, table):
            role = _role_words(child, table)
        if child is root.head:
            org = next((c for c in child.children if c.dep_ == "poss" and _entity(table, c)), None)
        for node in _appositive_nodes(child):
            found = _entity(table, node)
            if found is None:
                continue
            if found.category == "Organization" and org is None:
                org = node
            elif found.category == "Group" and nation is None:
                nation = node
        if role or org or nation:
            return role, org, nation
    return None, None, None


def _appositive_nodes(head: Token) -> list[Token]:
    """'an employee at X' -> X; 'one of the three Israelis' -> Israelis; 'a Nairobi-based
    Israeli' -> Israeli: prepositional objects and modifiers, not relative clauses."""
    nodes = [t for t in head.lefts if t.dep_ in ("amod", "compound")]
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("at", "of", "for", "with", "from")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            nodes += [pobj, *(t for t in pobj.lefts if t.dep_ in ("compound", "amod"))]
    return nodes


def _person(doc: Doc, table: EntityTable, entity: Entity) -> Entity:
    roles: list[str] = list(entity.roles)
    affiliation, nationality = entity.affiliation, entity.nationality
    for mention in entity.mentions:
        root = mention_root(doc, mention)
        if root is None:
            continue
        title, owner = title_of(root, table, entity.key)
        role, org, nation = _apposition(root, table)
        for found in (title, role):
            if found and found not in roles:
                roles.append(found)
        for token in (owner, org, nation):
            other = _entity(table, token) if token is not None else None
            if other is None or other.key == entity.key:
                continue
            if other.category == "Group":
                nationality = nationality or other.nationality or other.key
            elif other.kind == "Country" and token is owner and not (title or role):
                nationality = nationality or other.key
            else:
                affiliation = affiliation or other.key
    return replace(entity, roles=tuple(roles), affiliation=affiliation, nationality=nationality)


def _container(doc: Doc, table: EntityTable, entity: Entity) -> str | None:
    """A place the text puts this place in."""
    for mention in entity.mentions:
        root = mention_root(doc, mention)
        if root is None:
            continue
        for child in root.children:
            target = None
            if child.dep_ == "poss":
                target = child
            elif child.dep_ == "prep" and child.lower_ in ("in", "at", "inside", "within"):
                target = next((c for c in child.children if c.dep_ == "pobj"), None)
            elif child.dep_ in ("appos", "npadvmod") and child.i == root.i + 2 and doc[root.i + 1].text == ",":
                target = child  # "Nairobi, Kenya"
            other = _entity(table, target) if target is not None else None
            if other is not None and other.category == "Place" and other.key != entity.key:
                return other.key
    return None


def _named_noun(root: Token) -> Token | None:
    """'the cafe attacked is called Artcaffe' -> cafe."""
    head = root.head
    if root.dep_ not in ("oprd", "attr", "xcomp") or head.lemma_.lower() not in ("call", "name", "know"):
        return None
    subject = next((c for c in head.children if c.dep_ in ("nsubjpass", "nsubj")), None)
    if subject is not None and subject.pos_ == "VERB":  # "the cafe attacked" parsed as a clause
        subject = next((c for c in subject.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject if subject is not None and subject.pos_ == "NOUN" else None


def _container_of_noun(doc: Doc, table: EntityTable, noun: Token, key: str) -> str | None:
    """Where the text puts a thing of that noun: 'an outdoor cafe at Westgate Mall'."""
    for token in tokens_of(doc):
        if token.lemma_ != noun.lemma_ or token.i == noun.i:
            continue
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("at", "in", "inside")):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                other = _entity(table, pobj)
                if other is not None and other.category == "Place" and other.key != key:
                    return other.key
    return None


def _container_by_name(doc: Doc, table: EntityTable, entity: Entity) -> str | None:
    for mention in entity.mentions:
        root = mention_root(doc, mention)
        noun = _named_noun(root) if root is not None else None
        if noun is not None:
            found = _container_of_noun(doc, table, noun, entity.key)
            if found:
                return found
    return None


def add_roles(doc: Doc, table: EntityTable) -> EntityTable:
    """The table with people's roles and places' containers filled in."""
    updated = []
    for entity in table.entities:
        if entity.kind == "Person":
            entity = _person(doc, table, entity)
        elif entity.category in ("Place", "Organization") and entity.located_in is None:
            container = _container(doc, table, entity) or _container_by_name(doc, table, entity)
            entity = replace(entity, located_in=container)
        updated.append(entity)
    return EntityTable(tuple(updated), table.token_entity)
