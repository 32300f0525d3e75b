"""Keras 1/2 compatibility pieces kept by Keras 3 (``keras.src.legacy``)."""
