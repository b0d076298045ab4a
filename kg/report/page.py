"""An HTML report of a build: one self-contained page to look at the graph.

``write_report(paths, output)`` loads build outputs (as ``kg query`` does),
gathers what a reader wants to see with the contract queries of ``queries/``
and a few small queries of its own, and writes ONE HTML file:

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

The functions are pure where they can be: ``gather(store)`` returns plain
JSON-ready data, ``render(data, ...)`` returns the HTML text.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.errors import InputError, KgError, OutputError
from kg.paths import TEMPLATES_DIR
from kg.query.sparql import load_store, plain, read_query, run_query
from kg.rdf.serialize import atomic_write

__all__ = [
    "VisAssets",
    "vis_assets",
    "gather",
    "render",
    "embed_json",
    "script_safe",
    "write_report",
    "CATEGORY_COLOURS",
    "DEFAULT_NODE_CAP",
]

#: How many nodes the graph shows at first (the most connected ones).
DEFAULT_NODE_CAP = 150
#: Source sentences kept per node (the total count is kept too).
MAX_SNIPPETS = 8
#: Longest source sentence kept, in characters (longer ones are cut around the mention).
MAX_SENTENCE = 320

CATEGORY_COLOURS = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Place": "#59a14f",
    "Group": "#b07aa1",
    "Other": "#9c9c9c",
}
#: Event types get these colours in order of their names (stable across builds).
EVENT_PALETTE = (
    "#e15759", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#17becf", "#d37295", "#8cd17d",
    "#bcbd22", "#7f3c8d", "#a5aa99", "#f97b72", "#3969ac", "#e68310", "#008695", "#cf1c90",
    "#4b4b8f", "#80ba5a", "#e73f74", "#11a579", "#f2b701", "#6f4070", "#994e95", "#666666",
)

_WIKIDATA = "http://www.wikidata.org/entity/"

# --- extra queries (the contract queries give the rest) ----------------------
# Values are passed with bindings (run_query(..., bindings=...)), never formatted in.

ARTICLES_QUERY = """
SELECT ?article ?id ?title ?url ?published ?text WHERE {
  GRAPH ?g {
    ?article a kgo:Article ; nif:isString ?text .
    OPTIONAL { ?article schema:identifier ?id }
    OPTIONAL { ?article schema:headline ?title }
    OPTIONAL { ?article schema:url ?url }
    OPTIONAL { ?article schema:datePublished ?published }
  }
}
ORDER BY ?published ?id ?article
"""

#: Mentions of entities and events (anchors with offsets, in their article).
MENTIONS_QUERY = """
SELECT DISTINCT ?node ?article ?anchor ?start ?end WHERE {
  GRAPH ?g {
    ?m kgo:mentionOf ?node ;
       nif:anchorOf ?anchor ;
       nif:beginIndex ?start ;
       nif:endIndex ?end ;
       nif:referenceContext ?article .
  }
}
"""

#: Which articles (named graphs) each entity, agent or event belongs to.
MEMBERS_QUERY = """
SELECT DISTINCT ?node ?article WHERE {
  GRAPH ?g {
    ?article a kgo:Article .
    { ?node kgo:category ?category } UNION { ?node a kgo:Agent } UNION { ?node kgo:article ?article }
  }
}
"""

#: The article events that report each story, with their article's publication date.
STORY_REPORTS_QUERY = """
SELECT DISTINCT ?story ?event ?eventLabel ?article ?published WHERE {
  GRAPH ?g {
    ?event kgo:story ?story ; kgo:article ?article ; rdfs:label ?eventLabel .
    OPTIONAL { ?article schema:datePublished ?published }
  }
}
ORDER BY ?story ?published ?article ?event
"""

#: Links between entities: affiliation, nationality, located in.
RELATIONS_QUERY = """
SELECT DISTINCT ?subject ?relation ?object ?objectLabel WHERE {
  VALUES ?property { kgo:affiliation kgo:nationality kgo:locatedIn }
  GRAPH ?g {
    ?subject ?property ?object .
    OPTIONAL { ?object rdfs:label ?objectLabel }
  }
  BIND(STRAFTER(STR(?property), "#") AS ?relation)
}
"""

#: The labels of one node in every article (used by tests and for agents outside entities.rq).
LABELS_QUERY = """
SELECT DISTINCT ?node ?label WHERE { GRAPH ?g { ?node rdfs:label ?label } } ORDER BY ?label
"""


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


# --- gathering -----------------------------------------------------------------

def _rows(store: ox.Store, query: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None
          ) -> list[dict[str, str]]:
    table = run_query(store, read_query(query), bindings=bindings)
    return [dict(zip(table.variables, (plain(t) for t in row))) for row in table.rows]


def node_labels(store: ox.Store, iri: str) -> list[str]:
    """Every label a node has in any article."""
    return [r["label"] for r in _rows(store, LABELS_QUERY, {"node": ox.NamedNode(iri)})]


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def _number(text: str) -> str:
    """1000 -> '1,000' (integers only; anything else as given)."""
    value = _int(text)
    return f"{value:,}" if value is not None else text


def figure_text(value: str, low: str, high: str, approximate: bool) -> str:
    """A reported figure as a reader writes it: '59', '~175', '10–15', '≥5', '≥200 (approx.)'."""
    if value:
        text = _number(value)
    elif low and high:
        text = f"{_number(low)}–{_number(high)}"
    elif low:
        text = f"≥{_number(low)}"
    elif high:
        text = f"≤{_number(high)}"
    else:
        text = "?"
    if approximate:
        return "~" + text if value else text + " (approx.)"
    return text


_SENTENCE_END = re.compile(r"[.!?](?=[\"'”’)\]]*\s)|\n")


def sentence_around(text: str, start: int, end: int, limit: int = MAX_SENTENCE) -> tuple[str, int, int]:
    """The sentence of ``text`` holding [start, end): (sentence, start, end within it).

    A sentence longer than ``limit`` is cut to a window around the mention, marked with '…'.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    right = len(text)
    match = _SENTENCE_END.search(text, max(end, start))
    if match:
        right = match.end()
    while left < start and text[left].isspace():
        left += 1
    cut_left = cut_right = False
    if right - left > limit:  # a run-on "sentence": keep a window around the mention
        half = max(0, (limit - (end - start)) // 2)
        if start - half > left:
            left, cut_left = start - half, True
        if end + half < right:
            right, cut_right = end + half, True
    prefix = "…" if cut_left else ""
    sentence = text[left:right].rstrip()
    return prefix + sentence + ("…" if cut_right else ""), start - left + len(prefix), end - left + len(prefix)


class _Graph:
    """Nodes by IRI and edges, collected from query rows."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, Counter[str]] = defaultdict(Counter)
        self.edges: dict[tuple[str, str], list[str]] = {}

    def node(self, iri: str, group: str) -> dict[str, Any]:
        node = self.nodes.get(iri)
        if node is None:
            node = self.nodes[iri] = {
                "iri": iri, "group": group, "category": "", "type": "", "kinds": set(),
                "wikidata": "", "articles": set(), "info": defaultdict(set),
            }
        return node

    def label(self, iri: str, label: str) -> None:
        if label:
            self.labels[iri][label] += 1

    def edge(self, source: str, target: str, label: str) -> None:
        if source == target:
            return
        labels = self.edges.setdefault((source, target), [])
        if label not in labels:
            labels.append(label)


def _best_label(counts: Counter[str], iri: str) -> str:
    if not counts:
        return local_name(iri)
    return sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


def _colours(names: Sequence[str], palette: Sequence[str]) -> dict[str, str]:
    return {name: palette[i % len(palette)] for i, name in enumerate(sorted(names))}


def _articles(store: ox.Store) -> tuple[list[dict[str, Any]], dict[str, int], dict[str, str]]:
    articles: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    texts: dict[str, str] = {}
    for row in _rows(store, ARTICLES_QUERY):
        iri = row["article"]
        if iri in index:
            continue
        text = row["text"]
        first = " ".join(text.split())
        title = row["title"] or (first[:77] + "…" if len(first) > 80 else first) or local_name(iri)
        index[iri] = len(articles)
        texts[iri] = text
        articles.append({"iri": iri, "id": row["id"] or local_name(iri), "title": title,
                         "headline": bool(row["title"]), "url": row["url"],
                         "published": row["published"], "chars": len(text)})
    return articles, index, texts


def _stories(store: ox.Store, article_index: dict[str, int]) -> list[dict[str, Any]]:
    """Each story (stories.rq) with its reports in date order and each figure's reports
    (story-figures.rq) as points against report date, for the timeline and the charts."""
    stories: dict[str, dict[str, Any]] = {}
    for row in _rows(store, "stories.rq"):
        stories.setdefault(row["story"], {
            "iri": row["story"], "label": row["label"], "type": local_name(row["type"]),
            "place": row["placeLabel"], "begin": row["begin"], "end": row["end"],
            "articles": int(row["articles"] or 0), "first": row["firstReported"], "last": row["lastReported"],
            "reports": {}, "figures": defaultdict(list)})
    for row in _rows(store, STORY_REPORTS_QUERY):
        story = stories.get(row["story"])
        if story is not None and row["article"] in article_index:
            report = story["reports"].setdefault(row["article"], {
                "article": article_index[row["article"]], "published": row["published"], "events": []})
            if row["eventLabel"] not in report["events"]:
                report["events"].append(row["eventLabel"])
    for row in _rows(store, "story-figures.rq"):
        story = stories.get(row["story"])
        if story is not None:
            story["figures"][row["measure"]].append({
                "at": row["reportedAt"], "value": _int(row["value"]), "min": _int(row["min"]),
                "max": _int(row["max"]), "approximate": row["approximate"] == "true",
                "reporter": row["reporterLabel"] or local_name(row["reporter"]) if row["reporter"] else "",
                "article": article_index.get(row["article"]), "evidence": row["evidence"]})
    out = []
    for story in stories.values():
        story["reports"] = sorted(story["reports"].values(), key=lambda r: (r["published"] or "", r["article"]))
        story["figures"] = [{"measure": m, "points": p} for m, p in sorted(story["figures"].items())]
        out.append(story)
    return sorted(out, key=lambda s: (-s["articles"], s["first"] or "", s["label"]))


def _int(text: str) -> int | None:
    return int(text) if text and text.lstrip("-").isdigit() else None


def gather(store: ox.Store) -> dict[str, Any]:
    """Everything the report shows, as plain JSON-ready data (node references are indexes)."""
    articles, article_index, texts = _articles(store)
    g = _Graph()

    for row in _rows(store, "entities.rq"):
        node = g.node(row["entity"], "entity")
        g.label(row["entity"], row["label"])
        node["category"] = node["category"] or row["category"]
        node["kinds"].add(local_name(row["kind"]))
        node["wikidata"] = node["wikidata"] or row["wikidata"]

    for row in _rows(store, "people.rq"):
        node = g.node(row["person"], "entity")
        node["category"] = node["category"] or "Person"
        for key, column in (("role", "role"), ("organization", "organizationLabel"),
                            ("nationality", "nationalityLabel")):
            if row[column]:
                node["info"][key].add(row[column])

    for row in _rows(store, "events.rq"):
        node = g.node(row["event"], "event")
        g.label(row["event"], row["label"])
        node["type"] = node["type"] or local_name(row["type"])
        for key in ("begin", "end", "timeText"):
            if row[key] and not node.get(key):
                node[key] = row[key]
        if row["place"]:
            node["info"]["place"].add(row["placeLabel"] or local_name(row["place"]))
            g.node(row["place"], "entity")
            g.label(row["place"], row["placeLabel"])
            g.edge(row["event"], row["place"], "place")
        if row["article"] in article_index:
            node["articles"].add(row["article"])

    for row in _rows(store, "participants.rq"):
        event = g.node(row["event"], "event")
        event["type"] = event["type"] or local_name(row["eventType"])
        g.label(row["event"], row["eventLabel"])
        g.node(row["agent"], "entity")
        g.label(row["agent"], row["agentLabel"])
        g.edge(row["event"], row["agent"], row["role"])

    claims = []
    for row in _rows(store, "responsibility.rq"):
        g.node(row["claim"], "event")["type"] = "ClaimOfResponsibility"
        g.node(row["claimant"], "entity")
        g.label(row["claimant"], row["claimantLabel"])
        g.edge(row["claim"], row["claimant"], "claimant")
        if row["event"]:
            g.node(row["event"], "event")
            g.label(row["event"], row["eventLabel"])
            g.edge(row["claim"], row["event"], "claimed event")
        if row["motive"]:
            g.node(row["claim"], "event")["info"]["motive"].add(row["motive"])
        claims.append(row)

    for row in _rows(store, RELATIONS_QUERY):
        if row["subject"] in g.nodes:
            g.node(row["object"], "entity")
            g.label(row["object"], row["objectLabel"])
            g.edge(row["subject"], row["object"], row["relation"])

    figure_rows = _rows(store, "figures.rq")
    statement_rows = _rows(store, "statements.rq")
    for row in figure_rows:
        if row["reporter"]:
            g.node(row["reporter"], "entity")
            g.label(row["reporter"], row["reporterLabel"])
    for row in statement_rows:
        if row["speaker"]:
            g.node(row["speaker"], "entity")
            g.label(row["speaker"], row["speakerLabel"])

    for row in _rows(store, MEMBERS_QUERY):
        if row["node"] in g.nodes and row["article"] in article_index:
            g.nodes[row["node"]]["articles"].add(row["article"])

    # Source sentences: the mentions of each node, in their article's sentence.
    mentions: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    for row in _rows(store, MENTIONS_QUERY):
        if row["node"] in g.nodes and row["article"] in article_index:
            start, end = _int(row["start"]), _int(row["end"])
            if start is not None and end is not None:
                mentions[row["node"]].append((article_index[row["article"]], start, end, row["anchor"]))
                g.nodes[row["node"]]["articles"].add(row["article"])

    # Order: entities by category and label, then events by time; indexes follow it.
    for iri, node in g.nodes.items():
        node["label"] = _best_label(g.labels[iri], iri)
        if node["group"] == "entity" and not node["category"]:
            node["category"] = "Other"
    order = sorted(g.nodes, key=lambda iri: (
        g.nodes[iri]["group"] != "entity", g.nodes[iri]["category"] or g.nodes[iri]["type"],
        g.nodes[iri].get("begin") or "", g.nodes[iri]["label"].lower(), iri))
    ids = {iri: i for i, iri in enumerate(order)}

    edges = [{"from": ids[s], "to": ids[t], "label": ", ".join(labels)}
             for (s, t), labels in sorted(g.edges.items(), key=lambda kv: (ids[kv[0][0]], ids[kv[0][1]]))]
    neighbours: dict[int, set[int]] = defaultdict(set)
    for edge in edges:
        neighbours[edge["from"]].add(edge["to"])
        neighbours[edge["to"]].add(edge["from"])

    nodes = []
    for iri in order:
        node = g.nodes[iri]
        found = sorted(mentions.get(iri, ()))
        snippets, seen = [], set()
        for article, start, end, _anchor in found:
            sentence, s, e = sentence_around(texts[articles[article]["iri"]], start, end)
            if (article, sentence) in seen:
                continue
            seen.add((article, sentence))
            if len(snippets) < MAX_SNIPPETS:
                snippets.append({"article": article, "text": sentence, "start": s, "end": e})
        labels = sorted(g.labels[iri], key=lambda l: (-g.labels[iri][l], l))
        anchors = sorted({a for *_, a in found if len(a) <= 60} - set(labels), key=str.lower)
        item: dict[str, Any] = {
            "id": ids[iri], "iri": iri, "label": node["label"], "group": node["group"],
            "labels": labels, "alsoWritten": anchors[:20],
            "articles": sorted(article_index[a] for a in node["articles"]),
            "degree": len(neighbours[ids[iri]]), "mentions": len(found), "snippets": snippets,
        }
        if node["group"] == "entity":
            item["category"] = node["category"]
            item["kind"] = ", ".join(sorted(node["kinds"])) or "Agent"
            if node["wikidata"].startswith(_WIKIDATA):
                item["wikidata"] = node["wikidata"]
        else:
            item["type"] = node["type"] or "Event"
            for key in ("begin", "end", "timeText"):
                if node.get(key):
                    item[key] = node[key]
        for key, values in sorted(node["info"].items()):
            item[key] = sorted(values)
        nodes.append(item)

    timeline = []
    seen_events: set[str] = set()
    for row in _rows(store, "timeline.rq"):
        if row["event"] in ids and row["event"] not in seen_events:
            seen_events.add(row["event"])
            timeline.append({"node": ids[row["event"]], "time": row["time"], "end": row["end"],
                             "type": local_name(row["type"]), "label": row["label"],
                             "place": row["placeLabel"]})
    timeline.sort(key=lambda t: (t["time"], t["label"].lower()))
    undated = sum(1 for n in nodes if n["group"] == "event" and n["id"] not in {t["node"] for t in timeline})

    figures = _figure_groups(figure_rows, ids, article_index, g)
    statements = [{
        "speaker": ids.get(r["speaker"]), "speakerLabel": r["speakerLabel"] or (local_name(r["speaker"]) if r["speaker"] else ""),
        "quote": r["quote"], "reportedAt": r["reportedAt"], "channel": r["channelLabel"],
        "direct": r["direct"] == "true", "evidence": r["evidence"],
        "article": article_index.get(r["article"]),
    } for r in statement_rows]
    claim_list = [{
        "claim": ids.get(r["claim"]), "claimant": ids.get(r["claimant"]),
        "claimantLabel": r["claimantLabel"], "event": ids.get(r["event"]) if r["event"] else None,
        "eventLabel": r["eventLabel"], "motive": r["motive"], "evidence": r["evidence"],
        "article": _article_of(nodes, ids.get(r["claim"])),
    } for r in claims]

    categories = sorted({n["category"] for n in nodes if n["group"] == "entity"},
                        key=lambda c: (list(CATEGORY_COLOURS).index(c) if c in CATEGORY_COLOURS else 99, c))
    event_types = sorted({n["type"] for n in nodes if n["group"] == "event"})
    return {
        "articles": articles,
        "nodes": nodes,
        "edges": edges,
        "timeline": timeline,
        "undated": undated,
        "figures": figures,
        "statements": statements,
        "claims": claim_list,
        "stories": _stories(store, article_index),
        "legend": {
            "categories": {c: CATEGORY_COLOURS.get(c, CATEGORY_COLOURS["Other"]) for c in categories},
            "eventTypes": _colours(event_types, EVENT_PALETTE),
        },
        "counts": {
            "articles": len(articles),
            "entities": sum(1 for n in nodes if n["group"] == "entity"),
            "events": sum(1 for n in nodes if n["group"] == "event"),
            "edges": len(edges),
            "figures": len(figure_rows),
            "statements": len(statement_rows),
            "claims": len(claim_list),
        },
    }


def _article_of(nodes: list[dict[str, Any]], node_id: int | None) -> int | None:
    if node_id is None or not nodes[node_id]["articles"]:
        return None
    return nodes[node_id]["articles"][0]


def _figure_groups(rows: list[dict[str, str]], ids: dict[str, int], article_index: dict[str, int],
                   g: _Graph) -> list[dict[str, Any]]:
    """Figures grouped by (event, measure): each group's reports side by side."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    seen: set[str] = set()
    for row in rows:
        if row["figure"] in seen:
            continue
        seen.add(row["figure"])
        key = (row["event"] or "article:" + row["article"], row["measure"])
        group = groups.get(key)
        if group is None:
            event = row["event"]
            group = groups[key] = {
                "event": ids.get(event) if event else None,
                "eventLabel": _best_label(g.labels[event], event) if event else "(no event)",
                "measure": row["measure"], "reports": [],
            }
        approximate = row["approximate"] == "true"
        group["reports"].append({
            "text": figure_text(row["value"], row["min"], row["max"], approximate),
            "value": _int(row["value"]), "min": _int(row["min"]), "max": _int(row["max"]),
            "approximate": approximate,
            "reporter": ids.get(row["reporter"]) if row["reporter"] else None,
            "reporterLabel": row["reporterLabel"] or ("" if not row["reporter"] else local_name(row["reporter"])),
            "reportedAt": row["reportedAt"], "evidence": row["evidence"],
            "article": article_index.get(row["article"]),
        })
    out = []
    for group in groups.values():
        texts = {(r["value"], r["min"], r["max"]) for r in group["reports"]}
        group["conflict"] = len(texts) > 1
        group["articles"] = sorted({r["article"] for r in group["reports"] if r["article"] is not None})
        out.append(group)
    out.sort(key=lambda gr: (-len(gr["reports"]), gr["eventLabel"].lower(), gr["measure"]))
    return out


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


def render(data: dict[str, Any], *, title: str = "kg report", sources: Sequence[str] = (),
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
