"""``tf.summary.scalar/histogram/image/text/audio``: TensorBoard's ``summary_v2`` functions.

Each one writes a *tensor* summary through ``tf.summary.write`` with
``metadata.plugin_data.plugin_name`` set to its TensorBoard plugin, as TF 2 does:

============  ==============  ======================================================
function      plugin          tensor
============  ==============  ======================================================
scalar        ``scalars``     float32, shape []
histogram     ``histograms``  float64, shape [buckets, 3]: rows (left, right, count)
image         ``images``      string, shape [2 + k]: width, height, k PNG images
text          ``text``        string, the data's shape
audio         ``audio``       string, shape [k, 2]: (WAV bytes, label "")
============  ==============  ======================================================

The tensors are built from tensorlet ops, so the functions also trace into ``tf.function``.
"""

from tensorlet.framework import dtypes
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.image_ops import codecs, color
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    comparison_ops,
    control_flow_ops,
    debugging_ops,
    math_ops,
    reduction_ops,
    segment_ops,
    string_ops_convert,
    unary_math_ops,
)
from tensorlet.summary_ops import audio_ops, event_pb
from tensorlet.summary_ops.summary_ops import summary_scope, write

D = dtypes
DEFAULT_BUCKET_COUNT = 30
_AUDIO_WAV_CONTENT = b"\x10\x0b"  # AudioPluginData{version: 0, encoding: WAV (11)}


def _metadata(plugin_name, description=None, content=b""):
    """TensorBoard's ``create_summary_metadata`` (version-0 plugin data serializes empty)."""
    md = event_pb.SummaryMetadata(summary_description=description)
    md.plugin_data.plugin_name = plugin_name
    if content:
        md.plugin_data.content = content
    return md


@tf_export("summary.scalar")
def scalar(name, data, step=None, description=None):
    """Writes a scalar summary (a float32 tensor, TensorBoard's ``scalars`` plugin).

    Args:
        name: a name for this summary; the tag is this name prefixed by any active name scopes.
        data: a real numeric scalar value, convertible to a ``float32`` Tensor.
        step: explicit ``int64``-castable step; defaults to
            ``tf.summary.experimental.get_step()``, which must not be None.
        description: optional long-form description (Markdown).

    Returns:
        True on success, or False if no summary was written because no default writer exists.

    Example:
        >>> with tf.summary.create_file_writer(logdir).as_default():   # doctest: +SKIP
        ...     tf.summary.scalar("loss", 0.25, step=3)
    """
    metadata = _metadata("scalars", description)
    with summary_scope(name, "scalar_summary", values=[data, step]) as (tag, _):
        debugging_ops.assert_scalar_v2(data)
        return write(tag=tag, tensor=cast_ops.cast(data, D.float32), step=step, metadata=metadata)


