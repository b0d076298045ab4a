"""Text that is slow to parse builds in time linear in its length: runs of one
punctuation character, very long words, very long sentences, long articles
(parsed in pieces). Budgets are ratios against a plain 10,000-character
article built in the same test, never absolute times."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg.run.article import records_of
from kg.nlp.pipeline import LONG_WORD, PIECE_CHARS, text_pieces
from kg.records import Article

ROOT = Path(__file__).resolve().parents[2]
#: A text may take this many times its share of the plain article's time (its length / 10,000).
SLACK = 3.0


def plain_text(length: int) -> str:
    parts = [p.read_text(encoding="utf-8").split("---", 2)[-1] for p in sorted((ROOT / "tests/data/generality").glob("*.md"))]
    text = "\n\n".join(parts)
    return (text * (length // len(text) + 1))[:length]


def seconds(text: str) -> tuple[float, object]:
    started = time.perf_counter()
    (records,) = records_of([Article(id="t", text=text)])
    return time.perf_counter() - started, records


def baseline() -> float:
    seconds(plain_text(2_000))  # the model loaded and warm
    return min(seconds(plain_text(10_000))[0] for _ in range(2))


def assert_linear(text: str, base: float) -> object:
    took, records = seconds(text)
    budget = SLACK * len(text) / 10_000 * base
    assert took <= budget, f"{len(text):,} characters took {took:.1f} s, budget {budget:.1f} s (10,000 took {base:.2f} s)"
    spans = [m.span for e in records.entities for m in e.mentions] + [t for e in records.events for t in e.triggers]
    spans += [f.span for f in records.figures] + [s.span for s in records.statements]
    for span in spans:  # offsets still point into the text
        assert text[span.start:span.end] == span.text
    return records


@pytest.mark.parametrize("text", [
    "%" * 200_000,
    " ".join(["%" * (LONG_WORD - 1)] * 2_000),
    "a.%" * 66_000,
    "x" * 200_000,
    "The attackers " + " ".join(["fired"] * 40_000) + ".",
], ids=["percent-run", "percent-words", "mixed-run", "long-word", "long-sentence"])
def test_slow_to_parse_text_builds_in_linear_time(text: str) -> None:
    assert_linear(text, baseline())


@pytest.mark.slow
def test_a_500000_character_article_builds_in_linear_time() -> None:
    base = baseline()
    records = assert_linear(plain_text(500_000), base)
    assert records.entities and records.events


@pytest.mark.parametrize("length", [PIECE_CHARS * 3 + 17, PIECE_CHARS + 1])
def test_pieces_join_to_the_text_and_cut_at_paragraphs(length: int) -> None:
    text = plain_text(length)
    pieces = text_pieces(text)
    assert "".join(pieces) == text and all(len(p) <= PIECE_CHARS for p in pieces) and len(pieces) > 1
    assert all(p.endswith("\n") for p in pieces[:-1])  # at paragraph breaks
    nothing_to_cut = "x" * (PIECE_CHARS * 2 + 5)
    assert "".join(text_pieces(nothing_to_cut)) == nothing_to_cut


def test_a_long_article_in_pieces_finds_what_its_parts_find() -> None:
    part = plain_text(PIECE_CHARS * 3 // 4)
    whole = part + "\n\n" + part  # longer than PIECE_CHARS: extracted in two pieces
    _, alone = seconds(part)
    _, joined = seconds(whole)
    assert joined.article.text == whole
    keys = [e.key for e in joined.entities]
    assert set(keys) >= {e.key for e in alone.entities} and len(keys) == len(set(keys))  # merged by key
    assert len(joined.events) >= len(alone.events) and len({e.id for e in joined.events}) == len(joined.events)
    assert len(joined.figures) >= len(alone.figures)
    event_ids = {e.id for e in joined.events}
    assert all(f.event in event_ids for f in joined.figures if f.event)
    assert all(c.event in event_ids for c in joined.claims if c.event)
    for span in [t for e in joined.events for t in e.triggers] + [f.span for f in joined.figures]:
        assert whole[span.start:span.end] == span.text
