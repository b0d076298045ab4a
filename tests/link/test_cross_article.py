"""Across articles: the seed and 30 articles of the Lee corpus in one build.

- An entity named in several articles is one node: one IRI, one label, its
  mentions in every article graph that names it, and its Wikidata link when the
  offline knowledge base knows it.
- Builds of two halves, read together, hold exactly the quads of the whole
  build (but for the build graph, which names the articles of its own build).
- Building the unchanged corpus again into the same folder reads every article
  from the cache, is at least 5 times faster and writes the same bytes.

The recurring names were picked by reading the 30 articles (grep for names that
occur in two or more of them), before looking at kg's output.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SEEDS, lee_articles

pytestmark = pytest.mark.model

#: Lee corpus line numbers (1-based); article ids are lee-<line, 3 digits>.
#: Chosen for names that recur: Sydney / New South Wales / Hobart (bushfires, the
#: yacht race), Kabul / Afghanistan / Pakistan / Taliban / al-Qaeda / bin Laden /
#: Musharraf / Karzai / Kandahar / Tora Bora, Israel / Hamas / Arafat / Sharon / Zinni,
#: Richard Reid (the shoe bomber).
LINES = (1, 6, 9, 13, 14, 16, 27, 28, 29, 30, 36, 40, 41, 42, 47,
         49, 51, 53, 58, 59, 61, 75, 82, 83, 86, 89, 94, 99, 108, 117)
FIRST_HALF = LINES[:15]
SECOND_HALF = LINES[15:]
BUILD_GRAPH_SUFFIX = "/graph/build"


def article_id(line: int) -> str:
    return f"lee-{line:03d}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """The chosen articles as JSONL: all of them, and each half."""
    lines = lee_articles()
    folder = tmp_path_factory.mktemp("lee-cross")

    def write(name: str, numbers: tuple[int, ...]) -> Path:
        path = folder / name
        path.write_text("".join(json.dumps({"id": article_id(n), "text": lines[n - 1]}) + "\n" for n in numbers),
                        encoding="utf-8")
        return path

    return {"all": write("lee.jsonl", LINES), "first": write("lee-first.jsonl", FIRST_HALF),
            "second": write("lee-second.jsonl", SECOND_HALF)}


def run_build(inputs: tuple[str, ...], out: Path):
    from kg.build import BuildOptions, build

    return build(BuildOptions(inputs=inputs, outdir=out))


@dataclass
class Whole:
    out: Path
    summary: object
    seconds: float
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def whole(tmp_path_factory, corpus) -> Whole:
    """The seed and the 30 articles in one build, timed (a fresh folder: a cold cache)."""
    out = tmp_path_factory.mktemp("whole") / "out"
    started = time.perf_counter()
    summary = run_build((str(SEEDS), str(corpus["all"])), out)
    seconds = time.perf_counter() - started
    assert not summary.skipped, summary.skipped
    assert summary.articles == len(LINES) + 1 and summary.cached == 0
    files = {p.name: p.read_bytes() for p in sorted(out.glob("graph.*"))}
    assert set(files) == {"graph.ttl", "graph.trig"}
    return Whole(out, summary, seconds, files)


@pytest.fixture(scope="module")
def store(whole):
    from kg.query.sparql import load_store

    return load_store([whole.out])


@pytest.fixture(scope="module")
def anchors(store) -> dict[str, set[str]]:
    """Normalised surface form -> the entity IRIs its mentions point to, over all article graphs."""
    from kg.query.sparql import plain, run_query

    table = run_query(store, """
        SELECT DISTINCT ?entity ?anchor WHERE { GRAPH ?g { ?m kgo:mentionOf ?entity ; nif:anchorOf ?anchor } }""")
    found: dict[str, set[str]] = {}
    for entity, anchor in table.rows:
        found.setdefault(norm(plain(anchor)), set()).add(plain(entity))
    return found


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def entity_facts(store, entity: str) -> dict[str, set[str]]:
    """Article graphs with a mention of the entity, and its labels, categories and Wikidata links."""
    import pyoxigraph as ox

    from kg.query.sparql import plain, run_query

    node = {"entity": ox.NamedNode(entity)}
    graphs = run_query(store, "SELECT DISTINCT ?entity ?g WHERE { GRAPH ?g { ?m kgo:mentionOf ?entity } }", bindings=node)
    about = run_query(store, """
        SELECT DISTINCT ?entity ?label ?category ?link WHERE { GRAPH ?g {
          ?entity rdfs:label ?label ; kgo:category ?category .
          OPTIONAL { ?entity owl:sameAs ?link FILTER(STRSTARTS(STR(?link), "http://www.wikidata.org/entity/")) } } }""",
                      bindings=node)
    return {
        "graphs": {plain(r[1]) for r in graphs.rows},
        "labels": {plain(r[1]) for r in about.rows},
        "categories": {plain(r[2]) for r in about.rows},
        "links": {plain(r[3]) for r in about.rows if r[3] is not None},
    }


def kb_qid(name: str, category: str) -> str | None:
    """The QID the offline knowledge base gives this name in this category, if exactly one."""
    from kg.extract.entities import kind_category
    from kg.link.kb import load_kb

    qids = {e.qid for e in load_kb().by_name(name) if kind_category(e.kind) == category}
    return next(iter(qids)) if len(qids) == 1 else None


def _known_problem(reason: str):
    return pytest.mark.xfail(strict=False, reason=reason)


#: (surface forms as the articles write them, expected category)
RECURRING = [
    pytest.param(("Sydney",), "Place", id="Sydney"),
    pytest.param(("New South Wales",), "Place", id="New South Wales"),
    pytest.param(("Kabul",), "Place", id="Kabul"),
    pytest.param(("Afghanistan",), "Place", id="Afghanistan"),
    pytest.param(("Pakistan",), "Place", id="Pakistan"),
    pytest.param(("Israel",), "Place", id="Israel"),
    pytest.param(("Kandahar",), "Place", id="Kandahar"),
    pytest.param(("Hamas",), "Organization", id="Hamas"),
    pytest.param(("Taliban",), "Organization", id="Taliban"),
    pytest.param(("Al Qaeda",), "Organization", id="al-Qaeda"),
    pytest.param(("Yasser Arafat", "Arafat"), "Person", id="Yasser Arafat"),
    pytest.param(("Ariel Sharon", "Sharon"), "Person", id="Ariel Sharon"),
    pytest.param(("Pervez Musharraf", "Musharraf"), "Person", id="Pervez Musharraf"),
    pytest.param(("Hamid Karzai", "Karzai"), "Person", id="Hamid Karzai"),
    pytest.param(("Richard Reid", "Reid"), "Person", id="Richard Reid"),
    pytest.param(("Anthony Zinni", "Zinni"), "Person", id="Anthony Zinni"),
    pytest.param(("Osama bin Laden", "bin Laden"), "Person", id="Osama bin Laden"),
    pytest.param(("Tora Bora",), "Place", id="Tora Bora"),
    pytest.param(("Hobart",), "Place", id="Hobart", marks=_known_problem(
        "extraction: 'Hobart' in 'Sydney to Hobart' is tagged PERSON in lee-016, 028, 047 and 053: one IRI, "
        "but entity/person-hobart with category Person")),
]


@pytest.mark.parametrize(("forms", "category"), RECURRING)
def test_recurring_entity_is_one_node_across_articles(store, anchors, forms, category) -> None:
    entities = set().union(*(anchors.get(norm(f), set()) for f in forms))
    assert entities, f"no mention of {forms} in the build"
    assert len(entities) == 1, f"{forms} name {len(entities)} entities: {sorted(entities)}"
    entity = next(iter(entities))
    facts = entity_facts(store, entity)
    assert len(facts["graphs"]) >= 2, f"{entity} is mentioned in {sorted(facts['graphs'])} only"
    assert len(facts["labels"]) == 1, f"{entity} has labels {sorted(facts['labels'])}"
    assert facts["categories"] == {category}, f"{entity} has categories {sorted(facts['categories'])}"
    qid = kb_qid(forms[0], category)
    expected = {f"http://www.wikidata.org/entity/{qid}"} if qid else set()
    assert facts["links"] == expected, f"{entity}: links {sorted(facts['links'])}, knowledge base says {qid}"


def test_entities_query_counts_recurring_entities_in_several_articles(store) -> None:
    from kg.query.sparql import plain, read_query, run_query

    table = run_query(store, read_query("entities.rq"))
    rows = [dict(zip(table.variables, (plain(t) for t in row))) for row in table.rows]
    by_label = {}
    for row in rows:
        by_label.setdefault(row["label"], []).append(row)
    for label in ("Sydney", "Kabul", "Afghanistan", "Israel", "Hamas", "Yasser Arafat", "Pervez Musharraf"):
        found = by_label.get(label, [])
        assert len(found) == 1, (label, found)
        assert int(found[0]["articles"]) >= 2, found[0]
    assert by_label["Sydney"][0]["wikidata"] == "http://www.wikidata.org/entity/Q3130"


# --------------------------------------------------------------------------- split builds


def dataset_quads(*builds: Path) -> set[tuple]:
    """The quads of the builds' TriG files read into one rdflib Dataset, but for build graphs."""
    from rdflib import BNode, Dataset

    dataset = Dataset()
    for out in builds:
        dataset.parse(out / "graph.trig", format="trig")
    quads = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = getattr(g, "identifier", g)
        if str(graph).endswith(BUILD_GRAPH_SUFFIX):
            continue
        assert not any(isinstance(t, BNode) for t in (s, p, o, graph)), "blank nodes: set comparison would not do"
        quads.add((s, p, o, graph))
    return quads


