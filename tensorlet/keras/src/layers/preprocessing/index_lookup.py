"""``IndexLookup``: the vocabulary layer behind ``StringLookup`` and ``IntegerLookup``.

Indices: the mask token (``output_mode='int'`` only) takes 0, then ``num_oov_indices`` OOV
indices, then the vocabulary. ``adapt`` counts tokens (NumPy, as Keras sorts with NumPy) and
orders them by descending count, ties by descending token. Lookups run on tensorlet ops
(``VocabularyTable``), so the layer works eagerly, in ``tf.function`` and in ``tf.data``.
"""

import collections

from tensorlet.backend import xp
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework import dtypes
from tensorlet.framework.context import state
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.preprocessing.encoding import encode_categorical_inputs
from tensorlet.keras.src.layers.preprocessing.lookup_table import VocabularyTable
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    comparison_ops,
    debugging_ops,
    gather_ops,
    math_ops,
    reduction_ops,
    string_ops,
    string_ops_hash,
)
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_INT64_MAX = 2**63 - 1


class IndexLookup(Layer):
    """Maps values of a vocabulary to indices (or back with ``invert=True``).

    Args:
        max_tokens: maximum vocabulary size including mask and OOV indices (None: unlimited).
        num_oov_indices: number of out-of-vocabulary indices (hashed into when > 1).
        mask_token: the token that maps to index 0 (``output_mode='int'``) or is dropped.
        oov_token: the token returned for OOV indices by ``invert=True`` lookups.
        vocabulary_dtype: ``'string'`` or ``'int64'``.
        vocabulary: an optional list / array / tensor of tokens.
        idf_weights: the inverse document frequencies of ``vocabulary`` (``'tf_idf'`` only).
        invert: map indices to tokens instead.
        output_mode: ``'int'``, ``'one_hot'``, ``'multi_hot'``, ``'count'`` or ``'tf_idf'``.
        sparse: not supported (dense outputs only).
        pad_to_max_tokens: encodings have ``max_tokens`` columns.
        oov_method: how integer OOV values pick an OOV index: ``'floormod'`` or ``'farmhash'``.
    """

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ):
        _validate(max_tokens, pad_to_max_tokens, num_oov_indices, oov_method)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        _check_choice("output_mode", output_mode, _MODES, type(self).__name__)
        _check_mode_args(invert, output_mode, sparse, idf_weights)
        super().__init__(name=name)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = dtypes.as_dtype(vocabulary_dtype).name
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        self._set_key_value_dtypes()
        self.__dict__["idf_weights_const"] = None
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(
                "When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                "`idf_weights` argument must also be provided."
            )
        self.__dict__["lookup_table"] = self._table([], initialized=False)
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()
        self.built = True

    def _set_key_value_dtypes(self):
        if self.invert:
            self._key_dtype, self._value_dtype = "int64", self.vocabulary_dtype
            self._mask_key, self._mask_value = 0, self.mask_token
            self._default_value = self.oov_token
            return
        self._key_dtype, self._value_dtype = self.vocabulary_dtype, "int64"
        self._mask_key = self.mask_token
        # masks map to 0 for int output and are dropped (an index past any depth) otherwise
        self._mask_value = 0 if self.output_mode == "int" else _INT64_MAX
        if self.num_oov_indices == 1:
            self._default_value = self._oov_start_index()
        else:  # no OOV index (checked at call time) or several (hashed at call time)
            self._default_value = -1

    # ---------------------------------------------------------------- dtypes
    @property
    def compute_dtype(self):
        return self.vocabulary_dtype

    @property
    def variable_dtype(self):
        return self.vocabulary_dtype

    def _convert_input(self, x):
        return x

    # ---------------------------------------------------------------- vocabulary
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, including the mask and OOV indices."""
        return self.lookup_table.size() + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The tokens by index (mask and OOV tokens first unless excluded)."""
        keys, values = self.lookup_table.export() if self.lookup_table.size() else ([], [])
        vocab, indices = (values, keys) if self.invert else (keys, values)
        lookup = collections.defaultdict(lambda: self.oov_token, zip(list(indices), list(vocab)))
        vocab = [lookup[x] for x in range(self.vocabulary_size())]
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index() :]
        return vocab

    def _table(self, tokens, initialized=True):
        """A table for ``tokens`` (in index order) after the special indices."""
        start = self._token_start_index()
        indices = xp.arange(start, start + len(tokens), dtype=xp.int64)
        tokens = self._tokens_array(tokens)
        keys, values = (indices, tokens) if self.invert else (tokens, indices)
        return VocabularyTable(
            keys, values, self._key_dtype, self._value_dtype, self._default_value, initialized
        )

    def _tokens_array(self, tokens):
        """Tokens as the NumPy array ``get_vocabulary`` takes its items from."""
        if self.vocabulary_dtype == "string":
            text = [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in tokens]
            return xp.array(text, dtype=str) if text else xp.array([], dtype=str)
        return xp.asarray(list(tokens), dtype=self.vocabulary_dtype)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and the idf weights in ``'tf_idf'`` mode) directly.

        Args:
            vocabulary: a list, tuple, 1-D array or tensor of tokens (optionally starting with
                the mask and OOV tokens), or the path of a file with one token per line.
            idf_weights: the inverse document frequencies, one per token.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                f"output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            vocabulary = self._read_vocabulary_file(vocabulary)
        if state.graph is not None and (
            isinstance(vocabulary, Tensor) or isinstance(idf_weights, Tensor)
        ):
            raise RuntimeError(
                f"Cannot set a tensor vocabulary on layer {self.name} when not executing "
                "eagerly. Create this layer or call `set_vocabulary()` outside of any traced "
                "function."
            )
        vocabulary = self._vocabulary_list(vocabulary)
        if isinstance(idf_weights, Tensor):
            idf_weights = idf_weights.numpy()
        elif isinstance(idf_weights, (list, tuple)):
            idf_weights = xp.array(idf_weights)
        if len(vocabulary) == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        tokens, found_special = self._strip_special_tokens(vocabulary)
        self._check_tokens(vocabulary, tokens)
        self.__dict__["lookup_table"] = self._table(tokens)
        self._record_vocabulary_size()
        if self.output_mode == "tf_idf":
            self._set_idf_weights(vocabulary, idf_weights, found_special)

    def _vocabulary_list(self, vocabulary):
        if isinstance(vocabulary, Tensor):
            vocabulary = vocabulary.numpy().tolist()
        elif hasattr(vocabulary, "tolist"):
            vocabulary = vocabulary.tolist()
        if self.vocabulary_dtype == "string":
            return [v.decode("utf-8") if isinstance(v, bytes) else v for v in vocabulary]
        return list(vocabulary)

    def _read_vocabulary_file(self, path):
        if self.output_mode == "tf_idf":
            raise ValueError(
                "output_mode `'tf_idf'` does not support loading a vocabulary from file."
            )
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError:
            raise ValueError(f"Vocabulary file {path} does not exist.") from None
        while lines and lines[-1] == "":
            lines.pop()
        if self.vocabulary_dtype == "string":
            return lines
        return [int(line) for line in lines]

    def _strip_special_tokens(self, vocabulary):
        start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [
            self.oov_token
        ] * self.num_oov_indices
        found = list(vocabulary[:start]) == special
        return (vocabulary[start:] if found else vocabulary), found

    def _check_tokens(self, vocabulary, tokens):
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your "
                f"dataset. The repeated terms are: {repeated}"
            )
        special = [self.mask_token] * self._oov_start_index() + [
            self.oov_token
        ] * self.num_oov_indices
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(
                "Found reserved mask token at unexpected location in `vocabulary`. Note that "
                "passed `vocabulary` does not need to include the OOV and mask tokens. Either "
                "remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {special}. Received: "
                f"mask_token={self.mask_token} at vocabulary index "
                f"{len(vocabulary) - 1 - list(reversed(vocabulary)).index(self.mask_token)}"
            )
        if self.oov_token is not None and self.invert and self.oov_token in tokens:
            raise ValueError(
                "Found reserved OOV token at unexpected location in `vocabulary`. Note that "
                "passed `vocabulary` does not need to include the OOV and mask tokens. Either "
                "remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {special}. Received: "
                f"oov_token={self.oov_token} at vocabulary index "
                f"{len(vocabulary) - 1 - list(reversed(vocabulary)).index(self.oov_token)}"
            )
        size = self._token_start_index() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received "
                f"vocabulary size is {size}; `max_tokens` is {self.max_tokens}."
            )

    def _set_idf_weights(self, vocabulary, idf_weights, found_special):
        if len(vocabulary) != len(idf_weights):
            raise ValueError(
                "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                f"{len(idf_weights)}; len(vocabulary) is {len(vocabulary)}"
            )
        idf_weights = xp.asarray(idf_weights)
        if idf_weights.ndim != 1:
            raise ValueError(
                f"TF-IDF data must be a 1-index array. Received: type(idf_weights)={type(idf_weights)}"
            )
        front = 0 if found_special else self._token_start_index()
        front_value = 0 if found_special else xp.average(idf_weights)
        back = 0
        if self.pad_to_max_tokens and self.max_tokens is not None:
            back = self.max_tokens - front - len(idf_weights)
        weights = xp.pad(idf_weights, (front, back), "constant", constant_values=(front_value, 0))
        with backend.init_scope():
            self.__dict__["idf_weights_const"] = backend.convert_to_tensor(
                weights, dtype=backend.floatx()
            )

    def _record_vocabulary_size(self):
        self._ensure_vocab_size_unchanged()
        self._frozen_vocab_size = self.vocabulary_size()

    def _ensure_vocab_size_unchanged(self):
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        new_size = self.vocabulary_size()
        if self._frozen_vocab_size is not None and new_size != self._frozen_vocab_size:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "the vocabulary size cannot be changed after the layer is called. Old vocab "
                f"size is {self._frozen_vocab_size}, new vocab size is {new_size}"
            )

    # ---------------------------------------------------------------- adapt
    def adapt(self, data, steps=None):
        """Builds the vocabulary from the tokens of ``data`` (most frequent first).

        Args:
            data: a batched ``tf.data.Dataset``, a list / array of tokens (each row a
                document), a tensor, or an iterable of batches.
            steps: number of dataset batches to use (default: all).
        """
        self.reset_state()
        if isinstance(data, DatasetV2):
            if steps is not None:
                data = data.take(steps)
            for batch in data:
                self.update_state(batch)
        elif isinstance(data, (list, tuple)) or type(data).__module__ == "numpy":
            data = self._ensure_tensor(data)
            if data.shape.rank == 1:  # a plain list: one document per token
                data = array_ops.expand_dims(data, -1)
            self.update_state(data)
        elif not isinstance(data, (Tensor, RaggedTensor)) and hasattr(data, "__iter__"):
            for batch in data:
                self.update_state(batch)
        else:
            data = self._ensure_tensor(data)
            if data.shape.rank == 1:
                data = array_ops.expand_dims(data, -1)
            self.update_state(data)
        self.finalize_state()

    def _ensure_tensor(self, data):
        if isinstance(data, RaggedTensor):
            return data
        data = convert_to_tensor(data) if not isinstance(data, Tensor) else data
        if self.vocabulary_dtype != "string" and data.dtype.name != self.vocabulary_dtype:
            data = cast_ops.cast(data, self.vocabulary_dtype)
        return data

    def reset_state(self):
        if self._has_input_vocabulary:
            return
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    def update_state(self, data):
        """Counts the tokens of one batch (each row a document for ``'tf_idf'``)."""
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                "`vocabulary` argument or `set_vocabulary()` method."
            )
        data = self._ensure_tensor(data)
        rows = _rows(data)
        for row in rows:
            self._token_counts.update(row)
        if self.output_mode == "tf_idf":
            for row in rows:
                self._document_counts.update(set(row))
            self._num_documents += len(rows)

    def finalize_state(self):
        if self._has_input_vocabulary or not self._token_counts:
            self._record_vocabulary_size()
            return
        counts = self._token_counts
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(_as_key(special, self.vocabulary_dtype), None)
        tokens = list(counts)
        token_array = xp.empty(len(tokens), dtype=object)
        token_array[:] = tokens
        count_array = xp.array([counts[t] for t in tokens], dtype=xp.int64)
        # by count, ties by token, both descending (Keras: lexsort reversed)
        order = xp.lexsort((token_array, count_array))[::-1]
        if self.max_tokens:
            order = order[: self.max_tokens - self._token_start_index()]
        tokens = [tokens[i] for i in order]
        self.__dict__["lookup_table"] = self._table(tokens)
        if self.output_mode == "tf_idf":
            self._adapted_idf_weights(tokens)
        self.reset_state()
        self._record_vocabulary_size()

    def _adapted_idf_weights(self, tokens):
        """``log(1 + num_documents / (1 + document_count))``, OOV: the mean, padded."""
        doc_counts = xp.array([self._document_counts[t] for t in tokens], dtype=xp.float64)
        idf = xp.log(1 + self._num_documents / (1 + doc_counts)).astype(backend.floatx())
        with backend.init_scope():
            idf = backend.convert_to_tensor(idf)
            mean = reduction_ops.reduce_mean(idf)
            front = array_creation_ops.fill([self._token_start_index()], mean)
            parts = [front, idf]
            if self.pad_to_max_tokens and self.max_tokens is not None:
                back = self.max_tokens - self._token_start_index() - len(tokens)
                parts.append(array_creation_ops.zeros([back], dtype=idf.dtype))
            self.__dict__["idf_weights_const"] = array_ops.concat(parts, axis=0)

    # ---------------------------------------------------------------- calling
    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return input_shape
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs):
        if self.output_mode == "int":
            dtype = self._value_dtype if self.invert else "int64"
        else:
            dtype = "float32" if self.output_mode == "tf_idf" else "int64"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def call(self, inputs):
        self._ensure_known_vocab_size()
        inputs = self._call_input(inputs)
        rank = inputs.shape.rank
        if rank == 0:
            inputs = array_ops.expand_dims(inputs, -1)
        if isinstance(inputs, RaggedTensor):
            lookups = inputs.with_flat_values(self._lookup_dense(inputs.flat_values))
        else:
            lookups = self._lookup_dense(inputs)
        if self.output_mode == "int":
            return array_ops.squeeze(lookups, -1) if rank == 0 else lookups
        if isinstance(lookups, RaggedTensor):
            lookups = lookups.to_tensor(default_value=-1)
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        output = encode_categorical_inputs(lookups, mode, depth, self._value_dtype)
        if self.output_mode == "tf_idf":
            idf = self.idf_weights_const
            if idf is None:
                raise ValueError(
                    "When `output_mode` is `'tf_idf'`, `idf_weights` must be provided."
                )
            output = math_ops.multiply(cast_ops.cast(output, idf.dtype), idf)
        return output

    def _call_input(self, inputs):
        if isinstance(inputs, RaggedTensor):
            return inputs
        inputs = convert_to_tensor(inputs) if not isinstance(inputs, Tensor) else inputs
        if self._key_dtype != "string" and inputs.dtype.name != self._key_dtype:
            inputs = cast_ops.cast(inputs, self._key_dtype)
        return inputs

    def _lookup_dense(self, inputs):
        lookups = self.lookup_table.lookup(inputs)
        if self.mask_token is not None:
            mask = comparison_ops.equal(inputs, self._mask_key)
            mask_value = convert_to_tensor(self._mask_value, dtype=lookups.dtype)
            lookups = array_ops.where(mask, mask_value, lookups)
        if self.invert:
            return lookups
        if self.num_oov_indices == 0:
            self._check_no_oov(inputs, lookups)
        elif self.num_oov_indices > 1:
            lookups = self._hash_oov(inputs, lookups)
        return lookups

    def _check_no_oov(self, inputs, lookups):
        missing = comparison_ops.equal(lookups, -1)
        oov_inputs = gather_ops.boolean_mask(inputs, missing)
        message = string_ops.string_format(
            "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values "
            "{}, consider setting `num_oov_indices=1`.",
            (oov_inputs,),
        )
        none_missing = comparison_ops.equal(array_ops.size(oov_inputs), 0)
        debugging_ops.Assert(none_missing, [message])

    def _hash_oov(self, inputs, lookups):
        n = self.num_oov_indices
        if self._key_dtype != "string":
            if self.oov_method == "farmhash":
                from tensorlet.ops import string_ops_convert

                strings = string_ops_convert.as_string(inputs)
                oov = string_ops_hash.string_to_hash_bucket_fast(strings, n)
            else:
                oov = math_ops.floormod(inputs, n)
        elif self.salt is not None:
            key = self.salt if isinstance(self.salt, (list, tuple)) else [self.salt] * 2
            oov = string_ops_hash.string_to_hash_bucket_strong(inputs, n, key=key)
        else:
            oov = string_ops_hash.string_to_hash_bucket_fast(inputs, n)
        oov = oov + self._oov_start_index()
        return array_ops.where(comparison_ops.equal(lookups, self._default_value), oov, lookups)

    def _ensure_known_vocab_size(self):
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._frozen_vocab_size is None:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "you must set the layer's vocabulary before calling it. Either pass a "
                "`vocabulary` argument to the layer, or call `adapt` with some sample data."
            )

    # ---------------------------------------------------------------- config and saving
    def get_config(self):
        config = {
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": _listify(self.input_idf_weights),
            "vocabulary": _listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }
        return {**super().get_config(), **config}

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.build(None)

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf":
            store["idf_weights"] = self.idf_weights_const.numpy()

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf":
            with backend.init_scope():
                self.__dict__["idf_weights_const"] = backend.convert_to_tensor(store["idf_weights"])

    def save_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        import os

        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(w) for w in self.get_vocabulary(include_special_tokens=True)))

    def load_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        import os

        values = self._read_vocabulary_file(os.path.join(dir_path, "vocabulary.txt"))
        if self.output_mode == "tf_idf":
            self.set_vocabulary(values, idf_weights=self.idf_weights_const.numpy())
        else:
            self.set_vocabulary(values)


