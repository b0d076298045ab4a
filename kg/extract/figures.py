"""Reported figures: an amount, what it measures, what event it is about, who
reported it and when. A figure is a claim: every report is its own record."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span as SpacySpan, Token

from kg.extract.tokens import ents_of, tokens_of
from kg.extract.arguments import AGENT_KINDS
from kg.extract.context import ArticleContext, lex, lexicon, span_of
from kg.extract.events import ATTACK_TYPES, DISASTER_TYPES, main_event
from kg.extract.quantities import parse_quantity
from kg.nlp.patterns import add_pattern
from kg.paths import data_place, read_json
from kg.records import Event, Figure, Quantity, Statement, TimeValue

__all__ = ["extract_figures", "measure_of", "amount_spans"]

_NUMERIC_LABELS = ("CARDINAL",)


def _measures() -> dict[str, dict[str, str]]:
    return lexicon()["measures"]


@lru_cache(maxsize=1)
def _bound_words() -> frozenset[str]:
    """Words an amount is widened over to the left ("at least five"), of ``quantity_words.json``."""
    return frozenset(read_json("quantity_words.json")["bound_words"])


def _counted_date(ent: SpacySpan) -> bool:
    """The model sometimes calls a count a date ("Between 10 and 15 gunmen",
    "injuring 54"): a bare number that is no year, counting a noun or a verb's object."""
    root = ent.root
    if ent.label_ != "DATE" or not root.like_num:
        return False
    if root.text.isdigit() and len(root.text) == 4 and 1800 <= int(root.text) <= 2100:
        return False
    if root.dep_ in ("nummod", "quantmod"):
        return root.head.pos_ == "NOUN" and root.head.lower_ not in lex("units")
    bare = all(t.like_num or t.lower_ in _bound_words() or t.lower_ == "and" for t in ent)
    if root.dep_ == "pobj" and root.head.lower_ in ("to", "at"):
        return bare and root.head.head.lemma_.lower() in lex_measures("toll_verbs")  # "the toll stands at 45"
    return root.dep_ in ("dobj", "nsubjpass") and root.head.pos_ == "VERB" and bare


def amount_spans(doc: Doc) -> list[SpacySpan]:
    """Amount expressions: CARDINAL entities, widened left over bound words
    ("at least five"), and bare number tokens the model left untagged."""
    spans = []
    covered: set[int] = set()
    for ent in ents_of(doc):
        if ent.label_ in _NUMERIC_LABELS or _counted_date(ent):
            start = ent.start
            while start > ent.sent.start and doc[start - 1].lower_ in _bound_words():
                start -= 1
            spans.append(doc[start:ent.end])
            covered.update(range(start, ent.end))
    vague = _vague_words()
    for token in tokens_of(doc):
        phrase = _vague_phrase(doc, token.i)
        if phrase and token.i not in covered:
            spans.append(doc[token.i:token.i + phrase])  # "scores of people", "a handful of"
            covered.update(range(token.i, token.i + phrase))
        if token.i in covered:
            continue
        if (token.like_num and not token.ent_type_ and token.pos_ == "NUM") or token.lower_ in vague:
            spans.append(doc[token.i:token.i + 1])  # "injuring several people", "dozens were hurt"
    return sorted(spans, key=lambda s: s.start)


@lru_cache(maxsize=1)
def _vague_words() -> frozenset[str]:
    """One-word vague amounts that give a bound ("several": at least 3), from the quantity
    lexicon, and the plural scales of numbers.json ("dozens", "hundreds"); not "many" or
    "some", which give no number a figure could hold."""
    vague = read_json("quantity_words.json")["vague"]
    words = {w for w, bound in vague.items() if " " not in w and isinstance(bound, int)}
    return frozenset(words) | frozenset(read_json("numbers.json")["plural_scales"])


