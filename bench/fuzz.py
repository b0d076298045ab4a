"""The long robustness run: build many generated nasty articles and check every output.

    .venv/bin/python bench/fuzz.py                      # 10,000 articles, batches of 500
    .venv/bin/python bench/fuzz.py --articles 1000 --seed 7 --results /tmp/fuzz.md
    .venv/bin/python bench/fuzz.py --keep /tmp/fuzz-batches   # keep each batch's JSONL

A seeded generator (the same seed gives the same articles) mixes real news
sentences (the Lee corpus of ../shared, else built-in ones) with the nasty
text classes of the robustness issue: control characters and NUL, Unicode line
and paragraph separators, right-to-left scripts and bidi controls, emoji,
combining marks, zero-width and non-characters, astral planes, Turtle, SPARQL,
JSON and HTML syntax, quotes of every kind, backslashes and triple quotes,
``<script>``, names with apostrophes and hyphens, huge numbers, odd dates, long
tokens, random code points; and gives each article random metadata (ids that
collide, odd titles and URLs, dates naive, aware, extreme or malformed, values
of the wrong JSON type).

Each batch is one JSONL file built in this process with ``kg.build.build``
(the model is loaded once). Checks per batch: the build does not raise; every
output format parses in rdflib and in pyoxigraph (ttl and trig always; nq, nt,
jsonld and xml every fourth batch); every IRI is a valid RFC 3987 IRI; each
built article's ``nif:isString`` and ``schema:identifier`` are its text and id
exactly; every skip message is one line; the union conforms to the SHACL
shapes (``kg.query.validate.validate``). A batch that raises is bisected to the
articles that raise (each kept as a reproduction), and rebuilt without them.
Violations of the shapes are split into those of one article's graph alone
and those that appear only when graphs merge (an entity described differently
by two articles).

Writes a Markdown summary to --results (default bench/fuzz-results.md) and
prints it. Exit status 0 when nothing crashed and every output parsed.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LEE = ROOT.parent / "shared" / "corpora" / "lee_background.cor"

from tests.stores.test_security import is_iri  # noqa: E402  (the RFC 3987 grammar, shared with the tests)

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SCHEMA = "https://schema.org/"

# --------------------------------------------------------------------------- text

_SENTENCES = [
    "Gunmen stormed the Westgate shopping mall in Nairobi on Saturday, killing at least 39 people, police said.",
    "Al-Shabaab claimed responsibility for the attack on Twitter, saying it was revenge for Kenya's military operation.",
    "\"We will not negotiate,\" President Uhuru Kenyatta told reporters on Sunday.",
    "The Interior Ministry said 12 soldiers were injured and about 200 people were rescued.",
    "A suicide bomber blew himself up outside a police station in Kabul on Monday, officials said.",
    "Sean O'Brien, a spokesman for the Red Cross, said dozens of hostages were still inside.",
    "An earthquake of magnitude 7.1 struck central Mexico on Tuesday, killing more than 200 people.",
    "Police arrested two men in Paris on Friday in connection with the shooting, the prosecutor said.",
    "Mary-Jane Smith-Jones, who witnessed the blast, said she saw between 10 and 15 bodies.",
    "The United Nations evacuated 1,500 civilians from Aleppo last week, a UN official told AFP.",
]

_FRAGMENTS: dict[str, list[str]] = {
    "control": ["\x01", "\x02\x03", "\x07", "\x08", "\x0b", "\x0c", "\x0e\x0f", "\x1b[31m", "\x1f", "\x7f",
                "\x80", "\x85", "\x9f", "\t"],
    "nul": ["\x00", "\x00\x00", "a\x00b", "\x00 "],
    "separators": ["\u2028", "\u2029", "\u2028\u2029", "\r", "\r\n", "\n\n\n", "\u0085", "\u000b"],
    "rtl": ["مسلحون هاجموا مركز تسوق في نيروبي", "שלום עולם", "قال المتحدث إن 12 شخصا قتلوا", "ܐܢܐ",
            "ދިވެހި", "اردو زبان", "عبد الله بن علي"],
    "bidi": ["\u202e", "\u202b", "\u202a", "\u202d", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
             "\u200f", "\u061c", "\u202eDESREVER\u202c"],
    "emoji": ["🔥", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇰🇪", "👍🏽", "💀💀💀", "☠️", "🤷‍♀️", "1️⃣", "🫠"],
    "combining": ["e\u0301", "Z\u0334\u0321\u0322\u031b", "a\u0300\u0301\u0302\u0303\u0304\u0305\u0306",
                  "\u0336", "\u20dd", "\u0345", "n\u0303", "\u0e49\u0e49\u0e49", "\u0300" * 30],
    "zero-width": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e"],
    "noncharacters": ["\ufffe", "\uffff", "\ufffd", "\U0001fffe", "\U0010ffff", "\ue000", "\U000f0000",
                      "\ufdd0", "\U000e0041"],
    "astral": ["𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝟓𝟔", "𠜎𠜱𠝹", "𓀀𓀁", "🀄", "𝐀𝐁𝐂", "\U0001d7ce\U0001d7cf"],
    "whitespace": ["\u00a0", "\u2000", "\u2003", "\u2009", "\u3000", "\u205f", "\u1680", "\u202f", "  \t "],
    "turtle": ['@prefix x: <http://evil.example/> .', 'x:a x:b "c"^^<x> ;', '<> a <http://evil/> .',
               '_:b0 <p> _:b1 .', '"literal"@en-x', '} GRAPH <http://evil/g> {', '\\u0022', '\\U0001F600',
               '^^xsd:string', '@base <http://evil/> .'],
    "sparql": ['DROP ALL;', 'INSERT DATA { <a> <b> "c" }', 'SELECT * WHERE { ?s ?p ?o }', '} UNION {',
               'FILTER(regex(?x, ".*"))', '# comment', 'DELETE WHERE { ?s ?p ?o }', 'SERVICE <http://evil/> {}'],
    "json": ['{"text": "x", "id": "../../etc/passwd"}', '["a", 1, null, true]', '{"@context": "http://evil/"}',
             '\\"}', '{"@id": "http://evil/"}', 'NaN', '1e999'],
    "html": ['<script>alert("x")</script>', '<img src="http://127.0.0.1:9/x.png" onerror=alert(1)>',
             '<iframe src="http://127.0.0.1:9/"></iframe>', '&amp;&lt;&gt;&quot;&#0;&#x110000;', '<!-- c -->',
             '<![CDATA[ x ]]>', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
             '</p></body></html>', '<b>bold</b>'],
    "quotes": ['"', "'", "“", "”", "‘", "’", "«", "»", "„", "‚", "‹", "›", "「", "」", "『", "』", "`", "´",
               "''", '""', "″", "‴"],
    "backslash": ["\\", "\\\\", "\\n", "\\t", "\\u0000", "\\x41", "C:\\Windows\\System32", "\\\\server\\share",
                  "\\\"", "\\'"],
    "triple-quotes": ['"""', "'''", '""""""', '"""x"""', "'''y'''", '\\"""', '"""\\'],
    "names": ["Sean O'Brien", "D'Angelo O’Neill", "Mary-Jane Smith-Jones", "al-Shabaab's", "Jean-Luc Picard-O'Hara",
              "Ngũgĩ wa Thiong'o", "O'Connor-McDonald", "Abd al-Rahman ibn 'Awf", "l'Ouverture", "d'Estaing"],
    "numbers": ["9" * 50, "1,000,000,000,000,000,000,000", "99999999999999999999999999", "1e999", "-5", "3.5",
                "0", "one trillion trillion", "½", "٣٤", "५", "Ⅻ", "10^100", "0x1F"],
    "dates": ["on 31 February 2013", "on 0000-00-00", "in the year 99999", "in 10000 BC", "on 1 January 1",
              "on 31 December 9999", "at 25:61", "yesterday", "tomorrow", "last week", "on Monday",
              "in the 1990s", "on 2013-09-22T25:00", "at 10:00 on Monday"],
    "urls": ["http://127.0.0.1:9/x", "file:///etc/passwd", "javascript:alert(1)", "data:text/html,<b>x</b>",
             "ftp://evil/", "//evil.example/x", "mailto:a@b.c", "http://user:pw@evil/"],
}
_CLASSES = [*_FRAGMENTS, "long-token", "random-codepoints", "markup-soup"]


def _random_codepoints(rng: random.Random, n: int) -> str:
    """Code points from every plane, surrogates excluded (a str that UTF-8 can encode)."""
    out = []
    for _ in range(n):
        plane = rng.choice((0, 0, 0, 0, 1, 2, 14, 15, 16))
        cp = rng.randrange(plane << 16, (plane << 16) + 0x10000)
        if 0xD800 <= cp <= 0xDFFF:
            cp = 0xFFFD
        out.append(chr(cp))
    return "".join(out)


def _nasty(rng: random.Random, kind: str) -> str:
    if kind == "long-token":
        # spaCy's tokenizer splits a run of suffix characters (quotes, %, !, ), emoji) one at a
        # time, in quadratic time: 10,000 of them take ~35 s. Such runs stay at 1,000 characters
        # here (tests/test_robustness.py has the 10,000 case, marked slow); other tokens reach 10,000.
        if rng.random() < 0.5:
            return rng.choice("'\"%!)🔥") * rng.choice((200, 1000))
        return rng.choice(("x", "A", "9", "-", "\\", "é", "ab-", "x.")) * rng.choice((1000, 5000, 10_000))
    if kind == "random-codepoints":
        return _random_codepoints(rng, rng.randrange(1, 60))
    if kind == "markup-soup":
        return "".join(rng.choice(_FRAGMENTS[k]) for k in rng.sample(["html", "turtle", "sparql", "json",
                                                                        "quotes", "backslash", "triple-quotes"], 4))
    return rng.choice(_FRAGMENTS[kind])


def _inject(rng: random.Random, text: str, fragment: str) -> str:
    """The fragment at a random place: between words, inside a word, at either end."""
    where = rng.random()
    if where < 0.1:
        return fragment + text
    if where < 0.2:
        return text + fragment
    at = rng.randrange(len(text) + 1)
    if where < 0.6:  # at a word boundary
        spaces = [i for i, c in enumerate(text) if c == " "]
        at = rng.choice(spaces) if spaces else at
        return f"{text[:at]} {fragment} {text[at:]}"
    return text[:at] + fragment + text[at:]


def make_text(rng: random.Random, sentences: list[str], kind: str) -> str:
    text = " ".join(rng.choice(sentences) for _ in range(rng.randrange(1, 5)))
    if rng.random() < 0.15:
        text = text.replace(". ", ".\n\n", rng.randrange(1, 3))
    for _ in range(rng.randrange(1, 6)):
        # mostly the article's class, sometimes any other (combinations)
        text = _inject(rng, text, _nasty(rng, kind if rng.random() < 0.75 else rng.choice(_CLASSES)))
    if rng.random() < 0.01:  # now and then an article of nasty text alone
        text = _nasty(rng, kind) * rng.randrange(1, 4)
    return text


# --------------------------------------------------------------------------- metadata


def _odd_string(rng: random.Random, sentences: list[str]) -> str:
    return make_text(rng, sentences, rng.choice(_CLASSES))[: rng.choice((5, 40, 300))]


def _published(rng: random.Random) -> object:
    choice = rng.randrange(14)
    if choice < 4:
        return None
    if choice < 7:
        return (dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))).isoformat()
    if choice == 7:
        return f"2013-09-22T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
    if choice == 8:  # timezone-aware datetimes
        return rng.choice(("2013-09-22T10:00:00Z", "2013-09-22T10:00:00+03:00", "2020-02-29T23:59:59-12:00"))
    if choice == 9:  # the edges of the calendar
        return rng.choice(("0001-01-01", "9999-12-31", "1970-01-01", "2000-02-29"))
    if choice == 10:  # malformed: the article is skipped and reported
        return rng.choice(("2013-02-30", "22/09/2013", "yesterday", "2013-13-01", "", "   ", "\x00", "🔥"))
    if choice == 11:
        return rng.choice((20130922, 3.5, True, [], {}, None))
    if choice == 12:
        return rng.choice(("2013-09-22T10:00", "2013-09-22 10:00:00", "2013-09-22T10:00:00.123456"))
    return "2001-12-01"


def _id(rng: random.Random, n: int, sentences: list[str], earlier: list[str]) -> object:
    choice = rng.randrange(20)
    if choice < 11:
        return None  # a content hash
    if choice < 14:
        return f"fuzz-{n}"
    if choice < 16:
        return _odd_string(rng, sentences)
    if choice == 16 and earlier:  # an id that mints the same IRIs as an earlier one
        return rng.choice(earlier).upper() + rng.choice(("", "!", " "))
    if choice == 17:
        return rng.choice((n, -n, 0, 10**30, "build", "BUILD", "", "  ", "../../../tmp/evil", "a/b?c#d"))
    if choice == 18:
        return rng.choice((1.5, True, [n], {"id": n}))
    return f"Article {n} – “{rng.choice(_FRAGMENTS['names'])}”"


def make_record(rng: random.Random, n: int, sentences: list[str], earlier: list[str]) -> dict:
    kind = _CLASSES[n % len(_CLASSES)]  # every class equally often
    record: dict = {"text": make_text(rng, sentences, kind)}
    value = _id(rng, n, sentences, earlier)
    if value is not None:
        record["id"] = value
        if isinstance(value, str) and value.strip():
            earlier.append(value)
    if rng.random() < 0.5:
        record["title"] = rng.choice((_odd_string(rng, sentences), rng.choice(sentences)[:60], 42, 1.5, None, "",
                                      ["x"], "\x00"))
    if rng.random() < 0.4:
        record["url"] = rng.choice((*_FRAGMENTS["urls"], "https://example.org/news/1?a=1&b=2#x",
                                    _odd_string(rng, sentences), 7, None))
    published = _published(rng)
    if published is not None:
        record["published" if rng.random() < 0.8 else "date"] = published
    if rng.random() < 0.05:
        record[rng.choice(("extra", "@context", "__proto__", "text2"))] = _odd_string(rng, sentences)
    if rng.random() < 0.01:
        record["text"] = rng.choice((None, 5, ["a"], {"t": 1}, "", " \n\t"))  # skipped: reported
    return record


def make_line(rng: random.Random, record: dict) -> str:
    if rng.random() < 0.003:  # a malformed line now and then
        return rng.choice(('{"text": "unterminated', "not json at all", "[1, 2, 3]", "{}", '{"text": "\\ud800"}',
                           '{"text": "x", "id": ' + "9" * 5000 + "}"))
    return json.dumps(record, ensure_ascii=rng.random() < 0.5)


def load_sentences() -> list[str]:
    sentences = list(_SENTENCES)
    if LEE.is_file():
        for line in LEE.read_text(encoding="ascii", errors="replace").splitlines():
            parts = [p.strip() + "." for p in line.split(". ") if len(p.strip()) > 20]
            sentences.extend(parts)
    return sentences


# --------------------------------------------------------------------------- checks


@dataclass
class Results:
    articles: int = 0
    lines: int = 0
    built: int = 0
    batches: int = 0
    seconds: float = 0.0
    skipped: collections.Counter = field(default_factory=collections.Counter)
    crashes: dict[str, dict] = field(default_factory=dict)  # signature -> {count, example, traceback}
    parse_failures: list[str] = field(default_factory=list)
    bad_iris: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    multi_line_messages: list[str] = field(default_factory=list)
    article_violations: collections.Counter = field(default_factory=collections.Counter)
    merge_violations: collections.Counter = field(default_factory=collections.Counter)
    violation_examples: dict[str, str] = field(default_factory=dict)
    nonconforming_batches: int = 0
    phases: collections.Counter = field(default_factory=collections.Counter)  # seconds per phase


def _expected_text(text: str) -> str:
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def _signature(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/kg/" in f.filename]
    where = f"{frames[-1].filename.split('/kg/')[-1]}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at kg/{where}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"


def _culprits(articles: list, results: Results) -> set[str]:
    """The articles of a batch that raise on their own (each recorded once per signature)."""
    from kg.run.article import records_of, result_of
    from kg.rdf.namespaces import DEFAULT_BASE

    bad: set[str] = set()
    for article in articles:
        try:
            for records in records_of([article]):
                result_of(records, DEFAULT_BASE)
        except Exception as exc:  # noqa: BLE001 - every crash is a finding
            bad.add(article.id)
            sig = _signature(exc)
            entry = results.crashes.setdefault(sig, {"count": 0, "example": None, "traceback": ""})
            entry["count"] += 1
            if entry["example"] is None:
                entry["example"] = {"text": article.text[:400], "published": str(article.published)}
                entry["traceback"] = "".join(traceback.format_exception(exc)[-6:])
    return bad


def _parse(out: Path, formats: tuple[str, ...], results: Results, label: str):
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    rdflib_names = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
    ox_formats = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
                  "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    from kg.rdf.formats import FORMATS

    trig = None
    for name in formats:
        path = out / FORMATS[name]
        try:
            if name in ("trig", "nq", "jsonld"):
                dataset = Dataset()
                dataset.parse(path, format=rdflib_names[name])
                trig = dataset if name == "trig" else trig
            else:
                Graph().parse(path, format=rdflib_names[name])
        except Exception as exc:  # noqa: BLE001
            results.parse_failures.append(f"{label} {name} rdflib: {str(exc).splitlines()[0][:160]}")
        try:
            quads = list(ox.parse(path=str(path), format=ox_formats[name]))
        except (SyntaxError, ValueError) as exc:
            results.parse_failures.append(f"{label} {name} pyoxigraph: {str(exc).splitlines()[0][:160]}")
            continue
        if name == "trig":
            for quad in quads:
                for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                    if isinstance(term, ox.NamedNode) and not is_iri(term.value):
                        results.bad_iris.append(f"{label}: {term.value[:200]!r}")
    return trig


def _round_trip(dataset, articles: dict[str, str], results: Results, label: str) -> None:
    """Each article's text and id, exactly, in its article node."""
    from rdflib import URIRef

    texts, ids = {}, {}
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        if p == URIRef(NIF + "isString"):
            texts[str(s)] = str(o)
        elif p == URIRef(SCHEMA + "identifier"):
            ids[str(s)] = str(o)
    by_id = {ids[s]: texts.get(s) for s in ids}
    for article_id, text in articles.items():
        if by_id.get(article_id) != text:
            results.mismatches.append(f"{label}: article {article_id!r}: text differs in the output")


