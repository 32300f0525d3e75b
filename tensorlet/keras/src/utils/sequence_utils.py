"""``keras.utils.pad_sequences``: pads a list of sequences to one length (NumPy)."""

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export


@keras_export("keras.utils.pad_sequences", "keras.preprocessing.sequence.pad_sequences")
def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Pads sequences to the same length.

    Sequences longer than ``maxlen`` (default: the longest) are truncated at the start
    (``truncating="pre"``) or the end (``"post"``); shorter ones are padded with ``value`` at the
    start (``padding="pre"``) or the end (``"post"``). Elements may themselves be arrays: the
    shape of the first non-empty sequence's elements is kept.

    Args:
        sequences: list of sequences (each a list of ints, floats or arrays).
        maxlen: maximum length of all sequences (optional int).
        dtype: dtype of the output (``object`` for variable-length strings). Defaults to int32.
        padding: ``"pre"`` or ``"post"``.
        truncating: ``"pre"`` or ``"post"``.
        value: the padding value. Defaults to 0.

    Returns:
        NumPy array of shape ``(len(sequences), maxlen) + element shape``.

    Example:
        >>> keras.utils.pad_sequences([[1, 2, 3], [4, 5]])
        array([[1, 2, 3],
               [0, 4, 5]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    num_samples = len(sequences)
    lengths = []
    sample_shape = ()
    flag = True
    for x in sequences:
        try:
            lengths.append(len(x))
            if flag and len(x):
                sample_shape = xp.asarray(x).shape[1:]
                flag = False
        except TypeError as e:
            raise ValueError(
                "`sequences` must be a list of iterables. Found non-iterable: " + str(x)
            ) from e
    if maxlen is None:
        maxlen = xp.max(lengths)
    is_dtype_str = xp.issubdtype(dtype, xp.str_) or xp.issubdtype(dtype, xp.str_)
    if isinstance(value, str) and dtype is not object and not is_dtype_str:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    x = xp.full((num_samples, maxlen) + sample_shape, value, dtype=dtype)
    for idx, s in enumerate(sequences):
        if not len(s):
            continue
        if truncating == "pre":
            trunc = s[-maxlen:]
        elif truncating == "post":
            trunc = s[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        trunc = xp.asarray(trunc, dtype=dtype)
        if trunc.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {trunc.shape[1:]} of sequence at position {idx} "
                f"is different from expected shape {sample_shape}"
            )
        if padding == "post":
            x[idx, : len(trunc)] = trunc
        elif padding == "pre":
            x[idx, -len(trunc) :] = trunc
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return x
