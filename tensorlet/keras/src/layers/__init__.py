"""``keras.layers``: the Layer base class and the built-in layers, one module per layer."""
