"""The torch layer: models and initialisations (``models``, ``layers``), the one trainer (``trainer``),
numpy <-> torch weights (``bridge``), truncated BPTT in torch (``tbptt``) and probes (``probes``).

Everything here needs torch; the numpy core below it never imports this package.
"""
