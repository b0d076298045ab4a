"""The ``kg report`` command: one self-contained HTML page of a build.

Registered on the main app by ``register(app)`` (see kg/cli/app.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.console import handles_errors, is_quiet, out

__all__ = ["register", "report"]


def report(
    paths: Annotated[list[Path], typer.Argument(help="Build folders (kg build -o) or RDF files.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path("report.html"),
    title: Annotated[Optional[str], typer.Option(help="Title of the page.")] = None,
    nodes: Annotated[int, typer.Option("--nodes", help="How many nodes the graph shows at first (the most connected).")] = 150,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Write an HTML report of a build: graph, timeline, figures and statements.

    The page is one file with its scripts and data inlined: it opens offline.

    Example: kg report out -o report.html
    """
    from kg.report.page import write_report

    written = write_report(paths, output, title=title, node_cap=nodes)
    if not is_quiet(quiet):
        out.print(f"report -> {written}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app`` (a second call does nothing)."""
    if "report" not in {info.name for info in app.registered_commands}:
        app.command("report")(handles_errors(report))
