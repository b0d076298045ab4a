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
from dataclasses import dataclass, field
from functools import lru_cache
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO

from kg import __version__
from kg.cache import Cache, article_key, setup_fingerprint
from kg.errors import InputError, OutputError
from kg.ingest import Problem, iter_articles
from kg.iri import check_base, mint, slug
from kg.mapping import BUILD_GRAPH, article_triples, build_triples, graph_iri
from kg.namespaces import DEFAULT_BASE
from kg.paths import DEFAULT_MODEL, resolve_model_name
from kg.records import MAX_ARTICLE_CHARS, Article, ArticleRecords
from kg.serialize import FORMATS, article_nquads, write_outputs

__all__ = [
    "BuildOptions",
    "BuildSummary",
    "ArticleResult",
    "build",
    "records_of",
    "process_batch",
    "result_of",
]

CACHE_DIR_NAME = ".kg-cache"
_CHUNK = 256
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

    @property
    def cache_root(self) -> Path:
        return self.cache_dir or self.outdir / CACHE_DIR_NAME


@dataclass(frozen=True)
class ArticleResult:
    """One article's named graph (N-Quads) and what it holds, for the summary."""

    id: str
    nquads: bytes
    entities: tuple[str, ...]
    events: int
    figures: int
    statements: int


@dataclass
class BuildSummary:
    articles: int = 0
    cached: int = 0
    entities: int = 0
    events: int = 0
    figures: int = 0
    statements: int = 0
    quads: int = 0
    seconds: float = 0.0
    skipped: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def line(self) -> str:
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        cached = f" ({self.cached} from cache)" if self.cached else ""
        return (f"{self.articles} articles{cached}{skipped}, {self.entities} entities, {self.events} events, "
                f"{self.figures} figures, {self.statements} statements, {self.quads} triples "
                f"in {self.seconds:.1f} s")


# --- the per-article function ------------------------------------------------------------


def records_of(articles: Iterable[Article], model: str = DEFAULT_MODEL, batch_size: int = 32,
               online: bool = False) -> Iterator[ArticleRecords]:
    """Parse and extract articles, streaming (the library's main entry point)."""
    from kg.kb import load_kb
    from kg.longtext import article_records
    from kg.nlp import load_pipeline

    nlp, kb = load_pipeline(model), load_kb()
    linker = _online_linker() if online else None
    yield from article_records(nlp, articles, kb, linker, batch_size)  # long texts piece by piece


@lru_cache(maxsize=1)
def _online_linker():
    """One Wikidata client per process, cached on disk (see kg.online)."""
    from kg.online import OnlineLinker, WikidataClient

    return OnlineLinker(WikidataClient())


def result_of(records: ArticleRecords, base: str) -> ArticleResult:
    graph = graph_iri(base, records.article.id)
    return ArticleResult(
        id=records.article.id,
        nquads=article_nquads(article_triples(records, base), graph),
        entities=tuple(e.key for e in records.entities),
        events=len(records.events) + len(records.claims),
        figures=len(records.figures),
        statements=len(records.statements),
    )


def process_batch(articles: list[Article], model: str, base: str, online: bool = False) -> list[ArticleResult]:
    """The per-article function over a batch: what every engine runs."""
    return [result_of(records, base) for records in records_of(articles, model, online=online)]


# --- engines ----------------------------------------------------------------------------


Engine = Callable[[list[Article]], list[ArticleResult]]


@contextmanager
def _engine(options: BuildOptions) -> Iterator[Engine]:
    resolve_model_name(options.model)  # a bad --model is a user error here, not in every worker
    if options.scheduler:
        from kg.distributed import dask_engine

        with dask_engine(options.scheduler, options.model, options.base, options.online) as engine:
            yield engine
    elif options.jobs > 1:
        from kg.parallel import pool_engine

        with pool_engine(options.jobs, options.model, options.base, options.online) as engine:
            yield engine
    else:
        yield lambda batch: process_batch(batch, options.model, options.base, options.online)


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
            report(Problem(article.source, f"id {_quoted(article.id)} has no letter or digit, so it cannot name "
                                           "the article's nodes: give an id with letters or digits, or leave it out"))
        elif key in minted:
            earlier = minted[key]
            other = "the build graph" if earlier is None else f"the earlier article {_quoted(earlier)}"
            report(Problem(article.source, f"id {_quoted(article.id)} gives the same IRIs as {other}: "
                                           "give distinct ids (case and punctuation are ignored)"))
        elif len(article.text) > MAX_ARTICLE_CHARS:
            report(Problem(article.source, f"article too long ({len(article.text):,} characters, at most "
                                           f"{MAX_ARTICLE_CHARS:,}): split it into several articles"))
        else:
            minted[key] = article.id
            yield article