def _classify_violations(out: Path, dataset, results: Results, label: str) -> None:
    """Violations of one graph alone vs. those of the merge (focus node described by several graphs)."""
    from rdflib import Graph, URIRef

    from kg.rdf.namespaces import PREFIXES
    from kg.query.validate import format_report, validate

    conforms, report, _ = validate([out])
    if conforms:
        return
    results.nonconforming_batches += 1
    graphs_of: dict[str, set] = collections.defaultdict(set)
    for s, _p, _o, g in dataset.quads((None, None, None, None)):
        graphs_of[str(s)].add(g)
    alone: dict = {}  # graph -> the report lines of that graph validated alone

    def violations_alone(graph, tmp: Path) -> list[str]:
        if graph not in alone:
            single = Graph()
            for s, p, o, _ in dataset.quads((None, None, None, graph)):
                single.add((s, p, o))
            path = tmp / f"g{len(alone)}.ttl"
            single.serialize(path, format="turtle")
            conforms, report, _ = validate([path])
            alone[graph] = [] if conforms else format_report(report).splitlines()
        return alone[graph]

    def article_text(graph) -> str:
        for _s, _p, o, _g in dataset.quads((None, URIRef(NIF + "isString"), None, graph)):
            return str(o)
        return "?"

    with tempfile.TemporaryDirectory() as tmp:
        for line in format_report(report).splitlines():
            focus, _, rest = line.partition(" — ")
            iri = focus.strip("<>")
            if not iri.startswith("http"):
                prefix, _, local = iri.partition(":")
                iri = PREFIXES.get(prefix, "") + local
            key = rest.split(" — ")[0]
            graphs = sorted(graphs_of.get(iri, set()), key=str)[:6]
            head = line.split(" — ")[:2]  # focus and message: the same violation in one graph alone?
            culprit = next((g for g in graphs
                            if any(v.split(" — ")[:2] == head for v in violations_alone(g, Path(tmp)))), None)
            if culprit is not None:
                results.article_violations[key] += 1
                results.violation_examples.setdefault(
                    key, f"{label}: {line[:200]} | graph {culprit} | article text {article_text(culprit)[:300]!r}")
            else:
                results.merge_violations[key] += 1
                results.violation_examples.setdefault(key, f"{label}: {line[:200]} | graphs {[str(g) for g in graphs]}")