@lru_cache(maxsize=1)
def _vague_phrases() -> Mapping[str, tuple[tuple[str, ...], ...]]:
    """Vague amounts of several words that give a bound ("scores of"), by first word."""
    vague = read_json("quantity_words.json")["vague"]
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase, bound in vague.items():
        if " " in phrase and isinstance(bound, int):
            by_first.setdefault(phrase.split()[0], []).append(tuple(phrase.split()))
    return MappingProxyType({k: tuple(v) for k, v in by_first.items()})


def _vague_phrase(doc: Doc, i: int) -> int:
    """Length of a vague amount of several words starting at token i ("scores of"), or 0."""
    for words in _vague_phrases().get(doc[i].lower_, ()):
        if i + len(words) <= len(doc) and all(doc[i + k].lower_ == w for k, w in enumerate(words)):
            return len(words)
    return 0


def _number_root(amount: SpacySpan) -> Token:
    """The amount's number where the parse hangs it ("An estimated 500": 500), else its root."""
    inside = range(amount.start, amount.end)
    numbers = [t for t in amount if t.like_num and t.head.i not in inside]
    return numbers[-1] if numbers else amount.root


def _noun_of(amount: SpacySpan) -> Token:
    root = _number_root(amount)
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ == "of" and c.i >= amount.end):
        pobj = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if pobj is not None:
            return pobj  # "tens of thousands of protesters"
    if root.dep_ in ("nummod", "quantmod", "amod", "compound") and root.head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB"):
        return root.head
    return root


def _measure_by_children(noun: Token) -> tuple[str, Token] | None:
    """'some 175 injured', 'two wounded soldiers', 'five people dead'."""
    adjectives = _measures()["adjectives"]
    verbs = _measures()["verbs"]
    for child in noun.children:
        lemma = child.lemma_.lower()
        if child.dep_ == "relcl" and _own_subject(child):
            continue  # "two bombings in which three people were wounded": the wounded are the three
        if child.dep_ in ("amod", "acl", "acomp", "oprd", "relcl") and (lemma in adjectives or child.lower_ in adjectives):
            return adjectives.get(child.lower_) or adjectives[lemma], child
        if child.dep_ in ("acl",) and lemma in verbs:
            return verbs[lemma], child
    return None


def _argument_of(noun: Token) -> Token:
    """The token that stands in the clause for a counted noun ("hundreds of people" -> hundreds)."""
    current = noun
    for _ in range(3):
        if current.dep_ in ("conj", "appos") and current.head.pos_ in ("NOUN", "PROPN", "NUM"):
            current = current.head
        elif current.dep_ == "pobj" and current.head.lower_ == "of":
            current = current.head.head
        else:
            break
    return current


def _measure_by_verb(noun: Token) -> tuple[str, Token, bool] | None:
    """(measure, verb, patient?) from the verb the counted noun is an argument of
    ("59 people have been killed": killed, patient)."""
    verbs, agent_of = _measures()["verbs"], _measures()["agent_of"]
    if noun.pos_ == "VERB" and noun.lemma_.lower() in verbs:
        return verbs[noun.lemma_.lower()], noun, True  # "12 people died and 30 hurt": the number hangs on "hurt"
    current = _argument_of(noun)
    head = current.head
    lemma = head.lemma_.lower()
    if current.dep_ == "conj" and head.pos_ == "VERB" and lemma in verbs:
        return verbs[lemma], head, False  # "killed and some 175 [injured]": its own word first
    if current.dep_ in ("nsubjpass", "dobj") and lemma in verbs:
        dead = any(c.lower_ == "dead" for c in current.children)  # "shot dead two robbers" parsed as "dead robbers"
        return ("killed" if dead else _fatal(head, verbs[lemma])), head, True
    if current.dep_ == "nsubj" and lemma in verbs and _elided_passive(head):
        return verbs[lemma], head, True  # "12 people died and 30 hurt", "four killed and eight others injured"
    if current.dep_ in ("nsubj", "nsubjpass"):
        complement = _complement(head)
        if complement is not None:
            return complement[0], complement[1], True  # "three went missing", "two were found dead", "taken hostage"
    if current.dep_ in ("nsubjpass", "dobj") and lemma in lex("hospital_verbs") and _to_hospital(head):
        return "injured", head, True  # "one firefighter was taken to hospital"
    if current.dep_ == "nsubj" and lemma in agent_of:
        return agent_of[lemma], head, False
    if current.dep_ == "nsubj" and lemma in verbs and lemma in _measures()["subject_verbs"]:
        return verbs[lemma], head, True
    if current.dep_ in ("nsubj", "nsubjpass", "attr") and head.pos_ == "AUX":
        found = _measure_by_children(head)
        if found:
            return found[0], found[1], True
        adjective = _acomp(head)
        return (adjective, head, True) if adjective else None
    return None


