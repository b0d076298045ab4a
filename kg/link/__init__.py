"""Link: entities tied to the world and across articles (knowledge base, Wikidata, one truth per entity, stories)."""
