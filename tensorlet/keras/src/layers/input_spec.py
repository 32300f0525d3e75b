"""``keras.InputSpec``: the rank / axis sizes / dtype a layer accepts, checked on every call."""

from tensorlet.framework import nest
from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend


@keras_export("keras.InputSpec", "keras.layers.InputSpec")
class InputSpec:
    """Constraints on a layer input: ``ndim``, ``max_ndim``, ``min_ndim``, ``axes``
    (``{axis: size}``), ``shape`` and ``dtype``."""

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = backend.standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = backend.standardize_shape(shape)
            self.ndim = len(shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        axes = axes or {}
        try:
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError):
            raise TypeError(
                f"Argument `axes` must be a dict with integer keys. Received: axes={axes}"
            ) from None

    def __repr__(self):
        spec = [
            f"dtype={self.dtype}" if self.dtype else "",
            f"shape={self.shape}" if self.shape else "",
            f"ndim={self.ndim}" if self.ndim else "",
            f"max_ndim={self.max_ndim}" if self.max_ndim else "",
            f"min_ndim={self.min_ndim}" if self.min_ndim else "",
            f"axes={self.axes}" if self.axes else "",
        ]
        return f"InputSpec({', '.join(x for x in spec if x)})"

    def get_config(self):
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _shape_of(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    if hasattr(shape, "as_list"):
        return tuple(shape.as_list()) if shape.rank is not None else None
    return tuple(shape)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises ValueError (Keras' messages) when ``inputs`` do not satisfy ``input_spec``."""
    if not input_spec:
        return
    if isinstance(input_spec, InputSpec) and hasattr(inputs, "shape"):  # the common case
        shape = _shape_of(inputs)
        if shape is not None:
            _check(input_spec, shape, 0, layer_name)
        return
    input_spec = nest.flatten(input_spec)
    flat = nest.flatten(inputs) if not isinstance(inputs, dict) else list(inputs.values())
    if len(flat) != len(input_spec):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(input_spec)} input(s), but it '
            f"received {len(flat)} input tensors. Inputs received: {inputs}"
        )
    for i, (x, spec) in enumerate(zip(flat, input_spec)):
        if spec is None or x is None:
            continue
        shape = _shape_of(x)
        if shape is None:
            continue
        _check(spec, shape, i, layer_name)


def _check(spec, shape, i, layer_name):
    ndim = len(shape)
    head = f'Input {i} of layer "{layer_name}" is incompatible with the layer: '
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(
            f"{head}expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}"
        )
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{head}expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(
            f"{head}expected min_ndim={spec.min_ndim}, found ndim={ndim}. Full shape "
            f"received: {shape}"
        )
    for axis, value in spec.axes.items():
        if value is None:
            continue
        if axis >= ndim or axis < -ndim or shape[axis] not in (value, None):
            raise ValueError(
                f"{head}expected axis {axis} of input shape to have value {value}, "
                f"but received input with shape {shape}"
            )
    if spec.shape is not None:
        for want, got in zip(spec.shape, shape):
            if want is not None and got is not None and want != got:
                raise ValueError(f"{head}expected shape={spec.shape}, found shape={shape}")
