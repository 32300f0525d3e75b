"""``keras.layers.IntegerLookup``: integers to vocabulary indices (or back with ``invert``)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.preprocessing.index_lookup import IndexLookup


@keras_export("keras.layers.IntegerLookup")
class IntegerLookup(IndexLookup):
    """Maps integers of a vocabulary (given or learned with ``adapt``) to indices.

    Index 0 is the mask token's when ``mask_token`` is set (``output_mode='int'``), then come
    ``num_oov_indices`` OOV indices (default 1), then the vocabulary. With
    ``num_oov_indices=0`` an OOV input raises ``InvalidArgumentError``.

    Args:
        max_tokens, num_oov_indices, mask_token, vocabulary, idf_weights, invert,
            output_mode, sparse, pad_to_max_tokens: as in ``StringLookup``.
        oov_token: the value of OOV indices for ``invert=True`` (default -1).
        vocabulary_dtype: only ``'int64'``.

    Example:
        >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(tf.constant([[12, 1138, 42], [42, 1000, 36]])).numpy()
        array([[1, 3, 4],
               [4, 0, 2]])
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        name=None,
        **kwargs,
    ):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                "If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            name=name,
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
