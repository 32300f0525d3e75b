"""Global settings of the tuner.

``DEBUG``: print the traceback of every failed trial to stderr (keras_tuner does, so a failing
``build``/``fit`` is visible while the search goes on).
"""

DEBUG = True