# ---------------------------------------------------------------- helpers
def _validate(max_tokens, pad_to_max_tokens, num_oov_indices, oov_method):
    if max_tokens is not None and max_tokens <= 1:
        raise ValueError(
            f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
        )
    if pad_to_max_tokens and max_tokens is None:
        raise ValueError(
            f"If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}"
        )
    if num_oov_indices < 0:
        raise ValueError(
            "`num_oov_indices` must be greater than or equal to 0. Received: "
            f"num_oov_indices={num_oov_indices}"
        )
    _check_choice("oov_method", oov_method, ("floormod", "farmhash"), "IndexLookup")


def _check_choice(arg, value, allowed, caller):
    if value not in allowed:
        raise ValueError(
            f"Unknown value for `{arg}` argument of layer {caller}. Allowed values are: "
            f"{allowed}. Received: {value}"
        )


def _check_mode_args(invert, output_mode, sparse, idf_weights):
    if invert and output_mode != "int":
        raise ValueError(
            f"`output_mode` must be `'int'` when `invert` is true. Received: output_mode={output_mode}"
        )
    if sparse and output_mode == "int":
        raise ValueError(
            "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, "
            f"`'count'` or `'tf_idf'`. Received: sparse={sparse} and output_mode={output_mode}"
        )
    if sparse:
        raise NotImplementedError("sparse outputs are not supported by tensorlet yet")
    if idf_weights is not None and output_mode != "tf_idf":
        raise ValueError(
            "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
            f"idf_weights={idf_weights} and output_mode={output_mode}"
        )


def _rows(data):
    """The tokens of each document (row) of a batch, as Python values (bytes for strings)."""
    if isinstance(data, RaggedTensor):
        return [list(row) for row in data.to_list()]
    values = data.numpy()
    if values.ndim == 0:
        return [[values.item()]]
    if values.ndim == 1:  # one document
        return [values.tolist()]
    return [row.reshape(-1).tolist() for row in values.reshape(values.shape[0], -1)]


def _as_key(token, vocabulary_dtype):
    if vocabulary_dtype == "string" and isinstance(token, str):
        return token.encode("utf-8")
    return token


def _listify(x):
    if isinstance(x, Tensor):
        x = x.numpy()
    if hasattr(x, "tolist"):
        x = x.tolist()
    return x
