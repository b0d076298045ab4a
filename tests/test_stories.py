"""Stories across articles (kg/link/stories.py): one incident, many reports."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from kg.records import EntityFacts
from kg.link.stories import Linker, Report

ROOT = Path(__file__).resolve().parent.parent
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
           around: tuple[str, ...] = ()) -> Report:
    return Report(article, "e1", family, place, chain, first, last or first, published or first, people,
                  around or ((place,) if place else ()))


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
    pytest.param([report("a", "jerusalem", D(2001, 12, 2), people=("person/x",)),
                  report("b", "haifa", D(2001, 12, 2), people=("person/x",))],
                 {frozenset("ab")}, id="a-named-person-in-both"),
])
def test_linking(reports, expected):
    assert groups(linked(*reports)) == expected


def test_a_report_without_place_needs_a_shared_person():
    alone = linked(report("a", "haifa", D(2001, 12, 2)), report("b", None, D(2001, 12, 2)))
    assert set(alone) == {"a"}
    shared = linked(report("a", "haifa", D(2001, 12, 2), people=("person/x",)),
                    report("b", None, D(2001, 12, 2), people=("person/x",)))
    assert groups(shared) == {frozenset("ab")}


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
    r = report("a", "goshen", D(2001, 12, 6), chain=("indiana",), people=("person/x",))
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
    precision, recall, *_ = scores(truth, found, [a for a in truth if a in found])
    assert precision >= 0.9 and recall >= 0.9
    story_of = {a: s for a, s in found.items()}
    assert not story_of["lee-243"] & story_of["lee-284b"] - story_of["lee-251"]  # Jerusalem on 1 and 5 December
    assert not story_of["lee-178"] & story_of["lee-142"]  # air strikes, one day, two countries
    assert not story_of["lee-212"] & story_of["lee-225"]  # shootings, one day, the US and Brazil


# each incident has one report in each shard, and its reports name the same place (where they
# do not, "Mount Gambier" and "South Australia", each shard keys the story by its own place:
# README, "Stories")
SHARD_A = ["lee-212", "lee-234", "lee-077", "lee-284b", "lee-256"]
SHARD_B = ["lee-220", "lee-227", "lee-067", "lee-251", "lee-265"]


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
