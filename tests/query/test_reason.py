"""kg.query.reason and ``kg reason``: OWL 2 RL inference with reasonable (checked against owlrl); consistency with HermiT (owlready2)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from typer.testing import CliRunner

from kg.errors import InputError, ReasoningError
from kg.rdf.namespaces import KGO, SEM
from kg.paths import ONTOLOGY_FILE
from kg.query.reason import reason
from kg.query.validate import read_union
from tests.tiny_build import BUILD_TRIG, with_second_obama, write_build

ATTACK = URIRef("https://w3id.org/kg-news/id/article/a1/attack-20")
PERSON = URIRef("https://w3id.org/kg-news/id/entity/person-barack-obama")
POLICE = URIRef("https://w3id.org/kg-news/id/entity/organization-kenya-police")
WIKIDATA_ITEM = URIRef("http://www.wikidata.org/entity/Q76")




@pytest.fixture
def build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "out")


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, Path, Graph]:
    """The hand-made build reasoned once: (build folder, count, file written, inferred graph)."""
    folder = write_build(tmp_path_factory.mktemp("reasoned") / "out")
    count, written = reason([folder])
    return folder, count, written, Graph().parse(written, format="turtle")


@pytest.fixture
def inconsistent(tmp_path: Path) -> Path:
    """The police typed both kgo:Organization and kgo:Person, which the ontology declares disjoint."""
    trig = BUILD_TRIG.replace("a kgo:SecurityForce ;", "a kgo:Organization , kgo:Person ;")
    assert trig != BUILD_TRIG
    return write_build(tmp_path / "inconsistent", trig)


@pytest.fixture
def cli():
    from kg.cli.app import app
    from kg.cli.store import register

    register(app)
    return app


# --------------------------------------------------------------------------- owlrl


def test_inferred_graph_has_sem_alignment(reasoned) -> None:
    folder, count, written, inferred = reasoned
    assert written == folder / "inferred.ttl"
    assert len(inferred) == count > 0
    assert (ATTACK, RDF.type, SEM.Event) in inferred
    assert (ATTACK, SEM.hasActor, PERSON) in inferred  # the perpetrator is a participant, an actor
    assert (ATTACK, KGO.participant, PERSON) in inferred
    assert (PERSON, RDF.type, SEM.Actor) in inferred


def test_inferred_graph_has_no_asserted_triple(reasoned) -> None:
    folder, _, _, inferred = reasoned
    asserted = read_union([folder])
    ontology = Graph().parse(ONTOLOGY_FILE)
    assert (ATTACK, RDF.type, KGO.Attack) not in inferred
    assert (ATTACK, KGO.perpetrator, PERSON) not in inferred
    ground = [t for t in inferred if not any(isinstance(n, BNode) for n in t)]  # blank nodes are renamed by parsing
    assert ground
    assert not [t for t in ground if t in asserted or t in ontology]


def test_inferred_graph_leaves_out_tautologies_and_literal_subjects(reasoned) -> None:
    inferred = reasoned[3]
    assert (ATTACK, OWL.sameAs, ATTACK) not in inferred
    assert not [s for s in inferred.subjects() if isinstance(s, Literal)]


def test_same_as_wikidata_merges_as_expected(reasoned) -> None:
    inferred = reasoned[3]
    assert (WIKIDATA_ITEM, RDFS.label, Literal("Barack Obama")) in inferred
    assert (WIKIDATA_ITEM, RDF.type, KGO.Person) in inferred


def test_trig_output_puts_inferences_in_their_own_named_graph(build: Path) -> None:
    count, written = reason([build], build / "inferred.trig")
    dataset = Dataset()
    dataset.parse(written, format="trig")
    graphs = {g.identifier for g in dataset.graphs() if len(g)}
    assert graphs == {URIRef("https://w3id.org/kg-news/id/graph/inferred")}
    assert len(dataset.graph(URIRef("https://w3id.org/kg-news/id/graph/inferred"))) == count


def test_inferred_file_loads_next_to_the_build_for_queries(reasoned) -> None:
    from kg.query.sparql import load_store, run_query

    folder, _, written, _ = reasoned
    table = run_query(load_store([folder, written]), "SELECT ?a WHERE { GRAPH ?g { ?e sem:hasActor ?a } }")
    assert {r[0].value for r in table.rows} == {str(PERSON), str(WIKIDATA_ITEM)}  # owl:sameAs merges them


def test_reasoning_is_fast(build: Path) -> None:
    started = time.monotonic()
    reason([build])
    assert time.monotonic() - started < 10


def test_inconsistency_names_the_node(inconsistent: Path) -> None:
    with pytest.raises(ReasoningError) as info:
        reason([inconsistent])
    message = str(info.value)
    assert str(POLICE) in message and "kgo:Organization" in message and "kgo:Person" in message
    assert "\n" not in message
    assert not (inconsistent / "inferred.ttl").exists()


def test_output_may_not_overwrite_an_input(build: Path) -> None:
    with pytest.raises(InputError, match="one of the inputs"):
        reason([build], build / "graph.trig")


def test_output_must_be_turtle_or_trig(build: Path) -> None:
    with pytest.raises(InputError, match=".ttl or .trig"):
        reason([build], build / "inferred.nt")


# --------------------------------------------------------------------------- CLI


def test_cli_reason(cli, build: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "inf.ttl"
    result = CliRunner().invoke(cli, ["reason", str(build), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"inferred triples -> {target}")
    assert target.is_file()


def test_cli_inconsistent_exit_1(cli, inconsistent: Path) -> None:
    result = CliRunner().invoke(cli, ["reason", str(inconsistent)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "inconsistent" in lines[0] and str(POLICE) in lines[0]


def test_cli_unreadable_exit_2(cli, tmp_path: Path) -> None:
    broken = write_build(tmp_path / "broken", BUILD_TRIG.replace("g:a2 {", "g:a2 { <oops"))
    result = CliRunner().invoke(cli, ["reason", str(broken)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "graph.trig" in result.stderr


def test_cli_help_has_an_example(cli) -> None:
    result = CliRunner().invoke(cli, ["reason", "--help"])
    assert result.exit_code == 0 and "Example: kg reason" in result.output


# --------------------------------------------------------------------------- HermiT (owlready2)


def hermit_consistent(data: Graph, folder: Path) -> bool:
    """Ontology + data through HermiT; False if HermiT finds the ontology inconsistent.

    owlready2 reads N-Triples, so both graphs are converted with rdflib first.
    ``ignore_unsupported_datatypes``: HermiT refuses xsd:date literals
    (schema:datePublished, time:inXSDDate) because xsd:date is not in the
    OWL 2 datatype map; with the flag it skips those literals.
    """
    if shutil.which("java") is None:
        pytest.skip("Java not found")
    import owlready2
    folder.mkdir(parents=True, exist_ok=True)
    ontology_nt, data_nt = folder / "ontology.nt", folder / "data.nt"
    Graph().parse(ONTOLOGY_FILE).serialize(ontology_nt, format="nt", encoding="utf-8")
    data.serialize(data_nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(ontology_nt.resolve().as_uri()).load(format="ntriples")
    world.get_ontology(data_nt.resolve().as_uri()).load(format="ntriples")
    try:
        owlready2.sync_reasoner(world, debug=0, ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    finally:
        world.close()
    return True


def test_hermit_finds_the_hand_made_build_consistent(build: Path, tmp_path: Path) -> None:
    assert hermit_consistent(read_union([build]), tmp_path / "hermit")


def test_hermit_finds_the_disjointness_violation(inconsistent: Path, tmp_path: Path) -> None:
    assert not hermit_consistent(read_union([inconsistent]), tmp_path / "hermit")


def test_hermit_finds_the_seed_build_consistent(seed_build: Path, tmp_path: Path) -> None:
    assert hermit_consistent(read_union([seed_build]), tmp_path / "hermit")


# --------------------------------------------------------------------------- seed build


def test_seed_build_reasons_consistently_and_quickly(seed_build: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    count, written = reason([seed_build], tmp_path / "inferred.ttl")
    assert time.monotonic() - started < 30
    inferred = Graph().parse(written, format="turtle")
    assert len(inferred) == count
    events = set(inferred.subjects(RDF.type, SEM.Event))
    assert events and all(str(e).startswith("https://w3id.org/kg-news/id/") or "wikidata" in str(e) for e in events)


# --------------------------------------------------------------------------- the engine, clashes, --keep-going


def owlrl_inferences(folder: Path) -> set:
    """What owlrl (the reference OWL 2 RL implementation in Python) infers about the data."""
    import owlrl

    from kg.query.reason import _wanted

    data, ontology = read_union([folder]), Graph().parse(ONTOLOGY_FILE)
    full = Graph()
    for triple in (*data, *ontology):
        full.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(full)
    return {t for t in full if t not in data and t not in ontology and _wanted(t)}


def about_instances(triples) -> set:
    """Ground triples about the data's nodes, plain and xsd:string literals as one."""
    def plain(term):
        return Literal(str(term)) if isinstance(term, Literal) and term.datatype == XSD_STRING else term
    return {tuple(plain(t) for t in triple) for triple in triples
            if not any(isinstance(t, BNode) for t in triple)
            and str(triple[0]).startswith(("https://w3id.org/kg-news/id/", "http://www.wikidata.org/entity/"))}


XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


@pytest.mark.parametrize("which", ["hand-made", "seed"])
def test_reasonable_infers_what_owlrl_infers_about_the_data(which: str, build: Path, seed_build: Path,
                                                            tmp_path: Path) -> None:
    folder = build if which == "hand-made" else seed_build
    count, written = reason([folder], tmp_path / "inferred.ttl")
    ours = about_instances(Graph().parse(written, format="turtle"))
    assert ours and ours == about_instances(owlrl_inferences(folder))


def test_a_clash_names_its_triples_and_their_articles(inconsistent: Path) -> None:
    with pytest.raises(ReasoningError) as info:
        reason([inconsistent])
    message = str(info.value)
    assert "rdf:type kgo:Person (article a1)" in message and "rdf:type kgo:Organization (article a1)" in message
    assert "--keep-going" in message


@pytest.fixture
def clash_across_articles(tmp_path: Path) -> Path:
    """Obama a Person in a1 and a Place in a2 (the Lee case: one IRI, two articles, disjoint classes)."""
    return write_build(tmp_path / "clash", with_second_obama(kind="Place"))


def test_keep_going_writes_the_consistent_rest(clash_across_articles: Path, tmp_path: Path) -> None:
    target = tmp_path / "rest.ttl"
    with pytest.raises(ReasoningError) as info:
        reason([clash_across_articles], target, keep_going=True)
    message = str(info.value)
    assert "kgo:Person and kgo:Place" in message and "(article a1)" in message and "(article a2)" in message
    assert "left out articles a1, a2" in message and str(target) in message
    inferred = Graph().parse(target, format="turtle")
    assert (URIRef("https://w3id.org/kg-news/id/build/b1"), RDF.type, URIRef("http://www.w3.org/ns/prov#Activity")) \
        in inferred
    assert not set(inferred.subjects(RDF.type, KGO.Person)) - {WIKIDATA_ITEM}


