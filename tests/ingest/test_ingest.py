"""Tests of kg.ingest: files, folders, front matter, HTML, JSONL, stdin, encodings."""

from __future__ import annotations

import os
import io
import json
import logging
import random
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest.articles import Problem, article_id, parse_published
from kg.ingest.inputs import iter_articles
from kg.records import Article

TEXT = "Gunmen stormed the Westgate mall in Nairobi on Saturday.\n\nAt least 39 people were killed.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def run(inputs, **kwargs) -> tuple[list[Article], list[Problem]]:
    problems: list[Problem] = []
    articles = list(iter_articles(inputs, on_problem=problems.append, **kwargs))
    return articles, problems


# --------------------------------------------------------------------------
# plain text files


def test_txt_file_is_one_article(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", TEXT)
    articles, problems = run([path])
    assert problems == []
    assert articles == [Article(id=article_id(TEXT), text=TEXT, source=str(path))]


def test_source_is_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "news" / "a.txt", TEXT)
    monkeypatch.chdir(tmp_path)
    articles, _ = run(["news/a.txt", "news"])  # the second names the same file: read once
    assert [a.source for a in articles] == ["news/a.txt"]


def test_default_published_applies(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", TEXT)
    (article,) = iter_articles([path], published=date(2013, 9, 22))
    assert article.published == date(2013, 9, 22)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\r\ntwo\rthree\n", "one\ntwo\nthree\n"),
        ("nul\x00byte\x00s", "nulbytes"),
        ("\r\x00\nx", "\nx"),  # NULs go first, then newlines
        ("tab\tand \x0c form feed kept", "tab\tand \x0c form feed kept"),
    ],
)
def test_text_normalisation(tmp_path: Path, raw: str, expected: str) -> None:
    (article,) = iter_articles([write(tmp_path / "a.txt", raw)])
    assert article.text == expected


def test_large_article(tmp_path: Path) -> None:
    """An article at the length limit is read whole, in any encoding (4 bytes a character at most)."""
    from kg.records import MAX_ARTICLE_CHARS

    text = ("The attackers held hostages for four days. " * 30_000)[:MAX_ARTICLE_CHARS]
    (article,) = iter_articles([write(tmp_path / "big.txt", text)])
    assert len(article.text) == MAX_ARTICLE_CHARS
    (tmp_path / "big32.txt").write_bytes(text.encode("utf-32"))
    (article,) = iter_articles([tmp_path / "big32.txt"])
    assert article.text == text


def test_file_larger_than_any_article_is_skipped_unread(tmp_path: Path) -> None:
    from kg.ingest.articles import MAX_INPUT_BYTES

    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 10)  # sparse: no disk used
    problems: list = []
    assert list(iter_articles([path], on_problem=problems.append)) == []
    assert "input too large" in problems[0].message


# --------------------------------------------------------------------------
# folders


