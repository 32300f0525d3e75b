"""``keras.datasets``: the Keras datasets, read from the local Keras cache (no downloads)."""
