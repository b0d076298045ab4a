"""Ingest: the user's inputs (files, folders, JSON Lines, stdin, HTML) in, ``Article`` records out."""
