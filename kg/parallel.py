"""Several processes on one machine: each worker loads the model once and runs
the per-article function on batches; results come back in input order."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from kg.records import Article

__all__ = ["pool_engine", "BATCH"]

#: articles per task: large enough to keep nlp.pipe batching, small enough to balance
BATCH = 16
_MODEL = ""
_BASE = ""
_ONLINE = False


def _init(model: str, base: str, online: bool) -> None:
    global _MODEL, _BASE, _ONLINE
    from kg.nlp import load_pipeline

    _MODEL, _BASE, _ONLINE = model, base, online
    load_pipeline(model)  # once per worker


def _work(batch: list[Article]) -> list:
    from kg.build import process_batch

    return process_batch(batch, _MODEL, _BASE, _ONLINE)


@contextmanager
def pool_engine(jobs: int, model: str, base: str, online: bool = False) -> Iterator[Callable[[list[Article]], list]]:
    context = mp.get_context("fork")
    with context.Pool(jobs, initializer=_init, initargs=(model, base, online)) as pool:
        def engine(articles: list[Article]) -> list:
            batches = [articles[i:i + BATCH] for i in range(0, len(articles), BATCH)]
            return [result for chunk in pool.imap(_work, batches) for result in chunk]

        yield engine
