"""The CLI as a user runs it (in-process): exit codes, messages, files."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from kg.cli.app import app

from tests.conftest import SEEDS

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_help_lists_commands_with_examples():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "query", "answers"):
        assert command in result.output
        sub = run(command, "--help")
        assert sub.exit_code == 0 and "Example" in sub.output


@pytest.mark.model
def test_build_then_query(tmp_path):
    out = tmp_path / "out"
    result = run("build", str(SEEDS), "--published", "2013-09-22", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "1 articles" in result.output and (out / "graph.ttl").stat().st_size > 1000
    assert (out / "graph.trig").is_file()
    query = run("query", "queries/people.rq", "--data", str(out), "--format", "csv")
    assert query.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(query.output)))
    assert {"person", "label", "role", "organizationLabel", "nationalityLabel"} <= set(rows[0])
    assert any(r["label"] == "Joseph Lenku" for r in rows)
    as_json = run("query", "entities.rq", "--data", str(out), "--format", "json")
    assert as_json.exit_code == 0 and '"vars"' in as_json.output


@pytest.mark.model
def test_build_from_stdin(tmp_path):
    out = tmp_path / "out"
    result = run("build", "-", "-o", str(out), "--published", "2024-01-05",
                 input="Police arrested two men in Paris on Friday, the Interior Ministry said.")
    assert result.exit_code == 0, result.output
    assert "1 articles" in result.output


@pytest.mark.parametrize("args, message", [
    (["build", "no/such/file.txt", "-o", "x"], "no/such/file.txt"),
    (["build", "seeds", "--published", "22/09/2013", "-o", "x"], "--published"),
    (["build", "seeds", "--format", "turtle", "-o", "x"], "--format"),
    (["build", "seeds", "--base", "not-an-iri", "-o", "x"], "--base"),
    (["build", "seeds", "--on-error", "maybe", "-o", "x"], "--on-error"),
    (["query", "missing.rq", "--data", "seeds"], "missing.rq"),
    (["query", "queries/people.rq", "--data", "no/such/dir"], "no/such/dir"),
    (["query", "queries/people.rq", "--format", "xml"], "--format"),
])
def test_user_mistakes_exit_2_with_one_line(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output


@pytest.mark.model
def test_malformed_sparql_is_a_user_error(tmp_path):
    out = tmp_path / "out"
    assert run("build", str(SEEDS), "-o", str(out)).exit_code == 0
    result = run("query", "SELECT ?x WHERE { ?x", "--data", str(out))
    assert result.exit_code == 2 and "invalid SPARQL" in result.output


@pytest.mark.model
def test_a_failed_build_keeps_earlier_output(tmp_path):
    out = tmp_path / "out"
    assert run("build", str(SEEDS), "-o", str(out)).exit_code == 0
    before = (out / "graph.ttl").read_bytes()
    assert run("build", "no/such/input", "-o", str(out)).exit_code == 2
    assert (out / "graph.ttl").read_bytes() == before


@pytest.mark.parametrize("extra", [[], ["--jobs", "2"]])
def test_an_unknown_model_is_a_user_error_in_every_engine(tmp_path, extra):
    result = run("build", str(SEEDS), "-o", str(tmp_path / "out"), "--model", "no_such_model", *extra)
    assert result.exit_code == 2 and "no_such_model" in result.output
