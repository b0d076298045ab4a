"""The build: articles in, named graphs out.

``build(options)`` streams the inputs in chunks; each article is looked up in
the cache, the misses go through the pipeline (in this process, a process
pool, or a Dask cluster: the same per-article function everywhere), and each
article's named graph is appended, in input order, to an N-Quads spool from
which every output format is written. Memory stays flat in corpus size.

A build holds a lock on its output folder (a second build gets OutputError).
Everything it writes goes to dot-named ``*.part`` temp files first, renamed
when complete, so a build killed at any moment leaves the earlier outputs and
every cache entry whole; the next build into the folder removes the temp files
a killed one left. Articles kg cannot take (longer than MAX_ARTICLE_CHARS, or
with an id that mints the same IRIs as an earlier article's) are skipped and
reported like the bad articles of ``kg.ingest``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import IO

from kg import __version__
from kg.errors import InputError, OutputError, quoted
from kg.ingest.articles import Problem
from kg.ingest.inputs import iter_articles
from kg.link.canon import Canon
from kg.link.stories import Linker, Story
from kg.paths import DEFAULT_MODEL, resolve_model_name
from kg.rdf.formats import FORMATS
from kg.rdf.iri import check_base, mint, slug
from kg.rdf.mapping import (BUILD_GRAPH, Minter, Reference, build_triples, entity_facts, graph_iri,
                            reference_facts, story_triples)
from kg.rdf.namespaces import DEFAULT_BASE
from kg.rdf.ontology import check_data
from kg.rdf.serialize import article_nquads, write_outputs
from kg.records import MAX_ARTICLE_CHARS, Article, EntityFacts
from kg.run.article import ArticleResult, online_linker, process_batch
from kg.run.cache import Cache, article_key, setup_fingerprint

__all__ = ["BuildOptions", "BuildSummary", "build"]

CACHE_DIR_NAME = ".kg-cache"
_CHUNK = 256
_PROGRESS_CHUNK = 32
#: Temp files of a build (spool, output files, cache entries): a build killed at any
#: moment leaves only these, and the next build into the folder removes them.
_TEMP_PREFIXES = (".spool.", ".entry.", *(f".{name}." for name in FORMATS.values()))


@dataclass(frozen=True)
class BuildOptions:
    inputs: tuple[str, ...]
    outdir: Path
    published: dt.date | dt.datetime | None = None
    model: str = DEFAULT_MODEL
    base: str = DEFAULT_BASE
    formats: tuple[str, ...] = ("ttl", "trig")
    jsonl: bool = False
    strict: bool = False
    jobs: int = 1
    cache: bool = True
    cache_dir: Path | None = None  # default: OUTDIR/.kg-cache
    scheduler: str | None = None  # a Dask scheduler address, or "local:N"
    online: bool = False  # look entities the offline knowledge base lacks up in Wikidata
    stdin: IO | None = None

    def __post_init__(self) -> None:
        """Paths as str or Path alike; one input may be given bare."""
        if isinstance(self.inputs, (str, os.PathLike)):
            object.__setattr__(self, "inputs", (os.fspath(self.inputs),))
        object.__setattr__(self, "inputs", tuple(os.fspath(i) for i in self.inputs))
        object.__setattr__(self, "outdir", Path(self.outdir))
        if self.cache_dir is not None:
            object.__setattr__(self, "cache_dir", Path(self.cache_dir))

    @property
    def cache_root(self) -> Path:
        return self.cache_dir or self.outdir / CACHE_DIR_NAME

    @property
    def wikidata_cache(self) -> Path:
        """Where --online keeps Wikidata's answers: CACHE_DIR/wikidata, else kg.link.online.default_cache_dir()."""
        from kg.link.online import default_cache_dir

        return self.cache_dir / "wikidata" if self.cache_dir is not None else default_cache_dir()


@dataclass
class BuildSummary:
    articles: int = 0
    cached: int = 0
    entities: int = 0
    events: int = 0
    figures: int = 0
    statements: int = 0
    stories: int = 0
    quads: int = 0
    seconds: float = 0.0
    skipped: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def line(self) -> str:
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        cached = f" ({self.cached} from cache)" if self.cached else ""
        return (f"{self.articles} articles{cached}{skipped}, {self.entities} entities, {self.events} events, "
                f"{self.figures} figures, {self.statements} statements, {self.stories} stories, {self.quads} triples "
                f"in {self.seconds:.1f} s")


# --- engines ----------------------------------------------------------------------------


Engine = Callable[[list[Article]], list[ArticleResult]]


@contextmanager
def _engine(options: BuildOptions) -> Iterator[Engine]:
    resolve_model_name(options.model)  # a bad --model is a user error here, not in every worker
    check_data()  # and a bad data file an error at start-up
    online = str(options.wikidata_cache) if options.online else False
    if options.scheduler:
        from kg.run.distributed import dask_engine

        with dask_engine(options.scheduler, options.model, options.base, online) as engine:
            yield engine
    elif options.jobs > 1:
        from kg.run.parallel import pool_engine

        with pool_engine(options.jobs, options.model, options.base, online) as engine:
            yield engine
    else:
        yield lambda batch: process_batch(batch, options.model, options.base, online)


