"""The ``kg`` command: a thin Typer app over the library.

Each command parses its options, calls one library function and prints.
A ``KgError`` becomes a one-line message on stderr and its exit code.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Optional, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg import __version__
from kg.cli.group import KgGroup
from kg.errors import KgError, printable

if TYPE_CHECKING:
    from kg.query.sparql import GraphResult, QueryResult, ResultTable

__all__ = ["app", "main", "settings", "is_quiet"]

app = typer.Typer(
    name="kg",
    cls=KgGroup,
    help="Build event-centric RDF knowledge graphs from news articles, and query them.\n\n"
    "Example: kg build seeds/ --published 2013-09-22 -o out && kg query entities --data out",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)  # rules and lines when piped
F = TypeVar("F", bound=Callable[..., object])
log = logging.getLogger("kg")


@dataclass
class _Settings:
    """What the root options (-v, -q) set for every command."""

    verbosity: int = 0
    quiet: bool = False


settings = _Settings()


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
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True,
                                         help="Say more on stderr: -v what each step does, -vv debug.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but results and errors.")] = False,
) -> None:
    """kg: news articles in, an event-centric RDF knowledge graph out."""
    settings.verbosity, settings.quiet = (0, True) if quiet else (verbose, False)
    _configure_logging(settings.verbosity, settings.quiet)


def _configure_logging(verbosity: int, quiet: bool) -> None:
    """kg's log lines on stderr: warnings by default, errors only with -q, info with -v, debug with -vv."""
    from rich.logging import RichHandler

    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO)[min(verbosity, 1)]
    level = logging.DEBUG if verbosity >= 2 else level
    logger = logging.getLogger("kg")  # records still propagate (a host's handlers, pytest's caplog)
    logger.handlers = [RichHandler(console=err, show_time=verbosity >= 2, show_path=False, markup=False)]
    logger.setLevel(level)


def is_quiet(flag: bool = False) -> bool:
    """A command's own --quiet, or the root's -q."""
    return flag or settings.quiet


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
    from kg.ingest.inputs import parse_published
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


def _sources(data: list[Path], store: Optional[Path], endpoint: Optional[str], user: Optional[str],
             password: Optional[str], timeout: float, allow_service: bool = False) -> Callable[[str], "QueryResult"]:
    """One of --data, --store, --endpoint as a function: query text -> result (SERVICE
    refused unless ``allow_service``, local queries ended after ``timeout`` seconds)."""
    from kg.errors import InputError
    from kg.query.sparql import run_sparql

    if sum((bool(data), store is not None, endpoint is not None)) > 1:
        raise InputError("give only one of --data, --store, --endpoint")
    if endpoint is not None:
        from kg.stores.endpoint import query_any

        return lambda text: query_any(endpoint, text, timeout=timeout, user=user, password=password)
    if store is not None:
        from kg.stores.store import sparql_on_store

        return lambda text: sparql_on_store(store, text, allow_service=allow_service, timeout=timeout)
    from kg.query.sparql import load_store

    loaded = load_store(data or [Path("out")])
    return lambda text: run_sparql(loaded, text, allow_service=allow_service, timeout=timeout)


def _timed(run: Callable[[str], "QueryResult"], text: str, name: str) -> "QueryResult":
    started = time.perf_counter()
    result = run(text)
    log.info("%s answered in %.0f ms", name, (time.perf_counter() - started) * 1000)
    return result


def _rows(n: int) -> str:
    return "1 row" if n == 1 else f"{n} rows"


def _query_names(incomplete: str) -> list[str]:
    """Shell completion of ``kg query NAME``: the contract queries."""
    from kg.query.sparql import contract_queries

    return [p.stem for p in contract_queries() if p.stem.startswith(incomplete)]


def _format_names(incomplete: str) -> list[str]:
    return [f for f in (*TABLE_FORMATS, "ttl", "nt") if f.startswith(incomplete)]


_Data = Annotated[list[Path], typer.Option("--data", "-d", help="Build folder or RDF files (repeatable).")]
_Store = Annotated[Optional[Path], typer.Option("--store", help="An embedded store folder instead of --data.")]
_Endpoint = Annotated[Optional[str], typer.Option("--endpoint", help="A SPARQL endpoint URL instead of --data.")]
_User = Annotated[Optional[str], typer.Option("--user", envvar="KG_STORE_USER", help="User for --endpoint.")]
_Password = Annotated[Optional[str], typer.Option("--password", envvar="KG_STORE_PASSWORD", show_default=False,
                                                  help="Password for --endpoint (prefer KG_STORE_PASSWORD).")]
_Timeout = Annotated[float, typer.Option("--timeout", help="Seconds to wait for --endpoint.")]
#: --format values: SELECT tables, and graphs (CONSTRUCT, DESCRIBE).
TABLE_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = {"ttl": "ttl", "turtle": "ttl", "nt": "nt", "ntriples": "nt"}