def test_folder_recursion_order_and_skips(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for rel in ["b.txt", "a/z.md", "a/b/c.html", "a-b.markdown", "c.text", "d.htm"]:
        content = f"<p>Body of {rel}</p>" if rel.endswith(("html", "htm")) else f"Body of {rel}"
        write(root / rel, content)
    for rel in [".hidden.txt", ".git/x.txt", "a/.cache/y.md", "notes.csv", "data.json", "img.png"]:
        write(root / rel, f"Should be skipped: {rel}")
    articles, problems = run([root])
    assert problems == []
    relative = [Path(a.source).relative_to(root).as_posix() for a in articles]
    assert relative == ["a/b/c.html", "a/z.md", "a-b.markdown", "b.txt", "c.text", "d.htm"]
    assert all(a.text == f"Body of {r}" for a, r in zip(articles, relative))


def test_folder_includes_jsonl_and_upper_case_extensions(tmp_path: Path) -> None:
    write(tmp_path / "x" / "corpus.jsonl", '{"text": "one"}\n{"text": "two"}\n')
    write(tmp_path / "x" / "NOTE.TXT", "three")
    articles, _ = run([tmp_path / "x"])
    assert [a.text for a in articles] == ["three", "one", "two"]


def test_explicit_file_of_other_extension_is_text(tmp_path: Path) -> None:
    (article,) = iter_articles([write(tmp_path / "story.news", TEXT)])
    assert article.text == TEXT


def test_duplicate_inputs_read_once(tmp_path: Path) -> None:
    path = write(tmp_path / "d" / "a.txt", TEXT)
    articles, _ = run([path, path, tmp_path / "d", str(path)])
    assert len(articles) == 1


def test_empty_folder_yields_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run([tmp_path / "empty"]) == ([], [])


@pytest.mark.parametrize("bad", ["missing.txt", "no/such/folder"])
def test_missing_path_raises(tmp_path: Path, bad: str) -> None:
    good = write(tmp_path / "a.txt", TEXT)
    missing = tmp_path / bad
    with pytest.raises(InputError) as raised:
        iter_articles([good, missing])  # checked before any article is read
    assert str(missing) in str(raised.value)
    assert "\n" not in str(raised.value)


# --------------------------------------------------------------------------
# front matter


FRONT = """---
id: westgate-1
title: "Westgate attack"
url: https://example.com/westgate
published: 2013-09-22
---
"""


def test_front_matter_metadata_and_offsets(tmp_path: Path) -> None:
    (article,) = iter_articles([write(tmp_path / "a.md", FRONT + TEXT)], published=date(2000, 1, 1))
    assert article.text == TEXT  # exactly the body after the front matter
    assert (article.id, article.title, article.url) == ("westgate-1", "Westgate attack", "https://example.com/westgate")
    assert article.published == date(2013, 9, 22)
    start = article.text.index("Nairobi")
    assert article.text[start : start + 7] == "Nairobi"


def test_front_matter_keeps_leading_body_whitespace(tmp_path: Path) -> None:
    body = "\n\n  Indented first line.\n"
    (article,) = iter_articles([write(tmp_path / "a.txt", "---\ntitle: T\n---\n" + body)])
    assert article.text == body


@pytest.mark.parametrize(
    ("front", "field", "expected"),
    [
        ("date: 2013-09-22", "published", date(2013, 9, 22)),
        ("published: '2013-09-22T10:00:00'", "published", datetime(2013, 9, 22, 10)),
        ("published: 2013-09-22T10:00:00Z", "published", datetime(2013, 9, 22, 10, tzinfo=timezone.utc)),
        (
            "published: '2013-09-22T10:00:00+03:00'",
            "published",
            datetime(2013, 9, 22, 10, tzinfo=timezone(timedelta(hours=3))),
        ),
        ("published: ''", "published", date(2000, 1, 1)),  # blank: the default
        ("id: 42", "id", "42"),
        ("id: '  x1  '", "id", "x1"),
        ("title: 1984", "title", "1984"),
        ("title: '  '", "title", None),
        ("other: ignored", "title", None),
    ],
)
def test_front_matter_fields(tmp_path: Path, front: str, field: str, expected: object) -> None:
    path = write(tmp_path / "a.md", f"---\n{front}\n---\n{TEXT}")
    (article,) = iter_articles([path], published=date(2000, 1, 1))
    assert getattr(article, field) == expected
    assert article.text == TEXT


def test_front_matter_with_crlf_and_bom(tmp_path: Path) -> None:
    raw = ("---\r\ntitle: T\r\n---\r\n" + TEXT.replace("\n", "\r\n")).encode("utf-8-sig")
    (article,) = iter_articles([write(tmp_path / "a.md", raw)])
    assert (article.title, article.text) == ("T", TEXT)


def test_unclosed_front_matter_is_text(tmp_path: Path) -> None:
    raw = "---\nNot front matter at all.\n"
    (article,) = iter_articles([write(tmp_path / "a.md", raw)])
    assert article.text == raw


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title: [unclosed", "malformed front matter"),
        ("just a sentence", "malformed front matter"),
        ("- a list", "malformed front matter"),
        ("published: 2013-02-30", "malformed front matter (day is out of range"),
        ("title: !!python/object:os.system x", "malformed front matter"),
        ("a: " + "[" * 5000, "malformed front matter"),
        ("published: 22/09/2013", "invalid published '22/09/2013'"),
        ("published: 5", "invalid published '5'"),
        ("id: ''", "empty id"),
        ("id: [1, 2]", "invalid id"),
        ("title: {a: 1}", "invalid title"),
    ],
)
def test_bad_front_matter_is_a_problem(tmp_path: Path, front: str, message: str) -> None:
    path = write(tmp_path / "a.md", f"---\n{front}\n---\n{TEXT}")
    articles, problems = run([path])
    assert articles == []
    assert [p.source for p in problems] == [str(path)]
    assert problems[0].message.startswith(message)
    assert "\n" not in problems[0].message