def _own_subject(clause: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ not in ("WP", "WDT") and c.lower_ != "that" for c in clause.children)


def _unrealised(word: Token) -> bool:
    """A harm denied or only intended: 'no one was injured' keeps its 0, but 'would not be
    arrested', 'trying to arrest a senior official' report no figure."""
    children = list(word.children)
    if any(c.dep_ == "neg" for c in children):
        return True
    return word.pos_ == "VERB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in children)


def _fatal(verb: Token, measure: str) -> str:
    """'shot dead two robbers', 'fatally stabbed three people': a harm that killed."""
    for child in verb.children:
        if child.lower_ == "dead" or (child.dep_ == "advmod" and child.lower_ in lex_measures("fatal_adverbs")):
            return "killed"
    return measure


def _elided_passive(verb: Token) -> bool:
    """A past participle coordinated with a passive whose auxiliary it shares ("... were killed
    and 30 [were] injured"), its subject parsed as an active one."""
    if verb.dep_ != "conj" or verb.tag_ not in ("VBN", "VBD") or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    return verb.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in verb.head.children)


def _complement(verb: Token) -> tuple[str, Token] | None:
    """A measure adjective or noun completing the verb of a counted subject: 'went missing',
    'were found dead', 'were taken hostage', 'were left homeless'."""
    adjectives, taken = _measures()["adjectives"], _measures()["taken_as"]
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "xcomp", "attr", "dobj", "npadvmod", "advmod", "ccomp"):
            if child.lower_ in adjectives and (child.dep_ != "attr" or verb.pos_ != "AUX"):
                return adjectives[child.lower_], verb
            if child.lemma_.lower() in taken and not any(g.dep_ == "det" for g in child.children):
                return taken[child.lemma_.lower()], verb
    return None


def lex_measures(name: str) -> frozenset[str]:
    return frozenset(_measures()[name])


def _measure_by_pattern(amount: SpacySpan, noun: Token) -> tuple[str, Token] | None:
    """Forms whose measure is said by a word other than the counted noun's verb: a toll
    ('the death toll rose to 57'), lives ('claimed 9 lives', 'lost their lives'), an event
    noun ('the massacre of seven villagers'), a result ('left nine dead'), a home left
    ('forced to vacate their homes')."""
    for finder in (_by_dependency_pattern, _by_lives, _by_event_noun, _by_result, _by_home_left, _by_next_word):
        found = finder(amount, noun)
        if found is not None:
            return found
    return None


def _by_next_word(amount: SpacySpan, noun: Token) -> tuple[str, Token] | None:
    """'and around 120 injured', 'with 40 dead so far': a measure word right after the number
    (and no noun after it that it would describe)."""
    doc = amount.doc
    if amount.end >= len(doc) or doc[amount.end].lower_ not in _measures()["adjectives"]:
        return None
    word = doc[amount.end]
    if amount.end + 1 < len(doc) and doc[amount.end + 1].pos_ in ("NOUN", "PROPN"):
        return None
    return _measures()["adjectives"][word.lower_], word


@lru_cache(maxsize=1)
def _pattern_specs() -> tuple[dict, ...]:
    """kg/data/figure_patterns.json with "@name" values replaced by the lexicon's lists."""
    def resolve(value):
        if isinstance(value, str) and value.startswith("@"):
            return list(_measures()[value[1:]])
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value
    return tuple(resolve(spec) for spec in read_json("figure_patterns.json")["patterns"])


