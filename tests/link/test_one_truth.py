"""One truth per entity across a corpus, on 30 real articles of the Lee corpus.

The 30 articles were chosen because, before the build-level pass, 16 entities
had two labels or two categories across them (two articles each, one per
reading): entity/person-jason-gillespie was a Person in lee-056 and a Place in
lee-119, Collins Place an Organization in lee-152 and lee-186 and the place of
a protest in lee-200, and so on. Now the merged graph conforms to the shapes,
every entity has one label, one category and one class in every graph, each
mention keeps its article's reading, ``kg reason`` exits 0, and a build whose
articles partly come from a cache filled by another build is byte-identical to
a fresh one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from tests.conftest import lee_articles

pytestmark = pytest.mark.model

LINES = (4, 15, 30, 35, 45, 56, 68, 76, 91, 115, 119, 134, 136, 146, 152, 186, 200, 215, 216, 222, 231, 246,
         253, 260, 269, 281, 282, 285, 288, 300)
ENTITY = "https://w3id.org/kg-news/id/entity/"


def write_corpus(path: Path, lines: tuple[int, ...]) -> Path:
    texts = lee_articles()
    path.write_text("".join(json.dumps({"id": f"lee-{n:03d}", "text": texts[n - 1]}) + "\n" for n in lines),
                    encoding="utf-8")
    return path


def run_build(corpus: Path, out: Path, **options):
    from kg.build import BuildOptions, build

    return build(BuildOptions(inputs=(str(corpus),), outdir=out, **options))


@pytest.fixture(scope="module")
def lee30(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lee30")
    summary = run_build(write_corpus(folder / "lee30.jsonl", LINES), folder / "out")
    assert summary.articles == len(LINES) and not summary.skipped
    return folder / "out"


@pytest.fixture(scope="module")
def store(lee30: Path) -> ox.Store:
    from kg.query.sparql import load_store

    return load_store([lee30], ontology=False)


def rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in row) for row in store.query(query)]


def test_merged_graph_conforms_and_every_path_form_agrees(lee30: Path) -> None:
    from kg.query.validate import validate

    verdicts = {form: validate([lee30 / form] if form else [lee30])[0] for form in ("", "graph.ttl", "graph.trig")}
    assert verdicts == {"": True, "graph.ttl": True, "graph.trig": True}


def test_no_entity_has_two_labels_two_categories_or_two_classes(store: ox.Store) -> None:
    found = rows(store, """
        PREFIX kgo: <https://w3id.org/kg-news/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?e (COUNT(DISTINCT ?label) AS ?labels) (COUNT(DISTINCT ?category) AS ?categories)
               (COUNT(DISTINCT ?class) AS ?classes) WHERE {
          GRAPH ?g { ?e kgo:key ?key ; rdfs:label ?label ; kgo:category ?category ; a ?class }
        } GROUP BY ?e HAVING (COUNT(DISTINCT ?label) > 1 || COUNT(DISTINCT ?category) > 1 || COUNT(DISTINCT ?class) > 1)""")
    assert not found, found[:5]


def facts(store: ox.Store, entity: str) -> set[tuple[str, str, str]]:
    return set(rows(store, f"""
        PREFIX kgo: <https://w3id.org/kg-news/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?category ?class WHERE {{ GRAPH ?g {{
          <{ENTITY}{entity}> rdfs:label ?label ; kgo:category ?category ; a ?class }} }}"""))


@pytest.mark.parametrize(("entity", "label", "category", "kind"), [
    pytest.param("person-jason-gillespie", "Jason Gillespie", "Person", "Person", id="Gillespie: a person"),
    pytest.param("collins-place", "Collins Place", "Place", "Place", id="Collins Place: the protest's place"),
])
def test_the_build_decides_by_evidence(store: ox.Store, entity: str, label: str, category: str, kind: str) -> None:
    assert facts(store, entity) == {(label, category, f"https://w3id.org/kg-news/ontology#{kind}")}


def test_each_mention_keeps_its_articles_reading(store: ox.Store) -> None:
    readings = set(rows(store, f"""
        PREFIX kgo: <https://w3id.org/kg-news/ontology#>
        PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
        SELECT ?g ?class WHERE {{ GRAPH ?g {{ ?m kgo:mentionOf <{ENTITY}collins-place> ; itsrdf:taClassRef ?class }} }}"""))
    by_article = {g.rsplit("/", 1)[1]: c.rsplit("#", 1)[1] for g, c in readings}
    assert by_article == {"lee-152": "Organization", "lee-186": "Organization", "lee-200": "Place"}


def test_kg_reason_exits_0(lee30: Path, tmp_path: Path) -> None:
    from kg.cli.app import app
    from kg.cli.store import register

    register(app)
    target = tmp_path / "inferred.ttl"
    result = CliRunner().invoke(app, ["reason", str(lee30), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0


def test_cached_articles_agree_with_a_fresh_build(lee30: Path, tmp_path: Path) -> None:
    """Half the articles built alone fill the cache with their graphs; the whole corpus
    built next into the same folder reads them from it, and the entities those cached
    graphs name get the whole corpus's facts: the same bytes as a fresh build."""
    corpus = write_corpus(tmp_path / "lee30.jsonl", LINES)
    out = tmp_path / "out"
    run_build(write_corpus(tmp_path / "half.jsonl", LINES[::2]), out)
    summary = run_build(corpus, out)
    assert summary.cached == len(LINES[::2])
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (lee30 / name).read_bytes(), name


def test_shards_built_apart_hold_the_same_article_graphs_but_for_entity_facts(lee30: Path, tmp_path: Path) -> None:
    """What an article says is a function of the article; only what its entities are
    depends on the corpus (README: what holds when shards are merged by union)."""
    facts = {"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://www.w3.org/2000/01/rdf-schema#label>",
             "<https://w3id.org/kg-news/ontology#category>", "<https://w3id.org/kg-news/ontology#key>",
             "<http://www.w3.org/2002/07/owl#sameAs>"}

    story = ENTITY.replace("/entity/", "/story/")

    # what an article's own node repeats of a named entity is the build's decision too
    repeated = {f"<https://w3id.org/kg-news/ontology#{name}>" for name in ("agentLabel", "agentKind", "speakerLabel")}

    def without_entity_facts(path: Path) -> set[str]:
        """... and without the stories, which the build links across articles too (test_stories.py)."""
        lines = path.read_text(encoding="utf-8").splitlines()
        return {line for line in lines
                if not (line.startswith(f"<{ENTITY}") and line.split(" ", 2)[1] in facts)
                and line.split(" ", 2)[1] not in repeated
                and not line.startswith(f"<{story}") and "<https://w3id.org/kg-news/ontology#story>" not in line}

    first, second = tmp_path / "first", tmp_path / "second"
    run_build(write_corpus(tmp_path / "a.jsonl", LINES[:15]), first, formats=("nq",))
    run_build(write_corpus(tmp_path / "b.jsonl", LINES[15:]), second, formats=("nq",))
    whole = tmp_path / "whole"
    shutil.copytree(lee30 / ".kg-cache", whole / ".kg-cache")
    run_build(write_corpus(tmp_path / "all.jsonl", LINES), whole, formats=("nq",))
    union = without_entity_facts(first / "graph.nq") | without_entity_facts(second / "graph.nq")
    single = without_entity_facts(whole / "graph.nq")
    build_graph = {line for line in union ^ single if "/graph/build>" in line}
    assert union ^ single == build_graph
