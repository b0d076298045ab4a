"""Tests for `kg report`: data gathering on the seed build, a self-contained page whose
embedded JSON survives hostile article text, and the page itself in headless Chromium."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kg.cli.report import register
from kg.query.sparql import load_store, plain, run_query
from kg.report.page import DEFAULT_NODE_CAP, embed_json, render, script_safe, vis_assets, write_report
from kg.report.sections import figure_text, gather, sentence_around

ROOT = Path(__file__).resolve().parents[2]
#: Where the browser test saves its screenshot: a temporary folder, or ``bench/report-screenshot.png``
#: (the README's picture) with ``KG_SCREENSHOT=1``: a test run does not change the tree.
SCREENSHOT = ROOT / "bench" / "report-screenshot.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

HOSTILE = "</script><script>window.pwned = 1</script><!-- & </SCRIPT >"

#: A hand-made build whose article text, labels and quote try to end the data block.
HOSTILE_TRIG = """
@prefix kgo: <https://w3id.org/kg-news/ontology#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/id/> .

ex:graph {
  ex:article a kgo:Article, nif:Context ;
      schema:identifier "hostile" ;
      schema:headline "Headline HOSTILE" ;
      nif:isString "Mallory Evil said HOSTILE today. Nothing else." .
  ex:person a kgo:Person ;
      rdfs:label "Mallory HOSTILE" ;
      kgo:category "Person" .
  ex:m1 a kgo:Mention ; nif:anchorOf "Mallory Evil" ; nif:beginIndex "0"^^xsd:nonNegativeInteger ;
      nif:endIndex "12"^^xsd:nonNegativeInteger ; nif:referenceContext ex:article ; kgo:mentionOf ex:person .
  ex:statement a kgo:Statement ;
      rdfs:label "said" ;
      kgo:quote "HOSTILE" ;
      kgo:direct true ;
      kgo:speaker ex:person ;
      kgo:speakerLabel "Mallory HOSTILE" ;
      kgo:article ex:article ;
      kgo:evidence ex:m2 ;
      kgo:evidenceText "Mallory Evil said HOSTILE" ;
      kgo:evidenceStart "0"^^xsd:nonNegativeInteger ;
      kgo:evidenceEnd "30"^^xsd:nonNegativeInteger .
  ex:m2 a kgo:Mention ; nif:anchorOf "Mallory Evil said HOSTILE" ; nif:beginIndex "0"^^xsd:nonNegativeInteger ;
      nif:endIndex "30"^^xsd:nonNegativeInteger ; nif:referenceContext ex:article ; kgo:mentionOf ex:statement .
  ex:event a kgo:Attack ;
      rdfs:label "Attack HOSTILE" ;
      kgo:article ex:article ;
      kgo:evidenceStart "13"^^xsd:nonNegativeInteger ;
      kgo:perpetrator ex:person .
  ex:participation a kgo:Participation ;
      kgo:participationOf ex:event ; kgo:agent ex:person ; kgo:roleName "perpetrator" ; kgo:named true ;
      kgo:eventType kgo:Attack ; kgo:eventLabel "Attack HOSTILE" ; kgo:agentLabel "Mallory HOSTILE" ;
      kgo:agentKind "Person" .
}
""".replace("HOSTILE", HOSTILE.replace("\\", "\\\\").replace('"', '\\"'))


class _Scripts(HTMLParser):
    """The <script>, <style> and <link> elements of a page, as the browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.links: list[dict[str, str | None]] = []
        self.styles = 0
        self._in: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in, self._text = dict(attrs), []
        elif tag == "link":
            self.links.append(dict(attrs))
        elif tag == "style":
            self.styles += 1

    def handle_data(self, data):
        if self._in is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in is not None:
            self.scripts.append((self._in, "".join(self._text)))
            self._in = None


