"""What the report shows, section by section, read from a build with SPARQL.

Each section has its builder, which returns typed values (the ``TypedDict`` s
below: the very JSON the page's script reads, node references as indexes into
``nodes``): the articles, the graph of entities and events, the timeline, the
figures grouped by event and measure, the statements, the claims of
responsibility, the stories, the legend and the counts. ``gather(store)``
builds them all. The queries are the contract queries of ``queries/`` and the
report's own in ``queries/report/``; values go in as bindings, never as text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import pyoxigraph as ox

from kg.paths import QUERIES_DIR
from kg.query.sparql import plain, read_query, run_query

__all__ = [
    "gather", "figure_text", "sentence_around", "local_name", "CATEGORY_COLOURS", "EVENT_PALETTE",
    "ReportData", "ArticleItem", "NodeItem", "EdgeItem", "TimelineItem", "FigureGroup", "StatementItem", "ClaimItem",
    "StoryItem",
]

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
_REPORT_QUERIES = QUERIES_DIR / "report"


# --- the values the page reads ---------------------------------------------------------------


class ArticleItem(TypedDict):
    iri: str
    id: str
    title: str
    headline: bool  # the title is the article's own (else its first words)
    url: str
    published: str
    chars: int


class Snippet(TypedDict):
    article: int
    text: str  # the sentence around a mention
    start: int  # the mention within it
    end: int


class NodeItem(TypedDict, total=False):
    id: int
    iri: str
    label: str
    group: str  # "entity" or "event"
    labels: list[str]
    alsoWritten: list[str]
    articles: list[int]
    degree: int
    mentions: int
    snippets: list[Snippet]
    category: str  # entities
    kind: str
    wikidata: str
    type: str  # events
    begin: str
    end: str
    timeText: str
    role: list[str]  # what the queries add: people's roles, organisations, nationalities; places; motives
    organization: list[str]
    nationality: list[str]
    place: list[str]
    motive: list[str]


EdgeItem = TypedDict("EdgeItem", {"from": int, "to": int, "label": str})


class TimelineItem(TypedDict):
    node: int
    time: str
    end: str
    type: str
    label: str
    place: str


class FigureReport(TypedDict):
    text: str
    value: int | None
    min: int | None
    max: int | None
    approximate: bool
    reporter: int | None
    reporterLabel: str
    reportedAt: str
    evidence: str
    article: int | None


class FigureGroup(TypedDict, total=False):
    event: int | None
    eventLabel: str
    measure: str
    reports: list[FigureReport]
    conflict: bool  # the reports disagree
    articles: list[int]


class StatementItem(TypedDict):
    speaker: int | None
    speakerLabel: str
    quote: str
    reportedAt: str
    channel: str
    direct: bool
    evidence: str
    article: int | None


class ClaimItem(TypedDict):
    claim: int | None
    claimant: int | None
    claimantLabel: str
    event: int | None
    eventLabel: str
    motive: str
    evidence: str
    article: int | None


class StoryReport(TypedDict):
    article: int
    published: str
    events: list[str]


class StoryPoint(TypedDict):
    at: str
    value: int | None
    min: int | None
    max: int | None
    approximate: bool
    reporter: str
    article: int | None
    evidence: str


class StoryFigure(TypedDict):
    measure: str
    points: list[StoryPoint]


class StoryItem(TypedDict):
    iri: str
    label: str
    type: str
    place: str
    begin: str
    end: str
    articles: int
    first: str
    last: str
    reports: list[StoryReport]
    figures: list[StoryFigure]


class Legend(TypedDict):
    categories: dict[str, str]
    eventTypes: dict[str, str]


class Counts(TypedDict):
    articles: int
    entities: int
    events: int
    edges: int
    figures: int
    statements: int
    claims: int


class ReportData(TypedDict):
    articles: list[ArticleItem]
    nodes: list[NodeItem]
    edges: list[EdgeItem]
    timeline: list[TimelineItem]
    undated: int
    figures: list[FigureGroup]
    statements: list[StatementItem]
    claims: list[ClaimItem]
    stories: list[StoryItem]
    legend: Legend
    counts: Counts


# --- small helpers -----------------------------------------------------------------------------

Row = dict[str, str]


def _rows(store: ox.Store, query: str) -> list[Row]:
    """A query's rows as plain strings ('' when unbound); ``query`` a contract query's file name."""
    table = run_query(store, read_query(query))
    return [dict(zip(table.variables, (plain(t) for t in row))) for row in table.rows]


def _report_rows(store: ox.Store, name: str) -> list[Row]:
    """The rows of the report's own query ``queries/report/NAME.rq``."""
    return _rows(store, str(_REPORT_QUERIES / f"{name}.rq"))


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def _int(text: str) -> int | None:
    return int(text) if text and text.lstrip("-").isdigit() else None


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


