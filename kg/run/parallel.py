"""Several processes on one machine: each worker loads the model once and runs
the per-article function on batches; results come back in input order."""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Callable

from kg.records import Article
from kg.run.article import process_batch

__all__ = ["pool_engine", "batches", "BATCH", "MIN_BATCH"]

#: articles per task at most (one nlp.pipe batch) and at least (the last tasks): tasks
#: shrink as the work runs out, so no worker waits long on another's last task
BATCH = 32
MIN_BATCH = 4
_MODEL = ""
_BASE = ""
_ONLINE: bool | str = False


def _init(model: str, base: str, online: bool | str) -> None:
    global _MODEL, _BASE, _ONLINE
    from kg.nlp.pipeline import load_pipeline

    _MODEL, _BASE, _ONLINE = model, base, online
    load_pipeline(model)  # once per worker


def _work(batch: list[Article]) -> list:
    return process_batch(batch, _MODEL, _BASE, _ONLINE)


def batches(articles: list[Article], jobs: int) -> list[list[Article]]:
    """Tasks in input order, of shrinking size (guided scheduling): each is about a
    ``2 * jobs``-th of what is left, between ``MIN_BATCH`` and ``BATCH`` articles."""
    tasks, start = [], 0
    while start < len(articles):
        size = max(MIN_BATCH, min(BATCH, (len(articles) - start) // (2 * jobs)))
        tasks.append(articles[start:start + size])
        start += size
    return tasks


@contextmanager
def pool_engine(jobs: int, model: str, base: str, online: bool | str = False) -> Iterator[Callable[[list[Article]], list]]:
    """A pool started on first use (a fully cached rebuild starts none). The parent
    loads the model once and forks: the workers share it instead of each importing
    spaCy and loading it while competing for the same cores."""
    with ExitStack() as stack:
        pool = None

        def engine(articles: list[Article]) -> list:
            nonlocal pool
            if pool is None:
                pool = stack.enter_context(_start(jobs, model, base, online))
            return [result for chunk in pool.imap(_work, batches(articles, jobs)) for result in chunk]

        yield engine


def _start(jobs: int, model: str, base: str, online: bool | str):
    from kg.nlp.pipeline import load_pipeline

    load_pipeline(model)
    gc.freeze()  # the model's objects stay out of the workers' collections (and their pages shared)
    return mp.get_context("fork").Pool(jobs, initializer=_init, initargs=(model, base, online))