def test_cli_keep_going_exit_1_with_the_rest_written(cli, clash_across_articles: Path, tmp_path: Path) -> None:
    target = tmp_path / "rest.ttl"
    result = CliRunner().invoke(cli, ["reason", str(clash_across_articles), "-o", str(target), "--keep-going"])
    assert result.exit_code == 1 and target.is_file()
    assert len(result.stderr.strip().splitlines()) == 1 and "consistent rest" in result.stderr


def test_keep_going_leaves_out_the_minority_reading(tmp_path: Path) -> None:
    """Two articles say a person, one says a place (lee-119's Gillespie): that one goes."""
    graphs = {"a1": "kgo:Person", "a2": "kgo:Person", "a3": "kgo:Place"}
    trig = "@prefix kgo: <https://w3id.org/kg-news/ontology#> .\n@prefix g: <https://w3id.org/kg-news/id/graph/> .\n"
    trig += "".join(f"g:{g} {{ <https://w3id.org/kg-news/id/entity/person-x> a {kind} . }}\n" for g, kind in graphs.items())
    folder = write_build(tmp_path / "minority", trig)
    target = tmp_path / "rest.ttl"
    with pytest.raises(ReasoningError, match=r"left out article a3; \d+ inferred triples"):
        reason([folder], target, keep_going=True)
    inferred = Graph().parse(target, format="turtle")
    assert (URIRef("https://w3id.org/kg-news/id/entity/person-x"), RDF.type, KGO.Agent) in inferred
