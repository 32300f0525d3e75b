"""``keras.layers.Hashing``: values hashed into ``num_bins`` bins (FarmHash64, or SipHash-2-4
with a ``salt``), as TF's ``to_hash_bucket_fast`` / ``to_hash_bucket_strong``."""

from tensorlet.framework import dtypes
from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.preprocessing.encoding import encode_categorical_inputs
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    comparison_ops,
    string_ops_convert,
    string_ops_hash,
)

_MODES = ("int", "one_hot", "multi_hot", "count")


@keras_export("keras.layers.Hashing")
class Hashing(Layer):
    """Hashes strings or integers (as their decimal strings; floats are truncated to int64
    first) into ``[0, num_bins)``; with ``mask_value``, bin 0 is the mask's and the others
    hash into ``[1, num_bins)``.

    Args:
        num_bins: number of bins (including the mask bin).
        mask_value: a value that maps to bin 0 (default None: no mask bin).
        salt: an int or a pair of ints: use SipHash-2-4 keyed by it instead of FarmHash64.
        output_mode: ``'int'`` (int64 bins) or ``'one_hot'`` / ``'multi_hot'`` / ``'count'``.
        sparse: not supported (dense outputs only).

    Example:
        >>> keras.layers.Hashing(num_bins=3)(tf.constant([["A"], ["B"], ["C"]])).numpy()
        array([[1],
               [0],
               [1]])
    """

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or "
                f"'in64'. Received: dtype={kwargs['dtype']}"
            )
        if output_mode not in _MODES:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{_MODES}. Received: output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                '`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, '
                f'or `"count"`. Received: sparse={sparse} and output_mode={output_mode}'
            )
        if sparse:
            raise NotImplementedError("sparse outputs are not supported by tensorlet yet")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `Hashing` can only be a tuple of size 2 "
                    f"integers, or a single integer. Received: salt={salt}."
                )
        self._build_at_init()

    def _convert_input(self, x):
        return x  # strings and ints pass through; floats are hashed as int64

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        if self.output_mode == "one_hot" and inputs.shape.rank and inputs.shape[-1] == 1:
            inputs = array_ops.squeeze(inputs, axis=-1)
        indices = self._hash_values_to_bins(inputs)
        return encode_categorical_inputs(indices, self.output_mode, self.num_bins, self.dtype)

    def _hash_values_to_bins(self, values):
        hash_bins = self.num_bins
        mask = None
        if self.mask_value is not None and hash_bins > 1:
            hash_bins -= 1
            mask = comparison_ops.equal(values, self.mask_value)
        if values.dtype.is_floating:
            values = cast_ops.cast(values, dtypes.int64)
        if values.dtype != dtypes.string:
            values = string_ops_convert.as_string(values)
        if self.strong_hash:
            values = string_ops_hash.string_to_hash_bucket_strong(values, hash_bins, key=self.salt)
        else:
            values = string_ops_hash.string_to_hash_bucket_fast(values, hash_bins)
        if mask is not None:
            values = values + array_creation_ops.ones_like(values)
            values = array_ops.where(mask, array_creation_ops.zeros_like(values), values)
        return values

    def compute_output_spec(self, inputs):
        if self.output_mode == "int":
            return KerasTensor(shape=inputs.shape, dtype=self.dtype)
        base = tuple(inputs.shape)[:-1] if len(inputs.shape) >= 1 else ()
        return KerasTensor(shape=base + (self.num_bins,), dtype=self.dtype)

    def get_config(self):
        config = {
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
        return {**super().get_config(), **config}
