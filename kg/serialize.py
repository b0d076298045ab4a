"""Writing graphs: every RDF format by name, atomically (temp file, then rename)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from rdflib import Dataset, Graph, URIRef

from kg.errors import InputError, OutputError
from kg.namespaces import PREFIXES
from kg.paths import ONTOLOGY_DIR

__all__ = ["FORMATS", "parse_formats", "write_dataset", "atomic_write", "bind_prefixes", "new_dataset"]

#: format name -> (file name, rdflib serializer name)
FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("graph.ttl", "turtle"),
    "trig": ("graph.trig", "trig"),
    "nq": ("graph.nq", "nquads"),
    "nt": ("graph.nt", "nt"),
    "jsonld": ("graph.jsonld", "json-ld"),
    "xml": ("graph.rdf", "xml"),
}


def parse_formats(value: str) -> tuple[str, ...]:
    """'ttl,trig' -> ('ttl', 'trig'); unknown names are a user error."""
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise InputError(f"unknown --format '{','.join(unknown) or value}': choose from {','.join(FORMATS)}")
    return names


def bind_prefixes(graph: Graph, base: str) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    graph.bind("entity", base + "entity/", override=True, replace=True)
    graph.bind("article", base + "article/", override=True, replace=True)
    graph.bind("kggraph", base + "graph/", override=True, replace=True)


def new_dataset(base: str) -> Dataset:
    dataset = Dataset()
    bind_prefixes(dataset, base)
    return dataset


@contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO]:
    """A file that appears at ``path`` complete or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _union(dataset: Dataset, base: str) -> Graph:
    union = Graph()
    bind_prefixes(union, base)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _jsonld_context() -> dict:
    path = ONTOLOGY_DIR / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8")).get("@context", {})


def _serialize(dataset: Dataset, name: str, base: str) -> bytes:
    file_name, rdflib_format = FORMATS[name]
    if name in ("ttl", "nt", "xml"):
        return _union(dataset, base).serialize(format=rdflib_format, encoding="utf-8")
    if name == "jsonld":
        return dataset.serialize(format="json-ld", context=_jsonld_context(), encoding="utf-8")
    return dataset.serialize(format=rdflib_format, encoding="utf-8")


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return b"\n".join(lines) + b"\n" if lines else b""


def write_dataset(dataset: Dataset, outdir: Path, formats: Iterable[str], base: str) -> list[Path]:
    """Write the dataset in each format into ``outdir``; returns the paths written."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"output '{outdir}' is a file: give a folder with -o")
    written = []
    for name in formats:
        data = _serialize(dataset, name, base)
        if name in ("nq", "nt"):
            data = _sorted_lines(data)  # line formats: sorted for byte-identical re-runs
        path = outdir / FORMATS[name][0]
        try:
            with atomic_write(path) as handle:
                handle.write(data)
        except OSError as exc:
            raise OutputError(f"cannot write '{path}': {exc.strerror or exc}") from exc
        written.append(path)
    return written


def graph_names(dataset: Dataset) -> list[URIRef]:
    return sorted(g.identifier for g in dataset.graphs() if isinstance(g.identifier, URIRef))
