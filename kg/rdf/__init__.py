"""Stage 5, rdf: records in, RDF out (namespaces, IRIs, the mapping, the writers)."""
