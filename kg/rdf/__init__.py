"""RDF: records in, RDF out (namespaces, IRIs, the ontology's classes, the mapping, the formats and writers)."""
