"""kg.stores.store: the embedded Oxigraph store (kg store-load), on a hand-made build."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.errors import InputError, StoreError
from kg.rdf.namespaces import ONTOLOGY_IRI
from kg.paths import QUERIES_DIR
from kg.query.sparql import load_store, plain, run_query
from kg.stores.store import graphs_in_files, interrupted_load, load_into_store, open_store, query_store
from tests.tiny_build import BUILD_TRIG, write_build

BASE = "https://w3id.org/kg-news/id/"


COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"



@pytest.fixture
def build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "out")


def rows(table) -> list[tuple[str, ...]]:
    return sorted(tuple(plain(t) for t in row) for row in table.rows)


def contract_queries() -> list[Path]:
    found = sorted(QUERIES_DIR.glob("*.rq"))
    assert found, f"no contract queries in {QUERIES_DIR}"
    return found


# --------------------------------------------------------------------------- loading


def test_load_creates_store_with_article_build_and_ontology_graphs(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    assert load_into_store([build], store_dir) == 4
    graphs = {plain(r[0]) for r in query_store(store_dir, COUNT_PER_GRAPH).rows}
    assert graphs == {BASE + "graph/a1", BASE + "graph/a2", BASE + "graph/build", str(ONTOLOGY_IRI)}


def test_store_holds_what_the_in_memory_store_holds(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    assert rows(query_store(store_dir, COUNT_PER_GRAPH)) == rows(run_query(load_store([build]), COUNT_PER_GRAPH))


@pytest.mark.parametrize("query", contract_queries(), ids=lambda p: p.stem)
def test_contract_queries_agree_with_kg_query(build: Path, tmp_path: Path, query: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    text = query.read_text(encoding="utf-8")
    assert rows(query_store(store_dir, text)) == rows(run_query(load_store([build]), text))


def test_reload_replaces_graphs_without_duplicates(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    first = rows(query_store(store_dir, COUNT_PER_GRAPH))
    load_into_store([build], store_dir)  # the blank-node instant would be duplicated by a plain load
    assert rows(query_store(store_dir, COUNT_PER_GRAPH)) == first


def test_reload_drops_triples_a_newer_build_dropped(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    newer = write_build(tmp_path / "newer", BUILD_TRIG.replace('kgo:value 60 ;', ''))
    load_into_store([newer], store_dir)
    table = query_store(store_dir, "SELECT ?v WHERE { GRAPH ?g { ?f <https://w3id.org/kg-news/ontology#value> ?v } }")
    assert rows(table) == [("39",)]


def test_reload_leaves_other_graphs_alone(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    other = tmp_path / "other.ttl"
    other.write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n", encoding="utf-8")
    load_into_store([other], store_dir)
    load_into_store([build], store_dir)
    load_into_store([build], store_dir)
    graphs = {plain(r[0]) for r in query_store(store_dir, COUNT_PER_GRAPH).rows}
    assert other.resolve().as_uri() in graphs
    assert graphs_in_files([other]) >= {ox.NamedNode(other.resolve().as_uri())}


def test_query_store_sees_the_union_as_default_graph(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    table = query_store(store_dir, "SELECT ?e WHERE { ?e a <https://w3id.org/kg-news/ontology#Attack> }")
    assert len(table.rows) == 2


# --------------------------------------------------------------------------- errors


def test_store_dir_that_is_a_file(build: Path, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file") as info:
        load_into_store([build], target)
    assert "\n" not in str(info.value) and "a-file" in str(info.value)


def test_folder_of_other_files_is_not_a_store(build: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        load_into_store([build], folder)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]  # untouched


def test_query_on_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        query_store(tmp_path, "SELECT * WHERE { ?s ?p ?o }")


def test_locked_store(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    holder = open_store(store_dir)
    try:
        with pytest.raises(StoreError, match="locked") as info:
            load_into_store([build], store_dir)
        assert "\n" not in str(info.value)
    finally:
        del holder


def test_bad_input_leaves_the_store_untouched(build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([build], store_dir)
    before = rows(query_store(store_dir, COUNT_PER_GRAPH))
    broken = write_build(tmp_path / "broken", BUILD_TRIG.replace("g:a2 {", "g:a2 { <oops"))
    with pytest.raises(InputError, match="cannot read") as info:
        load_into_store([broken], store_dir)
    assert "graph.trig" in str(info.value)
    assert rows(query_store(store_dir, COUNT_PER_GRAPH)) == before


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def cli():
    from kg.cli.app import app
    from kg.cli.store import register

    register(app)
    return app


def test_cli_store_load(cli, build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = CliRunner().invoke(cli, ["store-load", str(build), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"loaded 4 graphs into store {store_dir}"


def test_cli_store_load_into_a_file_is_one_line_exit_2(cli, build: Path) -> None:
    result = CliRunner().invoke(cli, ["store-load", str(build), "--store", str(build / "graph.trig")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_register_is_idempotent(cli) -> None:
    from kg.cli.store import register

    names = [c.name for c in cli.registered_commands]
    register(cli)
    assert [c.name for c in cli.registered_commands] == names
    assert names.count("store-load") == 1


# --------------------------------------------------------------------------- seed build


def test_seed_build_loads_and_answers_like_kg_query(seed_build: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_into_store([seed_build], store_dir)
    load_into_store([seed_build], store_dir)
    local = load_store([seed_build])
    for query in contract_queries():
        text = query.read_text(encoding="utf-8")
        assert rows(query_store(store_dir, text)) == rows(run_query(local, text)), query.name


# --------------------------------------------------------------------------- kill -9 during a load


def _versioned_trig(path: Path, version: int, graphs: int = 300, triples: int = 150) -> Path:
    """``graphs`` named graphs whose every triple says which version wrote it (v2 has one more a graph)."""
    lines = []
    for g in range(graphs):
        body = " ".join(f'<http://example.org/s{g}-{t}> <http://example.org/v> "v{version}" .'
                        for t in range(triples + version))
        lines.append(f"<http://example.org/g{g}> {{ {body} }}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _versions(store_dir: Path) -> dict[str, set[str]]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    found: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode("http://example.org/v"), None, None):
        found.setdefault(quad.graph_name.value, set()).add(quad.object.value)
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    del store
    for graph, versions in found.items():  # whole: one version, all of its triples
        assert len(versions) == 1, (graph, versions)
        assert counts[graph] == 150 + int(next(iter(versions))[1:]), (graph, counts[graph])
    return found


def test_store_load_killed_at_any_moment_leaves_every_graph_old_or_new(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    store_dir = tmp_path / "store"
    load_into_store([_versioned_trig(tmp_path / "v1.trig", 1)], store_dir)
    assert len(_versions(store_dir)) == 300
    new = _versioned_trig(tmp_path / "v2.trig", 2)
    code = "from kg.cli.app import app; from kg.cli.store import register; register(app); app()"
    outcomes = []
    for delay in (0.5, 1.0, 1.5, 2.0, 3.0):
        process = subprocess.Popen([sys.executable, "-c", code, "store-load", str(new), "--store", str(store_dir)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        versions = _versions(store_dir)
        assert len(versions) == 300  # no graph lost
        outcomes.append(sum(v == {"v2"} for v in versions.values()))
        if 0 < outcomes[-1] < 300:  # a mix of old and new: kg query says so
            assert interrupted_load(store_dir)
            query = subprocess.run([sys.executable, "-c", code, "query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                    "--store", str(store_dir)], capture_output=True, text=True, timeout=60)
            assert query.returncode == 0 and "stopped before its end" in query.stderr, query.stderr
    assert outcomes[-1] >= outcomes[0]  # loads went on where the killed ones stopped; never a half graph
    load_into_store([new], store_dir)
    assert not interrupted_load(store_dir) and set(map(frozenset, _versions(store_dir).values())) == {frozenset({"v2"})}
