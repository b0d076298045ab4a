"""Quote attribution with the real model: both quote styles, pronoun speakers,
channels, indirect speech."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.article import extract_article
from kg.extract.statements import quote_regions
from kg.records import Article

pytestmark = pytest.mark.model


def statements_of(nlp, kb, text: str, published=dt.date(2024, 3, 3)):
    article = Article(id="t", text=text, published=published)
    records = extract_article(nlp(text), article, kb)
    labels = {e.key: e.label for e in records.entities}
    return [(labels.get(s.speaker or "", s.speaker), s.quote, s.channel, s.direct, s) for s in records.statements], labels


@pytest.mark.parametrize("text, speaker, quote_part", [
    ("“We heard two explosions,” said Maria Lopez, a shopkeeper.", "Maria Lopez", "We heard two explosions"),
    ('"We heard two explosions," said Maria Lopez, a shopkeeper.', "Maria Lopez", "We heard two explosions"),
    ("Maria Lopez said: “The whole street shook.”", "Maria Lopez", "The whole street shook"),
    ("“It was chaos,” Ahmed Khan told reporters.", "Ahmed Khan", "It was chaos"),
    ("«Nous sommes choqués», said Pierre Martin, the mayor.", "Pierre Martin", "Nous sommes choqués"),
])
def test_direct_quotes_in_every_quote_style(nlp, kb, text, speaker, quote_part):
    found, _ = statements_of(nlp, kb, text)
    assert [(s, q) for s, q, *_ in found if quote_part in q] == [(speaker, next(q for _, q, *_ in found if quote_part in q))]
    assert found[0][0] == speaker


def test_a_pronoun_speaker_is_the_last_person_named(nlp, kb):
    text = ("Police chief John Kamau arrived at the scene on Monday. "
            "“The attackers are still inside,” he said.")
    found, _ = statements_of(nlp, kb, text)
    assert [(s, q) for s, q, *_ in found] == [("John Kamau", "The attackers are still inside")]


def test_it_said_is_the_last_group(nlp, kb):
    text = ("The Taliban claimed the attack. "
            "It said in a statement that more attacks would follow.")
    found, _ = statements_of(nlp, kb, text)
    assert ("Taliban", "more attacks would follow", "statement") in [(s, q, c) for s, q, c, *_ in found]


@pytest.mark.parametrize("text, speaker, channel", [
    ("“Stay away from the area,” said the US Embassy in an emergency text message.", "US Embassy",
     "emergency text message"),
    ("The ministry said on its Twitter feed that the border was closed.", "ministry", "Twitter feed"),
    ("Sara Cohen told Channel 2 that she hid under a table.", "Sara Cohen", "@"),
    ("Greg Mathers told ABC radio he had watched his house burn.", "Greg Mathers", "ABC radio"),
])
def test_channels(nlp, kb, text, speaker, channel):
    found, labels = statements_of(nlp, kb, text)
    assert found, text
    who, _, got, *_ = found[0]
    assert speaker.lower() in (who or "").lower()
    assert got is not None and (got.startswith(channel) if channel == "@" else channel in got)


def test_indirect_speech_is_a_statement(nlp, kb):
    found, _ = statements_of(nlp, kb, "Interior Minister Joseph Lenku said that 59 people have been killed.")
    assert [(s, q, d) for s, q, _, d, _ in found] == [("Joseph Lenku", "59 people have been killed", False)]


@pytest.mark.parametrize("text", [
    "Police Chief Anna Berg declined to say whether the suspects had been armed.",
    "The Taliban fought on. It is not to say that the army would withdraw, officials fear.",
])
def test_a_to_infinitive_speech_verb_states_nothing(nlp, kb, text):
    found, _ = statements_of(nlp, kb, text)
    assert not [q for _, q, *_ in found if "armed" in q or "withdraw" in q]


def test_a_quote_run_on_after_said_keeps_its_speaker(nlp, kb):
    text = ('Foreign Minister Alexander Downer spoke on Monday. "We always investigate," he said. '
            '"We just don\'t know in this case, but it is not to say that we think there are many '
            'Australians in Afghanistan."')
    found, _ = statements_of(nlp, kb, text)
    assert {s for s, *_ in found} == {"Alexander Downer"}

def test_according_to_is_a_statement(nlp, kb):
    found, _ = statements_of(nlp, kb, "Five aid workers were abducted near Kareto, according to Peter Nwosu.")
    assert found and found[0][0] == "Peter Nwosu" and "abducted" in found[0][1]


def test_a_quoted_phrase_inside_indirect_speech_is_one_statement(nlp, kb):
    text = "President Uhuru Kenyatta said that he had lost “very close family members” in the attack."
    found, _ = statements_of(nlp, kb, text)
    assert len(found) == 1 and "very close family members" in found[0][1]


def test_statement_time_is_the_speech_time(nlp, kb):
    found, _ = statements_of(nlp, kb, "Minister Ann Wambui said on Saturday that the roads were closed.",
                             published=dt.date(2024, 3, 3))
    assert found[0][4].reported_at.begin == dt.date(2024, 3, 2)


@pytest.mark.parametrize("text, quotes", [
    ("He said “yes” and “no”.", ["yes", "no"]),
    ('She said "a" then "b c".', ["a", "b c"]),
    ("No quotes here.", []),
    ("“Unclosed quote at the end", []),
])
def test_quote_regions(text, quotes):
    assert [q.text for q in quote_regions(text)] == quotes
