"""The per-article function: one article in, its named graph and what the build needs
of it out. Every engine runs it (this process, ``kg.run.parallel``'s pool, a Dask
cluster through ``kg.run.distributed``); ``kg.build`` gathers its results.

``records_of`` parses and extracts (nlp, extract, link: the library's main entry
point, streaming); ``result_of`` maps one article's records to N-Quads
(``kg.rdf``), its entities' readings (``kg.link.canon``) and its incident reports
(``kg.link.stories``); ``process_batch`` is both over a batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.link.canon import Reading
from kg.link.stories import Report, reports_of
from kg.paths import DEFAULT_MODEL
from kg.rdf.mapping import Reference, article_triples, facts_of, graph_iri, named_references
from kg.rdf.ontology import check_data
from kg.rdf.serialize import article_nquads
from kg.records import Article, ArticleRecords

__all__ = ["ArticleResult", "records_of", "result_of", "process_batch", "online_linker", "readings_of"]


@dataclass(frozen=True)
class ArticleResult:
    """One article's named graph (N-Quads, without what its entities are: the build
    decides that across articles from the ``readings``) and what it holds."""

    id: str
    nquads: bytes
    readings: tuple[Reading, ...]
    events: int
    figures: int
    statements: int
    cacheable: bool = True  # False when --online linking fell back to offline half-way
    reports: tuple[Report, ...] = ()  # its events that can be incidents (kg.link.stories links them across articles)
    #: its nodes that repeat what a named entity is (a participation, a statement's speaker): the build
    #: writes there too what it decided the entity is (kg.rdf.mapping.reference_facts)
    references: tuple[Reference, ...] = ()

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(r.facts.key for r in self.readings)


def records_of(articles: Iterable[Article], model: str = DEFAULT_MODEL, batch_size: int = 32,
               online: bool | str = False) -> Iterator[ArticleRecords]:
    """Parse and extract articles, streaming (the library's main entry point).

    ``online``: link what the offline knowledge base lacks in Wikidata, answers
    cached on disk (True: in ``kg.link.online.default_cache_dir()``; a path: there).
    Once Wikidata has become unreachable, ``online_linker(online).went_offline``
    is true and the articles that follow are linked offline.
    """
    from kg.ingest.wire import readable
    from kg.link.kb import load_kb
    from kg.nlp.pipeline import load_pipeline
    from kg.run.longtext import article_records

    check_data()
    nlp, kb = load_pipeline(model), load_kb()
    linker = online_linker(online) if online else None
    # same offsets, wraps and notes removed (kg.ingest.wire); long texts piece by piece (kg.run.longtext)
    yield from article_records(nlp, articles, kb, linker, batch_size, text_of=readable)


def online_linker(online: bool | str = True):
    """The process's Wikidata linker, answers cached on disk (see ``records_of``)."""
    from kg.link.online import default_cache_dir

    return _online_linker(str(default_cache_dir()) if online is True else str(online))


@lru_cache(maxsize=4)
def _online_linker(cache_dir: str):
    """One Wikidata client per process and cache folder (forked workers inherit the parent's)."""
    from kg.link.online import OnlineLinker, WikidataClient

    return OnlineLinker(WikidataClient(cache_dir))


def result_of(records: ArticleRecords, base: str, cacheable: bool = True) -> ArticleResult:
    """One article's result; ``cacheable`` False when it was linked offline half-way through an --online build."""
    graph = graph_iri(base, records.article.id)
    return ArticleResult(
        id=records.article.id,
        nquads=article_nquads(article_triples(records, base, entity_facts=False), graph),
        readings=readings_of(records),
        events=len(records.events) + len(records.claims),
        figures=len(records.figures),
        statements=len(records.statements),
        cacheable=cacheable,
        reports=reports_of(records),
        references=named_references(records),
    )


def readings_of(records: ArticleRecords) -> tuple[Reading, ...]:
    """What the article says each of its entities is (kg.link.canon decides across articles)."""
    places = {e.place for e in records.events if e.place}
    return tuple(Reading(facts_of(e), len(e.mentions), e.key in places) for e in records.entities)


def process_batch(articles: list[Article], model: str, base: str, online: bool | str = False) -> list[ArticleResult]:
    """The per-article function over a batch: what every engine runs. An article
    linked after Wikidata became unreachable is not cacheable."""
    linker = online_linker(online) if online else None
    return [result_of(records, base, cacheable=linker is None or not linker.went_offline)
            for records in records_of(articles, model, online=online)]
