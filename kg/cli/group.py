"""The ``kg`` command group: help that shows Click's conventional metavars.

Typer 0.2x prints a parameter's Python type (``<str>``, ``<bool>``,
``<list[Path]>``); users of Click tools expect TEXT, PATH, INTEGER, FLOAT, and
no metavar after a flag. ``KgGroup`` gives every command of the app, and its
help option, those labels; behaviour and parsing are Typer's own.
"""

from __future__ import annotations

import typing
from pathlib import Path

from typer.core import TyperArgument, TyperGroup

__all__ = ["KgGroup"]

_TYPE_METAVARS = {int: "INTEGER", float: "FLOAT", str: "TEXT", Path: "PATH"}


def _conventional_metavar(param: typing.Any) -> None:
    """Click's metavars in help (TEXT, PATH, INTEGER, FLOAT; none for flags), not Typer's <str>."""
    desc = getattr(param, "type_descriptor", None)
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        label = None
    elif desc is None or desc.is_choice or getattr(param, "metavar", None):
        return
    else:
        element = typing.get_args(desc.annotation)[0] if desc.is_list else desc.annotation
        label = _TYPE_METAVARS.get(element, "TEXT") + ("..." if param.nargs != 1 else "")
    param.display_type_rich = lambda ctx: label  # an instance attribute: this parameter only
    if isinstance(param, TyperArgument) and param.metavar is None:
        param.metavar = param.name.upper() if param.name else None  # Usage: kg build INPUTS...


def _conventional(command: typing.Any) -> None:
    """Conventional metavars on every parameter a command shows, its help option too."""
    for param in command.params:
        _conventional_metavar(param)
    help_option = command.get_help_option

    def get_help_option(ctx: typing.Any) -> typing.Any:
        option = help_option(ctx)
        if option is not None:
            _conventional_metavar(option)
        return option

    command.get_help_option = get_help_option  # this command only


class KgGroup(TyperGroup):
    """The kg command group: every command shows conventional metavars."""

    def __init__(self, **attrs: typing.Any) -> None:
        super().__init__(**attrs)
        for command in (self, *self.commands.values()):
            _conventional(command)

    def get_params(self, ctx: typing.Any) -> list[typing.Any]:
        params = super().get_params(ctx)
        for param in params:  # the completion options are added late
            _conventional_metavar(param)
        return params