@lru_cache(maxsize=1)
def _pattern_anchors() -> frozenset[str]:
    """Lemmas one of which every pattern needs beyond its verb ("toll", "life", "hostage")."""
    anchors: set[str] = set()
    for spec in _pattern_specs():
        for node in spec["pattern"][1:]:
            lemma = node["RIGHT_ATTRS"].get("LEMMA")
            if lemma is not None:
                anchors.update(lemma["IN"] if isinstance(lemma, dict) else [lemma])
    return frozenset(anchors)


_MATCHERS: dict[int, DependencyMatcher] = {}


def _matcher(doc: Doc) -> DependencyMatcher:
    key = id(doc.vocab)
    if key not in _MATCHERS:
        matcher = DependencyMatcher(doc.vocab, validate=True)
        for spec in _pattern_specs():
            where = data_place("figure_patterns.json", json.dumps(spec["name"]))
            add_pattern(matcher, spec["name"], spec["pattern"], where)
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def _pattern_figures(doc: Doc) -> dict[int, tuple[str, int]]:
    """Number token -> (measure, word token) of the dependency patterns, once per doc."""
    cached = doc.user_data.get(_PATTERN_KEY)
    if cached is not None:
        return cached
    specs = {spec["name"]: spec for spec in _pattern_specs()}
    found: dict[int, tuple[str, int]] = {}
    if not any(t.lemma_.lower() in _pattern_anchors() for t in doc):
        doc.user_data[_PATTERN_KEY] = found
        return found  # no pattern can match: most articles
    for match_id, tokens in _matcher(doc)(doc):
        spec = specs[doc.vocab.strings[match_id]]
        ids = [node["RIGHT_ID"] for node in spec["pattern"]]
        found.setdefault(tokens[ids.index(spec["number"])], (spec["measure"], tokens[ids.index(spec["word"])]))
    doc.user_data[_PATTERN_KEY] = found
    return found


_PATTERN_KEY = "kg.figure_patterns"


def _by_dependency_pattern(amount: SpacySpan, noun: Token) -> tuple[str, Token] | None:
    found = _pattern_figures(amount.doc)
    for token in amount:
        if token.i in found:
            measure, word = found[token.i]
            return measure, amount.doc[word]
    return None


def _by_lives(amount: SpacySpan, noun: Token) -> tuple[str, Token] | None:
    held = _argument_of(noun) if noun.lemma_.lower() == "life" else noun
    if noun.lemma_.lower() == "life" and held.dep_ == "dobj" and held.head.lemma_.lower() in lex_measures("life_verbs"):
        return "killed", held.head  # "claimed at least eight lives", "claimed hundreds of lives"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() == "life":
        return "killed", noun.head.head  # "cost the lives of 200,000"
    argument = _argument_of(noun)
    if argument.dep_ == "nsubj" and argument.head.lemma_.lower() == "lose" and any(
            c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in argument.head.children):
        return "killed", argument.head  # "9,200 servicemen lost their lives"
    return None


def _by_event_noun(amount: SpacySpan, noun: Token) -> tuple[str, Token] | None:
    """'the deaths of 14 Australians', 'the killing of eight miners', 'the kidnapping of two'."""
    events = _measures()["event_nouns"]
    current = noun if noun.i not in range(amount.start, amount.end) or noun.dep_ == "pobj" else amount.root
    while current.dep_ == "conj" and current.head.pos_ in ("NOUN", "PROPN", "NUM"):
        current = current.head
    if current.dep_ == "pobj" and current.head.lower_ == "of":
        owner = current.head.head
        if owner.pos_ in ("NOUN", "PROPN") and owner.lemma_.lower() in events:
            return events[owner.lemma_.lower()], owner
    return None


