"""The same per-article function in a process pool and on a Dask cluster gives
the same graph as one process (IRIs are pure functions of content)."""

from __future__ import annotations

import json

import pytest

from kg.build import BuildOptions, build
from tests.conftest import SEEDS, lee_articles

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    path = folder / "corpus.jsonl"
    lines = lee_articles()[:12]
    path.write_text("".join(json.dumps({"id": f"lee-{i}", "text": t}) + "\n" for i, t in enumerate(lines)))
    return path


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("single")
    build(BuildOptions(inputs=(str(corpus), str(SEEDS)), outdir=out, formats=("nq", "trig"), cache=False))
    return out


def test_process_pool_output_is_identical(corpus, single, tmp_path):
    build(BuildOptions(inputs=(str(corpus), str(SEEDS)), outdir=tmp_path, formats=("nq", "trig"), cache=False,
                       jobs=2))
    assert (tmp_path / "graph.nq").read_bytes() == (single / "graph.nq").read_bytes()


def test_a_cached_rebuild_starts_no_worker(corpus, single, tmp_path, monkeypatch):
    import kg.run.parallel

    started = []
    start = kg.run.parallel._start
    monkeypatch.setattr(kg.run.parallel, "_start", lambda *args: started.append(args) or start(*args))
    options = BuildOptions(inputs=(str(corpus),), outdir=tmp_path, formats=("nq",), jobs=2)
    first, second = build(options), build(options)
    assert (len(started), first.cached, second.cached) == (1, 0, 12)
    assert second.quads == first.quads > 0

def test_dask_local_cluster_output_is_identical(corpus, single, tmp_path):
    pytest.importorskip("distributed")
    summary = build(BuildOptions(inputs=(str(corpus), str(SEEDS)), outdir=tmp_path, formats=("nq", "trig"),
                                 cache=False, scheduler="local:2"))
    assert summary.articles == 13
    assert (tmp_path / "graph.nq").read_bytes() == (single / "graph.nq").read_bytes()
    assert (tmp_path / "graph.trig").read_bytes() == (single / "graph.trig").read_bytes()


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    from kg.errors import KgError

    pytest.importorskip("distributed")
    with pytest.raises(KgError, match="Dask scheduler"):
        build(BuildOptions(inputs=(str(SEEDS),), outdir=tmp_path, scheduler="tcp://127.0.0.1:1"))


@pytest.mark.parametrize("n, jobs", [(0, 2), (1, 2), (5, 2), (300, 2), (300, 4), (1000, 1), (512, 2)])
def test_tasks_keep_order_and_shrink_towards_the_end(n, jobs):
    from kg.run.parallel import BATCH, MIN_BATCH, batches

    articles = list(range(n))
    tasks = batches(articles, jobs)  # type: ignore[arg-type]
    assert [a for task in tasks for a in task] == articles
    sizes = [len(task) for task in tasks]
    assert all(size <= BATCH for size in sizes)
    assert all(size >= MIN_BATCH for size in sizes[:-1])
    assert all(a >= b for a, b in zip(sizes, sizes[1:]))  # never growing
    if n >= 100:
        assert sizes[-2] <= MIN_BATCH  # the last tasks are small: no long wait at the end