def _best_label(counts: Counter[str], iri: str) -> str:
    if not counts:
        return local_name(iri)
    return sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


def _colours(names: Sequence[str], palette: Sequence[str]) -> dict[str, str]:
    return {name: palette[i % len(palette)] for i, name in enumerate(sorted(names))}


# --- articles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Articles:
    items: list[ArticleItem]
    index: dict[str, int]  # article IRI -> its place in ``items``
    texts: dict[str, str]  # article IRI -> its text


def articles_section(store: ox.Store) -> Articles:
    items: list[ArticleItem] = []
    index: dict[str, int] = {}
    texts: dict[str, str] = {}
    for row in _report_rows(store, "articles"):
        iri = row["article"]
        if iri in index:
            continue
        text = row["text"]
        first = " ".join(text.split())
        title = row["title"] or (first[:77] + "…" if len(first) > 80 else first) or local_name(iri)
        index[iri] = len(items)
        texts[iri] = text
        items.append({"iri": iri, "id": row["id"] or local_name(iri), "title": title,
                      "headline": bool(row["title"]), "url": row["url"],
                      "published": row["published"], "chars": len(text)})
    return Articles(items, index, texts)


# --- the graph: nodes and edges ------------------------------------------------------------------


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


def _add_entities(g: _Graph, rows: list[Row]) -> None:
    for row in rows:
        node = g.node(row["entity"], "entity")
        g.label(row["entity"], row["label"])
        node["category"] = node["category"] or row["category"]
        node["kinds"].add(local_name(row["kind"]))
        node["wikidata"] = node["wikidata"] or row["wikidata"]


def _add_people(g: _Graph, rows: list[Row]) -> None:
    for row in rows:
        node = g.node(row["person"], "entity")
        node["category"] = node["category"] or "Person"
        for key, column in (("role", "role"), ("organization", "organizationLabel"),
                            ("nationality", "nationalityLabel")):
            if row[column]:
                node["info"][key].add(row[column])


def _add_events(g: _Graph, rows: list[Row], article_index: dict[str, int]) -> None:
    for row in rows:
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


def _add_participants(g: _Graph, rows: list[Row]) -> None:
    for row in rows:
        event = g.node(row["event"], "event")
        event["type"] = event["type"] or local_name(row["eventType"])
        g.label(row["event"], row["eventLabel"])
        g.node(row["agent"], "entity")
        g.label(row["agent"], row["agentLabel"])
        g.edge(row["event"], row["agent"], row["role"])


def _add_claims(g: _Graph, rows: list[Row]) -> None:
    for row in rows:
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


def _add_relations(g: _Graph, rows: list[Row]) -> None:
    for row in rows:
        if row["subject"] in g.nodes:
            g.node(row["object"], "entity")
            g.label(row["object"], row["objectLabel"])
            g.edge(row["subject"], row["object"], row["relation"])


def _add_sources(g: _Graph, figure_rows: list[Row], statement_rows: list[Row]) -> None:
    """The reporters of figures and the speakers of statements."""
    for row in figure_rows:
        if row["reporter"]:
            g.node(row["reporter"], "entity")
            g.label(row["reporter"], row["reporterLabel"])
    for row in statement_rows:
        if row["speaker"]:
            g.node(row["speaker"], "entity")
            g.label(row["speaker"], row["speakerLabel"])


def _add_members(g: _Graph, rows: list[Row], article_index: dict[str, int]) -> None:
    for row in rows:
        if row["node"] in g.nodes and row["article"] in article_index:
            g.nodes[row["node"]]["articles"].add(row["article"])


def _mentions(g: _Graph, rows: list[Row], article_index: dict[str, int]) -> dict[str, list[tuple[int, int, int, str]]]:
    """Each node's mentions (article, start, end, anchor); their articles are the node's too."""
    mentions: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    for row in rows:
        if row["node"] in g.nodes and row["article"] in article_index:
            start, end = _int(row["start"]), _int(row["end"])
            if start is not None and end is not None:
                mentions[row["node"]].append((article_index[row["article"]], start, end, row["anchor"]))
                g.nodes[row["node"]]["articles"].add(row["article"])
    return mentions


@dataclass(frozen=True)
class GraphSection:
    nodes: list[NodeItem]
    edges: list[EdgeItem]
    ids: dict[str, int]  # node IRI -> its index in ``nodes``
    labels: dict[str, Counter[str]]  # node IRI -> its labels, counted


def _order(g: _Graph) -> list[str]:
    """Entities by category and label, then events by time; node indexes follow it."""
    for iri, node in g.nodes.items():
        node["label"] = _best_label(g.labels[iri], iri)
        if node["group"] == "entity" and not node["category"]:
            node["category"] = "Other"
    return sorted(g.nodes, key=lambda iri: (
        g.nodes[iri]["group"] != "entity", g.nodes[iri]["category"] or g.nodes[iri]["type"],
        g.nodes[iri].get("begin") or "", g.nodes[iri]["label"].lower(), iri))


