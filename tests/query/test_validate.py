"""kg.query.validate and ``kg validate``: SHACL with pySHACL on a hand-made build."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.errors import InputError
from kg.query.validate import format_report, read_union, validate
from tests.tiny_build import BUILD_TRIG, with_second_obama, write_build

FIGURE = "https://w3id.org/kg-news/id/article/a2/figure-50-58"




@pytest.fixture
def build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "out")


@pytest.fixture
def no_number(tmp_path: Path) -> Path:
    """The build with a figure that lost its number."""
    trig = BUILD_TRIG.replace("kgo:value 60 ;", "")
    assert trig != BUILD_TRIG
    return write_build(tmp_path / "no-number", trig)


@pytest.fixture
def cli():
    from kg.cli.app import app
    from kg.cli.store import register

    register(app)
    return app


# --------------------------------------------------------------------------- library


def test_hand_made_build_conforms(build: Path) -> None:
    conforms, report, text = validate([build])
    assert conforms, text
    assert format_report(report) == ""


def test_union_reads_every_named_graph(build: Path) -> None:
    union = read_union([build])
    triples = {q.triple for q in ox.parse(BUILD_TRIG, format=ox.RdfFormat.TRIG)}
    assert len(union) == len(triples)  # the entity shared by both articles counted once
    assert {str(t.subject.value) for t in triples if isinstance(t.subject, ox.NamedNode)} <= {str(s) for s in union.subjects()}


def test_build_folder_prefers_trig_over_ttl(build: Path) -> None:
    (build / "graph.ttl").write_text("", encoding="utf-8")  # an empty union file is not read
    assert validate([build])[0]


def test_figure_without_number_does_not_conform(no_number: Path) -> None:
    conforms, report, _ = validate([no_number])
    assert not conforms
    lines = format_report(report).splitlines()
    assert lines == [f"<{FIGURE}> — Figure without a number or bound (kgo:value, kgo:minValue or kgo:maxValue)"]


def test_report_line_has_focus_message_path_and_value(build: Path, tmp_path: Path) -> None:
    trig = BUILD_TRIG.replace('kgo:category "Organization"', 'kgo:category "Police"')
    conforms, report, _ = validate([write_build(tmp_path / "bad-category", trig)])
    assert not conforms
    (line,) = format_report(report).splitlines()
    focus, message, path, value = line.split(" — ")
    assert focus == "<https://w3id.org/kg-news/id/entity/organization-kenya-police>"
    assert "kgo:category" in message and path == "kgo:category" and value == "Police"


def test_broken_turtle_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('<https://example.org/a> <https://example.org/b> "unterminated .\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate([broken])
    message = str(info.value)
    assert message.startswith(f"cannot read '{broken}': ") and "\n" not in message


def test_other_shapes_file(build: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgo: <https://w3id.org/kg-news/ontology#> .\n"
        "[] a sh:NodeShape ; sh:targetClass kgo:Figure ;\n"
        "   sh:property [ sh:path kgo:value ; sh:maxInclusive 50 ; sh:message \"too many\" ] .\n",
        encoding="utf-8",
    )
    conforms, report, _ = validate([build], shapes)
    assert not conforms
    assert format_report(report) == f"<{FIGURE}> — too many — kgo:value — 60"


# --------------------------------------------------------------------------- CLI


def test_cli_conforms_exit_0(cli, build: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(build)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms:")


def test_cli_figure_without_number_exit_1_with_report(cli, no_number: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(no_number)])
    assert result.exit_code == 1, result.output
    assert FIGURE in result.stdout and "Figure without a number" in result.stdout
    assert result.stderr.strip().splitlines() == ["error: 1 violation of 'shapes.ttl': fix the build or the shapes"]


def test_cli_broken_turtle_exit_2_one_line(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c ;\n ex:d .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(broken) in lines[0]
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no crash behind the exit


def test_cli_missing_shapes_exit_2(cli, build: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(build), "--shapes", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2
    assert "none.ttl" in result.stderr


def test_cli_help_has_an_example(cli) -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0 and "Example: kg validate" in result.output


# --------------------------------------------------------------------------- seed build


def test_seed_build_conforms(seed_build: Path) -> None:
    conforms, report, _ = validate([seed_build])
    assert conforms, format_report(report)


# --------------------------------------------------------------------------- merged graph and article graphs


@pytest.fixture
def two_labels(tmp_path: Path) -> Path:
    """Each article graph conforms, but the merged graph gives Obama two labels (the Lee case)."""
    out = write_build(tmp_path / "two-labels", with_second_obama(label="Obama"))
    from kg.rdf.serialize import write_outputs

    spool = tmp_path / "spool.nq"
    spool.write_bytes(ox.serialize(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG),
                                   format=ox.RdfFormat.N_QUADS))
    write_outputs(spool, out, ("ttl",), "https://w3id.org/kg-news/id/")
    return out


@pytest.mark.parametrize("form", ["", "graph.trig", "graph.ttl"])
def test_merged_graph_is_validated_whatever_the_path_form(two_labels: Path, form: str) -> None:
    conforms, report, _ = validate([two_labels / form if form else two_labels])
    assert not conforms
    assert format_report(report).splitlines() == [
        "<https://w3id.org/kg-news/id/entity/person-barack-obama> — Entity must have exactly one rdfs:label "
        "(a string) — rdfs:label"]


def test_article_graphs_are_validated_on_their_own(tmp_path: Path) -> None:
    """An article whose event leans on another article's triple (the type of its evidence)
    conforms in the merged graph, not on its own."""
    trig = BUILD_TRIG.replace("    a2:mention-40-46 a kgo:Mention ;\n", "    a2:mention-40-46\n")
    trig = trig.replace("g:a1 {\n", "g:a1 {\n    a2:mention-40-46 a kgo:Mention .\n")
    assert trig.count("a2:mention-40-46 a kgo:Mention") == 1
    out = write_build(tmp_path / "leaning", trig)
    conforms, report, _ = validate([out])
    assert not conforms and "a2/mention-40-46" in format_report(report)


def test_cli_data_read_back_from_the_embedded_store_conforms(cli, build: Path, tmp_path: Path) -> None:
    """Oxigraph keeps an xsd:nonNegativeInteger as an xsd:integer: what a user exports from
    ``kg store-load``'s store must still pass the shapes."""
    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["store-load", str(build), "--store", str(store)]).exit_code == 0
    export = CliRunner().invoke(cli, ["query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--store", str(store),
                                      "--format", "nt"])
    assert export.exit_code == 0, export.output
    assert '"^^<http://www.w3.org/2001/XMLSchema#integer>' in export.stdout
    assert '"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' not in export.stdout
    dump = tmp_path / "dump.nt"
    dump.write_text(export.stdout, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(dump)])
    assert result.exit_code == 0, result.output
