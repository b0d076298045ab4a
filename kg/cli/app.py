"""The ``kg`` command: a thin Typer app over the library.

Each command parses its options, calls one library function and prints.
A ``KgError`` becomes a one-line message on stderr and its exit code
(``kg.cli.console``). The commands live in ``kg.cli.build``, ``kg.cli.query``,
``kg.cli.report`` and ``kg.cli.store``; each adds itself with ``register(app)``.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kg import __version__
from kg.cli import build, query, report, store
from kg.cli.console import configure_logging, out, settings
from kg.cli.group import KgGroup

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    cls=KgGroup,
    help="Build event-centric RDF knowledge graphs from news articles, and query them.\n\n"
    "Example: kg build seeds/ --published 2013-09-22 -o out && kg query entities --data out",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


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
    configure_logging(settings.verbosity, settings.quiet)


for _commands in (build, query, report, store):  # the order of kg --help
    _commands.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