def _snippets(found: list[tuple[int, int, int, str]], articles: Articles) -> list[Snippet]:
    """The sentences of a node's mentions, each once, the first ``MAX_SNIPPETS``."""
    snippets: list[Snippet] = []
    seen: set[tuple[int, str]] = set()
    for article, start, end, _anchor in found:
        sentence, s, e = sentence_around(articles.texts[articles.items[article]["iri"]], start, end)
        if (article, sentence) in seen:
            continue
        seen.add((article, sentence))
        if len(snippets) < MAX_SNIPPETS:
            snippets.append({"article": article, "text": sentence, "start": s, "end": e})
    return snippets


def _node_item(g: _Graph, iri: str, ids: dict[str, int], degree: int,
               found: list[tuple[int, int, int, str]], articles: Articles) -> NodeItem:
    node = g.nodes[iri]
    labels = sorted(g.labels[iri], key=lambda l: (-g.labels[iri][l], l))
    anchors = sorted({a for *_, a in found if len(a) <= 60} - set(labels), key=str.lower)
    item: NodeItem = {
        "id": ids[iri], "iri": iri, "label": node["label"], "group": node["group"],
        "labels": labels, "alsoWritten": anchors[:20],
        "articles": sorted(articles.index[a] for a in node["articles"]),
        "degree": degree, "mentions": len(found), "snippets": _snippets(found, articles),
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
                item[key] = node[key]  # type: ignore[literal-required]
    for key, values in sorted(node["info"].items()):
        item[key] = sorted(values)  # type: ignore[literal-required]
    return item


def graph_section(store: ox.Store, articles: Articles, claim_rows: list[Row], figure_rows: list[Row],
                  statement_rows: list[Row]) -> GraphSection:
    """The entities and events, linked by roles, places, claims and relations; with their source sentences."""
    g = _Graph()
    _add_entities(g, _rows(store, "entities.rq"))
    _add_people(g, _rows(store, "people.rq"))
    _add_events(g, _rows(store, "events.rq"), articles.index)
    _add_participants(g, _rows(store, "participants.rq"))
    _add_claims(g, claim_rows)
    _add_relations(g, _report_rows(store, "relations"))
    _add_sources(g, figure_rows, statement_rows)
    _add_members(g, _report_rows(store, "members"), articles.index)
    mentions = _mentions(g, _report_rows(store, "mentions"), articles.index)
    order = _order(g)
    ids = {iri: i for i, iri in enumerate(order)}
    edges: list[EdgeItem] = [
        {"from": ids[s], "to": ids[t], "label": ", ".join(labels)}
        for (s, t), labels in sorted(g.edges.items(), key=lambda kv: (ids[kv[0][0]], ids[kv[0][1]]))]
    neighbours: dict[int, set[int]] = defaultdict(set)
    for edge in edges:
        neighbours[edge["from"]].add(edge["to"])
        neighbours[edge["to"]].add(edge["from"])
    nodes = [_node_item(g, iri, ids, len(neighbours[ids[iri]]), sorted(mentions.get(iri, ())), articles)
             for iri in order]
    return GraphSection(nodes, edges, ids, g.labels)


# --- timeline, figures, statements, claims ----------------------------------------------------------


def timeline_section(store: ox.Store, graph: GraphSection) -> tuple[list[TimelineItem], int]:
    """The dated events in time order, and how many events have no date."""
    timeline: list[TimelineItem] = []
    seen: set[str] = set()
    for row in _rows(store, "timeline.rq"):
        if row["event"] in graph.ids and row["event"] not in seen:
            seen.add(row["event"])
            timeline.append({"node": graph.ids[row["event"]], "time": row["time"], "end": row["end"],
                             "type": local_name(row["type"]), "label": row["label"],
                             "place": row["placeLabel"]})
    timeline.sort(key=lambda t: (t["time"], t["label"].lower()))
    dated = {t["node"] for t in timeline}
    undated = sum(1 for n in graph.nodes if n["group"] == "event" and n["id"] not in dated)
    return timeline, undated


def figures_section(rows: list[Row], graph: GraphSection, article_index: dict[str, int]) -> list[FigureGroup]:
    """Figures grouped by (event, measure): each group's reports side by side."""
    groups: dict[tuple[str, str], FigureGroup] = {}
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
                "event": graph.ids.get(event) if event else None,
                "eventLabel": _best_label(graph.labels[event], event) if event else "(no event)",
                "measure": row["measure"], "reports": [],
            }
        approximate = row["approximate"] == "true"
        group["reports"].append({
            "text": figure_text(row["value"], row["min"], row["max"], approximate),
            "value": _int(row["value"]), "min": _int(row["min"]), "max": _int(row["max"]),
            "approximate": approximate,
            "reporter": graph.ids.get(row["reporter"]) if row["reporter"] else None,
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


def statements_section(rows: list[Row], graph: GraphSection, article_index: dict[str, int]) -> list[StatementItem]:
    return [{
        "speaker": graph.ids.get(r["speaker"]),
        "speakerLabel": r["speakerLabel"] or (local_name(r["speaker"]) if r["speaker"] else ""),
        "quote": r["quote"], "reportedAt": r["reportedAt"], "channel": r["channelLabel"],
        "direct": r["direct"] == "true", "evidence": r["evidence"],
        "article": article_index.get(r["article"]),
    } for r in rows]


def _article_of(nodes: list[NodeItem], node_id: int | None) -> int | None:
    if node_id is None or not nodes[node_id]["articles"]:
        return None
    return nodes[node_id]["articles"][0]


def claims_section(rows: list[Row], graph: GraphSection) -> list[ClaimItem]:
    return [{
        "claim": graph.ids.get(r["claim"]), "claimant": graph.ids.get(r["claimant"]),
        "claimantLabel": r["claimantLabel"], "event": graph.ids.get(r["event"]) if r["event"] else None,
        "eventLabel": r["eventLabel"], "motive": r["motive"], "evidence": r["evidence"],
        "article": _article_of(graph.nodes, graph.ids.get(r["claim"])),
    } for r in rows]


# --- stories -----------------------------------------------------------------------------------------


def stories_section(store: ox.Store, article_index: dict[str, int]) -> list[StoryItem]:
    """Each story (stories.rq) with its reports in date order and each figure's reports
    (story-figures.rq) as points against report date, for the timeline and the charts."""
    stories: dict[str, dict[str, Any]] = {}
    for row in _rows(store, "stories.rq"):
        stories.setdefault(row["story"], {
            "iri": row["story"], "label": row["label"], "type": local_name(row["type"]),
            "place": row["placeLabel"], "begin": row["begin"], "end": row["end"],
            "articles": int(row["articles"] or 0), "first": row["firstReported"], "last": row["lastReported"],
            "reports": {}, "figures": defaultdict(list)})
    for row in _report_rows(store, "story-reports"):
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
    out: list[StoryItem] = []
    for story in stories.values():
        story["reports"] = sorted(story["reports"].values(), key=lambda r: (r["published"] or "", r["article"]))
        story["figures"] = [{"measure": m, "points": p} for m, p in sorted(story["figures"].items())]
        out.append(story)  # type: ignore[arg-type]
    return sorted(out, key=lambda s: (-s["articles"], s["first"] or "", s["label"]))


# --- legend, counts, everything -------------------------------------------------------------------------


def legend_section(nodes: list[NodeItem]) -> Legend:
    """The colour of each category and each event type shown."""
    categories = sorted({n["category"] for n in nodes if n["group"] == "entity"},
                        key=lambda c: (list(CATEGORY_COLOURS).index(c) if c in CATEGORY_COLOURS else 99, c))
    event_types = sorted({n["type"] for n in nodes if n["group"] == "event"})
    return {"categories": {c: CATEGORY_COLOURS.get(c, CATEGORY_COLOURS["Other"]) for c in categories},
            "eventTypes": _colours(event_types, EVENT_PALETTE)}


def gather(store: ox.Store) -> ReportData:
    """Everything the report shows, as plain JSON-ready data (node references are indexes)."""
    articles = articles_section(store)
    claim_rows = _rows(store, "responsibility.rq")
    figure_rows, statement_rows = _rows(store, "figures.rq"), _rows(store, "statements.rq")
    graph = graph_section(store, articles, claim_rows, figure_rows, statement_rows)
    timeline, undated = timeline_section(store, graph)
    claims = claims_section(claim_rows, graph)
    counts: Counts = {
        "articles": len(articles.items),
        "entities": sum(1 for n in graph.nodes if n["group"] == "entity"),
        "events": sum(1 for n in graph.nodes if n["group"] == "event"),
        "edges": len(graph.edges),
        "figures": len(figure_rows),
        "statements": len(statement_rows),
        "claims": len(claims),
    }
    return {
        "articles": articles.items,
        "nodes": graph.nodes,
        "edges": graph.edges,
        "timeline": timeline,
        "undated": undated,
        "figures": figures_section(figure_rows, graph, articles.index),
        "statements": statements_section(statement_rows, graph, articles.index),
        "claims": claims,
        "stories": stories_section(store, articles.index),
        "legend": legend_section(graph.nodes),
        "counts": counts,
    }
