"""Global Keras settings: float type, fuzz factor, image data format, backend name."""

from tensorlet.framework.export import keras_export

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_BACKEND = "tensorflow"


@keras_export("keras.config.floatx", "keras.backend.floatx")
def floatx():
    """The default float type, as a string (``'float32'``)."""
    return _FLOATX


@keras_export("keras.config.set_floatx", "keras.backend.set_floatx")
def set_floatx(value):
    """Sets the default float type: ``'bfloat16'``, ``'float16'``, ``'float32'`` or ``'float64'``."""
    global _FLOATX
    accepted = {"bfloat16", "float16", "float32", "float64"}
    if value not in accepted:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {accepted}")
    _FLOATX = str(value)


@keras_export("keras.config.epsilon", "keras.backend.epsilon")
def epsilon():
    """The fuzz factor used in numeric expressions (``1e-07``)."""
    return _EPSILON


@keras_export("keras.config.set_epsilon", "keras.backend.set_epsilon")
def set_epsilon(value):
    """Sets the fuzz factor."""
    global _EPSILON
    _EPSILON = value


@keras_export("keras.config.image_data_format", "keras.backend.image_data_format")
def image_data_format():
    """The default image data format: ``'channels_last'`` (or ``'channels_first'``)."""
    return _IMAGE_DATA_FORMAT


@keras_export("keras.config.set_image_data_format", "keras.backend.set_image_data_format")
def set_image_data_format(data_format):
    """Sets the default image data format (``'channels_last'`` or ``'channels_first'``)."""
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format}"
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    """``None`` -> the global default; otherwise validated and lower-cased."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format}"
        )
    return data_format


@keras_export("keras.config.backend", "keras.backend.backend")
def backend():
    """The name of the backend Keras runs on: always ``'tensorflow'`` here."""
    return _BACKEND
