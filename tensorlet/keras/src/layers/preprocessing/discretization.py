"""``keras.layers.Discretization``: float features to bucket indices (or encoded buckets)."""

from tensorlet.backend import xp
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework import dtypes
from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.preprocessing.encoding import encode_categorical_inputs
from tensorlet.keras.src.layers.preprocessing.lookup_table import search_sorted
from tensorlet.keras.src.layers.preprocessing.tf_data_layer import TFDataLayer
from tensorlet.ops import array_ops

_MODES = ("int", "one_hot", "multi_hot", "count")


@keras_export("keras.layers.Discretization")
class Discretization(TFDataLayer):
    """Buckets float inputs by ranges: index ``i`` for ``boundaries[i-1] <= x < boundaries[i]``
    (TF's ``Bucketize``; NaN goes to the last bucket).

    Args:
        bin_boundaries: sorted list of boundaries (``n`` boundaries give ``n + 1`` buckets).
        num_bins: number of buckets to learn from data with ``adapt`` (approximate quantiles).
        epsilon: error tolerance of the quantile summary (default 0.01).
        output_mode: ``'int'`` (int32 bucket indices), ``'one_hot'``, ``'multi_hot'`` or
            ``'count'``.
        sparse: not supported (dense outputs only).

    Example:
        >>> layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> layer(tf.constant([[-1.5, 1.0, 3.4, 0.5]])).numpy()
        array([[0, 2, 3, 1]], dtype=int32)
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        dtype=None,
        name=None,
    ):
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse=True` may only be used if `output_mode` is `'one_hot'`, "
                f"`'multi_hot'`, or `'count'`. Received: sparse={sparse} and "
                f"output_mode={output_mode}"
            )
        if output_mode not in _MODES:
            raise ValueError(
                f"Unknown value for `output_mode`. Allowed values are: {_MODES}. Received: "
                f"output_mode={output_mode}"
            )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else xp.array([[], []], dtype="float32")
        self._build_at_init()

    @property
    def input_dtype(self):
        return backend.floatx()

    @property
    def compute_dtype(self):
        return "int64" if self.output_mode == "int" else backend.floatx()

    def adapt(self, data, steps=None):
        """Learns ``num_bins`` bucket boundaries from approximate quantiles of ``data``."""
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                "`bin_boundaries`, use `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, DatasetV2):
            if steps is not None:
                data = data.take(steps)
            for batch in data:
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data):
        data = xp.array(backend.convert_to_tensor(data)).astype("float32")
        summary = summarize(data, self.epsilon)
        self.summary = merge_summaries(summary, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        self.bin_boundaries = get_bin_boundaries(self.summary, self.num_bins).tolist()

    def reset_state(self):
        if self.num_bins is None:
            return
        self.summary = xp.array([[], []], dtype="float32")

    def compute_output_spec(self, inputs):
        dtype = "int32" if self.output_mode == "int" else self.compute_dtype
        if self.output_mode in ("one_hot",):
            shape = tuple(inputs.shape) + (len(self.bin_boundaries or ()) + 1,)
        elif self.output_mode != "int":
            shape = tuple(inputs.shape)[:-1] + (len(self.bin_boundaries or ()) + 1,)
        else:
            shape = inputs.shape
        return KerasTensor(shape=shape, dtype=dtype)

    def load_own_variables(self, store):
        if len(store) == 1:
            self.summary = store["0"]

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time or "
                "call `adapt(dataset)` before you can start using the `Discretization` layer."
            )
        indices = _bucketize(inputs, self.bin_boundaries)
        dtype = "int32" if self.output_mode == "int" else self.compute_dtype
        return encode_categorical_inputs(
            indices, self.output_mode, len(self.bin_boundaries) + 1, dtype
        )

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            bin_boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = bin_boundaries
            return layer
        return cls(**config)


def _bucketize(inputs, boundaries):
    """TF's ``Bucketize``: the upper bound of each value in ``boundaries`` (int32)."""
    inputs = backend.convert_to_tensor(inputs, dtype=backend.floatx())
    flat = array_ops.reshape(inputs, [1, -1])
    edges = backend.convert_to_tensor([list(map(float, boundaries))], dtype=inputs.dtype)
    found = search_sorted(edges, flat, "right", dtypes.int32)
    return array_ops.reshape(found, array_ops.shape(inputs))


# ---------------------------------------------------------------- adapt (NumPy, as in Keras)
def summarize(values, epsilon):
    """A summary ``[values, weights]`` of the sorted data, one point per ``epsilon`` share."""
    values = xp.sort(xp.reshape(values, [-1]))
    increment = xp.size(values) / (1.0 / epsilon)
    step = max(increment, 1)
    boundaries = values[int(increment) :: int(step)]
    weights = xp.ones_like(boundaries) * step
    return xp.stack([boundaries, weights])


def merge_summaries(prev_summary, next_summary, epsilon):
    merged = xp.concatenate((prev_summary, next_summary), axis=1)
    merged = xp.take(merged, xp.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def get_bin_boundaries(summary, num_bins):
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]


def compress_summary(summary, epsilon):
    """Interpolates the cumulative weights at ``epsilon`` steps (fewer points, same shape)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + xp.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = xp.interp(percents, cum_weight_percents, summary[0])
    cum_weights = xp.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - xp.concatenate((xp.array([0]), cum_weights[:-1]))
    return xp.stack((new_bins, new_weights)).astype("float32")
