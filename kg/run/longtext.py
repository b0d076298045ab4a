"""Articles of any length in time and memory linear in their length.

An article up to ``kg.nlp.pipeline.PIECE_CHARS`` characters (any ordinary news
article) is parsed and extracted whole, exactly as always. A longer one is
cut at paragraph breaks (``kg.nlp.pipeline.text_pieces``); each piece is parsed and
extracted on its own (parser memory and extraction time are those of one
piece), and the pieces' records are joined into the article's: every span
shifted by its piece's offset, so it still points into the original text;
event ids, which are made of their first trigger's offset, re-made from the
shifted offset (with the figures and claims that point to them); entities of
the same key merged into one, with their mentions in text order. Coreference
and event clustering work within a piece, so across pieces an entity named
only by a partial name, or one event told in two places, stays apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from spacy.language import Language

from kg.nlp.pipeline import PIECE_CHARS, text_pieces
from kg.records import Article, ArticleRecords, Entity, Event, Span

__all__ = ["article_records", "join_pieces"]


def article_records(nlp: Language, articles: Iterable[Article], kb: object, linker: object = None,
                    batch_size: int = 32, text_of: Callable[[str], str] = str) -> Iterator[ArticleRecords]:
    """Parse and extract ``articles`` in input order (long ones piece by piece).

    ``text_of`` turns an article's (or a piece's) text into the text the parser
    reads; it must keep the length, so offsets stay those of the original.
    """
    from kg.extract.article import extract_article

    batch: list[Article] = []
    for article in articles:
        if len(article.text) <= PIECE_CHARS:
            batch.append(article)
            if len(batch) < batch_size:
                continue
        for doc, short in nlp.pipe(((text_of(a.text), a) for a in batch), as_tuples=True, batch_size=batch_size):
            yield extract_article(doc, short, kb, linker)  # type: ignore[arg-type]
        batch = []
        if len(article.text) > PIECE_CHARS:
            yield _in_pieces(nlp, article, kb, linker, text_of)
    for doc, short in nlp.pipe(((text_of(a.text), a) for a in batch), as_tuples=True, batch_size=batch_size):
        yield extract_article(doc, short, kb, linker)  # type: ignore[arg-type]


def _in_pieces(nlp: Language, article: Article, kb: object, linker: object,
               text_of: Callable[[str], str]) -> ArticleRecords:
    from kg.extract.article import extract_article

    parts: list[tuple[int, ArticleRecords]] = []
    offset = 0
    for piece in text_pieces(article.text):
        doc = nlp(text_of(piece))  # one piece's parser memory at a time
        parts.append((offset, extract_article(doc, replace(article, text=piece), kb, linker)))  # type: ignore[arg-type]
        offset += len(piece)
    return join_pieces(article, parts)


def _span(span: Span, offset: int) -> Span:
    return Span(span.start + offset, span.end + offset, span.text)


def _event_id(event: Event, offset: int) -> str:
    """The id an event of the whole text gets (``kg.extract.events``: type and first trigger offset)."""
    return f"{event.type.lower()}-{event.triggers[0].start + offset}"


def _merge_entities(entities: list[Entity]) -> tuple[Entity, ...]:
    merged: dict[str, Entity] = {}
    for entity in entities:
        first = merged.get(entity.key)
        if first is None:
            merged[entity.key] = entity
            continue
        merged[entity.key] = replace(
            first, mentions=first.mentions + entity.mentions,
            roles=tuple(dict.fromkeys(first.roles + entity.roles)),
            wikidata=first.wikidata or entity.wikidata, affiliation=first.affiliation or entity.affiliation,
            nationality=first.nationality or entity.nationality, located_in=first.located_in or entity.located_in,
        )
    return tuple(merged.values())


def join_pieces(article: Article, parts: list[tuple[int, ArticleRecords]]) -> ArticleRecords:
    """One article's records from its pieces' records, each with the offset of its piece."""
    entities, events, figures, statements, claims = [], [], [], [], []
    for offset, records in parts:
        ids = {e.id: _event_id(e, offset) for e in records.events}
        entities += [replace(e, mentions=tuple(replace(m, span=_span(m.span, offset)) for m in e.mentions))
                     for e in records.entities]
        events += [replace(e, id=ids[e.id], triggers=tuple(_span(t, offset) for t in e.triggers))
                   for e in records.events]
        figures += [replace(f, span=_span(f.span, offset), event=ids.get(f.event, f.event) if f.event else None)
                    for f in records.figures]
        statements += [replace(s, span=_span(s.span, offset)) for s in records.statements]
        claims += [replace(c, span=_span(c.span, offset), event=ids.get(c.event, c.event) if c.event else None)
                   for c in records.claims]
    return ArticleRecords(article=article, entities=_merge_entities(entities), events=tuple(events),
                          figures=tuple(figures), statements=tuple(statements), claims=tuple(claims))
