"""kg: event-centric RDF knowledge graphs from news articles."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