# --------------------------------------------------------------------------
# HTML

HTML = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Westgate attack | Example News</title>
<meta property="og:title" content="Westgate attack">
<meta property="article:published_time" content="2013-09-22T10:00:00Z">
<link rel="canonical" href="https://example.com/westgate">
<script>var tracking = "SCRIPT TEXT";</script>
<style>p { color: red } /* STYLE TEXT */</style>
</head>
<body>
<nav><a href="/">NAV TEXT</a></nav>
<header><h1>HEADER TEXT</h1></header>
<aside><article><p>ASIDE ARTICLE TEXT that is quite long, longer than anything else on the page,
 so it would win if aside were not dropped, ASIDE ASIDE ASIDE ASIDE ASIDE ASIDE ASIDE.</p></article></aside>
<article>
  <h1>Gunmen  storm
   mall</h1>
  <p>First <b>para</b>graph with <a href="#">a link</a>.<br>Second line.</p>
  <noscript>NOSCRIPT TEXT</noscript>
  <!-- COMMENT TEXT -->
  <ul><li>one</li><li>two</li></ul>
  <p>Caf&eacute; &amp; &ldquo;quotes&rdquo;&nbsp;here</p>
  <form><input value="FORM TEXT"><label>FORM TEXT</label></form>
  <svg><title>SVG TEXT</title></svg>
