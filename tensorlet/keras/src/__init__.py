"""Keras 3 on tensorlet: the implementation behind the generated ``tensorlet.keras`` API.

As in Keras 3, ``tensorlet/keras/`` holds the public namespaces written by ``tools/gen_api.py``
from the ``@keras_export`` decorators, and this package holds the code. It is written on the
public ``tf`` API (``tensorlet.ops`` / ``tensorlet.framework`` functions) like Keras' TensorFlow
backend, so layers run eagerly, under ``tf.GradientTape`` and inside ``tf.function`` alike.
"""
