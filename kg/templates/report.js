/* kg report: the page's behaviour. Data come from the JSON blocks; every text is
   put in the page with textContent (never innerHTML), so article text stays text. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var CONFIG = JSON.parse(document.getElementById("kg-config").textContent);
  var NODES = DATA.nodes;
  var LEGEND = DATA.legend;
  var STATEMENT_PAGE = 200;

  // --- small helpers ---------------------------------------------------------
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        if (key === "text") node.textContent = props[key];
        else if (key === "class") node.className = props[key];
        else if (key === "style") node.setAttribute("style", props[key]);
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), props[key]);
        else node.setAttribute(key, props[key]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function colourOf(node) {
    if (node.group === "entity") return LEGEND.categories[node.category] || "#9c9c9c";
    return LEGEND.eventTypes[node.type] || "#888";
  }
  function kindOf(node) { return node.group === "entity" ? node.category : node.type; }
  function words(text) {  // "HostageTaking" -> "Hostage taking"
    var spaced = String(text).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    return spaced.charAt(0).toUpperCase() + spaced.slice(1);
  }
  function shortLabel(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }
  function fmtTime(text) { return text ? text.replace("T", " ").replace(/:00$/, "") : ""; }
  function articleName(index) {
    var a = DATA.articles[index];
    return a ? "#" + (index + 1) + " " + a.title : "";
  }
  function swatch(colour, isEvent) {
    return el("span", { "class": "swatch" + (isEvent ? " event" : ""), style: "background:" + colour });
  }
  function nodeButton(id, fallback) {
    if (id === null || id === undefined || !NODES[id]) return document.createTextNode(fallback || "");
    return el("button", { type: "button", "class": "link", onclick: function () { focusNode(id); } },
      fallback || NODES[id].label);
  }
  function articleButton(index) {
    if (index === null || index === undefined) return document.createTextNode("");
    return el("button", { type: "button", "class": "link", title: DATA.articles[index].title,
      onclick: function () { setArticle(String(index)); } }, "#" + (index + 1));
  }
  function highlighted(text, start, end) {
    var frag = document.createDocumentFragment();
    frag.appendChild(document.createTextNode(text.slice(0, start)));
    frag.appendChild(el("mark", null, text.slice(start, end)));
    frag.appendChild(document.createTextNode(text.slice(end)));
    return frag;
  }

  // --- state and filters -------------------------------------------------------
  var adjacency = NODES.map(function () { return []; });
  DATA.edges.forEach(function (e, i) {
    adjacency[e.from].push({ edge: i, other: e.to, label: e.label, out: true });
    adjacency[e.to].push({ edge: i, other: e.from, label: e.label, out: false });
  });
  var state = {
    article: "",
    categories: new Set(Object.keys(LEGEND.categories)),
    types: new Set(Object.keys(LEGEND.eventTypes)),
    cap: CONFIG.nodeCap,
    hideIsolated: false,
    pinned: new Set(),
    search: "",
    selected: null,
    shown: new Set(),
    statementLimit: STATEMENT_PAGE
  };
  function inArticle(articles) {
    return state.article === "" || articles.indexOf(Number(state.article)) >= 0;
  }
  function passes(node) {
    if (!inArticle(node.articles)) return false;
    return node.group === "entity" ? state.categories.has(node.category) : state.types.has(node.type);
  }
  function matchesSearch(texts) {
    if (!state.search) return true;
    var q = state.search.toLowerCase();
    return texts.some(function (t) { return t && String(t).toLowerCase().indexOf(q) >= 0; });
  }

  /** The nodes to draw: those that pass the filters, the most connected first, capped. */
  function visibleNodes() {
    var ok = NODES.map(passes);
    var degree = NODES.map(function () { return 0; });
    DATA.edges.forEach(function (e) {
      if (ok[e.from] && ok[e.to]) { degree[e.from]++; degree[e.to]++; }
    });
    var candidates = NODES.filter(function (n) { return ok[n.id] && (!state.hideIsolated || degree[n.id] > 0); });
    candidates.sort(function (a, b) {
      return (degree[b.id] - degree[a.id]) || (b.mentions - a.mentions) || (a.id - b.id);
    });
    var shown = candidates.slice(0, state.cap).map(function (n) { return n.id; });
    var set = new Set(shown);
    state.pinned.forEach(function (id) { if (!set.has(id)) { set.add(id); } });
    return { ids: set, total: candidates.length, degree: degree };
  }

  // --- the graph -----------------------------------------------------------------
  var container = document.getElementById("graph");
  var nodeSet = new vis.DataSet();
  var edgeSet = new vis.DataSet();
  var network = new vis.Network(container, { nodes: nodeSet, edges: edgeSet }, {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: false },
    nodes: {
      borderWidth: 1,
      font: { size: 13, color: "#222", strokeWidth: 3, strokeColor: "#fff" },
      scaling: { min: 8, max: 32, label: { enabled: true, min: 11, max: 20, drawThreshold: 5 } }
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      color: { color: "#c4c4c4", highlight: "#444", hover: "#777" },
      font: { size: 9, color: "#777", strokeWidth: 3, strokeColor: "#fff", align: "middle" },
      smooth: false,
      width: 1
    },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 110, springConstant: 0.06, avoidOverlap: 0.3 },
      stabilization: { enabled: true, iterations: 300, updateInterval: 50, fit: true }
    },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, multiselect: false }
  });
  var stabilized = false;
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    stabilized = true;
    container.setAttribute("data-stabilized", "true");
  });
  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0]);
  });

  function drawGraph() {
    var visible = visibleNodes();
    state.shown = visible.ids;
    var items = [];
    visible.ids.forEach(function (id) {
      var n = NODES[id];
      var colour = colourOf(n);
      items.push({
        id: id,
        label: shortLabel(n.label, 32),
        title: n.label + " (" + words(kindOf(n)) + ")",
        shape: n.group === "entity" ? "dot" : "diamond",
        value: 1 + visible.degree[id],
        color: { background: colour, border: "#555", highlight: { background: colour, border: "#000" },
                 hover: { background: colour, border: "#000" } }
      });
    });
    var edgeItems = [];
    DATA.edges.forEach(function (e, i) {
      if (visible.ids.has(e.from) && visible.ids.has(e.to)) {
        edgeItems.push({ id: i, from: e.from, to: e.to, label: e.label,
                         title: NODES[e.from].label + " — " + e.label + " → " + NODES[e.to].label });
      }
    });
    stabilized = false;
    container.setAttribute("data-stabilized", "false");
    container.setAttribute("data-nodes", String(items.length));
    network.setOptions({ physics: { enabled: true } });
    nodeSet.clear(); edgeSet.clear();
    nodeSet.add(items); edgeSet.add(edgeItems);
    network.stabilize(items.length > 600 ? 150 : 300);
    var count = document.getElementById("graph-count");
    count.textContent = "Showing " + items.length + " of " + visible.total + " nodes (most connected first)";
    document.getElementById("show-more").disabled = visible.ids.size >= visible.total;
    document.getElementById("show-all").disabled = visible.ids.size >= visible.total;
    document.getElementById("show-more").textContent = "Show " + Math.min(CONFIG.nodeCap, Math.max(0, visible.total - visible.ids.size)) + " more";
    document.getElementById("show-all").textContent = "Show all " + visible.total;
    if (state.selected !== null && visible.ids.has(state.selected)) network.selectNodes([state.selected]);
  }

  function select(id) {
    state.selected = id;
    renderPanel(id);
    if (state.shown.has(id)) network.selectNodes([id]);
  }

  /** Show a node (drawing it if the cap left it out), centre on it and open its panel. */
  function focusNode(id) {
    if (!state.shown.has(id)) {
      if (!passes(NODES[id])) {  // a filter hides it: open the way to it
        if (!inArticle(NODES[id].articles)) setArticle("", true);
        if (NODES[id].group === "entity") state.categories.add(NODES[id].category);
        else state.types.add(NODES[id].type);
        syncChecks();
      }
      state.pinned.add(id);
      drawGraph();
    }
    select(id);
    network.focus(id, { scale: 1.1, animation: { duration: 400 } });
    document.getElementById("graph-section").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // --- the side panel --------------------------------------------------------------
  function renderPanel(id) {
    var n = NODES[id];
    var panel = clear(document.getElementById("panel"));
    panel.setAttribute("data-node", String(id));
    var colour = colourOf(n);
    panel.appendChild(el("h3", { id: "panel-label" }, n.label));
    panel.appendChild(el("p", null, el("span", { "class": "chip", style: "background:" + colour },
      words(kindOf(n))), " ", n.kind && n.kind !== n.category ? words(n.kind) : ""));

    var facts = el("dl");
    function fact(name, value) {
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
      facts.appendChild(el("dt", null, name));
      facts.appendChild(el("dd", null, Array.isArray(value) ? value.join("; ") : value));
    }
    if (n.group === "event") {
      var when = n.begin ? fmtTime(n.begin) + (n.end && n.end !== n.begin ? " – " + fmtTime(n.end) : "") : "";
      fact("When", when || n.timeText || "");
      if (n.begin && n.timeText) fact("As written", n.timeText);
      fact("Place", n.place);
      fact("Motive", n.motive);
    }
    fact("Role", n.role);
    fact("Organisation", n.organization);
    fact("Nationality", n.nationality);
    if (n.wikidata) {
      facts.appendChild(el("dt", null, "Wikidata"));
      facts.appendChild(el("dd", null, el("a", { id: "panel-wikidata", href: n.wikidata, target: "_blank", rel: "noopener noreferrer" },
        n.wikidata.replace(/^.*\//, ""))));
    }
    fact("Mentions", n.mentions + " in " + n.articles.length + " article" + (n.articles.length === 1 ? "" : "s"));
    panel.appendChild(facts);

    panel.appendChild(el("h4", null, "Labels"));
    panel.appendChild(el("ul", { id: "panel-labels" }, ...n.labels.map(function (l) { return el("li", null, l); })));
    if (n.alsoWritten.length) {
      panel.appendChild(el("p", null, (n.group === "event" ? "Trigger words: " : "Also written: ") + n.alsoWritten.join(", ")));
    }

    var links = adjacency[id];
    if (links.length) {
      panel.appendChild(el("h4", null, "Connections (" + links.length + ")"));
      var list = el("ul");
      links.slice().sort(function (a, b) { return a.label.localeCompare(b.label) || NODES[a.other].label.localeCompare(NODES[b.other].label); })
        .forEach(function (link) {
          list.appendChild(el("li", null, link.out ? link.label + ": " : link.label + " of ", nodeButton(link.other)));
        });
      panel.appendChild(list);
    }

    var figures = [];
    DATA.figures.forEach(function (group) {
      group.reports.forEach(function (r) {
        if (group.event === id || r.reporter === id) figures.push({ group: group, report: r });
      });
    });
    if (figures.length) {
      panel.appendChild(el("h4", null, "Reported figures"));
      var fl = el("ul");
      figures.forEach(function (f) {
        var about = f.group.event !== id;  // this node reported it: say about what
        fl.appendChild(el("li", null, f.group.measure + ": " + f.report.text + (about ? " — about " : " — "),
          about ? (f.group.event !== null ? nodeButton(f.group.event) : f.group.eventLabel)
                : (f.report.reporter !== null ? nodeButton(f.report.reporter, f.report.reporterLabel) : (f.report.reporterLabel || "unattributed"))));
      });
      panel.appendChild(fl);
    }

    var said = DATA.statements.filter(function (s) { return s.speaker === id; });
    if (said.length) {
      panel.appendChild(el("h4", null, "Statements (" + said.length + ")"));
      said.slice(0, 5).forEach(function (s) {
        panel.appendChild(el("blockquote", null, (s.direct ? "“" + s.quote + "”" : s.quote),
          s.channel ? el("span", { "class": "note" }, " — via " + s.channel) : null));
      });
      if (said.length > 5) panel.appendChild(el("p", { "class": "note" }, (said.length - 5) + " more in Statements below."));
    }

    if (n.snippets.length) {
      panel.appendChild(el("h4", null, "Source sentences"));
      n.snippets.forEach(function (s) {
        panel.appendChild(el("blockquote", { "class": "snippet" }, highlighted(s.text, s.start, s.end),
          el("div", { "class": "note" }, "article ", articleButton(s.article))));
      });
      var more = n.mentions - n.snippets.length;
      if (more > 0) panel.appendChild(el("p", { "class": "note" }, "and " + more + " more mention" + (more === 1 ? "" : "s") + "."));
    }
    panel.appendChild(el("p", { "class": "note", style: "word-break:break-all" }, n.iri));
  }

  // --- timeline, figures, statements ------------------------------------------------
  /** What the filters hide, in words ("" when nothing is filtered). */
  function filterNote() {
    var parts = [];
    if (state.article !== "") parts.push("article #" + (Number(state.article) + 1));
    if (state.search) parts.push("search “" + state.search + "”");
    if (state.types.size < Object.keys(LEGEND.eventTypes).length) parts.push("some event types hidden");
    return parts.length ? " (filtered: " + parts.join(", ") + ")" : "";
  }

  function renderTimeline() {
    var list = clear(document.getElementById("timeline"));
    var items = DATA.timeline.filter(function (t) {
      var n = NODES[t.node];
      return inArticle(n.articles) && state.types.has(n.type) && matchesSearch([t.label, t.place, n.type]);
    });
    items.forEach(function (t) {
      var colour = LEGEND.eventTypes[t.type] || "#888";
      list.appendChild(el("li", { style: "--dot:" + colour, "data-node": String(t.node) },
        el("time", { datetime: t.time }, fmtTime(t.time) + (t.end && t.end !== t.time ? " – " + fmtTime(t.end) : "")),
        el("span", { "class": "chip", style: "background:" + colour }, words(t.type)), " ",
        nodeButton(t.node, t.label),
        t.place ? el("span", { "class": "note" }, " · " + t.place) : null));
    });
    document.getElementById("timeline-note").textContent = items.length + " dated event" + (items.length === 1 ? "" : "s") +
      filterNote() + (DATA.undated ? "; " + DATA.undated + " events in the whole build have no resolved date and are only in the graph." : ".");
  }

  function renderFigures() {
    var body = clear(document.querySelector("#figures tbody"));
    DATA.figures.forEach(function (group) {
      var inScope = state.article === "" || group.articles.indexOf(Number(state.article)) >= 0;
      var texts = [group.eventLabel, group.measure].concat(group.reports.map(function (r) { return r.reporterLabel; }));
      if (!inScope || !matchesSearch(texts)) return;
      var reports = el("div", { "class": "reports" });
      group.reports.forEach(function (r) {
        reports.appendChild(el("div", { "class": "report" },
          el("div", { "class": "value" }, r.text),
          el("div", { "class": "source" },
            r.reporter !== null ? nodeButton(r.reporter, r.reporterLabel) : (r.reporterLabel || "unattributed"),
            r.reportedAt ? ", " + fmtTime(r.reportedAt) : "", " · ", articleButton(r.article)),
          el("div", { "class": "evidence" }, "“" + r.evidence + "”")));
      });
      body.appendChild(el("tr", { "class": group.conflict ? "conflict" : "" },
        el("td", null, group.event !== null ? nodeButton(group.event, group.eventLabel)
          : el("span", null, group.eventLabel + " · article ", articleButton(group.articles[0]))),
        el("td", null, group.measure, group.conflict ? el("span", { "class": "badge", title: "the sources disagree" }, "sources disagree") : null),
        el("td", null, reports)));
    });
    if (!body.firstChild) body.appendChild(el("tr", null, el("td", { colspan: "3", "class": "note" }, "No reported figures" + (filterNote() || " in this build") + ".")));
  }

  function renderStatements() {
    var body = clear(document.querySelector("#statements tbody"));
    var rows = DATA.statements.filter(function (s) {
      return (state.article === "" || s.article === Number(state.article)) &&
        matchesSearch([s.speakerLabel, s.quote, s.channel]);
    });
    rows.slice(0, state.statementLimit).forEach(function (s) {
      body.appendChild(el("tr", null,
        el("td", null, s.speaker !== null ? nodeButton(s.speaker, s.speakerLabel) : (s.speakerLabel || "—")),
        el("td", { "class": "quote" }, s.direct ? "“" + s.quote + "”" : s.quote,
          s.direct ? null : el("span", { "class": "indirect" }, " (indirect)")),
        el("td", null, s.channel || ""),
        el("td", null, fmtTime(s.reportedAt)),
        el("td", null, articleButton(s.article))));
    });
    var more = clear(document.getElementById("statements-more"));
    if (rows.length > state.statementLimit) {
      more.appendChild(document.createTextNode(rows.length + " statements; the first " + state.statementLimit + " are shown. "));
      more.appendChild(el("button", { type: "button", onclick: function () { state.statementLimit = rows.length; renderStatements(); } }, "Show all"));
    } else if (!rows.length) {
      more.textContent = "No statements" + (filterNote() || " in this build") + ".";
    }
    var claims = clear(document.querySelector("#claims tbody"));
    DATA.claims.filter(function (c) {
      return (state.article === "" || c.article === Number(state.article)) && matchesSearch([c.claimantLabel, c.eventLabel, c.motive]);
    }).forEach(function (c) {
      claims.appendChild(el("tr", null,
        el("td", null, nodeButton(c.claimant, c.claimantLabel)),
        el("td", null, c.event !== null ? nodeButton(c.event, c.eventLabel) : "—"),
        el("td", null, c.motive || ""),
        el("td", { "class": "quote" }, c.evidence || "")));
    });
    if (!claims.firstChild) claims.appendChild(el("tr", null, el("td", { colspan: "4", "class": "note" }, "No claims of responsibility" + (filterNote() || " in this build") + ".")));
  }

  // --- stories: reports on a timeline, a small chart of each figure against report date ---
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function dayOf(text) { return text ? Date.parse(text.slice(0, 10) + "T00:00:00Z") : NaN; }
  function figureChart(measure, points) {
    var W = 280, H = 90, L = 34, R = 8, T = 8, B = 20;
    var usable = points.filter(function (p) { return !isNaN(dayOf(p.at)) && (p.value !== null || p.min !== null || p.max !== null); });
    var chart = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "class": "story-chart" });
    chart.appendChild(svg("title", {}, measure + " against report date"));
    if (!usable.length) return chart;
    var days = usable.map(function (p) { return dayOf(p.at); });
    var lo = Math.min.apply(null, days), hi = Math.max.apply(null, days);
    var top = Math.max.apply(null, usable.map(function (p) { return Math.max(p.value || 0, p.max || 0, p.min || 0); })) || 1;
    function x(d) { return hi === lo ? (L + W - R) / 2 : L + (d - lo) / (hi - lo) * (W - L - R); }
    function y(v) { return H - B - v / top * (H - T - B); }
    chart.appendChild(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }));
    chart.appendChild(svg("text", { x: 2, y: T + 8, "font-size": 10 }, String(top)));
    chart.appendChild(svg("text", { x: L, y: H - 4, "font-size": 10 }, new Date(lo).toISOString().slice(0, 10)));
    if (hi !== lo) chart.appendChild(svg("text", { x: W - R, y: H - 4, "font-size": 10, "text-anchor": "end" }, new Date(hi).toISOString().slice(0, 10)));
    usable.forEach(function (p) {
      var cx = x(dayOf(p.at));
      if (p.value === null) {  // a bound ("at least 20"): a bar from the lower to the upper bound
        chart.appendChild(svg("line", { x1: cx, x2: cx, y1: y(p.min || 0), y2: y(p.max !== null ? p.max : top), stroke: "#e15759", "stroke-width": 3 }));
      }
      var dot = svg("circle", { cx: cx, cy: y(p.value !== null ? p.value : (p.min !== null ? p.min : p.max)), r: 4,
        fill: p.approximate ? "#fff" : "#e15759", stroke: "#e15759" });
      dot.appendChild(svg("title", {}, (p.value !== null ? p.value : (p.min !== null ? "≥ " + p.min : "≤ " + p.max)) +
        " — " + (p.reporter || "unattributed") + ", " + p.at + (p.article !== null ? ", article #" + (p.article + 1) : "") + ": " + p.evidence));
      chart.appendChild(dot);
    });
    return chart;
  }
  function renderStories() {
    var box = clear(document.getElementById("stories"));
    var stories = DATA.stories || [];
    if (!stories.length) { box.appendChild(el("p", { "class": "note" }, "No story: no incident with a place was found.")); return; }
    stories.forEach(function (s) {
      var reports = el("ol", { "class": "timeline" });
      s.reports.forEach(function (r) {
        reports.appendChild(el("li", null, el("time", { datetime: r.published || "" }, fmtTime(r.published) || "undated"), " ",
          articleButton(r.article), el("span", { "class": "note" }, " " + articleName(r.article) + " · " + r.events.join("; "))));
      });
      var charts = el("div", { "class": "story-charts" });
      s.figures.forEach(function (f) {
        charts.appendChild(el("figure", null, figureChart(f.measure, f.points), el("figcaption", null, f.measure + " (" + f.points.length + " report" + (f.points.length === 1 ? "" : "s") + ")")));
      });
      box.appendChild(el("article", { "class": "story" },
        el("h3", null, s.label), el("p", { "class": "note" }, words(s.type) + (s.place ? " · " + s.place : "") +
          (s.begin ? " · " + fmtTime(s.begin) + (s.end && s.end !== s.begin ? " – " + fmtTime(s.end) : "") : "") +
          " · " + s.articles + " article" + (s.articles === 1 ? "" : "s") + ", first reported " + (s.first || "?") + ", last " + (s.last || "?")),
        reports, charts));
    });
  }

  function renderTables() { renderTimeline(); renderStories(); renderFigures(); renderStatements(); }

  // --- controls -----------------------------------------------------------------------
  function checkbox(fieldset, name, colour, isEvent, set) {
    var box = el("input", { type: "checkbox", value: name, "data-kind": isEvent ? "type" : "category" });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) set.add(name); else set.delete(name);
      drawGraph(); renderTables();
    });
    fieldset.appendChild(el("label", null, box, swatch(colour, isEvent), words(name)));
  }
  function syncChecks() {
    document.querySelectorAll("#category-filter input").forEach(function (b) { b.checked = state.categories.has(b.value); });
    document.querySelectorAll("#type-filter input").forEach(function (b) { b.checked = state.types.has(b.value); });
  }
  function setArticle(value, quiet) {
    state.article = value;
    document.getElementById("article-filter").value = value;
    state.pinned.clear();
    state.statementLimit = STATEMENT_PAGE;
    if (!quiet) { drawGraph(); renderTables(); }
  }

  Object.keys(LEGEND.categories).forEach(function (c) {
    checkbox(document.getElementById("category-filter"), c, LEGEND.categories[c], false, state.categories);
  });
  Object.keys(LEGEND.eventTypes).forEach(function (t) {
    checkbox(document.getElementById("type-filter"), t, LEGEND.eventTypes[t], true, state.types);
  });
  var articleSelect = document.getElementById("article-filter");
  articleSelect.options[0].textContent = "All articles (" + DATA.articles.length + ")";
  DATA.articles.forEach(function (a, i) {
    articleSelect.appendChild(el("option", { value: String(i) },
      shortLabel(articleName(i), 90) + (a.published ? " (" + a.published + ")" : "")));
  });
  articleSelect.addEventListener("change", function () { setArticle(articleSelect.value); });
  document.getElementById("show-more").addEventListener("click", function () { state.cap += CONFIG.nodeCap; drawGraph(); });
  document.getElementById("show-all").addEventListener("click", function () { state.cap = NODES.length; drawGraph(); });
  document.getElementById("show-less").addEventListener("click", function () {
    state.cap = CONFIG.nodeCap; state.pinned.clear(); drawGraph();
  });
  document.getElementById("hide-isolated").addEventListener("change", function (ev) {
    state.hideIsolated = ev.target.checked; drawGraph();
  });

  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  function searchMatches(q) {
    q = q.toLowerCase();
    var hits = [];
    NODES.forEach(function (n) {
      var best = -1;
      [n.label].concat(n.labels, n.alsoWritten).forEach(function (text) {
        var at = text.toLowerCase().indexOf(q);
        if (at >= 0) best = Math.max(best, at === 0 ? 2 : 1);
      });
      if (best >= 0 && inArticle(n.articles)) hits.push({ node: n, score: best });
    });
    hits.sort(function (a, b) { return (b.score - a.score) || (b.node.degree - a.node.degree) || (b.node.mentions - a.node.mentions); });
    return hits.slice(0, 25).map(function (h) { return h.node; });
  }
  function pick(id) { results.hidden = true; focusNode(id); }
  search.addEventListener("input", function () {
    state.search = search.value.trim();
    clear(results);
    if (state.search) {
      searchMatches(state.search).forEach(function (n) {
        results.appendChild(el("li", { role: "option", "data-node": String(n.id), onclick: function () { pick(n.id); } },
          swatch(colourOf(n), n.group === "event"), n.label, el("span", { "class": "note" }, " · " + words(kindOf(n)))));
      });
      if (!results.firstChild) results.appendChild(el("li", { "class": "note" }, "no entity or event of that name"));
    }
    results.hidden = !state.search;
    renderTables();
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = results.querySelector("li[data-node]");
      if (first) pick(Number(first.getAttribute("data-node")));
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  document.addEventListener("click", function (ev) {
    if (!results.contains(ev.target) && ev.target !== search) results.hidden = true;
  });

  function count(n, one, many) { return n + " " + (n === 1 ? one : many); }
  var c = DATA.counts;
  document.getElementById("summary").textContent = [
    count(c.articles, "article", "articles"), count(c.entities, "entity", "entities"), count(c.events, "event", "events"),
    count(c.edges, "link", "links"), count(c.figures, "reported figure", "reported figures"),
    count(c.statements, "statement", "statements"), count(c.claims, "claim of responsibility", "claims of responsibility")].join(" · ");
  document.getElementById("footer").textContent = "Made by kg " + CONFIG.version + " on " + CONFIG.generated +
    " from " + CONFIG.sources.join(", ") + ". Graph drawn with " + CONFIG.vis + ", inlined: this page needs no network.";

  drawGraph();
  renderTables();

  /* For tests and the curious: the network and the report's state. */
  window.kgReport = {
    network: network, nodes: nodeSet, edges: edgeSet, data: DATA, state: state,
    focusNode: focusNode, select: select, isStabilized: function () { return stabilized; }
  };
}());
