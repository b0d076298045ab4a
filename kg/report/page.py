"""An HTML report of a build: one self-contained page to look at the graph.

``write_report(paths, output)`` loads build outputs (as ``kg query`` does),
gathers what a reader wants to see (``kg.report.sections``: the contract
queries of ``queries/`` and the report's own in ``queries/report/``), and
writes ONE HTML file:

- an interactive graph of entities and events (vis-network), coloured by
  category and event type; clicking a node opens a side panel with its
  labels, Wikidata link, connections and source sentences;
- a timeline of the dated events;
- the reported figures grouped by event and measure, so that sources which
  disagree stand side by side;
- the statements with their speakers, and the claims of responsibility.

The page needs no network when viewed: the vis-network script and style are
read from the installed ``pyvis`` package (which ships them) and inlined, and
the data are embedded as JSON in a ``<script type="application/json">`` block
with ``<``, ``>`` and ``&`` escaped, so no article text can close the block.

The functions are pure where they can be: ``kg.report.sections.gather(store)``
returns plain JSON-ready data, ``render(data, ...)`` returns the HTML text.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import __version__
from kg.errors import InputError, KgError, OutputError
from kg.paths import TEMPLATES_DIR
from kg.query.sparql import load_store
from kg.rdf.serialize import atomic_write
from kg.report.sections import ReportData, gather

__all__ = ["VisAssets", "vis_assets", "render", "embed_json", "script_safe", "write_report", "DEFAULT_NODE_CAP"]

#: How many nodes the graph shows at first (the most connected ones).
DEFAULT_NODE_CAP = 150


# --- assets ------------------------------------------------------------------

@dataclass(frozen=True)
class VisAssets:
    """The vis-network script and style, as text, and where they came from."""

    js: str
    css: str
    version: str
    source: str


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


def vis_assets() -> VisAssets:
    """vis-network's standalone build as shipped inside the installed ``pyvis`` wheel."""
    try:
        dist = importlib.metadata.distribution("pyvis")
    except importlib.metadata.PackageNotFoundError:
        raise KgError("the report needs the pyvis package (it ships vis-network): pip install pyvis") from None
    found: dict[str, tuple[Path, Path]] = {}
    for file in dist.files or ():
        parts = file.parts
        if (len(parts) == 4 and parts[:2] == ("pyvis", "lib") and parts[2].startswith("vis-")
                and parts[3] == "vis-network.min.js"):
            js = Path(str(dist.locate_file(file)))
            css = js.with_name("vis-network.css")
            if js.is_file() and css.is_file():
                found[parts[2][len("vis-"):]] = (js, css)
    if not found:
        raise KgError("the installed pyvis package has no vis-network script: reinstall pyvis")
    version = max(found, key=_version_key)
    js, css = found[version]
    return VisAssets(js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8"), version,
                     f"pyvis {dist.version}")


# --- rendering -------------------------------------------------------------------

_UNSAFE_JSON = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embed_json(data: Any) -> str:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&' left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _UNSAFE_JSON[m.group()], text)


def script_safe(code: str, tag: str = "script") -> str:
    """Inline code (JS or CSS) that cannot end its own <script>/<style> element early."""
    code = re.sub(rf"</(?={tag})", r"<\\/", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


def _template_text(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


def render(data: ReportData, *, title: str = "kg report", sources: Sequence[str] = (),
           assets: VisAssets | None = None, node_cap: int = DEFAULT_NODE_CAP,
           generated: str | None = None) -> str:
    """The report page for ``gather``'s data, with every script and style inlined."""
    import jinja2

    assets = assets or vis_assets()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                             keep_trailing_newline=True)
    config = {"nodeCap": node_cap, "title": title, "sources": list(sources), "version": __version__,
              "generated": generated or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
              "vis": f"vis-network {assets.version} ({assets.source})"}
    page = env.get_template("report.html.j2").render(
        title=title,
        vis_css=jinja2.utils.markupsafe.Markup(script_safe(assets.css, "style")),
        app_css=jinja2.utils.markupsafe.Markup(script_safe(_template_text("report.css"), "style")),
        vis_js=jinja2.utils.markupsafe.Markup(script_safe(assets.js)),
        app_js=jinja2.utils.markupsafe.Markup(script_safe(_template_text("report.js"))),
        data_json=jinja2.utils.markupsafe.Markup(embed_json(data)),
        config_json=jinja2.utils.markupsafe.Markup(embed_json(config)),
    )
    return page


def write_report(paths: Sequence[str | Path], output: str | Path, *, title: str | None = None,
                 node_cap: int = DEFAULT_NODE_CAP) -> Path:
    """Read the build outputs at ``paths`` and write the report to ``output`` (one HTML file)."""
    output = Path(output)
    if output.is_dir():
        raise OutputError(f"output '{output}' is a folder: give a file name such as report.html")
    if node_cap < 1:
        raise InputError(f"invalid node cap {node_cap}: give a positive number")
    assets = vis_assets()
    store = load_store(paths)
    data = gather(store)
    sources = [str(p) for p in paths]
    page = render(data, title=title or "kg report: " + ", ".join(Path(p).name or str(p) for p in paths),
                  sources=sources, assets=assets, node_cap=node_cap)
    try:
        with atomic_write(output) as handle:
            handle.write(page.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"cannot write '{output}': {exc.strerror or exc}") from exc
    return output
