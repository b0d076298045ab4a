"""Extraction: pure functions from a parsed article (spaCy Doc) to records."""
