"""Reported figures the way news writes them (issue 19): every form, with the real model.

Each phrase gives the figure a reader takes from it: measure, the number (value, or the
bound for "at least", "more than", "hundreds"), and where it matters the reporter, the
victims' description or a sub-count."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.article import extract_article
from kg.records import Article

pytestmark = pytest.mark.model


def records(nlp, kb, text: str, published=dt.date(2016, 5, 8)):
    return extract_article(nlp(text), Article(id="t", text=text, published=published), kb)


def found(nlp, kb, text: str) -> set[tuple[str, int]]:
    out = set()
    for f in records(nlp, kb, text).figures:
        for number in (f.quantity.value, f.quantity.min, f.quantity.max):
            if number is not None:
                out.add((f.measure, number))
    return out


FORMS = [
    # nominal and adjectival casualties
    ("The massacre of seven villagers shocked the country.", "killed", 7),
    ("Unions condemned the killing of eight miners.", "killed", 8),
    ("Residents mourned the deaths of 14 Australians and seven others.", "killed", 14),
    ("Residents mourned the deaths of 14 Australians and seven others.", "killed", 7),
    ("The army denied the murder of three priests.", "killed", 3),
    ("Police are investigating the kidnapping of two engineers.", "kidnapped", 2),
    ("Fighting continued, with 40 dead so far.", "killed", 40),
    ("The blast left nine dead and 30 wounded.", "killed", 9),
    ("The blast left nine dead and 30 wounded.", "injured", 30),
    ("A guerrilla offensive left 35 guerrillas and 5 soldiers dead.", "killed", 35),
    ("A guerrilla offensive left 35 guerrillas and 5 soldiers dead.", "killed", 5),
    ("The floods left thousands of people homeless.", "displaced", 2000),
    ("The death toll rose to 57 on Monday.", "killed", 57),
    ("The death toll from the earthquake has risen to 120.", "killed", 120),
    ("The nation's road toll has risen to 37.", "killed", 37),
    ("The toll stands at 45, police said.", "killed", 45),
    ("It was a blast that claimed 9 lives.", "killed", 9),
    ("Violence in the last week has claimed at least eight lives.", "killed", 8),
    ("The fighting has claimed hundreds of lives.", "killed", 200),
    ("About 9,200 servicemen lost their lives in the battle.", "killed", 9200),
    ("Some 20 people were killed in the clashes.", "killed", 20),
    ("Two wounded soldiers were flown to Kabul.", "injured", 2),
    # capitalised number words and appositions
    ("Thirty-one people, six of them children, were injured.", "injured", 31),
    ("Thirty-one people, six of them children, were injured.", "injured", 6),
    ("Twenty-one people including 14 Australians were killed.", "killed", 21),
    ("Twenty-one people including 14 Australians were killed.", "killed", 14),
    ("The flood killed 18 tourists, 14 of them Australians, and three guides.", "killed", 18),
    ("The flood killed 18 tourists, 14 of them Australians, and three guides.", "killed", 3),
    ("Fourteen homes have been destroyed.", "destroyed", 14),
    ("Nineteen more were injured, the commander said.", "injured", 19),
    ("Forty-two people were arrested overnight.", "arrested", 42),
    # verbs that imply a measure
    ("The man fatally stabbed three people at the station.", "killed", 3),
    ("Police shot dead two robbers.", "killed", 2),
    ("Israeli soldiers have shot dead five Palestinians.", "killed", 5),
    ("Twelve tourists were taken hostage.", "hostages", 12),
    ("Four aid workers were abducted in the north.", "kidnapped", 4),
    ("Three fishermen went missing after the storm.", "missing", 3),
    ("Two climbers were found dead on Sunday.", "killed", 2),
    ("Nine people drowned when the boat capsized.", "killed", 9),
    ("Rescuers freed 11 hostages.", "rescued", 11),
    ("Hundreds of people have been forced to vacate their homes.", "evacuated", 200),
    ("An estimated 500 residents have left their homes.", "evacuated", 500),
    ("More than 1,000 people fled their homes.", "evacuated", 1000),
    ("Police detained 160 suspects.", "arrested", 160),
    ("The crackdown netted more than 75 militants.", "arrested", 75),
    ("Six people were hospitalised after the fire.", "injured", 6),
    ("One firefighter was taken to hospital.", "injured", 1),
    ("A man was shot dead in the street.", "killed", 1),
    # coordination and ellipsis
    ("12 people died and 30 hurt in the crash.", "killed", 12),
    ("12 people died and 30 hurt in the crash.", "injured", 30),
    ("Four people were killed and eight others injured.", "injured", 8),
    ("Two people were killed and around 120 injured in the strikes.", "injured", 120),
    ("Two soldiers were killed and 20 others wounded.", "injured", 20),
    ("Seven people have died on Queensland roads, five in Victoria, three in Tasmania.", "killed", 5),
    ("Seven people have died on Queensland roads, five in Victoria, three in Tasmania.", "killed", 3),
    ("Five people have died in Queensland, two in Western Australia and one in South Australia.", "killed", 2),
    ("The attack killed nine policemen and nine civilians, including four clerks.", "killed", 4),
    ("The raids killed 14 people and injured several others.", "injured", 3),
    ("At least 24 civilians were killed and 15 injured.", "injured", 15),
    ("A lieutenant and five civilians were injured by the explosion.", "injured", 5),
    # bounds and vague amounts
    ("Dozens of people were injured.", "injured", 24),
    ("More than 200 people died in the siege.", "killed", 200),
    ("Up to 300 people were evacuated.", "evacuated", 300),
    ("Nearly 100 civilians have been killed.", "killed", 100),
    ("Between 4,000 and 5,000 residents were evacuated.", "evacuated", 4000),
    ("Several people were wounded in the attack.", "injured", 3),
    ("Scores of people were arrested.", "arrested", 40),
]


@pytest.mark.parametrize("text, measure, number", FORMS)
def test_figure_forms(nlp, kb, text, measure, number):
    assert (measure, number) in found(nlp, kb, text), sorted(found(nlp, kb, text))


NOT_FIGURES = [
    ("Police tried to arrest a senior official.", "arrested"),
    ("Supporters vowed their leader would not be arrested.", "arrested"),
    ("Two suicide bombings in which three people were wounded shook the city.", "injured"),
    ("Arafat closed dozens of offices in two separate shootings.", "injured"),
]


@pytest.mark.parametrize("text, measure", NOT_FIGURES)
def test_intended_denied_or_other_counts_are_no_figures(nlp, kb, text, measure):
    wrong = {n for m, n in found(nlp, kb, text) if m == measure and n != 3}
    assert not wrong


@pytest.mark.parametrize("text, reporter", [
    ("Twelve people were killed in the blast, police said.", "~police"),
    ("Nearly 60 people were injured, according to the interior minister.", "~interior minister"),
    ("Three soldiers were killed in the ambush. The army spokesman told reporters on Sunday.", "~army spokesman"),
    ("Two people died in the fire. Police confirmed it on Monday.", "~police"),
    ("At least 24 civilians were killed, the Afghan Islamic Press said.", "Afghan Islamic Press"),
    ("“We saw five bodies,” said Ali Hassan, a witness.", "Ali Hassan"),
])
def test_reporter_at_the_end_of_the_sentence_or_in_the_next(nlp, kb, text, reporter):
    recs = records(nlp, kb, text)
    labels = {e.key: e.label for e in recs.entities}
    assert recs.figures
    assert all(labels.get(f.reporter or "", f.reporter) == reporter for f in recs.figures), recs.figures


def test_a_new_figure_sentence_stops_a_later_attribution(nlp, kb):
    text = "Five people died on Saturday. Three more were injured on Sunday. Police told reporters."
    recs = records(nlp, kb, text)
    five = next(f for f in recs.figures if f.quantity.value == 5)
    assert five.reporter is None


def test_reported_at_of_a_later_attribution(nlp, kb):
    text = "Three soldiers were killed in the ambush. The minister told reporters on Friday."
    figure = records(nlp, kb, text, dt.date(2016, 5, 8)).figures[0]
    assert figure.reported_at.begin == dt.date(2016, 5, 6)


@pytest.mark.parametrize("text, victims", [
    ("The massacre of seven villagers shocked the country.", "villagers"),
    ("Israeli soldiers have shot dead five Palestinians.", "Palestinians"),
    ("Indian forces shot dead eight suspected militants.", "suspected militants"),
    ("Thirty-one people, six of them children, were injured.", "children"),
])
def test_victims_are_described(nlp, kb, text, victims):
    assert victims in {f.victims for f in records(nlp, kb, text).figures}


@pytest.mark.parametrize("text, whole, part", [
    ("Thirty-one people, six of them children, were injured.", 31, 6),
    ("Twenty-one people including 14 Australians were killed.", 21, 14),
    ("The flood killed 18 tourists, 14 of them Australians, and three guides.", 18, 14),
])
def test_sub_counts_point_to_their_figure(nlp, kb, text, whole, part):
    figures = records(nlp, kb, text).figures
    sub = next(f for f in figures if f.quantity.value == part)
    assert sub.part_of is not None and figures[sub.part_of].quantity.value == whole


def test_each_figure_counts_the_incident_of_its_sentence(nlp, kb):
    text = ("A bomb exploded in a market in Kabul on Monday, killing 12 people. "
            "Separately, gunmen attacked a police post in Kandahar on Wednesday. Four policemen were wounded.")
    recs = records(nlp, kb, text)
    by_value = {f.quantity.value: f.event for f in recs.figures}
    events = {e.id: e for e in recs.events}
    assert by_value[12] != by_value[4]
    assert "Kandahar" in events[by_value[4]].label


def test_victims_and_sub_counts_in_the_graph(tmp_path):
    """figures.rq gives the victims' description and the figure a sub-count is part of;
    the build still conforms to the shapes."""
    from kg.build import BuildOptions, build
    from kg.query.sparql import load_store, plain, read_query, run_query
    from kg.query.validate import validate

    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text("Thirty-one people, six of them children, were injured in the blast, police said.\n")
    out = tmp_path / "out"
    build(BuildOptions(inputs=(str(article.parent),), outdir=out, published=dt.date(2016, 5, 8), cache=False))
    table = run_query(load_store([out]), read_query("figures.rq"))
    rows = [dict(zip(table.variables, (plain(t) for t in row))) for row in table.rows]
    whole = next(r for r in rows if r["value"] == "31")
    part = next(r for r in rows if r["value"] == "6")
    assert part["victims"] == "children" and part["partOf"] == whole["figure"]
    assert validate([out])[0]
