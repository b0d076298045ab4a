"""The Python API (kg/__init__.py, kg/api.py): the README's notebook session runs as
written and prints what its comments say; str and Path alike; errors are KgErrors."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from kg.errors import InputError, KgError
from tests.conftest import ROOT, SEEDS


def readme_example() -> str:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Python API section has no python block"
    return match.group(1)


def expected_prints(code: str) -> list[str]:
    """What each ``print(...)  # comment`` line of the example says it prints."""
    lines = [line.strip() for line in code.splitlines()]
    expected = []
    for line, after in zip(lines, [*lines[1:], ""]):
        if line.startswith("print("):
            expected.append(line.split("  # ", 1)[1].strip() if "  # " in line else after.removeprefix("# "))
    return expected


@pytest.mark.model
def test_the_readme_example_runs_and_prints_what_it_says(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    code = readme_example()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    assert printed.getvalue().splitlines() == expected_prints(code)
    assert (tmp_path / "out" / "graph.trig").is_file() and (tmp_path / "out" / "inferred.ttl").is_file()


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in kg.__all__:
        value = getattr(kg, name)
        assert value is not None and (name == "__version__" or getattr(value, "__doc__", None)), name
    with pytest.raises(AttributeError):
        kg.no_such_name  # noqa: B018


def test_import_kg_stays_cheap() -> None:
    code = "import sys, kg; print(sorted(m for m in ('kg.api', 'rdflib', 'spacy', 'pyoxigraph') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_api_names_survive_their_modules_being_imported() -> None:
    import kg.build  # noqa: F401  (a submodule import sets kg.build: the API must not be named so)
    import kg.query.sparql  # noqa: F401

    assert callable(kg.build_graph) and callable(kg.sparql)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from tests.tiny_build import write_build

    return write_build(tmp_path_factory.mktemp("api") / "out")


@pytest.mark.parametrize("as_type", [str, Path])
def test_str_and_path_alike(built: Path, as_type) -> None:
    rows = kg.sparql(as_type(built), "figures")
    assert sorted(r["measure"] for r in rows) == ["injured", "killed"]
    assert kg.validate_graph(as_type(built)).conforms
    assert kg.load_graph([as_type(built)]).query("ASK { ?e a kgo:Attack }") is True


def test_rows_are_python_values(built: Path) -> None:
    import datetime as dt

    row = next(r for r in kg.sparql(built, "figures") if r["measure"] == "killed")
    assert row["value"] == 39 and row["approximate"] is False and row["min"] is None
    assert row["reportedAt"] == dt.date(2013, 9, 22) and row["start"] == 30


def test_a_store_and_an_embedded_store_folder_are_sources(built: Path, tmp_path: Path) -> None:
    from kg.query.sparql import load_store
    from kg.stores.store import load_into_store

    load_into_store([built], tmp_path / "store")
    from_folder = kg.sparql(tmp_path / "store", "people")
    assert from_folder == kg.sparql(load_store([built]), "people") == kg.sparql(built, "people")
    assert isinstance(kg.load_graph(tmp_path / "store").store, ox.Store)


def test_answers_by_name(built: Path) -> None:
    answers = kg.answers(built)
    assert set(answers) == set(kg.contract_queries()) and len(answers["figures"]) == 2


@pytest.mark.model
def test_build_from_texts_in_memory_and_into_a_folder(tmp_path: Path) -> None:
    note = kg.article("Police arrested two men in Paris on Friday, the Interior Ministry said.", published="2024-01-05")
    graph = kg.build_graph([note])
    assert graph.folder is None and graph.summary.articles == 1 and len(graph) > 0
    assert graph.validate().conforms and len(graph.rdflib()) == len(graph)
    on_disk = kg.build_graph(note, str(tmp_path / "out"), formats="nq")
    assert (tmp_path / "out" / "graph.nq").is_file() and on_disk.folder == tmp_path / "out"
    assert on_disk.query("entities") == graph.query("entities")


@pytest.mark.parametrize("call", [
    lambda: kg.build_graph([]),
    lambda: kg.build_graph([42]),
    lambda: kg.build_graph("no/such/folder"),
    lambda: kg.article("   "),
    lambda: kg.sparql("no/such/build", "figures"),
])
def test_mistakes_are_kg_errors(call) -> None:
    with pytest.raises(KgError):
        call()


def test_an_unknown_query_name_is_an_input_error(built: Path) -> None:
    with pytest.raises(InputError, match="unknown query 'figurez'"):
        kg.sparql(built, "figurez")


def test_the_library_build_takes_a_str_folder(tmp_path: Path) -> None:
    from kg.build import BuildOptions

    options = BuildOptions(inputs="seeds", outdir=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"))
    assert options.inputs == ("seeds",) and options.outdir == tmp_path / "out" and options.cache_root == tmp_path / "cache"


def test_articles_and_paths_keep_their_order_and_paths_are_checked_first(tmp_path: Path) -> None:
    first, last = kg.article("First text."), kg.article("Last text.", id="last")
    ids = [a.id for a in kg.read_articles([first, SEEDS, last])]
    assert ids == [first.id, "a8ad5e2717d3257e4", "last"]
    with pytest.raises(InputError, match="no/such"):
        kg.read_articles([first, "no/such/file.txt"])


def test_build_inputs_keep_their_order(tmp_path: Path) -> None:
    from kg.api import _as_paths

    first, last = kg.article("First text."), kg.article("Last text.", id="last")
    paths = _as_paths([first, str(SEEDS), last, kg.article("More.")], tmp_path)
    assert [Path(p).name for p in paths] == ["articles-0.jsonl", "seeds", "articles-2.jsonl"]
    assert len((tmp_path / "articles-2.jsonl").read_text().splitlines()) == 2


@pytest.mark.model
def test_skipped_articles_are_logged_and_listed(tmp_path: Path, caplog) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "Police arrested two men in Paris."}\n{"text": 42}\n', encoding="utf-8")
    graph = kg.build_graph(corpus, published="2024-01-05")
    assert graph.summary.articles == 1 and len(graph.summary.skipped) == 1
    assert any("skipped" in r.getMessage() and "corpus.jsonl:2" in r.getMessage() for r in caplog.records)
