"""Keras operations: the symbolic-call machinery (``Operation``, ``Node``)."""