def _quoted(text: str, limit: int = 60) -> str:
    """An id quoted on one line, clipped, control characters escaped, for messages."""
    line = " ".join(text.split())
    line = line[: limit - 3] + "..." if len(line) > limit else line
    return "'" + "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in line) + "'"


def _chunk_results(chunk: list[Article], engine: Engine, cache: Cache | None, setup: str) -> tuple[list[ArticleResult], int]:
    """Results of a chunk in input order: cached ones read, the others computed."""
    keys = [article_key(a, setup) for a in chunk]
    found = {k: _from_cache(cache, k) for k in keys} if cache else {}
    misses = [a for a, k in zip(chunk, keys) if found.get(k) is None]
    computed = iter(engine(misses) if misses else [])
    results = []
    for article, key in zip(chunk, keys):
        result = found.get(key)
        if result is None:
            result = next(computed)
            if cache:
                cache.put(key, _encode(result))
        results.append(result)
    return results, len(chunk) - len(misses)


def _encode(result: ArticleResult) -> bytes:
    import json

    head = {"id": result.id, "entities": result.entities, "events": result.events,
            "figures": result.figures, "statements": result.statements}
    return b"# kg " + json.dumps(head, ensure_ascii=True).encode() + b"\n" + result.nquads


def _from_cache(cache: Cache | None, key: str) -> ArticleResult | None:
    import json

    data = cache.get(key) if cache else None
    if not data or not data.startswith(b"# kg "):
        return None
    head, _, nquads = data.partition(b"\n")
    try:
        meta = json.loads(head[5:])
        return ArticleResult(meta["id"], nquads, tuple(meta["entities"]), meta["events"], meta["figures"],
                             meta["statements"])
    except (ValueError, KeyError, TypeError):
        return None


def _build_time() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH, when set: builds stay reproducible by default."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit() else None


def _build_graph(options: BuildOptions, ids: list[str]) -> bytes:
    triples = build_triples(options.base, __version__, options.model, ids, _build_time())
    return article_nquads(triples, mint(options.base, "graph", BUILD_GRAPH))


def _count(summary: BuildSummary, result: ArticleResult, entities: set[str]) -> None:
    summary.articles += 1
    entities.update(result.entities)
    summary.events += result.events
    summary.figures += result.figures
    summary.statements += result.statements
    summary.quads += result.nquads.count(b"\n")


def build(options: BuildOptions, progress: Callable[[int], None] | None = None) -> BuildSummary:
    """Build the graph of the inputs into ``options.outdir`` (see module doc)."""
    check_base(options.base)
    summary = BuildSummary()
    started = time.perf_counter()
    articles = iter_articles(options.inputs, published=options.published, jsonl=options.jsonl,
                             stdin=options.stdin, on_problem=summary.skipped.append, strict=options.strict)
    report = partial(_report, summary=summary, strict=options.strict)
    with _lock(options.outdir, lambda: _cache_folders(options)), _engine(options) as engine, _spool(options.outdir) as (spool, handle):
        cache = Cache(options.cache_root) if options.cache else None
        setup = setup_fingerprint(options.model, options.base + ("|online" if options.online else ""))
        entities: set[str] = set()
        ids: list[str] = []
        for chunk in _chunks(_unique(articles, report), _CHUNK * max(1, options.jobs)):
            results, cached = _chunk_results(chunk, engine, cache, setup)
            summary.cached += cached
            for result in results:
                handle.write(result.nquads)
                ids.append(result.id)
                _count(summary, result, entities)
            if progress:
                progress(summary.articles)
        handle.write(_build_graph(options, ids))
        handle.flush()
        summary.entities = len(entities)
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


