"""Past one machine: the same per-article function on a Dask cluster.

Articles go to the workers in partitions; each worker process loads the model
once (``kg.nlp.pipeline.load_pipeline`` is cached per process) and sends back each
article's named graph as N-Quads, which the client appends to the build's
spool in input order. IRIs are pure functions of content, so nothing else
needs coordinating. ``--scheduler tcp://HOST:PORT`` uses a running cluster;
``--dask-local N`` (scheduler ``local:N``) starts one of N workers on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from kg.errors import InputError, StoreError
from kg.records import Article
from kg.run.article import process_batch

__all__ = ["dask_engine", "PARTITION"]

PARTITION = 32


def _client(scheduler: str):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError("Dask is not installed: pip install 'kg[dask]' (dask[distributed])") from exc
    if scheduler.startswith("local:"):
        workers = int(scheduler.split(":", 1)[1] or 1)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=40)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=10), None
    except (OSError, TimeoutError) as exc:
        raise StoreError(f"cannot reach Dask scheduler '{scheduler}': {exc}") from exc


@contextmanager
def dask_engine(scheduler: str, model: str, base: str, online: bool | str = False) -> Iterator[Callable[[list[Article]], list]]:
    client, cluster = _client(scheduler)
    try:
        def engine(articles: list[Article]) -> list:
            parts = [articles[i:i + PARTITION] for i in range(0, len(articles), PARTITION)]
            futures = client.map(process_batch, parts, model=model, base=base, online=online, pure=False)
            return [result for part in client.gather(futures) for result in part]

        yield engine
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
