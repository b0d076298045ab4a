"""The CLI behaves as the tools its users know: contract queries by name, every
SPARQL query form, tables that paste back into a query, ``kg answers`` over any
source with a row limit, -v/-q, shell completion, conventional metavars, and a
progress bar with a total."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli.app import app
from kg.query.sparql import contract_queries
from tests.tiny_build import write_build

runner = CliRunner()
KG = str(Path(sys.executable).parent / "kg")


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    return write_build(tmp_path_factory.mktemp("cli") / "out")


# --------------------------------------------------------------------------- queries by name, every form


@pytest.mark.parametrize("name", ["figures", "figures.rq"])
def test_a_contract_query_by_name(build: Path, name: str) -> None:
    result = run("query", name, "--data", str(build), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["measure"] for r in rows} == {"killed", "injured"}


def test_an_unknown_name_lists_the_contract_queries(build: Path) -> None:
    result = run("query", "figurez", "--data", str(build))
    assert result.exit_code == 2
    assert "unknown query 'figurez'" in result.output and "figures" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("query, printed, code", [
    ("ASK { ?e a kgo:Attack }", "true", 0),
    ("ASK { ?e a kgo:Rescue }", "false", 1),
])
def test_ask_prints_true_or_false_and_exits_0_or_1(build: Path, query: str, printed: str, code: int) -> None:
    result = run("query", query, "--data", str(build))
    assert result.exit_code == code and result.stdout.strip() == printed
    as_json = run("query", query, "--data", str(build), "--format", "json")
    assert json.loads(as_json.stdout) == {"head": {}, "boolean": printed == "true"}


@pytest.mark.parametrize("fmt, parser", [("table", "turtle"), ("ttl", "turtle"), ("nt", "nt")])
def test_construct_prints_a_graph_rdflib_reads(build: Path, fmt: str, parser: str) -> None:
    query = "CONSTRUCT { ?e a kgo:Attack ; rdfs:label ?l } WHERE { GRAPH ?g { ?e a kgo:Attack ; rdfs:label ?l } }"
    result = run("query", query, "--data", str(build), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.stdout, format=parser)) == 4


def test_describe_prints_the_node(build: Path) -> None:
    result = run("query", "DESCRIBE entity:person-barack-obama", "--data", str(build), "--format", "nt")
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="nt")
    assert any("Barack Obama" in str(o) for o in graph.objects())


@pytest.mark.parametrize("query, fmt", [
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "csv"),
    ("SELECT * WHERE { ?s ?p ?o }", "ttl"),
])
def test_a_format_that_does_not_fit_the_form_is_a_user_error(build: Path, query: str, fmt: str) -> None:
    result = run("query", query, "--data", str(build), "--format", fmt)
    assert result.exit_code == 2 and f"--format {fmt}" in result.output


# --------------------------------------------------------------------------- tables


def test_piped_tables_cut_nothing_and_paste_back_into_a_query(build: Path) -> None:
    result = run("query", "participants", "--data", str(build))
    assert result.exit_code == 0
    assert "…" not in result.stdout
    cells = [c.strip() for line in result.stdout.splitlines() if line.startswith("│") for c in line.split("│")[1:-1]]
    terms = [c for c in cells if c.startswith("<") or re.fullmatch(r"[a-z]+:[^\s]+", c)]
    assert any(t.startswith("entity:") for t in terms) and any(t.startswith("<https://") for t in terms)
    for term in set(terms):  # every IRI the table shows names a node of the graph, as printed
        asked = run("query", f"ASK {{ GRAPH ?g {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }} }}", "--data", str(build))
        assert asked.stdout.strip() == "true", term


def test_long_iris_are_whole_in_a_narrow_pipe(build: Path) -> None:
    result = run("query", "SELECT ?e WHERE { GRAPH ?g { ?e a kgo:Attack } }", "--data", str(build),
                 env={"COLUMNS": "30"})
    assert "<https://w3id.org/kg-news/id/article/a1/attack-20>" in result.stdout


# --------------------------------------------------------------------------- kg answers


def _question_counts(text: str) -> dict[str, str]:
    return dict(re.findall(r"^# (\w+)\.rq: .*\((\d+) rows?", text, re.M))


def test_answers_limit_prints_the_count_and_the_first_rows(seed_build: Path) -> None:
    limited = run("answers", "--data", str(seed_build), "--limit", "3")
    assert limited.exit_code == 0, limited.output
    assert "29 rows, first 3 shown (--limit 0 for all)" in limited.stdout
    everything = run("answers", "--data", str(seed_build), "--limit", "0")
    assert "29 rows\n" in everything.stdout and "shown (--limit" not in everything.stdout
    assert everything.stdout.count("entity:person-") > limited.stdout.count("entity:person-")


def test_answers_default_is_a_screenful_and_csv_prints_everything(seed_build: Path) -> None:
    table = run("answers", "--data", str(seed_build), env={"LINES": "20"})
    assert "29 rows, first 11 shown" in table.stdout
    as_csv = run("answers", "--data", str(seed_build), "--format", "csv", env={"LINES": "20"})
    assert _question_counts(as_csv.stdout)["entities"] == "29"
    block = as_csv.stdout.split("# entities.rq")[1].split("\n\n")[0]
    assert len(list(csv.reader(io.StringIO(block.split("\n", 1)[1])))) == 1 + 29


def test_answers_json_is_one_document_of_every_question(build: Path) -> None:
    result = run("answers", "--data", str(build), "--format", "json")
    document = json.loads(result.stdout)
    assert set(document) == {q.stem for q in contract_queries()}
    assert len(document["figures"]["results"]["bindings"]) == 2


def _answers_csv(*source: str) -> str:
    result = run("answers", *source, "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_answers_from_an_embedded_store_match_the_build(build: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run("store-load", str(build), "--store", str(store)).exit_code == 0
    assert _answers_csv("--store", str(store)) == _answers_csv("--data", str(build))


def test_answers_and_query_from_a_kg_serve_endpoint_match_the_build(build: Path, tmp_path: Path) -> None:
    from kg.stores.serve import free_port

    port = free_port()
    server = subprocess.Popen([KG, "serve", "--data", str(build), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        announced = server.stdout.readline()
        assert "serving" in announced, server.stderr.read() if server.poll() is not None else announced
        endpoint = f"http://127.0.0.1:{port}/query"
        assert _answers_csv("--endpoint", endpoint) == _answers_csv("--data", str(build))
        ask = "ASK { ?e a kgo:Attack }"
        assert run("query", ask, "--endpoint", endpoint).stdout == run("query", ask, "--data", str(build)).stdout
        describe = ("DESCRIBE entity:person-barack-obama", "--format", "nt")
        remote = run("query", *describe, "--endpoint", endpoint).stdout
        assert set(Graph().parse(data=remote, format="nt")) == set(
            Graph().parse(data=run("query", *describe, "--data", str(build)).stdout, format="nt"))
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_answers_takes_one_source(build: Path, tmp_path: Path) -> None:
    result = run("answers", "--data", str(build), "--store", str(tmp_path))
    assert result.exit_code == 2 and "only one of" in result.output


# --------------------------------------------------------------------------- -v, -q, completion, metavars


def test_quiet_prints_nothing_but_results(build: Path, tmp_path: Path) -> None:
    assert run("-q", "store-load", str(build), "--store", str(tmp_path / "s")).stdout == ""
    assert run("-q", "query", "ASK { ?s ?p ?o }", "--data", str(build)).stdout.strip() == "true"


def test_verbose_says_how_long_each_question_took(build: Path) -> None:
    result = run("-v", "answers", "--data", str(build), "--limit", "1")
    assert result.exit_code == 0
    assert re.search(r"figures\.rq answered in \d+ ms", result.stderr)


def _complete(words: str) -> list[str]:
    env = {**os.environ, "_KG_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    return subprocess.run([KG], env=env, capture_output=True, text=True, timeout=60).stdout.split()


def test_shell_completion_of_commands_query_names_and_formats() -> None:
    assert _complete("kg bu") == ["build"]
    assert _complete("kg query fig") == ["figures"]
    assert "csv" in _complete("kg query figures --format c")
    assert run("--show-completion", "bash").exit_code == 0 or "--show-completion" in run("--help").stdout


@pytest.mark.parametrize("command", ["build", "query", "answers", "validate", "reason", "load", "serve",
                                     "store-load", "report"])
def test_help_shows_conventional_metavars(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert not re.search(r"<(str|bool|int|float|path|list)", result.stdout), result.stdout
    assert re.search(r"\b(TEXT|PATH|INTEGER|FLOAT)\b", result.stdout)


def test_metavars_name_the_type() -> None:
    help_text = run("build", "--help").stdout
    assert re.search(r"--jobs\s+-j\s+INTEGER", help_text) and re.search(r"--output\s+-o\s+PATH", help_text)
    assert re.search(r"--published\s+TEXT", help_text) and re.search(r"--jsonl\s+Read", help_text)


# --------------------------------------------------------------------------- progress


def test_articles_are_counted_before_a_build(tmp_path: Path) -> None:
    from kg.ingest.inputs import count_articles

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": f"Article {i}."}) + "\n" for i in range(7)) + "\n\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("a.txt", "b.md", "c.html"):
        (folder / name).write_text("Some text.")
    assert count_articles([str(corpus)]) == 7
    assert count_articles([str(corpus), str(folder)]) == 10
    assert count_articles(["-"]) is None


def test_the_progress_bar_shows_total_rate_and_time_left(tmp_path: Path, monkeypatch) -> None:
    from rich.console import Console

    import kg.cli.build

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": f"Article {i}."}) + "\n" for i in range(300)))
    screen = io.StringIO()
    monkeypatch.setattr(kg.cli.build, "err", Console(file=screen, force_terminal=True, width=120))
    with kg.cli.build._progress(False, [str(corpus)], False) as update:
        update(100)
    shown = screen.getvalue()
    assert "100/300" in shown and "articles/s" in shown and "left" in shown


@pytest.mark.parametrize("args", [["answers", "--format", "csv"], ["query", "entities", "--format", "csv"]])
def test_a_reader_that_leaves_early_ends_kg_quietly(build: Path, args: list[str]) -> None:
    """``kg answers | head``: the pipe closes before kg writes; kg stops with 141 (128 + SIGPIPE)
    and says nothing, as command-line tools do."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", *args, "--data", str(build)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first row
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 141, stderr
    assert stderr.decode() == ""