@app.command()
@handles_errors
def query(
    query: Annotated[str, typer.Argument(help="A contract query by name (figures), a .rq file or a SPARQL string.",
                                         autocompletion=_query_names)],
    data: _Data = [],
    store: _Store = None,
    endpoint: _Endpoint = None,
    user: _User = None,
    password: _Password = None,
    timeout: _Timeout = 30.0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="SELECT: table, csv, tsv or json; CONSTRUCT/DESCRIBE: "
                                     "ttl or nt (table = ttl); ASK prints true or false.",
                                     autocompletion=_format_names)] = "table",
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow SERVICE (federated queries: this host sends requests).")] = False,
) -> None:
    """Run a SPARQL query (any form) over a build (with the ontology), an embedded store or an endpoint.

    ASK prints true or false and exits 0 or 1. Tables print IRIs as prefixed names or <IRIs>
    that a query takes back (entity:, article:, kgo:, ... are declared in every query).

    Example: kg query figures --data out --format csv
    Example: kg query "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kgo:Attack ; ?p ?o }" --data out --format nt
    Example: kg query events.rq --endpoint http://127.0.0.1:7878/query
    """
    from kg.errors import InputError
    from kg.query.sparql import check_service, read_query

    if fmt not in TABLE_FORMATS and fmt not in GRAPH_FORMATS:
        raise InputError(f"invalid --format '{fmt}': use table, csv, tsv or json for tables, ttl or nt for graphs")
    text = read_query(query)
    check_service(text, allow_service)
    run = _sources(data, store, endpoint, user, password, timeout, allow_service)
    result = _timed(run, text, "the query")
    if isinstance(result, bool):
        _print_boolean(result, fmt)
        raise typer.Exit(0 if result else 1)
    _print_result(result, fmt)


@app.command()
@handles_errors
def answers(
    data: _Data = [],
    store: _Store = None,
    endpoint: _Endpoint = None,
    user: _User = None,
    password: _Password = None,
    timeout: _Timeout = 30.0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = "table",
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=0, show_default=False,
                                                 help="Rows shown per question (0: all). Default: a screenful "
                                                      "for tables, all for csv, tsv and json.")] = None,
) -> None:
    """Answer every competency question (each contract query of queries/): per question,
    its row count and its first rows.

    Example: kg answers --data out
    Example: kg answers --store kg-store --limit 0
    Example: kg answers --endpoint http://127.0.0.1:7878/query --format json
    """
    from kg.errors import InputError
    from kg.query.sparql import contract_queries, read_query

    if fmt not in TABLE_FORMATS:
        raise InputError(f"invalid --format '{fmt}': use table, csv, tsv or json")
    run = _sources(data, store, endpoint, user, password, timeout)
    shown = limit if limit is not None else (_screenful() if fmt == "table" else 0)
    documents = {}
    for path in contract_queries():
        text = read_query(str(path))
        table = _timed(run, text, path.name)
        if fmt == "json":
            documents[path.stem] = _limited(table, shown)
            continue
        question = next((l.lstrip("# ").strip() for l in text.splitlines() if l.startswith("#")), path.stem)
        _print_question(path.name, question, table, fmt, shown)
    if fmt == "json":
        from kg.query.sparql import to_json

        sys.stdout.write("{\n" + ",\n".join(f"{json.dumps(name)}: {to_json(t)}" for name, t in documents.items())
                         + "\n}\n")


def _screenful() -> int:
    """Rows of one question that fit the terminal (with its title, header, borders and count)."""
    import shutil

    return max(5, shutil.get_terminal_size((100, 30)).lines - 9)


def _limited(table: "ResultTable", limit: int) -> "ResultTable":
    from kg.query.sparql import ResultTable

    return table if not limit or len(table.rows) <= limit else ResultTable(table.variables, table.rows[:limit])


def _print_question(name: str, question: str, table: "ResultTable", fmt: str, limit: int) -> None:
    total = len(table.rows)
    shown = _limited(table, limit)
    more = f", first {len(shown.rows)} shown (--limit 0 for all)" if len(shown.rows) < total else ""
    if fmt == "table":
        out.rule(f"{name}: {question}")
        _print_result(shown, fmt, count=f"{_rows(total)}{more}")
    else:
        sys.stdout.write(f"# {name}: {question} ({_rows(total)}{more})\n")
        _print_result(shown, fmt)
        sys.stdout.write("\n")


from kg.cli.report import register as _register_report  # noqa: E402

_register_report(app)


def _print_boolean(value: bool, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps({"head": {}, "boolean": value}) + "\n")
    else:
        sys.stdout.write(("true" if value else "false") + "\n")


def _print_result(result: "ResultTable | GraphResult", fmt: str, count: str | None = None) -> None:
    """A SELECT table as table/CSV/TSV/JSON, a graph as Turtle or N-Triples."""
    from kg.errors import InputError
    from kg.query.sparql import GraphResult, to_csv, to_json

    if isinstance(result, GraphResult):
        if fmt in TABLE_FORMATS[1:]:
            raise InputError(f"--format {fmt} is for tables: this query gives a graph, printed as ttl or nt")
        sys.stdout.write(result.serialize(GRAPH_FORMATS.get(fmt, "ttl")).decode("utf-8"))
        log.info("%d triples", len(result.triples))
        return
    if fmt in GRAPH_FORMATS:
        raise InputError(f"--format {fmt} is for graphs: this query gives a table, printed as table, csv, tsv or json")
    if fmt in ("csv", "tsv"):
        sys.stdout.write(to_csv(result, delimiter="\t" if fmt == "tsv" else ","))
    elif fmt == "json":
        sys.stdout.write(to_json(result) + "\n")
    else:
        _print_table(result, count or _rows(len(result.rows)))


def _print_table(table: "ResultTable", count: str) -> None:
    """A Rich table; on a terminal long cells fold, piped nothing is cut or folded."""
    from kg.query.sparql import display

    view = Table(*table.variables, show_lines=False)
    for column in view.columns:
        column.overflow = "fold"
    for row in table.rows:
        view.add_row(*(escape(display(t)) for t in row))
    console = out if out.is_terminal else Console(width=1_000_000, no_color=True)
    console.print(view, crop=False)
    out.print(count, style="dim", highlight=False)


from kg.cli.store import register as _register_store_commands  # noqa: E402

_register_store_commands(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