def _buckets(data, bucket_count=None):
    """TensorBoard's ``_buckets``: a float64 ``[bucket_count, 3]`` tensor of rows (left edge,
    right edge, count) over the flattened ``data``.

    ``bucket_count`` equal-width buckets span [min, max] (edges from ``tf.linspace``, the last
    edge exactly max; a value on an inner edge goes to the bucket on its right, max to the
    last). All values equal: every edge is that value and the last bucket holds the count.
    No data: all zeros. (TF counts with ``one_hot`` + ``reduce_sum``; a segment sum gives the
    same counts without the [n, bucket_count] intermediate.)
    """
    if bucket_count is None:
        bucket_count = DEFAULT_BUCKET_COUNT
    debugging_ops.assert_scalar_v2(bucket_count)
    debugging_ops.assert_type_v2(bucket_count, D.int32)
    bucket_count = math_ops.maximum(0, bucket_count)
    data = cast_ops.cast(array_ops.reshape(data, [-1]), D.float64)
    data_size = array_ops.size(data)
    is_empty = comparison_ops.logical_or(
        comparison_ops.equal(data_size, 0), comparison_ops.less_equal(bucket_count, 0)
    )

    def when_empty():
        return array_creation_ops.zeros(array_ops.stack([bucket_count, 3]), dtype=D.float64)

    def when_nonempty():
        min_ = reduction_ops.reduce_min(data)
        max_ = reduction_ops.reduce_max(data)
        range_ = max_ - min_

        def when_multiple_values():
            bucket_width = range_ / cast_ops.cast(bucket_count, D.float64)
            indices = cast_ops.cast(unary_math_ops.floor((data - min_) / bucket_width), D.int32)
            clamped = math_ops.minimum(indices, bucket_count - 1)
            # negative ids (NaN data) are dropped, as one_hot drops out-of-range indices
            counts = segment_ops.unsorted_segment_sum(
                array_creation_ops.ones_like(data), clamped, bucket_count
            )
            edges = array_creation_ops.linspace(min_, max_, bucket_count + 1)
            edges = array_ops.concat([edges[:-1], array_ops.reshape(max_, [1])], 0)
            return array_ops.transpose(array_ops.stack([edges[:-1], edges[1:], counts]))

        def when_single_value():
            edges = array_creation_ops.fill(array_ops.reshape(bucket_count, [1]), max_)
            zeroes = array_creation_ops.fill(array_ops.reshape(bucket_count, [1]), 0)
            counts = array_ops.concat([zeroes[:-1], array_ops.reshape(data_size, [1])], 0)
            counts = cast_ops.cast(counts[:bucket_count], D.float64)
            return array_ops.transpose(array_ops.stack([edges, edges, counts]))

        return control_flow_ops.cond(
            comparison_ops.equal(range_, 0), when_single_value, when_multiple_values
        )

    return control_flow_ops.cond(is_empty, when_empty, when_nonempty)


@tf_export("summary.histogram")
def histogram(name, data, step=None, buckets=None, description=None):
    """Writes a histogram summary (TensorBoard's ``histograms`` plugin).

    The histogram is a float64 ``[buckets, 3]`` tensor of rows ``[left_edge, right_edge,
    count]`` over all the elements of ``data``, ``buckets`` (default 30) equal-width buckets
    from its min to its max. If all values are equal, every edge is that value and the last
    bucket holds the count; with no data, all zeros.

    Args:
        name: a name for this summary; the tag is this name prefixed by any active name scopes.
        data: a ``Tensor`` of any shape, castable to ``float64``.
        step: explicit ``int64``-castable step (default ``tf.summary.experimental.get_step()``).
        buckets: optional non-negative ``int``, the number of buckets.
        description: optional long-form description (Markdown).

    Returns:
        True on success, or False if no summary was written because no default writer exists.
    """
    data = array_ops.stop_gradient(convert_to_tensor(data))
    metadata = _metadata("histograms", description)
    with summary_scope(name, "histogram_summary", values=[data, buckets, step]) as (tag, _):
        return write(tag=tag, tensor=lambda: _buckets(data, buckets), step=step, metadata=metadata)


def _map_to_strings(fn, items):
    """``tf.map_fn(fn, items, dtype=tf.string)``: a 1-D string tensor (empty when no items)."""
    n = items.shape[0]
    if state.graph is None or n is not None:
        if n == 0:
            return convert_to_tensor([], D.string)
        return array_ops.stack([fn(items[i]) for i in range(n)])
    from tensorlet.ops.tensor_array_ops import TensorArray

    count = array_ops.shape(items)[0]
    ta = TensorArray(D.string, size=count, element_shape=[])

    def body(i, ta):
        return i + 1, ta.write(i, fn(items[i]))

    _, ta = control_flow_ops.while_loop(lambda i, ta: i < count, body, (0, ta))
    return array_ops.reshape(ta.stack(), [-1])


