"""Outputs: every format parses back (rdflib and pyoxigraph) to the same graph,
and a re-run gives byte-identical files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import BuildOptions, build
from kg.errors import InputError, OutputError
from kg.rdf.formats import FORMATS
from kg.rdf.serialize import parse_formats, write_outputs

from tests.conftest import SEED_PUBLISHED, SEEDS

pytestmark = pytest.mark.model

_RDFLIB = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
_OX = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
       "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def all_formats(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("formats")
    build(BuildOptions(inputs=(str(SEEDS),), outdir=out, published=SEED_PUBLISHED, formats=tuple(FORMATS)))
    return out


def _triples(path: Path, name: str) -> Graph:
    graph = Graph()
    if name in ("trig", "nq", "jsonld"):
        dataset = Dataset()
        dataset.parse(path, format=_RDFLIB[name])
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return graph.parse(path, format=_RDFLIB[name])


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_round_trips_in_rdflib(all_formats, name):
    reference = Graph().parse(all_formats / "graph.ttl", format="turtle")
    assert len(reference) > 500
    assert isomorphic(_triples(all_formats / FORMATS[name], name), reference)


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_parses_in_pyoxigraph(all_formats, name):
    reference = len(Graph().parse(all_formats / "graph.ttl", format="turtle"))
    quads = list(ox.parse(path=str(all_formats / FORMATS[name]), format=_OX[name]))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == reference


def test_trig_has_one_named_graph_per_article_and_a_build_graph(all_formats):
    dataset = Dataset()
    dataset.parse(all_formats / "graph.trig", format="trig")
    names = sorted(str(g.identifier) for g in dataset.graphs() if len(g))
    assert len(names) == 2 and any(n.endswith("/graph/build") for n in names)


def test_rebuild_is_byte_identical(all_formats, tmp_path):
    build(BuildOptions(inputs=(str(SEEDS),), outdir=tmp_path, published=SEED_PUBLISHED, formats=tuple(FORMATS),
                       cache=False))
    for file_name in FORMATS.values():
        assert (tmp_path / file_name).read_bytes() == (all_formats / file_name).read_bytes(), file_name


def test_nquads_are_canonical_one_statement_per_line(all_formats):
    """graph.nq is the build's spool copied: it must be exactly what pyoxigraph writes."""
    data = (all_formats / "graph.nq").read_bytes()
    again = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    assert data == again and data.endswith(b" .\n")
    trig = ox.Dataset(ox.parse(path=str(all_formats / "graph.trig"), format=ox.RdfFormat.TRIG))
    assert set(ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_QUADS))) == set(trig)

@pytest.mark.parametrize("value, expected", [("ttl", ("ttl",)), ("trig, ttl,trig", ("trig", "ttl")), ("NQ", ("nq",))])
def test_parse_formats(value, expected):
    assert parse_formats(value) == expected


@pytest.mark.parametrize("value", ["", "turtle", "ttl,xyz"])
def test_unknown_formats_are_user_errors(value):
    with pytest.raises(InputError, match="--format"):
        parse_formats(value)


def test_output_that_is_a_file_is_a_user_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("keep me")
    spool = tmp_path / "spool.nq"
    spool.write_text("")
    with pytest.raises(OutputError, match="is a file"):
        write_outputs(spool, target, ["ttl"], "http://example.org/")
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("seed", ["1", "2"])
def test_rebuild_in_another_process_is_byte_identical(all_formats, tmp_path, seed):
    """Python's string hashing changes from process to process (PYTHONHASHSEED): no output
    file may follow it (rdflib's JSON-LD writer did)."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "kg.cli", "-q", "build", str(SEEDS), "--published", str(SEED_PUBLISHED),
                    "-o", str(tmp_path), "--format", ",".join(FORMATS), "--no-cache"], check=True, env=env)
    for file_name in FORMATS.values():
        assert (tmp_path / file_name).read_bytes() == (all_formats / file_name).read_bytes(), file_name
