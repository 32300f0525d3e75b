"""``tf.signal.stft`` / ``inverse_stft`` / ``inverse_stft_window_fn`` and ``mdct`` /
``inverse_mdct``: framing, windowing and (real) FFTs or type-IV DCTs, as TF composes them."""

from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_ops, math_ops, reduction_ops, signal_ops, unary_math_ops
from tensorlet.signal_ops import dct_ops, shape_ops, window_ops
from tensorlet.signal_ops._util import enclosing_power_of_two, scalar_int


@tf_export("signal.stft")
def stft(
    signals,
    frame_length,
    frame_step,
    fft_length=None,
    window_fn=window_ops.hann_window,
    pad_end=False,
    name=None,
):
    """Short-time Fourier transform of real ``signals`` ``[..., samples]``: frames of
    ``frame_length`` every ``frame_step`` samples, windowed by ``window_fn(frame_length,
    dtype=...)`` (None: no window), then an ``fft_length``-point RFFT (default: the smallest
    power of 2 >= ``frame_length``). Returns ``[..., frames, fft_length // 2 + 1]`` complex bins.
    """
    signals = convert_to_tensor(signals)
    if signals.shape.rank is not None and signals.shape.rank < 1:
        raise ValueError(f"Shape {signals.shape} must have rank at least 1")
    frame_length = scalar_int(frame_length, "frame_length")
    frame_step = scalar_int(frame_step, "frame_step")
    fft_length = (
        enclosing_power_of_two(frame_length)
        if fft_length is None
        else scalar_int(fft_length, "fft_length")
    )
    framed = shape_ops.frame(signals, frame_length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        framed = math_ops.multiply(framed, window_fn(frame_length, dtype=framed.dtype))
    return signal_ops.rfft(framed, [fft_length])


@tf_export("signal.inverse_stft_window_fn")
def inverse_stft_window_fn(frame_step, forward_window_fn=window_ops.hann_window, name=None):
    """A window function for ``inverse_stft`` that undoes ``forward_window_fn``'s overlapped
    gain (Griffin & Lim, eq. 7): the forward window divided by the sum of its squared shifts
    by ``frame_step``."""
    frame_step = scalar_int(frame_step, "frame_step")

    def inverse_stft_window_fn_inner(frame_length, dtype):
        frame_length = scalar_int(frame_length, "frame_length")
        forward = forward_window_fn(frame_length, dtype=dtype)
        denom = unary_math_ops.square(forward)
        overlaps = -(-frame_length // frame_step)
        denom = array_ops.pad(denom, [(0, overlaps * frame_step - frame_length)])
        denom = array_ops.reshape(denom, [overlaps, frame_step])
        denom = reduction_ops.reduce_sum(denom, 0, keepdims=True)
        denom = array_ops.reshape(array_ops.tile(denom, [overlaps, 1]), [overlaps * frame_step])
        return math_ops.truediv(forward, denom[:frame_length])

    return inverse_stft_window_fn_inner


@tf_export("signal.inverse_stft")
def inverse_stft(
    stfts, frame_length, frame_step, fft_length=None, window_fn=window_ops.hann_window, name=None
):
    """Inverse short-time Fourier transform of ``stfts`` ``[..., frames, fft_length // 2 + 1]``:
    IRFFT each frame, cut or pad it to ``frame_length``, window it and overlap-add. Use
    ``window_fn=tf.signal.inverse_stft_window_fn(frame_step)`` to invert ``stft``."""
    stfts = convert_to_tensor(stfts)
    if stfts.shape.rank is not None and stfts.shape.rank < 2:
        raise ValueError(f"Shape {stfts.shape} must have rank at least 2")
    frame_length = scalar_int(frame_length, "frame_length")
    frame_step = scalar_int(frame_step, "frame_step")
    fft_length = (
        enclosing_power_of_two(frame_length)
        if fft_length is None
        else scalar_int(fft_length, "fft_length")
    )
    frames = signal_ops.irfft(stfts, [fft_length])
    width = frames.shape[-1]
    if width > frame_length:
        frames = frames[..., :frame_length]
    elif width < frame_length:
        frames = array_ops.pad(
            frames, [[0, 0]] * (frames.shape.rank - 1) + [[0, frame_length - width]]
        )
    if window_fn is not None:
        frames = math_ops.multiply(frames, window_fn(frame_length, dtype=stfts.dtype.real_dtype))
    return shape_ops.overlap_and_add(frames, frame_step)


@tf_export("signal.mdct")
def mdct(
    signals, frame_length, window_fn=window_ops.vorbis_window, pad_end=False, norm=None, name=None
):
    """Modified discrete cosine transform of ``signals``: frames of ``frame_length`` (a
    multiple of 4) every ``frame_length // 2`` samples, windowed (None: a flat ``1/sqrt(2)``),
    folded and transformed by a type-IV DCT: ``[..., frames, frame_length // 2]``."""
    signals = convert_to_tensor(signals)
    if signals.shape.rank is not None and signals.shape.rank < 1:
        raise ValueError(f"Shape {signals.shape} must have rank at least 1")
    frame_length = scalar_int(frame_length, "frame_length")
    if frame_length % 4:
        raise ValueError("The frame length must be a multiple of 4.")
    framed = shape_ops.frame(signals, frame_length, frame_length // 2, pad_end=pad_end)
    if window_fn is not None:
        framed = math_ops.multiply(framed, window_fn(frame_length, dtype=framed.dtype))
    else:
        framed = math_ops.multiply(framed, 1.0 / 2**0.5)
    a, b, c, d = array_ops.split(framed, 4, axis=-1)
    first = math_ops.subtract(unary_math_ops.negative(array_ops.reverse(c, [-1])), d)
    second = math_ops.subtract(a, array_ops.reverse(b, [-1]))
    return dct_ops.dct(array_ops.concat([first, second], axis=-1), type=4, norm=norm)


@tf_export("signal.inverse_mdct")
def inverse_mdct(mdcts, window_fn=window_ops.vorbis_window, norm=None, name=None):
    """Inverse modified DCT of ``mdcts`` ``[..., frames, frame_length // 2]``: type-IV DCT,
    unfolding, windowing and overlap-add (use the ``mdct`` window to reconstruct)."""
    mdcts = convert_to_tensor(mdcts)
    if mdcts.shape.rank is not None and mdcts.shape.rank < 2:
        raise ValueError(f"Shape {mdcts.shape} must have rank at least 2")
    half = mdcts.shape[-1]
    if norm is None:
        half_f = convert_to_tensor(float(half), dtype=mdcts.dtype)
        idct4 = math_ops.multiply(math_ops.truediv(0.5, half_f), dct_ops.dct(mdcts, type=4))
    elif norm == "ortho":
        idct4 = dct_ops.dct(mdcts, type=4, norm="ortho")
    else:
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    lo, hi = array_ops.split(idct4, 2, axis=-1)
    frames = array_ops.concat(
        [
            hi,
            unary_math_ops.negative(array_ops.reverse(hi, [-1])),
            unary_math_ops.negative(array_ops.reverse(lo, [-1])),
            unary_math_ops.negative(lo),
        ],
        axis=-1,
    )
    if window_fn is not None:
        frames = math_ops.multiply(frames, window_fn(2 * half, dtype=mdcts.dtype))
    else:
        frames = math_ops.multiply(frames, 1.0 / 2**0.5)
    return shape_ops.overlap_and_add(frames, half)
