"""Test helpers for Keras layers (Keras' ``keras.src.testing``)."""
