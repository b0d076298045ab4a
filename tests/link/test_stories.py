"""Stories across articles (kg/link/stories.py): one incident, many reports."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from kg.records import EntityFacts
from kg.link.stories import Linker, Report

ROOT = Path(__file__).resolve().parents[2]
STORY_SET = ROOT / "tests" / "data" / "stories" / "lee-stories.jsonl"
D = dt.date


def facts(key: str, kind: str) -> EntityFacts:
    return EntityFacts(key, key.title(), kind, "Place")


PLACES = {k: facts(k, kind) for k, kind in (
    ("jerusalem", "City"), ("haifa", "City"), ("goshen", "City"), ("indiana", "Region"), ("gaza", "Region"),
    ("Q889", "Country"), ("kabul", "City"), ("Q30", "Country"), ("hilton", "Facility"), ("Q3870", "City"),
    ("Q114", "Country"), ("westgate", "Facility"))}


def report(article: str, place: str | None, first: D | None, last: D | None = None, published: D | None = None,
           family: str = "Attack", chain: tuple[str, ...] = (), people: tuple[str, ...] = (),
           around: tuple[str, ...] = (), names: tuple[str, ...] = (), dated: bool = True,
           several: bool = False) -> Report:
    return Report(article, "e1", family, place, chain, first, last or first, published or first, people,
                  around or ((place,) if place else ()), names, dated, several)


def linked(*reports: Report) -> dict[str, str]:
    linker = Linker()
    linker.add(reports)
    return {article: story.key for (article, _), story in linker.link(PLACES).items()}


def groups(stories: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for article, key in stories.items():
        out.setdefault(key, set()).add(article)
    return {frozenset(v) for v in out.values()}


@pytest.mark.parametrize("reports, expected", [
    pytest.param([report("a", "jerusalem", D(2001, 12, 1)), report("b", "jerusalem", D(2001, 12, 5))],
                 {frozenset("a"), frozenset("b")}, id="one-city-two-days"),
    pytest.param([report("a", "jerusalem", D(2001, 12, 2)), report("b", "haifa", D(2001, 12, 2))],
                 {frozenset("a"), frozenset("b")}, id="two-cities-one-day"),
    pytest.param([report("a", "Q30", D(2001, 12, 6)), report("b", "Q889", D(2001, 12, 6))],
                 {frozenset("a"), frozenset("b")}, id="two-countries-one-day"),
    pytest.param([report("a", "goshen", D(2001, 12, 6), chain=("indiana",)), report("b", "indiana", D(2001, 12, 6))],
                 {frozenset("ab")}, id="town-in-its-region"),
    pytest.param([report("a", "kabul", D(2001, 12, 6)), report("b", "Q889", D(2001, 12, 6))],
                 {frozenset("a"), frozenset("b")}, id="no-known-relation"),
    pytest.param([report("a", "hilton", D(2001, 12, 5), around=("hilton", "jerusalem")),
                  report("b", "jerusalem", D(2001, 12, 5))], {frozenset("ab")}, id="site-named-with-its-city"),
    pytest.param([report("a", "westgate", D(2013, 9, 21), chain=("Q3870",)),
                  report("b", "Q114", D(2013, 9, 21))], {frozenset("ab")}, id="kb-knows-the-capital's-country"),
    pytest.param([report("a", "jerusalem", D(2001, 12, 1), family="Attack"),
                  report("b", "jerusalem", D(2001, 12, 1), family="Disaster")],
                 {frozenset("a"), frozenset("b")}, id="two-families"),
    # an unresolved time: the publication day and the day before ("Saturday's attack" published Sunday)
    pytest.param([report("a", "haifa", D(2001, 12, 2)),
                  report("b", "haifa", D(2001, 12, 2), D(2001, 12, 3), published=D(2001, 12, 3))],
                 {frozenset("ab")}, id="next-day-report"),
    # a week later, the report refers back to the day
    pytest.param([report("a", "haifa", D(2001, 12, 2)), report("b", "haifa", D(2001, 12, 2), published=D(2001, 12, 9))],
                 {frozenset("ab")}, id="report-a-week-later"),
    pytest.param([report("a", "haifa", D(2001, 12, 2)), report("b", "haifa", D(2001, 12, 8), D(2001, 12, 9))],
                 {frozenset("a"), frozenset("b")}, id="a-week-later-without-referring-back"),
    # riots go on for days: a report of the next day is the same incident; attacks and storms are not
    pytest.param([report("a", "goshen", D(2001, 12, 19), D(2001, 12, 20), family="Protest"),
                  report("b", "goshen", D(2001, 12, 21), family="Protest")], {frozenset("ab")}, id="riots-next-day"),
    pytest.param([report("a", "goshen", D(2001, 12, 19), D(2001, 12, 20), family="Disaster"),
                  report("b", "goshen", D(2001, 12, 21), family="Disaster")],
                 {frozenset("a"), frozenset("b")}, id="storms-of-two-days"),
    pytest.param([report("a", "jerusalem", D(2001, 12, 2), people=("person/x",)),
                  report("b", "haifa", D(2001, 12, 2), people=("person/x",))],
                 {frozenset("ab")}, id="a-named-person-in-both"),
    # a campaign of air strikes: reports whose texts date them a day apart ("yesterday", "Tuesday");
    # guessed days already span two (the Gaza strikes of 11 and 12 December are two)
    pytest.param([report("a", "gaza", D(2001, 12, 3), family="AirStrike"),
                  report("b", "gaza", D(2001, 12, 4), family="AirStrike")], {frozenset("ab")}, id="raids-of-two-days"),
    pytest.param([report("a", "gaza", D(2001, 12, 10), D(2001, 12, 11), family="AirStrike", dated=False),
                  report("b", "gaza", D(2001, 12, 12), D(2001, 12, 13), family="AirStrike", dated=False)],
                 {frozenset("a"), frozenset("b")}, id="raids-on-guessed-days"),
    # a country is weak evidence: "United States" and a town of an article that names the United States too
    pytest.param([report("a", "Q30", D(2001, 12, 6), dated=False),
                  report("b", "goshen", D(2001, 12, 6), around=("goshen", "Q30"), dated=False)],
                 {frozenset("a"), frozenset("b")}, id="country-named-by-the-town's-article"),
    pytest.param([report("a", "Q30", D(2001, 12, 6), around=("Q30", "goshen"), dated=False),
                  report("b", "goshen", D(2001, 12, 6), dated=False)],
                 {frozenset("ab")}, id="town-named-by-the-country's-article"),
    pytest.param([report("a", "Q30", D(1999, 1, 1), D(1999, 12, 31)),
                  report("b", "goshen", D(1999, 1, 1), D(1999, 12, 31), around=("goshen", "Q30"))],
                 {frozenset("ab")}, id="country-and-town-both-dated"),
])
def test_linking(reports, expected):
    assert groups(linked(*reports)) == expected


def test_a_report_without_place_needs_a_shared_person():
    alone = linked(report("a", "haifa", D(2001, 12, 2)), report("b", None, D(2001, 12, 2)))
    assert set(alone) == {"a"}
    shared = linked(report("a", "haifa", D(2001, 12, 2), people=("person/x",)),
                    report("b", None, D(2001, 12, 2), people=("person/x",)))
    assert groups(shared) == {frozenset("ab")}


def test_a_report_without_place_joins_through_a_name_both_articles_give_when_its_day_is_said():
    # "trying to blow up an American Airlines flight on Sunday" and the report of the diverted flight
    flight = report("a", "boston-airport", D(2001, 12, 22), D(2001, 12, 23), names=("american-airlines",), dated=False)
    sunday = report("b", None, D(2001, 12, 23), published=D(2001, 12, 26), names=("american-airlines", "person/reid"))
    assert groups(linked(flight, sunday)) == {frozenset("ab")}
    guessed = report("b", None, D(2001, 12, 22), D(2001, 12, 23), names=("american-airlines",), dated=False)
    assert set(linked(flight, guessed)) == {"a"}  # no day of its own: a name is no evidence enough
    other_day = report("b", None, D(2001, 12, 25), names=("american-airlines",))
    assert set(linked(flight, other_day)) == {"a"}
    # one report of a story vouches for a placeless one; the others need only agree on the days
    trial = report("c", "saxet-river", D(1999, 1, 1), D(1999, 12, 31), family="Accident",
                   names=("adventure-world", "person/abegglen"))
    charged = report("d", None, D(1999, 1, 1), D(1999, 12, 31), family="Accident", names=("adventure-world",))
    verdict = report("e", None, D(1999, 7, 27), family="Accident", names=("person/abegglen", "person/peel"))
    assert groups(linked(trial, charged, verdict)) == {frozenset("cde")}
    assert linked(charged, verdict) == {}  # no place and nothing in common: no story


def test_a_report_of_several_incidents_joins_no_story():
    # "25 people were killed at the weekend in several suicide bombings" does not say which
    haifa = report("a", "haifa", D(2001, 12, 2), names=("hamas",))
    weekend = report("b", None, D(2001, 12, 1), D(2001, 12, 2), names=("hamas",), several=True)
    assert set(linked(haifa, weekend)) == {"a"}
    hilton = report("a", "hilton", D(2001, 12, 5), around=("hilton", "jerusalem"))
    attacks = report("b", "jerusalem", D(2001, 12, 5), several=True)  # "attacks in Jerusalem"
    assert groups(linked(hilton, attacks)) == {frozenset("a")}
    assert groups(linked(hilton, report("b", "jerusalem", D(2001, 12, 5)))) == {frozenset("ab")}
    assert groups(linked(haifa, report("b", None, D(2001, 12, 1), D(2001, 12, 2), names=("hamas",)))) == {
        frozenset("ab")}
    encoded = report("b", None, D(2001, 12, 1), several=True)
    assert Report.decode(encoded.encode()) == encoded  # the flag travels in the cache


def test_a_name_every_article_gives_is_no_evidence():
    many = [report(f"x{i:02d}", "jerusalem", D(2001, 12, 1 + i), names=("person/arafat",)) for i in range(12)]
    placeless = report("b", None, D(2001, 12, 3), names=("person/arafat",))
    stories = linked(*many, placeless)
    assert "b" not in stories


def test_keys_are_content_and_order_free():
    reports = [report("a", "goshen", D(2001, 12, 6), chain=("indiana",)),
               report("b", "goshen", D(2001, 12, 6), D(2001, 12, 7)),
               report("c", "jerusalem", D(2001, 12, 1)), report("d", "jerusalem", D(2001, 12, 5))]
    first = linked(*reports)
    for seed in range(5):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert linked(*shuffled) == first
    assert first["a"] == first["b"] == "Attack-goshen-2001-12"
    assert first["c"] == "Attack-jerusalem-2001-12-01" and first["d"] == "Attack-jerusalem-2001-12-05"
    assert linked(reports[0])["a"] == first["a"]  # one report alone: the same story IRI


def test_report_round_trips_through_the_cache_encoding():
    r = report("a", "goshen", D(2001, 12, 6), chain=("indiana",), people=("person/x",), names=("person/x", "acme"),
               dated=False)
    assert Report.decode(json.loads(json.dumps(r.encode()))) == r


# --- builds --------------------------------------------------------------------------------


def _stories(*folders: Path) -> dict[str, int]:
    from kg.query.sparql import load_store, plain, read_query, run_query

    table = run_query(load_store(list(folders)), read_query("stories.rq"))
    rows = [dict(zip(table.variables, (plain(t) for t in row))) for row in table.rows]
    return {row["story"]: int(row["articles"]) for row in rows}


def _set_rows(ids: list[str] | None = None) -> list[dict]:
    rows = [json.loads(line) for line in STORY_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if ids is None or r["id"] in ids]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _build(inputs: Path, out: Path, cache_dir: Path | None = None):
    from kg.build import BuildOptions, build

    return build(BuildOptions(inputs=(str(inputs),), outdir=out, formats=("trig",), cache=cache_dir is not None,
                              cache_dir=cache_dir))


def test_seed_gives_one_story_with_one_article(ask, seed_build):
    stories = ask("stories.rq")
    assert len(stories) == 1
    story = stories[0]
    assert story["articles"] == "1" and story["type"].endswith("#Attack")
    assert story["placeLabel"] == "Westgate Mall" and story["firstReported"] == "2013-09-22"
    assert story["begin"].startswith("2013-09-21")
    figures = ask("story-figures.rq")
    assert {"killed", "injured", "attackers"} <= {f["measure"] for f in figures}
    assert all(f["story"] == story["story"] and f["reportedAt"] for f in figures)
    killed = [f["value"] for f in figures if f["measure"] == "killed"]
    assert "59" in killed


def test_story_set_links_reports_and_keeps_near_misses_apart(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from stories import gold, predicted, scores  # bench/stories.py

    out = tmp_path / "out"
    _build(STORY_SET, out)
    truth, found = gold(), predicted(out)
    # end to end, every article of the set (README, "Stories": 1.00 and 0.78 on the completed set;
    # the goal, 0.9 each, is not reached for recall: the misses are reports kg finds no dated or
    # placed event for)
    precision, recall, *_ = scores(truth, found, list(truth))
    assert precision >= 0.95 and recall >= 0.75
    story_of = {a: found.get(a, set()) for a in truth}  # lee-142 places its strikes nowhere: no story
    canyoning = [a for a, incidents in truth.items() if "interlaken-canyoning" in incidents]
    assert len(canyoning) == 7 and set.intersection(*(story_of[a] for a in canyoning))  # trial, verdicts, 1999
    assert not story_of["lee-243"] & story_of["lee-284b"] - story_of["lee-251"]  # Jerusalem on 1 and 5 December
    assert not story_of["lee-178"] & story_of["lee-142"]  # air strikes, one day, two countries
    assert not story_of["lee-212"] & story_of["lee-225"]  # shootings, one day, the US and Brazil
    assert not story_of["lee-178"] & story_of["lee-153b"]  # strikes on the Gaza Strip on two days
    assert not story_of["lee-202"] & story_of["lee-284b"]  # bombings in Haifa on 2 and on 9 December


# each incident has one report in each shard, and its reports name the same place (where they
# do not, "Mount Gambier" and "South Australia", or the stray bomb "in Afghanistan" and "near
# Kandahar", each shard keys the story by its own place: README, "Stories")
SHARD_A = ["lee-212", "lee-077", "lee-284b", "lee-256"]
SHARD_B = ["lee-220", "lee-067", "lee-251", "lee-265"]


def test_shards_built_apart_give_the_stories_of_the_whole(tmp_path):
    from kg.query.validate import validate

    whole, a, b = tmp_path / "whole", tmp_path / "a", tmp_path / "b"
    _build(_jsonl(tmp_path / "whole.jsonl", _set_rows(SHARD_A + SHARD_B)), whole)
    _build(_jsonl(tmp_path / "a.jsonl", _set_rows(SHARD_A)), a)
    _build(_jsonl(tmp_path / "b.jsonl", _set_rows(SHARD_B)), b)
    expected = _stories(whole)
    assert sum(1 for n in expected.values() if n == 2) >= 4  # each incident: one report in each shard
    assert _stories(a, b) == expected
    assert validate([whole])[0] and validate([a])[0]


def test_rebuild_with_one_more_article_relinks_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    first = _build(_jsonl(tmp_path / "one.jsonl", _set_rows(["lee-212", "lee-077"])), tmp_path / "one", cache)
    assert first.cached == 0
    again = _build(_jsonl(tmp_path / "two.jsonl", _set_rows(["lee-212", "lee-077", "lee-220"])), tmp_path / "two", cache)
    assert again.cached == 2  # the two earlier articles are not parsed again
    stories = _stories(tmp_path / "two")
    assert 2 in stories.values()  # the new report joined the cached one's story
    fresh = _build(_jsonl(tmp_path / "three.jsonl", _set_rows(["lee-212", "lee-077", "lee-220"])), tmp_path / "three")
    assert fresh.cached == 0
    assert (tmp_path / "two" / "graph.trig").read_bytes() == (tmp_path / "three" / "graph.trig").read_bytes()
