"""NLP: an article's text in, a parsed spaCy ``Doc`` out (the model and kg's own components)."""