def run_batch(records_lines: list[str], number: int, work: Path, formats: tuple[str, ...], results: Results,
              keep: Path | None) -> None:
    from kg.build import BuildOptions, build
    from kg.ingest.inputs import iter_articles

    label = f"batch {number}"
    batch = work / f"batch-{number:03d}.jsonl"
    batch.write_text("\n".join(records_lines) + "\n", encoding="utf-8", errors="surrogatepass")
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / batch.name).write_bytes(batch.read_bytes())
    out = work / f"out-{number:03d}"
    exclude: set[str] = set()
    started = time.perf_counter()
    for _attempt in range(3):
        source = batch
        if exclude:  # rebuild without the articles that raise
            kept = [line for line in records_lines if not any(_line_id(line, x) for x in exclude)]
            source = work / f"batch-{number:03d}-kept.jsonl"
            source.write_text("\n".join(kept) + "\n", encoding="utf-8", errors="surrogatepass")
        try:
            summary = build(BuildOptions(inputs=(str(source),), outdir=out, formats=formats, cache=False))
            break
        except Exception:  # noqa: BLE001 - find the articles that raise
            problems: list = []
            articles = list(iter_articles([source], on_problem=problems.append))
            found = _culprits(articles, results)
            if not found:
                results.crashes.setdefault(f"{label}: the batch raises, no single article does",
                                           {"count": 1, "example": None, "traceback": traceback.format_exc()[-800:]})
                return
            exclude |= found
    else:
        return
    results.phases["build"] += time.perf_counter() - started
    results.batches += 1
    results.built += summary.articles
    for problem in summary.skipped:
        results.skipped[_reason(problem.message)] += 1
        if "\n" in problem.message:
            results.multi_line_messages.append(f"{problem.source}: {problem.message!r}")
    started = time.perf_counter()
    dataset = _parse(out, formats, results, label)
    results.phases["parse"] += time.perf_counter() - started
    if dataset is None:
        return
    built: dict[str, str] = {}
    for article in iter_articles([source], on_problem=lambda p: None):
        built.setdefault(article.id, article.text)  # the build keeps an id's first article
    present = _ids_in(dataset)
    _round_trip(dataset, {i: t for i, t in built.items() if i in present}, results, label)
    missing = summary.articles - len(present)
    if missing:
        results.mismatches.append(f"{label}: {missing} built articles have no article node")
    started = time.perf_counter()
    _classify_violations(out, dataset, results, label)
    results.phases["validate"] += time.perf_counter() - started


