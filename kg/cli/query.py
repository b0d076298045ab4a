"""``kg query`` and ``kg answers``: SPARQL over a build, an embedded store or an
endpoint, printed as a table, CSV, TSV, JSON, Turtle or N-Triples."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.cli.console import handles_errors, log, out

if TYPE_CHECKING:
    from kg.query.sparql import GraphResult, QueryResult, ResultTable

__all__ = ["register", "query", "answers", "TABLE_FORMATS", "GRAPH_FORMATS"]


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


def register(app: typer.Typer) -> None:
    """Add ``kg query`` and ``kg answers`` to ``app`` (a second call does nothing)."""
    present = {info.name for info in app.registered_commands}
    for name, command in (("query", query), ("answers", answers)):
        if name not in present:
            app.command(name)(handles_errors(command))
