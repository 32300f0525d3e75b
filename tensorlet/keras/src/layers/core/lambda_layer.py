"""``keras.layers.Lambda``: wraps an arbitrary function as a layer."""

import base64
import inspect
import marshal
import types

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.saving import serialization_lib


@keras_export("keras.layers.Lambda")
class Lambda(Layer):
    """``function(inputs, **arguments)`` as a layer (stateless; for layers with weights write a
    subclass).

    Args:
        function: the function to apply.
        output_shape: the output shape (tuple, or a function of the input shape); default:
            found by calling ``function``.
        mask: a mask or a function ``(inputs, mask) -> mask`` (default None).
        arguments: extra keyword arguments for ``function``.

    Example:
        >>> keras.layers.Lambda(lambda x: x ** 2)(tf.constant([3.0])).numpy()
        array([9.], dtype=float32)
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.arguments = arguments or {}
        self.function = function
        if mask is not None:
            self.supports_masking = True
        else:
            self.supports_masking = False
        self.mask = mask
        self._output_shape = output_shape
        self._fn_expects_training_arg = "training" in _arg_names(function)
        self._fn_expects_mask_arg = "mask" in _arg_names(function)
        self._build_at_init()

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:  # found by running the function, as Keras does
            return self._output_spec_by_calling(*args, **kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return Layer.compute_output_shape(self, input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        shape = tuple(self._output_shape)
        batch = None
        if (
            isinstance(input_shape, (list, tuple))
            and input_shape
            and not isinstance(input_shape[0], (list, tuple))
        ):
            batch = input_shape[0]
        return (batch,) + shape

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = {"function": _serialize_function(self.function)}
        if self._output_shape is not None:
            if callable(self._output_shape):
                config["output_shape"] = _serialize_function(self._output_shape)
            else:
                config["output_shape"] = self._output_shape
        if self.mask is not None:
            config["mask"] = _serialize_function(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = serialization_lib.serialize_keras_object(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            value = config.get(key)
            if isinstance(value, dict) and value.get("class_name") == "__lambda__":
                if safe_mode is False:
                    config[key] = _load_lambda(value["config"])
                else:
                    raise ValueError(
                        "Requested the deserialization of a `Lambda` layer whose "
                        "`function` is a Python lambda. This carries a potential risk of "
                        "arbitrary code execution and thus it is disallowed by default. If "
                        "you trust the source of the artifact, you can override this error "
                        "by passing `safe_mode=False` to the loading function, or calling "
                        "`keras.config.enable_unsafe_deserialization()`."
                    )
            elif isinstance(value, dict):
                config[key] = serialization_lib.deserialize_keras_object(
                    value, custom_objects=custom_objects
                )
        if "arguments" in config:
            config["arguments"] = serialization_lib.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects
            )
        return cls(**config)


def _arg_names(fn):
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return set()


def _serialize_function(fn):
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
        return {
            "class_name": "__lambda__",
            "config": {"code": code, "defaults": fn.__defaults__, "closure": None},
        }
    return serialization_lib.serialize_keras_object(fn)


def _load_lambda(config):
    code = marshal.loads(base64.b64decode(config["code"]))
    defaults = tuple(config["defaults"]) if config.get("defaults") else None
    return types.FunctionType(code, globals(), "<lambda>", defaults)