@tf_export("summary.image")
def image(name, data, step=None, max_outputs=3, description=None):
    """Writes an image summary (TensorBoard's ``images`` plugin).

    The tensor is a 1-D string tensor: the width and height as decimal strings, then the first
    ``max_outputs`` images PNG-encoded.

    Args:
        name: a name for this summary; the tag is this name prefixed by any active name scopes.
        data: a ``[k, h, w, c]`` Tensor of images: ``c`` is 1 (grayscale), 2 (grayscale +
            alpha), 3 (RGB) or 4 (RGBA); floats in [0, 1] or any type
            ``tf.image.convert_image_dtype`` saturates to uint8.
        step: explicit ``int64``-castable step (default ``tf.summary.experimental.get_step()``).
        max_outputs: at most this many images are written (the first ones).
        description: optional long-form description (Markdown).

    Returns:
        True on success, or False if no summary was written because no default writer exists.
    """
    metadata = _metadata("images", description)
    with summary_scope(name, "image_summary", values=[data, max_outputs, step]) as (tag, _):

        def lazy_tensor():
            debugging_ops.assert_rank_v2(data, 4)
            debugging_ops.assert_non_negative_v2(max_outputs)
            images = color.convert_image_dtype(data, D.uint8, saturate=True)
            limited = images[:max_outputs]
            encoded = _map_to_strings(codecs.encode_png, limited)
            shape = array_ops.shape(images)
            dimensions = array_ops.stack(
                [string_ops_convert.as_string(shape[2]), string_ops_convert.as_string(shape[1])]
            )
            return array_ops.concat([dimensions, encoded], axis=0)

        return write(tag=tag, tensor=lazy_tensor, step=step, metadata=metadata)


@tf_export("summary.text")
def text(name, data, step=None, description=None):
    """Writes a text summary (a string tensor of any shape, TensorBoard's ``text`` plugin;
    the strings are rendered as Markdown)."""
    metadata = _metadata("text", description)
    with summary_scope(name, "text_summary", values=[data, step]) as (tag, _):
        debugging_ops.assert_type_v2(data, D.string)
        return write(tag=tag, tensor=data, step=step, metadata=metadata)


@tf_export("summary.audio")
def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    """Writes an audio summary (TensorBoard's ``audio`` plugin): the first ``max_outputs``
    clips of ``data`` (float ``[k, t, c]`` in [-1, 1]) as 16-bit WAV files, in a ``[k, 2]``
    string tensor of (WAV bytes, empty label) rows.

    Args:
        name: a name for this summary; the tag is this name prefixed by any active name scopes.
        data: a ``[k, t, c]`` float Tensor: k clips of t frames of c channels.
        sample_rate: an ``int`` or rank-0 ``int32`` Tensor: the sample rate in Hz.
        step: explicit ``int64``-castable step (default ``tf.summary.experimental.get_step()``).
        max_outputs: at most this many clips are written (the first ones).
        encoding: ``"wav"`` (the default) is the only encoding.
        description: optional long-form description (Markdown).
    """
    if encoding is None:
        encoding = "wav"
    if encoding != "wav":
        raise ValueError(f"Unknown encoding: {encoding!r}")
    metadata = _metadata("audio", description, content=_AUDIO_WAV_CONTENT)
    inputs = [data, sample_rate, max_outputs, step]
    with summary_scope(name, "audio_summary", values=inputs) as (tag, _):

        def lazy_tensor():
            debugging_ops.assert_rank_v2(data, 3)
            debugging_ops.assert_non_negative_v2(max_outputs)
            limited = convert_to_tensor(data)[:max_outputs]
            encoded = _map_to_strings(lambda clip: audio_ops.encode_wav(clip, sample_rate), limited)
            labels = array_ops.tile(convert_to_tensor([""]), array_ops.shape(limited)[:1])
            return array_ops.transpose(array_ops.stack([encoded, labels]))

        return write(tag=tag, tensor=lazy_tensor, step=step, metadata=metadata)