def _by_result(amount: SpacySpan, noun: Token) -> tuple[str, Token] | None:
    """'left nine dead and 30 wounded', 'leaving 17 guerrillas and 2 soldiers dead',
    'left thousands of people homeless'."""
    argument = _argument_of(noun)
    verb = argument.head
    if argument.dep_ not in ("dobj", "nsubj", "conj") or verb.lemma_.lower() not in lex_measures("result_verbs"):
        return None
    adjectives = _measures()["adjectives"] | {"homeless": "displaced"}
    for token in verb.subtree:
        if token.i > amount.end - 1 and token.lower_ in adjectives and token.pos_ in ("ADJ", "VERB", "NOUN"):
            return adjectives[token.lower_], token  # the first one after the amount
    return None


def _by_home_left(amount: SpacySpan, noun: Token) -> tuple[str, Token] | None:
    argument = _argument_of(noun)
    if argument.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verbs = [argument.head, *(c for c in argument.head.children if c.dep_ == "xcomp")]
    for verb in verbs:
        if verb.lemma_.lower() in lex_measures("home_leaving_verbs") and any(
                c.dep_ in ("dobj", "prep") and (c.lemma_.lower() in ("home", "house") or any(
                    g.lemma_.lower() in ("home", "house") for g in c.children)) for c in verb.children):
            return "evacuated", argument.head  # "were forced to vacate their homes": the forcing is what happened
    return None


def _to_hospital(verb: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ in ("to", "into") and
               any(g.lemma_.lower() in ("hospital", "clinic") for g in c.children) for c in verb.children)


def _acomp(aux: Token) -> str | None:
    adjectives = _measures()["adjectives"]
    for child in aux.children:
        if child.dep_ in ("acomp", "attr", "oprd") and child.lower_ in adjectives:
            return adjectives[child.lower_]
    return None


def measure_of(amount: SpacySpan) -> tuple[str, Token] | None:
    """What an amount counts, and the token that says so. What happened to the
    counted (killed, freed, arrested) beats what they were (soldiers, hostages),
    which beats how they are described (dead, wounded)."""
    nouns = _measures()["nouns"]
    noun = _noun_of(amount)
    by_pattern = _measure_by_pattern(amount, noun)
    if by_pattern is not None:
        return by_pattern
    by_verb = _measure_by_verb(noun)
    if by_verb and by_verb[2]:
        return by_verb[0], by_verb[1]
    by_child = _measure_by_children(noun)
    if by_child:
        return by_child  # "two wounded soldiers": what happened to them before what they are
    if noun.dep_ == "nsubj" and noun.head.lower_ in _measures()["adjectives"] and noun.head.pos_ == "ADJ":
        return _measures()["adjectives"][noun.head.lower_], noun.head  # "left ... 5 soldiers dead"
    if noun.i not in range(amount.start, amount.end):
        lemma = noun.lemma_.lower()
        if lemma in nouns or noun.lower_ in nouns:
            return nouns.get(noun.lower_) or nouns[lemma], noun
    if by_verb:
        return by_verb[0], by_verb[1]
    return None


def _speech_verb(token: Token) -> Token | None:
    """The speech verb whose content a token is in ("Lenku said ... killed")."""
    speech = lex("figure_speech_verbs")
    current = token
    for _ in range(10):
        if current.lemma_.lower() in speech and current.pos_ == "VERB" and current.i != token.i:
            return current
        if current.head.i == current.i:
            return current if current.lemma_.lower() in speech else None
        current = current.head
    return None


def _according_to(sent: SpacySpan) -> Token | None:
    for token in sent:
        if token.lower_ == "according":
            for child in token.children:
                for grand in child.subtree:
                    if grand.dep_ == "pobj":
                        return grand
    return None


def reporter_of(ctx: ArticleContext, token: Token) -> tuple[str | None, TimeValue | None]:
    """Who reported what a token says, and when ("X said Sunday that ...")."""
    according = _according_to(token.sent)
    if according is not None:
        return ctx.agent(according), None
    verb = _speech_verb(token)
    if verb is None:
        return None, None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    key = ctx.agent(subject) if subject is not None and subject.dep_ == "nsubj" else None
    times = [m.value for m in ctx.times_of(verb)]
    return key, times[0] if times else None


