"""kg: event-centric RDF knowledge graphs from news articles.

The Python API (see ``kg.api`` and the README's "Python API" section)::

    import kg
    graph = kg.build_graph("seeds/", published="2013-09-22")  # in memory; (inputs, "out") writes a folder
    graph.query("figures")                                    # a contract query by name: rows as dicts
    kg.validate_graph(graph).conforms, len(kg.infer(graph))
    for records in kg.iter_records("seeds/"): ...              # what kg extracts, article by article

The names below are imported on first use, so ``import kg`` stays cheap (the
command line imports it on every run).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "__version__",
    # build and load
    "build_graph", "load_graph", "KnowledgeGraph",
    # articles and what kg extracts from them
    "article", "read_articles", "iter_records", "Article", "ArticleRecords",
    # queries, validation, reasoning
    "sparql", "answers", "contract_queries", "validate_graph", "Validation", "infer",
    # errors
    "KgError",
]

__version__ = "0.1.0"

_FROM = {
    "Article": "kg.records", "ArticleRecords": "kg.records", "KgError": "kg.errors",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'kg' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(_FROM.get(name, "kg.api")), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
