"""The ``kg`` command: a thin Typer app over the library (``kg.cli.app``)."""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    """The console script ``kg`` (``kg.cli:main`` in pyproject.toml)."""
    from kg.cli.app import main as run

    run()