_LATER_SENTENCES = 2  # how far a bare attribution reaches back within a paragraph


def _later_attribution(ctx: ArticleContext, token: Token) -> tuple[str | None, TimeValue | None]:
    """'... were wounded. The minister told reporters on Sunday.': a sentence after the
    figure's, in its paragraph, that says only who reported (a speech verb with a source
    and no content of its own) attributes the figures before it."""
    doc = ctx.doc
    sentence = token.sent
    for _ in range(_LATER_SENTENCES):
        if sentence.end >= len(doc) or "\n" in doc[sentence.end - 1].whitespace_ + doc[sentence.end].text:
            return None, None
        sentence = doc[sentence.end].sent
        found = _bare_attribution(ctx, sentence)
        if found is not None:
            return found
        if any(t.like_num and not t.ent_type_ in ("DATE", "TIME") for t in sentence):
            return None, None  # a sentence with figures of its own comes between
    return None, None


def _bare_attribution(ctx: ArticleContext, sentence: SpacySpan) -> tuple[str, TimeValue | None] | None:
    root = sentence.root
    if root.lemma_.lower() not in lex("figure_speech_verbs") or any(
            c.dep_ in ("ccomp", "xcomp", "advcl", "parataxis") or (c.dep_ == "dobj" and c.pos_ not in ("NOUN", "PROPN", "PRON"))
            for c in root.children):
        return None
    if any(c.dep_ == "dobj" and c.lemma_.lower() not in ("reporter", "journalist", "press", "it", "this", "that")
           for c in root.children):
        return None  # "told reporters", "confirmed it"; not "said the talks failed"
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    key = ctx.agent(subject) if subject is not None else None
    if key is None:
        return None
    times = [m.value for m in ctx.times_of(root)]
    return key, times[0] if times else None


def _event_for(ctx: ArticleContext, events: tuple[Event, ...], measure: str, token: Token) -> str | None:
    """The incident a figure counts: of the events its sentence reports, the one of its
    measure's kind, else the harmful one nearest the figure's word (its clause); a sentence
    without one continues the sentence before; else the article's main event."""
    wanted = _measures()["verb_events"].get(measure)
    own = token.sent
    for sentence in (own, *((ctx.doc[own.start - 1].sent,) if own.start > 0 else ())):
        chars = range(sentence.start_char, sentence.end_char)
        in_sentence = [e for e in events if any(s.start in chars for s in e.triggers)]
        for event in in_sentence:
            if wanted and event.type == wanted:
                return event.id
        harmful = [e for e in in_sentence if e.type in ATTACK_TYPES | DISASTER_TYPES and not e.named]
        if harmful:
            return min(harmful, key=lambda e: min(abs(s.start - token.idx) for s in e.triggers if s.start in chars)).id
    main = main_event(events)
    return main.id if main else None


def _quoted_by(statements: tuple[Statement, ...], start: int) -> Statement | None:
    """The direct quotation a character offset is in."""
    for statement in statements:
        if statement.direct and statement.span.start <= start < statement.span.end:
            return statement
    return None


def _figure(ctx: ArticleContext, events: tuple[Event, ...], statements: tuple[Statement, ...],
            amount: SpacySpan) -> Figure | None:
    quantity: Quantity | None = parse_quantity(amount.text)
    if quantity is None:
        return None
    if amount.end < len(ctx.doc) and ctx.doc[amount.end].lower_ in lex("units"):
        return None  # "a 25 kilometre fire front": a size, not a count
    found = measure_of(amount)
    if found is None or _unrealised(found[1]):
        return None
    return _claim(ctx, events, statements, amount, quantity, *found)


_SINGLE = frozenset({"a", "an", "one", "another"})


