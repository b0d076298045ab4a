"""The ``kg`` command: a thin Typer app over the library.

Each command parses its options, calls one library function and prints.
A ``KgError`` becomes a one-line message on stderr and its exit code.
"""

from __future__ import annotations

import functools
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Optional, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg import __version__
from kg.errors import KgError, printable

if TYPE_CHECKING:
    from kg.query import ResultTable

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="Build event-centric RDF knowledge graphs from news articles, and query them.\n\n"
    "Example: kg build seeds/ --published 2013-09-22 -o out && kg query entities.rq --data out",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)  # tables stay readable when piped
F = TypeVar("F", bound=Callable[..., object])


def handles_errors(func: F) -> F:
    """Turn KgError into a one-line message and its exit code (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except KgError as exc:  # text, not markup ('[/x].txt' stays), control characters escaped
            err.print(f"[red]error:[/red] {escape(printable(exc.message))}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None
        except (OSError, UnicodeError) as exc:  # the environment (disk full, a vanished file...): still one line
            err.print(f"error: {_one_line(exc)}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _one_line(exc: BaseException) -> str:
    """An unexpected OSError or UnicodeError as one line: what failed, on which file."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" '{exc.filename}'" if exc.filename is not None else ""
        text = f"{exc.strerror}{where}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _version(value: bool) -> None:
    if value:
        out.print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = None,
) -> None:
    """kg: news articles in, an event-centric RDF knowledge graph out."""


@app.command()
@handles_errors
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
    cache_dir: Annotated[Optional[Path], typer.Option(help="Cache folder (default OUTPUT/.kg-cache).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address tcp://HOST:PORT.")] = None,
    dask_local: Annotated[int, typer.Option(min=0, help="Run on a local Dask cluster of N workers.")] = 0,
    online: Annotated[bool, typer.Option("--online", help="Look entities up in Wikidata (network; cached on disk).")] = False,
    store: Annotated[Optional[Path], typer.Option("--store", help="Also load the build into this embedded store.")] = None,
    reason: Annotated[bool, typer.Option("--reason", help="Also write the OWL 2 RL inferences (inferred.ttl).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Build the knowledge graph of news articles.

    Example: kg build seeds/ --published 2013-09-22 -o out
    """
    from kg.build import BuildOptions, build as run_build
    from kg.errors import InputError
    from kg.ingest import parse_published
    from kg.namespaces import DEFAULT_BASE
    from kg.serialize import parse_formats

    if on_error not in ("skip", "fail"):
        raise InputError(f"invalid --on-error '{on_error}': use skip or fail")
    options = BuildOptions(
        inputs=tuple(inputs), outdir=output, published=parse_published(published) if published else None,
        model=model, base=base or DEFAULT_BASE, formats=parse_formats(fmt), jsonl=jsonl,
        strict=on_error == "fail", jobs=jobs, cache=not no_cache, cache_dir=cache_dir,
        scheduler=scheduler or (f"local:{dask_local}" if dask_local else None), online=online,
    )
    with _progress(quiet) as progress:
        summary = run_build(options, progress)
    for problem in summary.skipped:  # a file name may hold a newline or an escape character
        err.print(f"skipped {printable(str(problem.source))}: {printable(problem.message)}", highlight=False,
                  markup=False, soft_wrap=True)
    if not quiet:
        out.print(f"{summary.line()} -> {output}", highlight=False, markup=False)
    if store is not None:
        from kg.store import load_into_store

        graphs = load_into_store([output], store)
        if not quiet:
            out.print(f"{graphs} graphs loaded into the store {store}", highlight=False, markup=False)
    if reason:
        from kg.reason import reason as run_reason

        count, path = run_reason([output], None)
        if not quiet:
            out.print(f"{count} inferred triples -> {path}", highlight=False, markup=False)


@contextmanager
def _progress(quiet: bool):
    """A progress bar on stderr (articles, rate) once a build passes a few articles."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    if quiet or not err.is_terminal:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("building"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("build", total=None, rate="-")
        started = time.perf_counter()

        def update(done: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, rate=f"{rate:.1f}")

        yield update


@app.command()
@handles_errors
def query(
    query: Annotated[str, typer.Argument(help="A .rq file (path, or name in queries/) or a SPARQL string.")],
    data: Annotated[list[Path], typer.Option("--data", "-d", help="Build folder or RDF files (repeatable).")] = [],
    store: Annotated[Optional[Path], typer.Option("--store", help="An embedded store folder instead of --data.")] = None,
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", help="A SPARQL endpoint URL instead of --data.")] = None,
    user: Annotated[Optional[str], typer.Option("--user", envvar="KG_STORE_USER", help="User for --endpoint.")] = None,
    password: Annotated[Optional[str], typer.Option("--password", envvar="KG_STORE_PASSWORD", show_default=False,
                                                    help="Password for --endpoint (prefer KG_STORE_PASSWORD).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.001, help="Seconds the query may run (or to wait for --endpoint).")] = 30.0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow SERVICE (federated queries: this host sends requests).")] = False,
) -> None:
    """Run a SPARQL SELECT query over a build (with the ontology), an embedded store or an endpoint.

    Example: kg query queries/figures.rq --data out --format csv
    Example: kg query events.rq --endpoint http://127.0.0.1:7878/query
    """
    from kg.errors import InputError
    from kg.query import check_service, load_store, read_query, run_query

    if fmt not in ("table", "csv", "json"):
        raise InputError(f"invalid --format '{fmt}': use table, csv or json")
    if sum((bool(data), store is not None, endpoint is not None)) > 1:
        raise InputError("give only one of --data, --store, --endpoint")
    text = read_query(query)
    check_service(text, allow_service)
    if endpoint is not None:
        from kg.remote import query_endpoint

        table = query_endpoint(endpoint, text, timeout=timeout, user=user, password=password)
    elif store is not None:
        from kg.store import query_store

        table = query_store(store, text, allow_service=allow_service, timeout=timeout)
    else:
        table = run_query(load_store(data or [Path("out")]), text, allow_service=allow_service, timeout=timeout)
    _print_table(table, fmt)


@app.command()
@handles_errors
def answers(
    data: Annotated[list[Path], typer.Option("--data", "-d", help="Build folder or RDF files (repeatable).")] = [],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
) -> None:
    """Answer every competency question (each query of queries/) over a build.

    Example: kg answers --data out
    """
    from kg.paths import QUERIES_DIR
    from kg.query import load_store, read_query, run_query

    store = load_store(data or [Path("out")])
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = read_query(str(path))
        question = next((l.lstrip("# ").strip() for l in text.splitlines() if l.startswith("#")), path.stem)
        out.rule(f"{path.name}: {question}")
        _print_table(run_query(store, text), fmt)


from kg.cli_report import register as _register_report  # noqa: E402

_register_report(app)


def _print_table(table: "ResultTable", fmt: str) -> None:
    from kg.query import shorten, to_csv, to_json

    if fmt == "csv":
        sys.stdout.write(to_csv(table))
    elif fmt == "json":
        sys.stdout.write(to_json(table) + "\n")
    else:
        view = Table(*table.variables, show_lines=False)
        for row in table.rows:
            view.add_row(*(shorten(t) for t in row))
        out.print(view)
        out.print(f"{len(table.rows)} rows", style="dim")


from kg.cli_store import register as _register_store_commands  # noqa: E402

_register_store_commands(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
