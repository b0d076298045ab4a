"""Reading a build back: SPARQL over its outputs, SHACL validation, OWL 2 RL inferences."""