def _single_victims(ctx: ArticleContext) -> list[tuple[SpacySpan, str, Token]]:
    """'A Palestinian man has been shot dead', 'a policeman was wounded': one person
    counted by what happened to them (amount span, measure, the word that says so)."""
    out = []
    for node in ctx.described.nodes if ctx.described is not None else ():
        if node.kind not in AGENT_KINDS:
            continue
        for mention in node.mentions:
            piece = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            noun = piece.root if piece is not None else None
            det = next((c for c in noun.children if c.dep_ in ("det", "nummod") and c.lower_ in _SINGLE), None) if noun is not None else None
            if det is None or noun.tag_ != "NN":
                continue
            found = _measure_by_verb(noun) if _argument_of(noun) is noun else None
            if found is not None and found[2] and not _unrealised(found[1]):
                out.append((ctx.doc[det.i:det.i + 1], found[0], found[1]))
    return out


def _claim(ctx: ArticleContext, events: tuple[Event, ...], statements: tuple[Statement, ...],
           amount: SpacySpan, quantity: Quantity, measure: str, word: Token) -> Figure:
    start, end = min(amount.start, word.i), max(amount.end, word.i + 1)
    reporter, when = reporter_of(ctx, word)
    quoted = _quoted_by(statements, amount.start_char)
    if reporter is None and quoted is not None:
        reporter, when = quoted.speaker, quoted.reported_at
    if reporter is None:
        reporter, when = _later_attribution(ctx, word)
    noun = _noun_of(amount)
    return Figure(
        measure=measure, quantity=quantity, span=span_of(ctx.doc, start, end),
        event=_event_for(ctx, events, measure, word), reporter=reporter,
        reported_at=when or ctx.published_value(), victims=_victims(amount, noun) if noun.i != word.i else None,
    )


def extract_figures(ctx: ArticleContext, events: tuple[Event, ...],
                    statements: tuple[Statement, ...] = ()) -> tuple[Figure, ...]:
    """Every reported figure, in text order; amounts without a measure of their own that
    continue a figure's list take its measure ("Seven people have died in Queensland, five in
    Victoria"), and sub-counts point to the figure they are part of ("six of them children")."""
    found: list[tuple[SpacySpan, Figure]] = []
    for amount in amount_spans(ctx.doc):
        figure = _figure(ctx, events, statements, amount)
        if figure is not None:
            figure = _as_sub_count(amount, figure, found)
        else:
            figure = _continued(ctx, amount, found)
        if figure is not None:
            found.append((amount, figure))
    found += [(amount, _claim(ctx, events, statements, amount, Quantity(value=1), measure, word))
              for amount, measure, word in _single_victims(ctx)]
    return _with_parents([f for _, f in found])


def _with_parents(figures: list[Figure]) -> tuple[Figure, ...]:
    """part_of as the index of the parent figure in the article's tuple (kept by span)."""
    index = {(f.span.start, f.span.end, f.measure): i for i, f in enumerate(figures)}
    out = []
    for figure in figures:
        parent = figure.part_of
        if isinstance(parent, tuple):
            parent = index.get(parent)
        out.append(replace(figure, part_of=parent))
    return tuple(out)


_LIST_WORDS = frozenset({",", "and", "each", "respectively", "including", "among", "them", "whom", "those",
                         "of", "in", "on", "at", "from", "near", "while", "another", "more", "others", "other"})


@lru_cache(maxsize=1)
def _sub_count_markers() -> frozenset[str]:
    return frozenset(_measures()["sub_count_markers"])


def _sub_count_marked(amount: SpacySpan, between: SpacySpan) -> bool:
    doc = amount.doc
    after = doc[amount.end:min(amount.end + 2, len(doc))].text.lower()
    markers = _sub_count_markers()
    return any(t.lower_ in markers for t in between) or after in markers