def _scripts(page: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser


#: The labels of one node in every article, the node given as a binding.
LABELS_QUERY = """
SELECT DISTINCT ?node ?label WHERE { GRAPH ?g { ?node rdfs:label ?label } } ORDER BY ?label
"""


def node_labels(store, iri: str) -> list[str]:
    """Every label a node has in any article."""
    import pyoxigraph as ox

    table = run_query(store, LABELS_QUERY, bindings={"node": ox.NamedNode(iri)})
    return [plain(row[table.variables.index("label")]) for row in table.rows]


def _embedded_data(page: str) -> dict:
    blocks = [text for attrs, text in _scripts(page).scripts if attrs.get("id") == "kg-data"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture(scope="module")
def data(seed_build):
    return gather(load_store([seed_build]))


@pytest.fixture(scope="module")
def seed_report(seed_build, tmp_path_factory) -> Path:
    return write_report([seed_build], tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "graph.trig"
    path.write_text(HOSTILE_TRIG, encoding="utf-8")
    return path


def _node(data: dict, label: str) -> dict:
    found = [n for n in data["nodes"] if n["label"] == label]
    assert len(found) == 1, f"{label}: {[n['label'] for n in data['nodes']]}"
    return found[0]


def _neighbours(data: dict, node: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for edge in data["edges"]:
        if edge["from"] == node["id"]:
            out.setdefault(edge["label"], set()).add(data["nodes"][edge["to"]]["label"])
    return out


# --- gathering on the seed build --------------------------------------------------

def test_entities_are_nodes_with_category_wikidata_and_facts(data):
    shabab = _node(data, "al-Shabab")
    assert shabab["group"] == "entity" and shabab["category"] == "Organization"
    kenya = _node(data, "Kenya")
    assert kenya["category"] == "Place" and kenya["wikidata"] == "http://www.wikidata.org/entity/Q114"
    lenku = _node(data, "Joseph Lenku")
    assert lenku["category"] == "Person" and lenku["role"] == ["Interior Cabinet Secretary"]
    assert "Lenku" in lenku["alsoWritten"]
    assert data["legend"]["categories"]["Person"] and data["articles"][0]["published"] == "2013-09-22"


def test_node_ids_are_indexes_and_edges_point_at_nodes(data):
    assert [n["id"] for n in data["nodes"]] == list(range(len(data["nodes"])))
    for edge in data["edges"]:
        assert 0 <= edge["from"] < len(data["nodes"]) and 0 <= edge["to"] < len(data["nodes"])
        assert edge["label"]
    assert len({n["iri"] for n in data["nodes"]}) == len(data["nodes"])


def test_attack_event_with_participants_place_and_time(data):
    attacks = [n for n in data["nodes"] if n["group"] == "event" and n["type"] == "Attack"]
    assert len(attacks) == 1
    attack = attacks[0]
    links = _neighbours(data, attack)
    # named, and described: "at least five gunmen — including at least one woman", "the attackers",
    # "the attack carried out by despicable perpetrators"
    assert links["perpetrator"] == {"al-Shabab", "gunmen", "woman", "attackers", "despicable perpetrators"}
    assert {"grenades", "gunfire"} <= links["instrument"]
    assert links["place"] == {"Westgate Mall"}
    assert attack["begin"].startswith("2013-09-21")
    assert attack["degree"] == max(n["degree"] for n in data["nodes"])  # the hub of the seed
    claim = _node(data, "Claim of responsibility by al-Shabab")
    assert _neighbours(data, claim)["claimed event"] == {attack["label"]}


def test_source_sentences_highlight_the_mention(data):
    lenku = _node(data, "Joseph Lenku")
    assert lenku["mentions"] == 2 and lenku["articles"] == [0]
    texts = [s["text"][s["start"]:s["end"]] for s in lenku["snippets"]]
    assert texts == ["Joseph Lenku", "Lenku"]
    assert "59 people have been killed" in lenku["snippets"][0]["text"]


def test_figures_grouped_so_disagreeing_sources_sit_side_by_side(data):
    groups = {(g["eventLabel"], g["measure"]): g for g in data["figures"]}
    killed = groups[("Attack at Westgate Mall", "killed")]
    assert [(r["text"], r["reporterLabel"]) for r in killed["reports"]] == [("59", "Joseph Lenku"), ("100", "al-Shabab")]
    assert killed["conflict"] is True
    assert data["nodes"][killed["event"]]["type"] == "Attack"
    attackers = {(r["min"], r["max"], r["reporterLabel"]) for r in groups[("Attack at Westgate Mall", "attackers")]["reports"]}
    assert {(10, 15, "Joseph Lenku"), (5, None, "witnesses")} <= attackers
    injured = groups[("Attack at Westgate Mall", "injured")]
    assert injured["conflict"] is False and injured["reports"][0]["text"] == "~175"


def test_stories_have_their_reports_and_figure_points(data, seed_report):
    (story,) = data["stories"]
    assert story["label"].startswith("Attack in Westgate Mall") and story["articles"] == 1
    assert [r["published"] for r in story["reports"]] == ["2013-09-22"]
    killed = {f["measure"]: f["points"] for f in story["figures"]}["killed"]
    assert sorted(p["value"] for p in killed) == [59, 100]
    assert {p["reporter"] for p in killed} == {"Joseph Lenku", "al-Shabab"}
    assert 'id="stories-section"' in seed_report.read_text(encoding="utf-8")


def test_timeline_is_sorted_and_statements_have_speakers(data):
    times = [t["time"] for t in data["timeline"]]
    assert times == sorted(times) and times[0].startswith("2011")
    assert {t["type"] for t in data["timeline"]} >= {"Attack", "MilitaryOperation"}
    kuria = [s for s in data["statements"] if s["speakerLabel"] == "Patrick Kuria"]
    assert kuria and kuria[0]["quote"].startswith("We started by hearing gunshots") and kuria[0]["direct"]
    assert data["nodes"][kuria[0]["speaker"]]["label"] == "Patrick Kuria"
    embassy = [s for s in data["statements"] if s["speakerLabel"] == "US Embassy"]
    assert embassy[0]["channel"] == "emergency text message"
    assert data["claims"][0]["motive"].startswith("retribution")


def test_node_labels_through_bindings(seed_build, data):
    store = load_store([seed_build])
    shabab = _node(data, "al-Shabab")
    assert "al-Shabab" in node_labels(store, shabab["iri"])
    assert node_labels(store, "https://example.org/none?q=%22%7D%7D") == []  # a value, never query text


# --- small pure functions ------------------------------------------------------------

@pytest.mark.parametrize("value,low,high,approximate,text", [
    ("59", "", "", False, "59"),
    ("1000", "", "", True, "~1,000"),
    ("", "10", "15", False, "10–15"),
    ("", "5", "", False, "≥5"),
    ("", "", "20", False, "≤20"),
    ("", "200", "", True, "≥200 (approx.)"),
])
def test_figure_text(value, low, high, approximate, text):
    assert figure_text(value, low, high, approximate) == text


def test_sentence_around():
    text = "First one. Lenku said 59 died. Last one!\nNext line"
    sentence, start, end = sentence_around(text, 11, 16)
    assert sentence == "Lenku said 59 died." and sentence[start:end] == "Lenku"
    sentence, start, end = sentence_around(text, 41, 45)
    assert sentence == "Next line" and sentence[start:end] == "Next"
    long = "word " * 200
    sentence, start, end = sentence_around(long, 500, 504, limit=100)
    assert len(sentence) <= 102 and sentence[start:end] == "word" and sentence.startswith("…")


def test_embed_json_cannot_close_the_script_block():
    data = {"text": HOSTILE, "line": "a\u2028b"}
    text = embed_json(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data
    assert "<\\/script" in script_safe("x = '</script>'") and "</script" not in script_safe("'</SCRIPT>'").lower()


# --- the page -------------------------------------------------------------------------------

def test_page_is_self_contained(seed_report):
    page = seed_report.read_text(encoding="utf-8")
    parsed = _scripts(page)
    assert not [attrs for attrs, _ in parsed.scripts if attrs.get("src")], "no script is loaded from anywhere"
    assert not parsed.links, "no stylesheet or other resource is linked"
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page.split('id="kg-data"')[0], re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.I)
    assert parsed.styles == 2
    kinds = [attrs.get("type") or "js" for attrs, _ in parsed.scripts]
    assert kinds == ["application/json", "application/json", "js", "js"]
    js = "".join(text for attrs, text in parsed.scripts if not attrs.get("type"))
    assert vis_assets().js.strip()[:200] in js and "kgReport" in js  # vis-network, inlined from pyvis


def test_page_embeds_the_gathered_data(seed_report, data):
    embedded = _embedded_data(seed_report.read_text(encoding="utf-8"))
    assert embedded["counts"] == data["counts"]
    assert [n["label"] for n in embedded["nodes"]] == [n["label"] for n in data["nodes"]]


def test_hostile_text_stays_data(hostile_build, tmp_path):
    out = write_report([hostile_build], tmp_path / "r.html")
    page = out.read_text(encoding="utf-8")
    parsed = _scripts(page)
    assert len(parsed.scripts) == 4, "article text must not open or close a script element"
    embedded = _embedded_data(page)
    assert embedded["articles"][0]["title"] == "Headline " + HOSTILE
    assert embedded["statements"][0]["quote"] == HOSTILE
    person = next(n for n in embedded["nodes"] if n["group"] == "entity")
    assert person["label"] == "Mallory " + HOSTILE and person["snippets"][0]["text"].startswith("Mallory Evil said")


def test_render_takes_the_title_as_text(data):
    assets = vis_assets()
    page = render(data, title="<b>Report</b>", assets=assets, generated="2024-01-01T00:00:00+00:00")
    assert "<title>&lt;b&gt;Report&lt;/b&gt;</title>" in page
    config = next(json.loads(t) for a, t in _scripts(page).scripts if a.get("id") == "kg-config")
    assert config["nodeCap"] == DEFAULT_NODE_CAP and config["title"] == "<b>Report</b>"


# --- the command ---------------------------------------------------------------------------------

def _cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """kg"""

    register(app)
    return app


def test_cli_writes_the_report(seed_build, tmp_path):
    out = tmp_path / "sub" / "report.html"
    result = CliRunner().invoke(_cli(), ["report", str(seed_build), "-o", str(out), "--nodes", "20"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and str(out) in result.output
    assert "<!DOCTYPE html>" in out.read_text(encoding="utf-8")[:50]


def test_cli_errors_are_one_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(_cli(), ["report", str(tmp_path / "missing"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(_cli(), ["report", str(tmp_path), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


# --- in a real browser ------------------------------------------------------------------------------

def _playwright():
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install -y chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is absent: pip install playwright (no browser download needed)")
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _playwright()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, report: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.resolve().as_uri())
    page.wait_for_function("window.kgReport && window.kgReport.isStabilized()", timeout=60_000)
    return page, problems, requests


@pytest.mark.browser
def test_report_in_chromium(browser, seed_report, data, tmp_path):
    page, problems, requests = _open(browser, seed_report)
    try:
        # The graph is drawn: nodes in vis-network's data set and ink on the canvas.
        assert page.evaluate("window.kgReport.nodes.length") == len(data["nodes"])
        assert page.get_attribute("#graph", "data-nodes") == str(len(data["nodes"]))
        ink = page.evaluate("""() => {
            const c = document.querySelector('#graph canvas');
            const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) n++;
            return n;
        }""")
        assert ink > 2000, f"the canvas is (nearly) blank: {ink} coloured pixels"

        # A real mouse click on a node opens the side panel with its label.
        target = _node(data, "al-Shabab")
        point = page.evaluate("""(id) => {
            const net = window.kgReport.network;
            return net.canvasToDOM(net.getPositions([id])[id]);
        }""", target["id"])
        box = page.locator("#graph canvas").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#panel-label")
        assert page.inner_text("#panel-label") == "al-Shabab"
        panel = page.inner_text("#panel")
        assert "perpetrator of" in panel and "Attack at Westgate Mall" in panel
        assert "killed: 100" in panel  # the figure al-Shabab claimed
        assert page.get_attribute("#panel", "data-node") == str(target["id"])
        shot = SCREENSHOT if os.environ.get("KG_SCREENSHOT") == "1" else tmp_path / "report.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 0

        # Wikidata link, figures side by side, timeline and statements are on the page.
        kenya = _node(data, "Kenya")
        page.evaluate("(id) => window.kgReport.focusNode(id)", kenya["id"])
        assert page.get_attribute("#panel-wikidata", "href") == "http://www.wikidata.org/entity/Q114"
        killed_row = page.locator("#figures tr.conflict", has_text="killed").inner_text()
        assert "59" in killed_row and "100" in killed_row and "al-Shabab" in killed_row and "Joseph Lenku" in killed_row
        assert page.locator("#timeline li").count() == len(data["timeline"])
        assert page.locator("#statements tbody tr").count() == len(data["statements"])

        # Search finds a node by name and opens it.
        page.fill("#search", "kuria")
        page.press("#search", "Enter")
        page.wait_for_function("document.getElementById('panel-label').textContent === 'Patrick Kuria'")
        assert "We started by hearing gunshots" in page.inner_text("#statements")

        assert not problems, problems
        assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    finally:
        page.close()


@pytest.mark.browser
def test_hostile_report_runs_no_injected_script(browser, hostile_build, tmp_path):
    report = write_report([hostile_build], tmp_path / "hostile.html")
    page, problems, _ = _open(browser, report)
    try:
        assert page.evaluate("window.pwned") is None
        assert page.evaluate("window.kgReport.nodes.length") == 2
        assert HOSTILE in page.inner_text("#statements")
        assert not problems, problems
    finally:
        page.close()


@pytest.mark.browser
def test_node_cap_and_show_more(browser, seed_build, tmp_path):
    report = write_report([seed_build], tmp_path / "capped.html", node_cap=10)
    page, problems, _ = _open(browser, report)
    try:
        assert page.evaluate("window.kgReport.nodes.length") == 10
        page.click("#show-more")
        page.wait_for_function("window.kgReport.isStabilized()")
        assert page.evaluate("window.kgReport.nodes.length") == 20
        page.uncheck("#category-filter input[value=Place]")
        shown = page.evaluate("window.kgReport.nodes.get().map(n => n.id)")
        nodes = page.evaluate("window.kgReport.data.nodes")
        assert shown and all(nodes[i].get("category") != "Place" for i in shown)
        page.click("#show-all")
        page.wait_for_function("window.kgReport.isStabilized()")
        assert page.evaluate("window.kgReport.nodes.length") == sum(1 for n in nodes if n.get("category") != "Place")
        assert not problems, problems
    finally:
        page.close()


def test_the_report_queries_are_no_competency_questions():
    """The report's own SPARQL (queries/report/) is not run by `kg answers`."""
    from kg.paths import QUERIES_DIR
    from kg.query.sparql import contract_queries

    own = sorted((QUERIES_DIR / "report").glob("*.rq"))
    assert own and not set(own) & set(contract_queries())