def test_split_build_union_equals_whole_build(whole, corpus, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("halves")
    first = run_build((str(SEEDS), str(corpus["first"])), folder / "first")
    second = run_build((str(corpus["second"]),), folder / "second")
    assert (first.articles, second.articles) == (len(FIRST_HALF) + 1, len(SECOND_HALF))
    union = dataset_quads(folder / "first", folder / "second")
    single = dataset_quads(whole.out)
    graphs = {q[3] for q in single}
    assert len(graphs) == len(LINES) + 1
    assert {q[3] for q in union} == graphs
    missing, extra = single - union, union - single
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])


# --------------------------------------------------------------------------- incremental


def test_rebuild_of_unchanged_corpus_is_cached_faster_and_identical(whole, corpus) -> None:
    started = time.perf_counter()
    again = run_build((str(SEEDS), str(corpus["all"])), whole.out)
    seconds = time.perf_counter() - started
    assert again.articles == len(LINES) + 1
    assert again.cached == again.articles, f"only {again.cached} of {again.articles} from the cache"
    assert whole.seconds >= 5 * seconds, f"first build {whole.seconds:.2f} s, rebuild {seconds:.2f} s"
    files = {p.name: p.read_bytes() for p in sorted(whole.out.glob("graph.*"))}
    assert files.keys() == whole.files.keys()
    for name, data in files.items():
        assert data == whole.files[name], f"{name} differs after the cached rebuild"


def test_a_fully_cached_rebuild_does_not_load_spacy(whole, corpus) -> None:
    """The model (and spaCy's import, ~1 s) is only paid for when an article is parsed."""
    script = ("import sys; from pathlib import Path; from kg.build import BuildOptions, build; "
              "s = build(BuildOptions(inputs=tuple(sys.argv[1:3]), outdir=Path(sys.argv[3]))); "
              "print(s.cached, s.articles, 'spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(SEEDS), str(corpus["all"]), str(whole.out)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(len(LINES) + 1), str(len(LINES) + 1), "False"], done.stderr