</article>
<footer>FOOTER TEXT</footer>
</body></html>
"""


def test_html_text_and_metadata(tmp_path: Path) -> None:
    (article,) = iter_articles([write(tmp_path / "a.html", HTML)])
    assert article.text == (
        "Gunmen storm mall\n\nFirst paragraph with a link.\n\nSecond line.\n\none\n\ntwo\n\nCafé & “quotes” here"
    )
    assert "TEXT" not in article.text
    assert article.title == "Westgate attack"
    assert article.url == "https://example.com/westgate"
    assert article.published == datetime(2013, 9, 22, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("head", "body", "title", "published", "url"),
    [
        ("<title> Plain  title </title>", "<p>x</p>", "Plain title", None, None),
        ("", "<h1>Heading title</h1><p>x</p>", "Heading title", None, None),
        ("", '<p>x</p><time datetime="2013-09-21">Saturday</time>', None, date(2013, 9, 21), None),
        ("", '<time datetime="PT4H">4h</time><time datetime="2013-09-21T12:30">x</time>', None,
         datetime(2013, 9, 21, 12, 30), None),
        ('<meta property="og:url" content="https://ex.com/og">', "<p>x</p>", None, None, "https://ex.com/og"),
        ('<meta property="article:published_time" content="garbage">', "<p>x</p>", None, None, None),
    ],
)  # fmt: skip
def test_html_metadata_fallbacks(tmp_path: Path, head: str, body: str, title, published, url) -> None:
    path = write(tmp_path / "a.htm", f"<html><head>{head}</head><body>{body}</body></html>")
    (article,) = iter_articles([path])
    assert (article.title, article.published, article.url) == (title, published, url)


def test_html_metadata_overrides_default_published(tmp_path: Path) -> None:
    (article,) = iter_articles([write(tmp_path / "a.html", HTML)], published=date(2000, 1, 1))
    assert article.published.year == 2013


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<main><p>In main</p></main><p>outside</p>", "In main"),
        ("<div>a<p>b</p>c</div>", "a\n\nb\n\nc"),
        ("<p>no<span>space</span> and <i>some</i>\n\n   spaces</p>", "nospace and some spaces"),
        ("<table><tr><td>cell 1</td><td>cell 2</td></tr></table>", "cell 1\n\ncell 2"),
        ("Just text, no tags", "Just text, no tags"),
        ("<p>" + "<b>" * 3000 + "deep" + "</b>" * 3000 + "</p>", "deep"),
    ],
)
def test_html_text_shapes(tmp_path: Path, body: str, expected: str) -> None:
    (article,) = iter_articles([write(tmp_path / "a.html", f"<html><body>{body}</body></html>")])
    assert article.text == expected


def test_html_declared_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>“Café” in München</p></body></html>'
    (article,) = iter_articles([write(tmp_path / "a.html", html.encode("cp1252"))])
    assert article.text == "“Café” in München"


def test_html_without_text_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "a.html", "<html><body><script>x()</script><nav>menu</nav></body></html>")
    articles, problems = run([path])
    assert articles == [] and problems == [Problem(str(path), "empty article")]


# --------------------------------------------------------------------------
# JSON Lines

JSONL_LINES = [
    json.dumps({"text": "First article.", "id": "one", "title": "T1", "url": "u1", "published": "2013-09-22"}),
    "",  # 2: blank, ignored
    "not json at all",  # 3
    json.dumps(["an", "array"]),  # 4
    json.dumps({"title": "no text"}),  # 5
    json.dumps({"text": "   \n "}),  # 6
    json.dumps({"text": 42}),  # 7
    json.dumps({"text": "Bad date.", "published": "yesterday"}),  # 8
    json.dumps({"text": "Second article.", "date": "2013-09-23T08:00:00+03:00", "id": 7}),  # 9
    "   ",  # 10: blank, ignored
    json.dumps({"text": "Bad id.", "id": True}),  # 11
    json.dumps({"text": "Third\r\narticle."}),  # 12
    json.dumps({"text": "Lone \ud800 surrogate."}),  # 13
]
JSONL_PROBLEMS = {
    3: "invalid JSON",
    4: "expected a JSON object, got an array",
    5: 'missing "text"',
    6: "empty article",
    7: '"text" is a number',
    8: "invalid published 'yesterday'",
    11: "invalid id",
    13: "text has an unpaired surrogate",
}


def check_jsonl(articles: list[Article], problems: list[Problem], source: str) -> None:
    assert [(a.id, a.text, a.source) for a in articles] == [
        ("one", "First article.", f"{source}:1"),
        ("7", "Second article.", f"{source}:9"),
        (article_id("Third\narticle."), "Third\narticle.", f"{source}:12"),
    ]
    assert (articles[0].title, articles[0].url, articles[0].published) == ("T1", "u1", date(2013, 9, 22))
    assert articles[1].published == datetime(2013, 9, 23, 8, tzinfo=timezone(timedelta(hours=3)))
    assert articles[2].published == date(2000, 1, 1)
    assert [p.source for p in problems] == [f"{source}:{n}" for n in JSONL_PROBLEMS]
    for problem, expected in zip(problems, JSONL_PROBLEMS.values()):
        assert problem.message.startswith(expected)
        assert "\n" not in problem.message


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_jsonl_good_and_broken_lines(tmp_path: Path, newline: str) -> None:
    path = write(tmp_path / "corpus.jsonl", newline.join(JSONL_LINES) + newline)
    articles, problems = run([path], published=date(2000, 1, 1))
    check_jsonl(articles, problems, str(path))


def test_jsonl_without_final_newline_and_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", "\ufeff" + '{"text": "a"}\n{"text": "b"}')
    assert [a.text for a in iter_articles([path])] == ["a", "b"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_jsonl_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    content = '{"text": "Café “one”"}\n{"text": "two"}\n'
    data = content.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    articles, problems = run([write(tmp_path / "c.jsonl", data)])
    assert problems == []
    assert [(a.text, a.source.rsplit(":", 1)[1]) for a in articles] == [("Café “one”", "1"), ("two", "2")]


def test_jsonl_latin1_line(tmp_path: Path) -> None:
    line = json.dumps({"text": "Le café était fermé à Nairobi, a dit le propriétaire."}, ensure_ascii=False)
    (article,) = iter_articles([write(tmp_path / "c.jsonl", line.encode("latin-1"))])
    assert article.text == "Le café était fermé à Nairobi, a dit le propriétaire."


def test_jsonl_strict_raises_at_first_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "corpus.jsonl", "\n".join(JSONL_LINES))
    seen: list[Article] = []
    with pytest.raises(InputError) as raised:
        for article in iter_articles([path], strict=True):
            seen.append(article)
    assert [a.id for a in seen] == ["one"]
    assert str(raised.value).startswith(f"{path}:3: invalid JSON")


def test_jsonl_is_streamed() -> None:
    lines = b"".join(json.dumps({"text": f"article {i}"}).encode() + b"\n" for i in range(10_000))
    stream = io.BytesIO(lines)
    articles = iter_articles(["-"], jsonl=True, stdin=stream)
    assert next(articles).text == "article 0"
    assert stream.tell() < 1000  # not read to the end


def test_problems_are_logged_without_callback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path / "c.jsonl", '{"text": "ok"}\nbroken\n')
    with caplog.at_level(logging.WARNING, logger="kg.ingest.inputs"):
        assert [a.text for a in iter_articles([path])] == ["ok"]
    assert f"{path}:2" in caplog.text


# --------------------------------------------------------------------------
# stdin


@pytest.mark.parametrize("stream", [io.BytesIO(TEXT.encode("utf-8")), io.StringIO(TEXT)])
def test_stdin_text(stream) -> None:
    articles, problems = run(["-"], stdin=stream)
    assert problems == []
    assert articles == [Article(id=article_id(TEXT), text=TEXT, source="<stdin>")]


@pytest.mark.parametrize("as_text", [False, True])
def test_stdin_jsonl(as_text: bool) -> None:
    content = "\n".join(JSONL_LINES) + "\n"
    stream = io.StringIO(content) if as_text else io.BytesIO(content.encode("utf-8"))
    articles, problems = run(["-", "-"], jsonl=True, stdin=stream, published=date(2000, 1, 1))
    check_jsonl(articles, problems, "<stdin>")


def test_stdin_empty_is_a_problem() -> None:
    assert run(["-"], stdin=io.BytesIO(b"")) == ([], [Problem("<stdin>", "empty article")])


# --------------------------------------------------------------------------
# encodings and binary files

SAMPLE = "He said “it’s over” — the café in München closed.\nÉté 2013: naïve façade."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le+bom", "utf-16-be+bom", "utf-32",
                                      "latin-1", "cp1252"])  # fmt: skip
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE
    if encoding == "latin-1":  # no smart quotes or dashes in Latin-1
        text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")
    if encoding.endswith("+bom"):
        data = ("\ufeff" + text).encode(encoding.removesuffix("+bom"))
    else:
        data = text.encode(encoding)
    articles, problems = run([write(tmp_path / "a.txt", data)])
    assert problems == []
    assert [a.text for a in articles] == [text]


def test_same_text_in_two_encodings_has_one_id(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", SAMPLE.encode("utf-16"))
    b = write(tmp_path / "b.txt", SAMPLE.encode("cp1252"))
    first, second = iter_articles([a, b])
    assert first.id == second.id == article_id(SAMPLE)


def random_bytes_with_nuls() -> bytes:
    data = random.Random(1234).randbytes(2048)
    assert b"\x00" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    return data


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00\x5c\x72\xa8\x66",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
        random_bytes_with_nuls(),
        bytes(range(128, 256)) * 4,
        b"\xef\xbb\xbfvalid start \xff\xfe invalid UTF-8 after a BOM",
    ],
    ids=["png", "jpeg", "random", "high-bytes", "bad-utf8-bom"],
)
def test_binary_file_is_a_problem(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "image.txt", data)
    articles, problems = run([path])
    assert articles == []
    assert len(problems) == 1 and problems[0].source == str(path)
    assert problems[0].message.startswith("not a text file")


def test_problem_does_not_stop_the_stream(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path / "b.txt", TEXT)
    articles, problems = run([tmp_path])
    assert [a.text for a in articles] == [TEXT] and len(problems) == 1


def test_strict_raises_for_files(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "  \n")
    with pytest.raises(InputError, match="empty article"):
        list(iter_articles([path], strict=True))


@pytest.mark.parametrize("content", ["", " ", "\n\n\t  \r\n", "\x00\x00", "---\ntitle: T\n---\n  \n"])
def test_empty_article_is_a_problem(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "a.md", content)
    assert run([path]) == ([], [Problem(str(path), "empty article")])


# --------------------------------------------------------------------------
# parse_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013-09-22", date(2013, 9, 22)),
        (" 2013-09-22 ", date(2013, 9, 22)),
        ("2013-09-22T10:00:00", datetime(2013, 9, 22, 10)),
        ("2013-09-22T10:00", datetime(2013, 9, 22, 10)),
        ("2013-09-22 10:00:00", datetime(2013, 9, 22, 10)),
        ("2013-09-22T10:00:00Z", datetime(2013, 9, 22, 10, tzinfo=timezone.utc)),
        ("2013-09-22T10:00:00.250Z", datetime(2013, 9, 22, 10, 0, 0, 250_000, tzinfo=timezone.utc)),
        ("2013-09-22T10:00:00+03:00", datetime(2013, 9, 22, 10, tzinfo=timezone(timedelta(hours=3)))),
        ("2013-09-22T10:00:00-05:30", datetime(2013, 9, 22, 10, tzinfo=timezone(-timedelta(hours=5, minutes=30)))),
    ],
)
def test_parse_published_good(value: str, expected: date) -> None:
    result = parse_published(value)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    "value", ["", "   ", "yesterday", "22/09/2013", "2013-13-01", "2013-02-30", "2013-09-22T25:00", "Sep 22, 2013"]
)
def test_parse_published_bad(value: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_published(value)
    message = str(raised.value)
    assert message.startswith(f"invalid --published '{value.strip()}'")
    assert "YYYY-MM-DD" in message and "\n" not in message


# --------------------------------------------------------------------------
# ids


def test_article_id_shape_and_normalisation() -> None:
    composed, decomposed = "café", unicodedata.normalize("NFD", "café")
    assert composed != decomposed
    assert article_id(composed) == article_id(decomposed)
    assert article_id("x").startswith("a") and len(article_id("x")) == 17
    assert article_id("x") != article_id("y")


def test_ids_do_not_depend_on_path_or_order(tmp_path: Path) -> None:
    texts = {"one.txt": "Article one.", "two.txt": "Article two.", "three.txt": "Article three."}
    for name, text in texts.items():
        write(tmp_path / "x" / name, text)
        write(tmp_path / "y" / f"copy-{name}", text)
    names = list(texts)
    forward = {a.text: a.id for a in iter_articles([tmp_path / "x" / n for n in names])}
    backward = {a.text: a.id for a in iter_articles([tmp_path / "y" / f"copy-{n}" for n in reversed(names)])}
    assert forward == backward == {t: article_id(t) for t in texts.values()}


def test_same_text_in_jsonl_and_file_has_same_id(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", TEXT)
    write(tmp_path / "b.jsonl", json.dumps({"text": TEXT}))
    first, second = iter_articles([tmp_path])
    assert first.id == second.id


# --------------------------------------------------------------------------
# property: any text file reads back as its normalised text, or an empty problem


def normalised(text: str) -> str:
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def check_one(result: tuple[list[Article], list[Problem]], expected: str) -> None:
    articles, problems = result
    if expected.strip():
        assert problems == [] and [a.text for a in articles] == [expected]
        assert articles[0].id == article_id(expected)
    else:
        assert articles == [] and [p.message for p in problems] == ["empty article"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_any_utf8_text_file(tmp_path: Path, text: str) -> None:
    expected = normalised(text).removeprefix("\ufeff")  # a leading U+FEFF is the UTF-8 BOM
    assume(not expected.startswith("---"))  # front matter is tested above
    path = write(tmp_path / "p.txt", text.encode("utf-8"))
    check_one(run([path]), expected)


@settings(max_examples=100, deadline=None)
@given(text=st.text())
def test_any_text_in_a_jsonl_line(text: str) -> None:
    line = json.dumps({"text": text}, ensure_ascii=bool(len(text) % 2))
    check_one(run(["-"], jsonl=True, stdin=io.BytesIO(line.encode("utf-8"))), normalised(text))


# --------------------------------------------------------------------------- only regular files from folders


def _folder_results(root: Path) -> tuple[list, list]:
    problems: list = []
    articles = list(iter_articles([root], on_problem=problems.append))
    return articles, problems


def test_folder_links_are_followed_only_to_regular_files_inside_it(tmp_path: Path) -> None:
    import socket as socketlib

    outside = write(tmp_path / "secret.txt", "The secret text outside the folder.")
    root = tmp_path / "in"
    write(root / "real.txt", "A real article about the attack.")
    (root / "inside-link.txt").symlink_to(root / "real.txt")
    write(root / "sub/other.txt", "Another article inside.")
    (root / "relative-link.txt").symlink_to("sub/other.txt")
    (root / "outside-link.txt").symlink_to(outside)
    (root / "passwd.txt").symlink_to("/etc/passwd")
    (root / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(root / "fifo.txt")
    sock = socketlib.socket(socketlib.AF_UNIX)
    sock.bind(str(root / "sock.txt"))
    try:
        articles, problems = _folder_results(root)
    finally:
        sock.close()
    texts = sorted(a.text for a in articles)
    assert texts == ["A real article about the attack.", "Another article inside."]  # links inside: read once
    reasons = {Path(p.source).name: p.message for p in problems}
    assert set(reasons) == {"outside-link.txt", "passwd.txt", "zero.txt", "fifo.txt", "sock.txt"}
    assert "out of the input folder" in reasons["outside-link.txt"] and "out of the input folder" in reasons["passwd.txt"]
    assert "a FIFO" in reasons["fifo.txt"] and "a socket" in reasons["sock.txt"]
    assert all("secret" not in t and "root:" not in t for t in texts)


def test_file_names_with_control_characters_are_printed_escaped(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli.app import app

    root = tmp_path / "in"
    write(root / "bad\nname\x1b[31m.txt", "   ")  # empty: skipped, so its name is printed
    write(root / "good.txt", "Police said two people were hurt in Nairobi.")
    result = CliRunner().invoke(app, ["build", str(root), "-o", str(tmp_path / "out"), "--no-cache"])
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and "bad\\nname\\x1b[31m.txt" in skipped[0], result.output
    assert "\x1b" not in result.output
