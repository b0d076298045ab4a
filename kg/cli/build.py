"""``kg build``: articles in, the knowledge graph out (``kg.build``), with a progress bar."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.console import err, handles_errors, is_quiet, log, out
from kg.errors import printable

__all__ = ["register", "build"]


def build(
    inputs: Annotated[list[str], typer.Argument(help="Text/Markdown/HTML files, folders, JSONL corpora, or - for stdin.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("out"),
    published: Annotated[Optional[str], typer.Option(help="Publication date YYYY-MM-DD for articles without one.")] = None,
    model: Annotated[str, typer.Option(envvar="KG_MODEL", help="spaCy pipeline (package or path).")] = "en_core_web_sm",
    base: Annotated[Optional[str], typer.Option(help="Base IRI of minted instances (ends in / or #).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="Comma-separated: ttl,trig,nq,nt,jsonld,xml.")] = "ttl,trig",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Read stdin as JSONL (one article per line).")] = False,
    on_error: Annotated[str, typer.Option(help="'skip' bad articles (reported) or 'fail' at the first.")] = "skip",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes on this machine.")] = 1,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Parse every article again.")] = False,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Cache folder (default OUTPUT/.kg-cache); --online "
                                                      "keeps Wikidata's answers in CACHE_DIR/wikidata.")] = None,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address tcp://HOST:PORT.")] = None,
    dask_local: Annotated[int, typer.Option(min=0, help="Run on a local Dask cluster of N workers.")] = 0,
    online: Annotated[bool, typer.Option("--online", help="Look entities up in Wikidata (network; answers cached "
                                         "in CACHE_DIR/wikidata, else $KG_CACHE_DIR or the XDG cache; offline if "
                                         "unreachable).")] = False,
    store: Annotated[Optional[Path], typer.Option("--store", help="Also load the build into this embedded store.")] = None,
    reason: Annotated[bool, typer.Option("--reason", help="Also write the OWL 2 RL inferences (inferred.ttl).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Build the knowledge graph of news articles.

    Example: kg build seeds/ --published 2013-09-22 -o out
    """
    from kg.build import BuildOptions, build as run_build
    from kg.errors import InputError
    from kg.ingest.articles import parse_published
    from kg.rdf.namespaces import DEFAULT_BASE
    from kg.rdf.serialize import parse_formats

    if on_error not in ("skip", "fail"):
        raise InputError(f"invalid --on-error '{on_error}': use skip or fail")
    options = BuildOptions(
        inputs=tuple(inputs), outdir=output, published=parse_published(published) if published else None,
        model=model, base=base or DEFAULT_BASE, formats=parse_formats(fmt), jsonl=jsonl,
        strict=on_error == "fail", jobs=jobs, cache=not no_cache, cache_dir=cache_dir,
        scheduler=scheduler or (f"local:{dask_local}" if dask_local else None), online=online,
    )
    quiet = is_quiet(quiet)
    log.info("reading %s", ", ".join(inputs))
    with _progress(quiet, inputs, jsonl) as progress:
        summary = run_build(options, progress)
    for problem in summary.skipped:  # a file name may hold a newline or an escape character
        err.print(f"skipped {printable(str(problem.source))}: {printable(problem.message)}", highlight=False,
                  markup=False, soft_wrap=True)
    if not quiet:
        out.print(f"{summary.line()} -> {output}", highlight=False, markup=False)
    if store is not None:
        from kg.stores.store import load_into_store

        graphs = load_into_store([output], store)
        if not quiet:
            out.print(f"{graphs} graphs loaded into the store {store}", highlight=False, markup=False)
    if reason:
        from kg.query.reason import reason as run_reason

        count, path = run_reason([output], None)
        if not quiet:
            out.print(f"{count} inferred triples -> {path}", highlight=False, markup=False)


@contextmanager
def _progress(quiet: bool, inputs: list[str], jsonl: bool):
    """A progress bar on stderr: articles done of the total (files, JSONL lines counted
    first), rate, time spent and time left."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    if quiet or not err.is_terminal:
        yield None
        return
    from kg.ingest.inputs import count_articles

    total = count_articles(inputs, jsonl=jsonl)
    columns = (SpinnerColumn(), TextColumn("building"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(), TextColumn("left"),
               TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("build", total=total, rate="-")
        started = time.perf_counter()

        def update(done: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, rate=f"{rate:.1f}", total=max(total or 0, done) or None)

        yield update


def register(app: typer.Typer) -> None:
    """Add ``kg build`` to ``app`` (a second call does nothing)."""
    if "build" not in {info.name for info in app.registered_commands}:
        app.command("build")(handles_errors(build))
