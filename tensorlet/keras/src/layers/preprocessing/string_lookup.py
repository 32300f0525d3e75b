"""``keras.layers.StringLookup``: strings to vocabulary indices (or back with ``invert``)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.preprocessing.index_lookup import IndexLookup


@keras_export("keras.layers.StringLookup")
class StringLookup(IndexLookup):
    """Maps strings of a vocabulary (given or learned with ``adapt``) to integer indices.

    Index 0 is the mask token's when ``mask_token`` is set (``output_mode='int'``), then come
    ``num_oov_indices`` out-of-vocabulary indices (default 1), then the vocabulary.

    Args:
        max_tokens: maximum vocabulary size, special tokens included (None: unlimited).
        num_oov_indices: number of OOV indices (several: OOV strings are hashed among them).
        mask_token: the token meaning "masked" (default None).
        oov_token: the token of OOV indices for ``invert=True`` (default ``'[UNK]'``).
        vocabulary: a list, array or tensor of strings, or a file path.
        idf_weights: inverse document frequencies (``output_mode='tf_idf'`` only).
        invert: map indices back to strings.
        output_mode: ``'int'`` (default), ``'one_hot'``, ``'multi_hot'``, ``'count'``,
            ``'tf_idf'``.
        pad_to_max_tokens: encodings have ``max_tokens`` columns.
        sparse: not supported (dense outputs only).
        encoding: the text encoding (``'utf-8'``).

    Example:
        >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"])
        >>> layer(tf.constant([["a", "c"], ["d", "b"]])).numpy()
        array([[1, 3],
               [0, 2]])
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            vocabulary_dtype="string",
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]  # strings are the only choice
        return {**config, "encoding": self.encoding}
