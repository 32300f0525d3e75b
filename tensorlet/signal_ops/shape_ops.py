"""``tf.signal.frame`` / ``overlap_and_add`` (windows over an axis and back) and
``fftshift`` / ``ifftshift`` (rolls by half the length).

Both are gathers / pads / sums over tensorlet ops, so they are differentiable.
"""

from tensorlet.backend import xp
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_ops, gather_ops, math_ops
from tensorlet.signal_ops._util import scalar_int


@tf_export("signal.frame")
def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Expands ``signal``'s ``axis`` dimension into frames of ``frame_length``.

    A window of ``frame_length`` samples slides over ``axis`` by ``frame_step``, replacing that
    dimension with ``[num_frames, frame_length]``: ``num_frames = 1 + (N - frame_length) //
    frame_step`` (at least 0), or ``-(-N // frame_step)`` with ``pad_end=True``, which pads the
    end with ``pad_value``.

    Example:
      >>> tf.signal.frame(tf.range(6), 3, 2).numpy()
      array([[0, 1, 2],
             [2, 3, 4]], dtype=int32)
    """
    signal = convert_to_tensor(signal)
    if signal.shape.rank is not None and signal.shape.rank < 1:
        raise ValueError(f"Shape {signal.shape} must have rank at least 1")
    frame_length = scalar_int(frame_length, "frame_length")
    frame_step = scalar_int(frame_step, "frame_step")
    rank = signal.shape.rank
    axis = range(rank)[scalar_int(axis, "axis")]
    length = signal.shape[axis]
    if pad_end:
        pad_value = convert_to_tensor(pad_value, dtype=signal.dtype)
        if pad_value.shape.rank != 0:
            raise ValueError(f"Shape {pad_value.shape} must have rank 0")
        num_frames = -(-length // frame_step)
        extra = max(0, frame_length + frame_step * (num_frames - 1) - length)
        if extra:
            paddings = [[0, 0]] * rank
            paddings[axis] = [0, extra]
            signal = array_ops.pad(signal, paddings, constant_values=pad_value)
    else:
        num_frames = max(0, 1 + (length - frame_length) // frame_step)
    starts = xp.arange(num_frames, dtype=xp.int32)[:, None] * frame_step
    indices = starts + xp.arange(frame_length, dtype=xp.int32)[None, :]
    return gather_ops.gather(signal, indices.reshape(num_frames, frame_length), axis=axis)


@tf_export("signal.overlap_and_add")
def overlap_and_add(signal, frame_step, name=None):
    """Reconstructs a signal from a framed representation ``[..., frames, frame_length]``,
    adding frames offset by ``frame_step``: the result has ``(frames - 1) * frame_step +
    frame_length`` samples.

    Example:
      >>> tf.signal.overlap_and_add(tf.ones([3, 4]), 2).numpy()
      array([1., 1., 2., 2., 2., 2., 1., 1.], dtype=float32)
    """
    signal = convert_to_tensor(signal)
    if signal.shape.rank is not None and signal.shape.rank < 2:
        raise ValueError(f"Shape {signal.shape} must have rank at least 2")
    step_t = convert_to_tensor(frame_step)
    if step_t.shape.rank != 0:
        raise ValueError(f"Shape {step_t.shape} must have rank 0")
    if not step_t.dtype.is_integer:
        raise ValueError(f"frame_step must be an integer. Got {step_t.dtype}")
    step = array_ops.py_int(step_t)
    shape = signal.shape.as_list()
    outer, frames, frame_length = shape[:-2], shape[-2], shape[-1]
    output_length = frame_length + step * (frames - 1)
    if step == frame_length:
        return array_ops.reshape(signal, outer + [output_length])
    # Cut each frame into `segments` blocks of `step` samples; block s of frame f lands in
    # output block f + s, so the output is the sum over s of the s-th blocks shifted by s.
    segments = -(-frame_length // step)
    rank = len(shape)
    pad = [[0, 0]] * (rank - 1) + [[0, segments * step - frame_length]]
    blocks = array_ops.reshape(array_ops.pad(signal, pad), outer + [frames, segments, step])
    total = None
    for s in range(segments):
        part = blocks[..., s, :]
        shifted = array_ops.pad(part, [[0, 0]] * (rank - 2) + [[s, segments - 1 - s], [0, 0]])
        total = shifted if total is None else math_ops.add(total, shifted)
    flat = array_ops.reshape(total, outer + [(frames + segments - 1) * step])
    return flat[..., : max(output_length, 0)]


# ---------------------------------------------------------------- shifts


def _shift(x, axes, sign):
    x = convert_to_tensor(x)
    shape = x.shape.as_list()
    if axes is None:
        axes = list(range(len(shape)))
    elif isinstance(axes, int):
        axes = [axes]
    else:
        axes = [
            int(a) for a in xp.asarray(axes.numpy() if hasattr(axes, "numpy") else axes).reshape(-1)
        ]
    axes = [a % len(shape) for a in axes]
    shift = [sign * (shape[a] // 2) for a in axes]
    if not axes:
        return x
    return array_ops.roll(x, shift, axes)


@tf_export("signal.fftshift")
def fftshift(x, axes=None, name=None):
    """Shifts the zero-frequency component to the center of the spectrum (``axes``: default
    all), as ``numpy.fft.fftshift``."""
    return _shift(x, axes, 1)


@tf_export("signal.ifftshift")
def ifftshift(x, axes=None, name=None):
    """The inverse of ``fftshift`` (they differ by one sample for odd lengths)."""
    return _shift(x, axes, -1)
