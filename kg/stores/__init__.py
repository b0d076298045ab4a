"""Sinks: the embedded store, Graph Store Protocol stores, SPARQL endpoints, and ``kg serve``."""
