"""``keras.layers.TextVectorization``: strings to token indices / encodings.

standardize (lower-case, strip punctuation) -> split (whitespace, characters) -> ngrams ->
``StringLookup`` (mask ``''`` at 0, OOV ``'[UNK]'`` at 1 in ``'int'`` mode).
"""

from tensorlet.framework import dtypes
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.preprocessing.index_lookup import _listify
from tensorlet.keras.src.layers.preprocessing.string_lookup import StringLookup
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, string_ops, string_ops_regex
from tensorlet.ragged_tensors import ragged_string_ops
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor

PUNCTUATION_REGEX = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


@keras_export("keras.layers.TextVectorization")
class TextVectorization(Layer):
    """Turns raw strings into integer sequences or bag-of-words encodings.

    Args:
        max_tokens: maximum vocabulary size, mask and OOV tokens included.
        standardize: ``'lower_and_strip_punctuation'`` (default), ``'lower'``,
            ``'strip_punctuation'``, None or a callable on a string tensor.
        split: ``'whitespace'`` (default), ``'character'``, None or a callable.
        ngrams: None, an int ``n`` (all 1..n-grams) or a tuple of n-gram sizes.
        output_mode: ``'int'`` (default), ``'multi_hot'``, ``'count'`` or ``'tf_idf'``.
        output_sequence_length: ``'int'`` mode: pad or truncate to this length.
        pad_to_max_tokens: encodings have ``max_tokens`` columns.
        vocabulary: optional list of tokens (or a file path).
        idf_weights: ``'tf_idf'`` with ``vocabulary``: the inverse document frequencies.
        sparse: not supported (dense outputs only).
        ragged: ``'int'`` mode: return a RaggedTensor.
        encoding: the text encoding (``'utf-8'``).

    Example:
        >>> layer = keras.layers.TextVectorization(output_sequence_length=4)
        >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
        >>> layer(tf.constant(["foo qux bar", "qux baz"])).numpy()
        array([[4, 1, 3, 0],
               [1, 2, 0, 0]])
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        _check_arg("standardize", standardize, _STANDARDIZE)
        _check_arg("split", split, _SPLIT)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        _check_arg("output_mode", output_mode, _MODES, allow_none=False, allow_callables=False)
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or isinstance(ngrams, tuple)
            and all(isinstance(item, int) for item in ngrams)
        ):
            raise ValueError(
                f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            isinstance(output_sequence_length, int) or output_sequence_length is None
        ):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when "
                f"`output_mode` is 'int'. Received: output_sequence_length={output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        if ragged and output_mode != "int":
            raise ValueError(
                "`ragged` must not be true if `output_mode` is `'int'`. Received: "
                f"ragged={ragged} and output_mode={output_mode}"
            )
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )
        self.built = True

    @property
    def compute_dtype(self):
        return "string"

    @property
    def variable_dtype(self):
        return "string"

    def _convert_input(self, x):
        return x

    def build(self, input_shape=None):
        pass

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = tuple(input_shape) + (1,)
        else:
            input_shape = tuple(input_shape) + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        dtype = "int64" if self._output_mode == "int" else backend.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # ---------------------------------------------------------------- vocabulary
    def adapt(self, data, batch_size=None, steps=None):
        """Builds the vocabulary from the texts of ``data`` (a batched ``tf.data.Dataset``, a
        list or array of strings, a tensor or an iterable of batches)."""
        from tensorlet.data_ops.dataset import DatasetV2

        self.reset_state()
        if isinstance(data, DatasetV2):
            if steps is not None:
                data = data.take(steps)
            for batch in data:
                self.update_state(batch)
        elif isinstance(data, (list, tuple)) or type(data).__module__ == "numpy":
            data = convert_to_tensor(data, dtype=dtypes.string)
            if data.shape.rank == 1:
                data = array_ops.expand_dims(data, -1)
            self.update_state(data)
        elif not isinstance(data, (Tensor, RaggedTensor)) and hasattr(data, "__iter__"):
            for batch in data:
                self.update_state(batch)
        else:
            data = convert_to_tensor(data, dtype=dtypes.string)
            if data.shape.rank == 1:
                data = array_ops.expand_dims(data, -1)
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data):
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary by index (``''`` and ``'[UNK]'`` first unless excluded)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and idf weights for ``'tf_idf'``) directly."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ---------------------------------------------------------------- calling
    def _preprocess(self, inputs):
        if not isinstance(inputs, (Tensor, RaggedTensor)):
            inputs = convert_to_tensor(inputs, dtype=dtypes.string)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            inputs = string_ops.lower(inputs)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            inputs = string_ops_regex.regex_replace(inputs, PUNCTUATION_REGEX, "")
        if callable(self._standardize):
            inputs = self._standardize(inputs)
        if self._split is not None:
            if inputs.shape.rank > 1:
                if inputs.shape[-1] != 1:
                    raise ValueError(
                        "When using `TextVectorization` to tokenize strings, the input rank "
                        "must be 1 or the last shape dimension must be 1. Received: "
                        f"inputs.shape={inputs.shape} with rank={inputs.shape.rank}"
                    )
                inputs = array_ops.squeeze(inputs, axis=-1)
            if self._split == "whitespace":
                inputs = ragged_string_ops.split(inputs)
            elif self._split == "character":
                inputs = ragged_string_ops.unicode_split(inputs, "UTF-8")
            elif callable(self._split):
                inputs = self._split(inputs)
        if self._ngrams is not None:
            inputs = ragged_string_ops.ngrams(inputs, ngram_width=self._ngrams, separator=" ")
        return inputs

    def call(self, inputs):
        inputs = self._preprocess(inputs)
        lookup_data = self._lookup_layer.call(inputs)
        if self._output_mode != "int":
            return lookup_data
        length = self._output_sequence_length
        if isinstance(lookup_data, RaggedTensor) and not self._ragged:
            shape = lookup_data.shape.as_list()
            shape[-1] = length
            return lookup_data.to_tensor(default_value=0, shape=shape)
        if length is not None and not isinstance(lookup_data, RaggedTensor):
            outputs = lookup_data[..., :length]
            pad = length - (outputs.shape[-1] if outputs.shape[-1] is not None else 0)
            if outputs.shape[-1] is not None and pad > 0:
                paddings = [[0, 0]] * (outputs.shape.rank - 1) + [[0, pad]]
                outputs = array_ops.pad(outputs, paddings)
            return outputs
        return lookup_data

    # ---------------------------------------------------------------- config and saving
    def get_config(self):
        lookup = self._lookup_layer
        config = {
            "max_tokens": lookup.max_tokens,
            "standardize": self._standardize,
            "split": self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": lookup.sparse,
            "ragged": self._ragged,
            "vocabulary": _listify(lookup.input_vocabulary),
            "idf_weights": _listify(lookup.input_idf_weights),
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = serialization_lib.deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)


def _check_arg(name, value, allowed, allow_none=True, allow_callables=True):
    if value is None and allow_none:
        return
    if callable(value) and allow_callables:
        return
    if value not in allowed:
        raise ValueError(
            f"Unknown value for `{name}` argument of layer TextVectorization. Allowed values "
            f"are: {allowed}. Received: {value}"
        )
