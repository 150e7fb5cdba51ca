"""Tools around the book: ``timing`` (measuring time and memory), ``bench`` (``python -m rnnlib.bench``),
``plotting`` (one figure style)."""
