"""The Keras version tensorlet implements (the one its reference fixtures were recorded with)."""

from tensorlet.framework.export import keras_export

__version__ = "3.15.1"

keras_export.constant(__name__, "__version__", "keras.__version__")


@keras_export("keras.version")
def version():
    """Returns the Keras version string (``keras.version()``)."""
    return __version__
