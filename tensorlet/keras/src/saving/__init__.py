"""Keras object (de)serialization: configs, registered names."""