def _as_sub_count(amount: SpacySpan, figure: Figure, found: list[tuple[SpacySpan, Figure]]) -> Figure:
    """'killing 18 tourists, 14 of them Australians': a figure of the measure of the one
    before it in its sentence, marked as part of it."""
    previous = [(a, f) for a, f in found if a.sent.start == amount.sent.start and a.end <= amount.start
                and f.measure == figure.measure]
    if not previous:
        return figure
    before, parent = previous[-1]
    if not _sub_count_marked(amount, amount.doc[before.end:amount.start]) or len(amount.doc[before.end:amount.start]) > 8:
        return figure
    key = (parent.span.start, parent.span.end, parent.measure) if parent.part_of is None else parent.part_of
    return replace(figure, part_of=key, victims=_victims(amount, _noun_of(amount), True) or figure.victims)


def _continued(ctx: ArticleContext, amount: SpacySpan, found: list[tuple[SpacySpan, Figure]]) -> Figure | None:
    """A bare amount in the list of the figure before it in its sentence: the same measure,
    reporter and event ('killing 18 tourists, 14 of them Australians, and three guides')."""
    doc = ctx.doc
    previous = [(a, f) for a, f in found if a.sent.start == amount.sent.start and a.end <= amount.start]
    if not previous or (amount.end < len(doc) and doc[amount.end].lower_ in lex("units")):
        return None
    quantity = parse_quantity(amount.text)
    if quantity is None or measure_of(amount) is not None:
        return None
    before, figure = previous[-1]
    span_end = doc.char_span(figure.span.start, figure.span.end, alignment_mode="expand")
    start = span_end.end if span_end is not None and span_end.end <= amount.start else before.end
    between = doc[start:amount.start]
    if any(t.pos_ in ("VERB", "AUX") and t.lemma_.lower() != "include" for t in between) or any(
            t.is_sent_end or t.lower_ in (";", "but", "while") for t in between):
        return None
    noun = _noun_of(amount)
    if not _counts_people(ctx, amount, noun) and not _sub_count_marked(amount, between):
        return None  # counts something else ("and 3 bridges", "in two separate shootings")
    argument = _argument_of(noun)
    if noun.i in range(amount.start, amount.end) and argument.dep_ in ("nsubj", "nsubjpass", "dobj") and argument.head.pos_ in ("VERB", "AUX"):
        return None  # the argument of a verb of its own ("four have returned to work")
    sub = _sub_count_marked(amount, between)
    parent = (figure.span.start, figure.span.end, figure.measure) if figure.part_of is None else figure.part_of
    return replace(figure, quantity=quantity, span=span_of(doc, amount.start, max(amount.end, noun.i + 1)),
                   victims=_victims(amount, noun, sub), part_of=parent if sub else None)


def _counts_people(ctx: ArticleContext, amount: SpacySpan, noun: Token) -> bool:
    """A bare amount ('five in Victoria'), a nationality ('14 Australians') or a described
    group of people ('three priests')."""
    if noun.i in range(amount.start, amount.end):
        return True
    if noun.ent_type_ == "NORP" or noun.lemma_.lower() in ("people", "person", "other"):
        return True
    nodes = ctx.described.nodes if ctx.described is not None else ()
    return any(node.kind in AGENT_KINDS and any(m.start <= noun.idx < m.end for m in node.mentions) for node in nodes)


def _victims(amount: SpacySpan, noun: Token, sub: bool = False) -> str | None:
    """How the counted are described ('villagers', 'Palestinian children'): the counted noun
    with its modifiers; for 'six of them children' the noun after 'of them'."""
    doc = amount.doc
    if sub and amount.end + 2 < len(doc) and doc[amount.end].lower_ == "of" and doc[amount.end + 2].pos_ in ("NOUN", "PROPN"):
        noun = doc[amount.end + 2]
    if noun.i in range(amount.start, amount.end) or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    if noun.lower_ in _measures()["adjectives"] or noun.lemma_.lower() in ("people", "person", "other", "life"):
        return None
    mods = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod") and t.i >= amount.end and not t.like_num]
    return " ".join(t.text for t in [*mods, noun])
