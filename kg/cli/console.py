"""What every ``kg`` command shares: the consoles, the root options' settings, one-line
errors and the log handler. No other CLI module is imported here, and every command
module imports this one (never another command module, nor the app)."""

from __future__ import annotations

import functools
import logging
import os
import sys
from dataclasses import dataclass
from typing import Callable, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from kg.errors import KgError, printable

__all__ = ["err", "out", "log", "settings", "handles_errors", "is_quiet", "say", "configure_logging"]

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
        except BrokenPipeError:  # the reader left ("kg answers | head"): stop without a word
            _drop_stdout()
            raise typer.Exit(141) from None  # 128 + SIGPIPE, what a shell shows for such an end
        except (OSError, UnicodeError) as exc:  # the environment (disk full, a vanished file...): still one line
            err.print(f"error: {_one_line(exc)}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit finds no closed pipe either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (a test runner's buffer)
        pass


def _one_line(exc: BaseException) -> str:
    """An unexpected OSError or UnicodeError as one line: what failed, on which file."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" '{exc.filename}'" if exc.filename is not None else ""
        text = f"{exc.strerror}{where}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def configure_logging(verbosity: int, quiet: bool) -> None:
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


def say(text: str, *, error: bool = False) -> None:
    """One plain line (no markup, no wrapping) on stdout, or stderr; nothing but errors with -q."""
    if is_quiet() and not error:
        return
    (err if error else out).print(text, highlight=False, markup=False, soft_wrap=True)