def _reason(message: str) -> str:
    """A skip message without its particulars (the value, the id), for counting."""
    if "gives the same IRIs as the build graph" in message:
        return "id gives the same IRIs as the build graph"
    if "gives the same IRIs as" in message:
        return "id gives the same IRIs as an earlier article's id"
    head = message.split(": ")[0]
    for value in ("invalid id ", "invalid title ", "invalid url ", "invalid published "):
        if head.startswith(value):
            return value + "(wrong type or format)"
    return head.split(" (")[0] if not head.startswith("invalid JSON") else "invalid JSON"


def _ids_in(dataset) -> set[str]:
    from rdflib import URIRef

    return {str(o) for o in dataset.objects(None, URIRef(SCHEMA + "identifier"))} | {
        str(o) for _s, _p, o, _g in dataset.quads((None, URIRef(SCHEMA + "identifier"), None, None))}


def _line_id(line: str, article_id: str) -> bool:
    """True if this JSONL line is the article ``article_id`` (its given id, or its content hash)."""
    from kg.ingest.articles import article_id as content_id

    try:
        record = json.loads(line)
    except ValueError:
        return False
    if not isinstance(record, dict):
        return False
    given = record.get("id")
    if isinstance(given, (str, int)) and not isinstance(given, bool) and str(given).strip() == article_id:
        return True
    text = record.get("text")
    return isinstance(text, str) and content_id(_expected_text(text)) == article_id


