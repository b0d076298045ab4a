"""The ``kg`` commands for stores, validation and reasoning.

``register(app)`` adds them to the main Typer app (idempotent): reason,
validate, load, serve, store-load, clear-cache (the Wikidata answers of --online). Each parses its options, calls one library
function and prints one summary line; a KgError is one line and its exit code
(``kg.cli.console.handles_errors``, applied by ``register``). Passwords are read from options or the
environment and never printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.console import handles_errors, say
from kg.errors import ValidationFailed
from kg.paths import SHAPES_FILE

__all__ = ["register"]


def _is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


DataPaths = Annotated[list[Path], typer.Argument(help="Build output folders (kg build -o) or RDF files.")]


def reason_command(
    paths: DataPaths,
    output: Annotated[Optional[Path], typer.Option("-o", "--output",
                                                   help="File to write: .ttl, or .trig for a named graph <base>graph/inferred. "
                                                        "Default: inferred.ttl next to the build.")] = None,
    keep_going: Annotated[bool, typer.Option("--keep-going", "-k",
                                             help="On inconsistency, leave out the articles of each clash's "
                                                  "minority reading and write the inferences of the rest "
                                                  "(still exit 1).")] = False,
) -> None:
    """Infer with OWL 2 RL and write only the inferred triples; exit 1 if inconsistent (naming the clashing triples).

    Example: kg reason out -o out/inferred.ttl
    """
    from kg.query.reason import reason

    count, written = reason(paths, output, keep_going=keep_going)
    say(f"{count} inferred triples -> {written}")


def validate_command(
    paths: DataPaths,
    shapes: Annotated[Path, typer.Option("--shapes", help="SHACL shapes (Turtle).")] = SHAPES_FILE,
) -> None:
    """Validate build outputs with SHACL: exit 0 if they conform, 1 with the report if not, 2 if unreadable.

    Example: kg validate out --shapes ontology/shapes.ttl
    """
    from kg.query.validate import format_report, validate

    conforms, report, _ = validate(paths, shapes)
    if not conforms:
        lines = format_report(report).splitlines()
        for line in lines:
            say(line)
        plural = "" if len(lines) == 1 else "s"
        raise ValidationFailed(f"{len(lines)} violation{plural} of '{shapes.name}': fix the build or the shapes")
    say(f"conforms: {', '.join(str(p) for p in paths)} against {shapes.name}")


def load_command(
    paths: DataPaths,
    store_url: Annotated[str, typer.Option("--store-url", help="Graph Store Protocol endpoint: "
                                           "Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DS/data.")],
    user: Annotated[Optional[str], typer.Option("--user", envvar="KG_STORE_USER",
                                                help="User for HTTP Basic, or Digest when the store asks for it.")] = None,
    password: Annotated[Optional[str], typer.Option("--password", envvar="KG_STORE_PASSWORD", show_default=False,
                                                    help="Password (prefer the environment variable).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each request.")] = 30.0,
) -> None:
    """Load build outputs and the ontology into a remote store: one HTTP PUT per named graph (re-loads replace).

    Example: KG_STORE_PASSWORD=... kg load out --store-url http://localhost:3030/kg/data --user admin
    """
    from kg.stores.remote import push_graphs, safe_url

    count = push_graphs(paths, store_url, user=user, password=password, timeout=timeout)
    say(f"loaded {count} graphs into {safe_url(store_url)}")


def serve_command(
    data: Annotated[list[Path], typer.Option("--data", "-d", help="Build folder or RDF files to serve (repeatable).")] = [],
    store: Annotated[Optional[Path], typer.Option("--store", help="An embedded store folder (kg store-load).")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 7878,
    writable: Annotated[bool, typer.Option("--writable", help="Accept SPARQL updates and Graph Store writes.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds a query may run.")] = 30.0,
    memory: Annotated[int, typer.Option("--memory", min=256, help="Memory limit of the Oxigraph server (MiB of address space).")] = 2048,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow SERVICE and LOAD (the server then sends requests).")] = False,
) -> None:
    """Serve a SPARQL endpoint with the Oxigraph server until Ctrl-C (default graph = union of the graphs).

    Example: kg serve --data out --port 7878   (then query http://127.0.0.1:7878/query)
    """
    from kg.stores.serve import Limits, serve

    def ready(url: str) -> None:
        mode = "read-write" if writable else "read-only"
        say(f"serving {mode} at {url} (SPARQL endpoint {url}query); Ctrl-C to stop")
        if not _is_loopback(host):
            say(f"warning: --host {host} exposes the endpoint beyond this machine", error=True)

    limits = Limits(timeout=timeout, memory_mb=memory, allow_service=allow_service)
    serve(data or None, store, host=host, port=port, writable=writable, limits=limits, on_ready=ready)
    say("server stopped", error=True)


def store_load_command(
    paths: DataPaths,
    store: Annotated[Path, typer.Option("--store", help="Store folder (created if missing).")],
) -> None:
    """Load build outputs and the ontology into an embedded Oxigraph store on disk (re-loads replace).

    Example: kg store-load out --store kg-store && kg serve --store kg-store
    """
    from kg.stores.store import load_into_store

    count = load_into_store(paths, store)
    say(f"loaded {count} graphs into store {store}")


def clear_cache_command(
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", help="The cache folder given to kg build "
                                                      "--cache-dir (default: $KG_CACHE_DIR, else the XDG cache).")] = None,
) -> None:
    """Remove the Wikidata answers that kg build --online cached on disk.

    Example: kg clear-cache   (or: kg clear-cache --cache-dir my-cache)
    """
    from kg.link.online import clear_cache, default_cache_dir

    folder = cache_dir / "wikidata" if cache_dir is not None else default_cache_dir()
    count = clear_cache(folder)
    say(f"removed {count} cached Wikidata answer{'' if count == 1 else 's'} from {folder}")


_COMMANDS = {
    "reason": reason_command,
    "validate": validate_command,
    "load": load_command,
    "serve": serve_command,
    "store-load": store_load_command,
    "clear-cache": clear_cache_command,
}


def register(app: typer.Typer) -> None:
    """Add the commands to ``app``, each wrapped in ``kg.cli.console.handles_errors`` (a second call does nothing)."""
    present = {info.name for info in app.registered_commands}
    for name, command in _COMMANDS.items():
        if name not in present:
            app.command(name=name)(handles_errors(command))
