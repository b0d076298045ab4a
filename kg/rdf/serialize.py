"""Writing graphs: every RDF format by name, streaming and atomic.

A build first writes each article's named graph as sorted N-Quads into a spool
file (the same bytes its cache entry and a cluster shard hold); every output
format is then streamed from the spool with pyoxigraph, so memory stays flat in
corpus size (JSON-LD, compacted against ``ontology/context.jsonld``, is the one
format built in memory). Files appear complete or not at all, and together:
each format is written to a temp file first, and all are renamed at the end.

RDF/XML is XML 1.0, which cannot hold most C0 control characters (U+0001 ...
U+001F but tab, newline and carriage return) nor U+FFFE and U+FFFF, not even
escaped: in ``graph.rdf`` such characters of literals become U+FFFD (same
length, so offsets hold). Every other format keeps the text exactly.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from kg.errors import InputError, OutputError
from kg.paths import CONTEXT_FILE
from kg.rdf.formats import FORMATS, by_name
from kg.rdf.namespaces import PREFIXES

__all__ = [
    "parse_formats",
    "atomic_write",
    "prefixes_for",
    "prefixed",
    "to_ox",
    "article_nquads",
    "write_outputs",
    "read_spool",
]



def parse_formats(value: str) -> tuple[str, ...]:
    """'ttl,trig' -> ('ttl', 'trig'); unknown names are a user error."""
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise InputError(f"unknown --format '{','.join(unknown) or value}': choose from {','.join(FORMATS)}")
    return names


def prefixes_for(base: str) -> dict[str, str]:
    """Readable prefixes of every file we write: vocabularies and our instances."""
    return {**PREFIXES, "entity": base + "entity/", "article": base + "article/", "kggraph": base + "graph/"}


def prefixed(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str | None:
    """``iri`` as a prefixed name (``kgo:Attack``) when one of ``prefixes`` fits and leaves a local name, else None."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


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


# --- terms ---------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def to_ox(term: URIRef | Literal | BNode) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as a pyoxigraph term (pyoxigraph terms pass through)."""
    if isinstance(term, (ox.Literal, ox.NamedNode)):
        return term
    if isinstance(term, URIRef):
        return _named(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype
        return ox.Literal(str(term), datatype=_named(str(datatype))) if datatype else ox.Literal(str(term))
    return ox.BlankNode(str(term))


def article_nquads(triples: Iterable[tuple], graph: URIRef) -> bytes:
    """One article's named graph as N-Quads, deduplicated and sorted (reproducible)."""
    name = ox.NamedNode(str(graph))
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""


def read_spool(spool: Path) -> Iterator[ox.Quad]:
    return ox.parse(path=str(spool), format=ox.RdfFormat.N_QUADS)


# --- writers -------------------------------------------------------------------------------


def _union(quads: Iterable[ox.Quad], article_prefix: str) -> Iterator[ox.Triple]:
    """Triples of all graphs; what several articles say of one entity, once."""
    shared: set[bytes] = set()
    for quad in quads:
        triple = quad.triple
        subject = quad.subject
        if not (isinstance(subject, ox.NamedNode) and subject.value.startswith(article_prefix)):
            digest = hashlib.blake2b(str(triple).encode(), digest_size=16).digest()
            if digest in shared:
                continue
            shared.add(digest)
        yield triple


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Quads whose literals XML 1.0 can hold (see the module doc)."""
    for quad in quads:
        term = quad.object
        if isinstance(term, ox.Literal) and _NOT_XML.search(term.value):
            value = _NOT_XML.sub("\ufffd", term.value)
            term = (ox.Literal(value, language=term.language) if term.language
                    else ox.Literal(value, datatype=term.datatype))
            quad = ox.Quad(quad.subject, quad.predicate, term, quad.graph_name)
        yield quad


def _jsonld(spool: Path) -> bytes:
    dataset = Dataset()
    dataset.parse(spool, format="nquads")
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8")).get("@context", {})
    document = json.loads(dataset.serialize(format="json-ld", context=context, encoding="utf-8"))
    return json.dumps(_in_order(document), indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _in_order(node: Any) -> Any:
    """A JSON-LD document with its unordered arrays sorted, so that a build is byte-identical
    whatever order rdflib's store yields the triples in (it follows Python's string hashing,
    which changes from process to process). Arrays under ``@list`` keep their order."""
    if isinstance(node, dict):
        return {key: (_in_order(value) if key != "@list" else [_in_order(v) for v in value])
                for key, value in node.items()}
    if isinstance(node, list):
        return sorted((_in_order(v) for v in node), key=lambda v: json.dumps(v, sort_keys=True))
    return node


def _write_one(spool: Path, name: str, handle: IO[bytes], base: str) -> None:
    if name == "jsonld":
        handle.write(_jsonld(spool))
        return
    if name == "nq":  # the spool is already N-Quads written by pyoxigraph: copied, not re-parsed
        with spool.open("rb") as source:
            shutil.copyfileobj(source, handle, 1 << 20)
        return
    fmt = by_name(name).oxigraph
    prefixes = prefixes_for(base) if name in ("ttl", "trig", "xml") else None
    quads = _xml_safe(read_spool(spool)) if name == "xml" else read_spool(spool)
    if fmt.supports_datasets:
        ox.serialize(quads, handle, fmt, prefixes=prefixes)
    else:
        ox.serialize(_union(quads, base + "article/"), handle, fmt, prefixes=prefixes)


def write_outputs(spool: Path, outdir: Path, formats: Iterable[str], base: str) -> list[Path]:
    """Every requested format of the build, streamed from its N-Quads spool."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"output '{outdir}' is a file: give a folder with -o")
    names, written = list(formats), []
    for name in names:  # before anything is written: a rename onto a folder would fail half-way
        if (outdir / FORMATS[name]).is_dir():
            raise OutputError(f"cannot write '{outdir / FORMATS[name]}': it is a folder; remove it or use another -o")
    try:
        with ExitStack() as renames:  # each file complete in a temp file, then all renamed
            for name in names:
                path = outdir / FORMATS[name]
                _write_one(spool, name, renames.enter_context(atomic_write(path)), base)
                written.append(path)
    except OSError as exc:
        where = path if len(written) < len(names) else outdir  # a write, or a rename at the end
        raise OutputError(f"cannot write '{where}': {exc.strerror or exc}") from exc
    return written
