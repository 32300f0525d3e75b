"""``keras.layers.Normalization``: ``(x - mean) / sqrt(var)`` per feature, statistics given or
learned by ``adapt``."""

import math

from tensorlet.backend import xp
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor import Tensor
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.tf_data_layer import TFDataLayer
from tensorlet.ops import array_ops, math_ops, reduction_ops, unary_math_ops


@keras_export("keras.layers.Normalization")
class Normalization(TFDataLayer):
    """Shifts and scales inputs to a distribution centered around 0 with standard deviation 1:
    ``(input - mean) / max(sqrt(var), epsilon)`` (``invert=True``: the inverse).

    Args:
        axis: the axis or axes that keep separate statistics (default -1, the features);
            None: one mean and variance for everything.
        mean, variance: the statistics, broadcast to the kept axes (else learned by ``adapt``).
        invert: apply the inverse transformation.

    Example:
        >>> layer = keras.layers.Normalization(axis=None)
        >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32"))
        >>> layer(tf.constant([1.0, 2.0, 3.0])).numpy()
        array([-1.4142135 , -0.70710677,  0.        ], dtype=float32)
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self.__dict__["mean"] = None
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}"
            )
        if mean is not None:
            if xp.shape(mean) != xp.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the same "
                    f"shape. Received: mean shape {xp.shape(mean)} and variance shape "
                    f"{xp.shape(variance)}"
                )
            if len(xp.shape(mean)) > len(self.axis):
                raise ValueError(
                    "The rank of `mean` must be less than or equal to the number of axes "
                    f"({len(self.axis)}). Received: mean shape {xp.shape(mean)} for axis "
                    f"{self.axis}"
                )

    def build(self, input_shape):
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                "All `axis` values must be in the range [-ndim, ndim). Received inputs with "
                f"ndim={ndim}, while axis={self.axis}"
            )
        self._keep_axis = tuple(sorted(d if d >= 0 else d + ndim for d in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    "All `axis` values to be kept must have a known shape. Received "
                    f"axis={self.axis}, inputs.shape={input_shape}, with unknown axis at "
                    f"index {d}"
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)]
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            shape = self._mean_and_var_shape
            self.adapt_mean = self.add_weight(
                name="mean", shape=shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance", shape=shape, initializer="ones", trainable=False
            )
            self.count = self.add_weight(
                name="count", shape=(), dtype="int", initializer="zeros", trainable=False
            )
            self.built = True
            self.finalize_state()
            return
        self.__dict__["mean"] = self._broadcast_stat(self.input_mean, ndim)
        self.__dict__["variance"] = self._broadcast_stat(self.input_variance, ndim)

    def _broadcast_stat(self, value, ndim):
        """A given statistic aligned right-to-left with the kept axes, then broadcast."""
        value = backend.convert_to_tensor(value)
        if value.shape.rank:
            expanded = [1] * ndim
            dims = value.shape.as_list()
            for i in range(1, len(dims) + 1):
                expanded[self._keep_axis[-i]] = dims[-i]
            value = array_ops.reshape(value, expanded)
        value = array_ops.broadcast_to(value, self._broadcast_shape)
        return backend.cast(value, self.compute_dtype)

    def adapt(self, data):
        """Computes the mean and (biased) variance of ``data`` along the reduced axes.

        Args:
            data: a NumPy array, a tensor, a batched ``tf.data.Dataset`` or an iterable of
                batches.
        """
        batches = None
        if isinstance(data, DatasetV2):
            spec = data.element_spec
            spec = spec[0] if isinstance(spec, tuple) else spec
            if len(spec.shape) == 1:
                data = data.batch(128)
            batches = iter(data)
        elif not isinstance(data, Tensor) and not hasattr(data, "shape"):
            if not hasattr(data, "__iter__"):
                raise TypeError(
                    f"Unsupported data type: {type(data)}. `adapt` supports `np.ndarray`, "
                    "backend tensors, `tf.data.Dataset`, `keras.utils.PyDataset`, and "
                    "iterables of batches (e.g. list, generator)."
                )
            batches = iter(data)
        if batches is not None:
            first = next(batches, None)
            if first is None:
                raise ValueError(
                    "adapt() received an empty iterable (no batches). Expected at least one batch."
                )
            batches = _chain(first, batches)
            first = first[0] if isinstance(first, tuple) else first
            input_shape = tuple(first.shape)
        else:
            input_shape = tuple(data.shape)
        if not self.built:
            self.build(input_shape)
        else:
            for d in self._keep_axis:
                if input_shape[d] != self._build_input_shape[d]:
                    raise ValueError(
                        f"The layer was built with input_shape={self._build_input_shape}, "
                        "but adapt() is being called with data with an incompatible shape, "
                        f"data.shape={input_shape}"
                    )
        if batches is None:
            data = backend.convert_to_tensor(data, dtype=self.compute_dtype)
            total_mean = reduction_ops.reduce_mean(data, axis=self._reduce_axis)
            total_var = reduction_ops.reduce_variance(data, axis=self._reduce_axis)
        else:
            total_mean, total_var = self._merge_batches(batches)
        self.adapt_mean.assign(total_mean)
        self.adapt_variance.assign(total_var)
        self.finalize_state()

    def _merge_batches(self, batches):
        """Running mean/variance over batches (the lack-of-fit sum of squares merge)."""
        total_mean = total_var = 0.0
        total_count = 0
        for batch in batches:
            batch = batch[0] if isinstance(batch, tuple) else batch
            batch = backend.convert_to_tensor(batch, dtype=self.compute_dtype)
            batch_mean = reduction_ops.reduce_mean(batch, axis=self._reduce_axis)
            batch_var = reduction_ops.reduce_variance(batch, axis=self._reduce_axis)
            shape = batch.shape.as_list()
            batch_count = math.prod(shape[d] for d in self._reduce_axis)
            total_count += batch_count
            weight = float(batch_count) / total_count
            existing = 1.0 - weight
            new_mean = total_mean * existing + batch_mean * weight
            total_var = (total_var + (total_mean - new_mean) ** 2) * existing + (
                batch_var + (batch_mean - new_mean) ** 2
            ) * weight
            total_mean = new_mean
        return total_mean, total_var

    def finalize_state(self):
        if self.input_mean is not None or not self.built:
            return
        dtype = self.compute_dtype
        shape = self._broadcast_shape
        self.__dict__["mean"] = backend.cast(array_ops.reshape(self.adapt_mean, shape), dtype)
        variance = array_ops.reshape(self.adapt_variance, shape)
        self.__dict__["variance"] = backend.cast(variance, dtype)

    def call(self, inputs):
        if self.mean is None:
            raise ValueError("You must call `.build(input_shape)` on the layer before using it.")
        inputs = backend.convert_to_tensor(inputs, dtype=self.compute_dtype)
        std = math_ops.maximum(unary_math_ops.sqrt(self.variance), backend.epsilon())
        if self.invert:
            return math_ops.add(self.mean, math_ops.multiply(inputs, std))
        return math_ops.divide(math_ops.subtract(inputs, self.mean), std)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {
            "axis": self.axis,
            "invert": self.invert,
            "mean": _tolist(self.input_mean),
            "variance": _tolist(self.input_variance),
        }
        return {**super().get_config(), **config}

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.finalize_state()

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": self._build_input_shape}
        return None

    def build_from_config(self, config):
        if config:
            self.build(config["input_shape"])


def _tolist(value):
    return xp.array(value).tolist() if value is not None else None


def _chain(first, rest):
    yield first
    yield from rest
