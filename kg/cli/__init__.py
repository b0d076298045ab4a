"""The ``kg`` command: a thin Typer app over the library."""