def _online_or_offline(options: BuildOptions) -> BuildOptions:
    """With --online, one small request first: when Wikidata cannot be reached, the
    linker has warned once and the build is the offline build (same output, same
    cache entries, full speed)."""
    if not options.online or online_linker(str(options.wikidata_cache)).reachable():
        return options
    return replace(options, online=False)


# --- the build ----------------------------------------------------------------------------


@contextmanager
def _lock(outdir: Path, temp_folders: Callable[[], list[Path]] = list) -> Iterator[None]:
    """One build per output folder at a time; holding the lock, the temp files that a
    killed build left in the folder (and in ``temp_folders()``) are removed."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"output '{outdir}' is a file: give a folder with -o")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        handle = open(outdir / ".kg-build.lock", "w")
    except OSError as exc:
        raise OutputError(f"cannot write to output folder '{outdir}': {exc.strerror or exc}") from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise OutputError(f"another kg build is writing to '{outdir}': wait for it or use another -o") from None
    try:
        _remove_temp_files(outdir, *temp_folders())
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _chunk_size(options: BuildOptions) -> int:
    """Articles per engine call: large for pools and clusters (workers stay busy), small in
    one process (the progress bar moves every few articles; nlp.pipe batches the same)."""
    return _CHUNK * options.jobs if options.jobs > 1 or options.scheduler else _PROGRESS_CHUNK


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _remove_temp_files(*folders: Path) -> None:
    """Temp files left by a killed build (called holding the folder's lock: none is in use)."""
    for folder in folders:
        try:
            names = [e.name for e in os.scandir(folder) if e.name.endswith(".part") and e.is_file()]
        except OSError:
            continue
        for name in names:
            if name.startswith(_TEMP_PREFIXES):
                (folder / name).unlink(missing_ok=True)


def _cache_folders(options: BuildOptions) -> list[Path]:
    """The default cache's entry folders (a --cache-dir may be shared: left alone)."""
    if not options.cache or options.cache_dir is not None:
        return []
    try:
        return [Path(e.path) for e in os.scandir(options.cache_root) if e.is_dir()]
    except OSError:
        return []


def _unique(articles: Iterable[Article], report: Callable[[Problem], None]) -> Iterator[Article]:
    """Each id once (a repeated id is the same article read again), and articles kg can parse.

    Ids that differ but mint the same IRIs ("Foo" and "foo", "a b" and "a-b"; or
    "build", the build graph's name) would merge two articles into one named
    graph, and an id without letters or digits ("!!!") would vanish from the
    IRIs of the article's nodes: such articles are reported instead.
    """
    seen: set[str] = set()
    minted: dict[str, str | None] = {slug(BUILD_GRAPH): None}  # slug -> the id that minted it
    for article in articles:
        if article.id in seen:
            continue
        seen.add(article.id)
        key = slug(article.id)
        if slug(f"{article.id}-x") == "x":  # node IRIs (article/<id>-event-...) would lose the id
            report(Problem(article.source, f"id {quoted(article.id)} has no letter or digit, so it cannot name "
                                           "the article's nodes: give an id with letters or digits, or leave it out"))
        elif key in minted:
            earlier = minted[key]
            other = "the build graph" if earlier is None else f"the earlier article {quoted(earlier)}"
            report(Problem(article.source, f"id {quoted(article.id)} gives the same IRIs as {other}: "
                                           "give distinct ids (case and punctuation are ignored)"))
        elif len(article.text) > MAX_ARTICLE_CHARS:
            report(Problem(article.source, f"article too long ({len(article.text):,} characters, at most "
                                           f"{MAX_ARTICLE_CHARS:,}): split it into several articles"))
        else:
            minted[key] = article.id
            yield article


def _chunk_results(chunk: list[Article], engine: Engine, cache: Cache | None, setup: str) -> tuple[list[ArticleResult], int]:
    """Results of a chunk in input order: cached ones read, the others computed."""
    keys = [article_key(a, setup) for a in chunk]
    found = {k: cache.get_result(k) for k in keys} if cache else {}
    misses = [a for a, k in zip(chunk, keys) if found.get(k) is None]
    computed = iter(engine(misses) if misses else [])
    results = []
    for article, key in zip(chunk, keys):
        result = found.get(key)
        if result is None:
            result = next(computed)
            if cache and result.cacheable:
                cache.put_result(key, result)
        results.append(result)
    return results, len(chunk) - len(misses)


def _build_time() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH, when set: builds stay reproducible by default."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit() else None


def _build_graph(options: BuildOptions, ids: list[str]) -> bytes:
    triples = build_triples(options.base, __version__, options.model, ids, _build_time())
    return article_nquads(triples, mint(options.base, "graph", BUILD_GRAPH))


def _count(summary: BuildSummary, result: ArticleResult) -> None:
    summary.articles += 1
    summary.events += result.events
    summary.figures += result.figures
    summary.statements += result.statements


@dataclass(frozen=True)
class _Placed:
    """Where an article's graph lies in the first spool, and the entities it names."""

    id: str
    start: int
    length: int
    keys: tuple[str, ...]
    references: tuple[Reference, ...] = ()  # its nodes that repeat what a named entity is


def _with_facts(nquads: bytes, article_id: str, keys: Iterable[str], decided: dict[str, EntityFacts],
                base: str, stories: Iterable[tuple[str, Story]] = (),
                references: Iterable[Reference] = ()) -> bytes:
    """An article's graph with the build's one truth about each entity it names (on the
    entity, and where a node repeats it), and the story each of its incidents belongs to."""
    m = Minter(base, article_id)
    stories = list(stories)
    keys = chain(keys, (story.place for _, story in stories if story.place))  # a story's place is typed here too
    facts = chain((t for key in dict.fromkeys(keys) for t in entity_facts(m, decided[key])),
                  (t for ref in references if ref[2] in decided for t in reference_facts(m, ref, decided[ref[2]])),
                  (t for event, story in stories for t in story_triples(m, event, story)))
    lines = set(nquads.splitlines()) | set(article_nquads(facts, graph_iri(base, article_id)).splitlines())
    lines.discard(b"")
    return b"\n".join(sorted(lines)) + b"\n"


def _write_final(first: Path, placed: list[_Placed], decided: dict[str, EntityFacts], base: str,
                 handle: IO[bytes], stories: dict[tuple[str, str], Story] | None = None) -> int:
    """Every article's graph, in input order, with the decided entity facts and its
    events' stories; the triples written."""
    by_article: dict[str, list[tuple[str, Story]]] = {}
    for (article, event), story in sorted((stories or {}).items()):
        by_article.setdefault(article, []).append((event, story))
    quads = 0
    with first.open("rb") as source:
        for item in placed:
            source.seek(item.start)
            data = _with_facts(source.read(item.length), item.id, item.keys, decided, base,
                               by_article.get(item.id, ()), item.references)
            handle.write(data)
            quads += data.count(b"\n")
    return quads


def build(options: BuildOptions, progress: Callable[[int], None] | None = None) -> BuildSummary:
    """Build the graph of the inputs into ``options.outdir`` (see module doc).

    Two passes: every article's graph goes to a first spool while the readings of its
    entities are gathered; then kg.link.canon decides each entity once, and the final
    spool holds each article's graph with those facts, from which the outputs are
    written. A cached article's graph holds no corpus-dependent fact, so it agrees
    with the rest whichever build it came from.
    """
    check_base(options.base)
    summary = BuildSummary()
    started = time.perf_counter()
    options = _online_or_offline(options)
    articles = iter_articles(options.inputs, published=options.published, jsonl=options.jsonl,
                             stdin=options.stdin, on_problem=summary.skipped.append, strict=options.strict)
    report = partial(_report, summary=summary, strict=options.strict)
    with (_lock(options.outdir, lambda: _cache_folders(options)), _engine(options) as engine,
          _spool(options.outdir) as (first, raw), _spool(options.outdir) as (spool, handle)):
        cache = Cache(options.cache_root) if options.cache else None
        setup = setup_fingerprint(options.model, options.base + ("|online" if options.online else ""))
        canon, linker, placed = Canon(), Linker(), []
        for chunk in _chunks(_unique(articles, report), _chunk_size(options)):
            results, cached = _chunk_results(chunk, engine, cache, setup)
            summary.cached += cached
            for result in results:
                placed.append(_Placed(result.id, raw.tell(), len(result.nquads), result.entities, result.references))
                raw.write(result.nquads)
                canon.add(result.readings)
                linker.add(result.reports)
                _count(summary, result)
            if progress:
                progress(summary.articles)
        raw.flush()
        decided = canon.decided()
        stories = linker.link(decided)
        summary.quads = _write_final(first, placed, decided, options.base, handle, stories)
        summary.stories = len(set(stories.values()))
        handle.write(_build_graph(options, [p.id for p in placed]))
        handle.flush()
        summary.entities = len(canon)
        summary.written = write_outputs(spool, options.outdir, options.formats, options.base)
    summary.seconds = time.perf_counter() - started
    return summary


def _report(problem: Problem, summary: BuildSummary, strict: bool) -> None:
    if strict:
        raise InputError(f"{problem.source}: {problem.message}")
    summary.skipped.append(problem)


@contextmanager
def _spool(outdir: Path) -> Iterator[tuple[Path, IO[bytes]]]:
    try:
        fd, name = tempfile.mkstemp(prefix=".spool.", suffix=".nq.part", dir=outdir)
    except OSError as exc:
        raise OutputError(f"cannot write to output folder '{outdir}': {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield Path(name), handle
    finally:
        Path(name).unlink(missing_ok=True)