# --------------------------------------------------------------------------- report


def report(results: Results, args: argparse.Namespace) -> str:
    ok = not results.crashes and not results.parse_failures
    lines = [
        "# Fuzz results",
        "",
        f"`bench/fuzz.py --articles {args.articles} --batch {args.batch} --seed {args.seed}`"
        f" ({dt.date.today().isoformat()}, {results.seconds / 60:.1f} min, kg in one process, 1 job).",
        "",
        "| what | count |",
        "| --- | --- |",
        f"| JSONL lines generated | {results.lines} |",
        f"| batches built and checked | {results.batches} |",
        f"| articles built | {results.built} |",
        f"| articles skipped (reported, exit 0) | {sum(results.skipped.values())} |",
        f"| crash signatures (exceptions out of the build) | {len(results.crashes)} |",
        f"| articles that crash the build | {sum(c['count'] for c in results.crashes.values())} |",
        f"| output files that do not parse (rdflib or pyoxigraph) | {len(results.parse_failures)} |",
        f"| invalid IRIs (RFC 3987) | {len(results.bad_iris)} |",
        f"| text/id round-trip mismatches | {len(results.mismatches)} |",
        f"| multi-line skip messages | {len(results.multi_line_messages)} |",
        f"| batches not conforming to the shapes | {results.nonconforming_batches} |",
        f"| shape violations within one article's graph | {sum(results.article_violations.values())} |",
        f"| shape violations only when graphs merge | {sum(results.merge_violations.values())} |",
        "",
        f"Verdict: {'no crash, every output parsed' if ok else 'FAILURES (see below)'}.",
        "",
    ]
    if results.skipped:
        lines += ["## Skipped articles by reason", ""]
        lines += [f"- {count} × {reason}" for reason, count in results.skipped.most_common()]
        lines.append("")
    if results.crashes:
        lines += ["## Crashes", ""]
        for sig, entry in results.crashes.items():
            lines += [f"### {sig}", "", f"{entry['count']} article(s).", ""]
            if entry["example"]:
                lines += ["Example: `" + json.dumps(entry["example"], ensure_ascii=True)[:600] + "`", ""]
            lines += ["```", entry["traceback"].rstrip(), "```", ""]
    for title, items in (("Parse failures", results.parse_failures), ("Invalid IRIs", results.bad_iris),
                         ("Round-trip mismatches", results.mismatches),
                         ("Multi-line messages", results.multi_line_messages)):
        if items:
            lines += [f"## {title}", ""] + [f"- `{item[:300]}`" for item in items[:20]] + [""]
    for title, counter in (("Shape violations within one article's graph", results.article_violations),
                           ("Shape violations only when graphs merge", results.merge_violations)):
        if counter:
            lines += [f"## {title}", ""]
            for key, count in counter.most_common():
                lines += [f"- {count} × {key}", f"  - e.g. `{results.violation_examples[key][:300]}`"]
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "fuzz-results.md")
    parser.add_argument("--keep", type=Path, default=None, help="keep each batch's JSONL in this folder")
    args = parser.parse_args(argv)

    os.environ.pop("SOURCE_DATE_EPOCH", None)
    rng = random.Random(args.seed)
    sentences = load_sentences()
    results = Results()
    started = time.perf_counter()
    earlier: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as tmp:
        work = Path(tmp)
        for number, first in enumerate(range(0, args.articles, args.batch)):
            count = min(args.batch, args.articles - first)
            lines = [make_line(rng, make_record(rng, first + i, sentences, earlier)) for i in range(count)]
            results.lines += len(lines)
            formats = ("ttl", "trig", "nq", "nt", "jsonld", "xml") if number % 4 == 3 else ("ttl", "trig")
            t0 = time.perf_counter()
            run_batch(lines, number, work, formats, results, args.keep)
            phases = ", ".join(f"{k} {v:.0f} s" for k, v in results.phases.items())
            print(f"batch {number}: {count} lines in {time.perf_counter() - t0:.0f} s ({phases}); built {results.built}, "
                  f"crash signatures {len(results.crashes)}, parse failures {len(results.parse_failures)}, "
                  f"non-conforming batches {results.nonconforming_batches}", flush=True)
            shutil.rmtree(work / f"out-{number:03d}", ignore_errors=True)  # free the disk
    results.seconds = time.perf_counter() - started
    results.articles = results.lines
    text = report(results, args)
    args.results.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0 if not results.crashes and not results.parse_failures else 1


if __name__ == "__main__":
    sys.exit(main())
