"""tf.signal: the FFT ops (tensorlet/ops/signal_ops.py) and the composites (tensorlet/signal_ops/).

References are NumPy's FFT and TF's documented formulas written out in NumPy; gradients are
checked numerically (first and second order) through real functions of the complex outputs.
"""

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.testing.op_test import Arg, OpCase, check_gradients

RNG = np.random.default_rng(0)


def _c(shape, dtype=np.complex64):
    """Complex values (pass them as tensors: a NumPy array takes the ops' complex64 default)."""
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def _r(shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def _close(got, want, dtype):
    tol = 1e-5 if np.dtype(dtype) in (np.complex64, np.float32) else 1e-12
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * 10)


# ---------------------------------------------------------------- complex FFTs

FFTS = [  # (public fn, NumPy reference, transformed rank)
    (tf.signal.fft, np.fft.fft, 1),
    (tf.signal.ifft, np.fft.ifft, 1),
    (tf.signal.fft2d, np.fft.fft2, 2),
    (tf.signal.ifft2d, np.fft.ifft2, 2),
    (tf.signal.fft3d, lambda x: np.fft.fftn(x, axes=(-3, -2, -1)), 3),
    (tf.signal.ifft3d, lambda x: np.fft.ifftn(x, axes=(-3, -2, -1)), 3),
]


@pytest.mark.parametrize("fn,ref,rank", FFTS, ids=[f[0].__name__ for f in FFTS])
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("shape", [(8,), (3, 5), (2, 3, 4, 6)])
def test_fft_forward(fn, ref, rank, dtype, shape):
    if len(shape) < rank:
        with pytest.raises(tf.errors.InvalidArgumentError, match="rank of at least"):
            fn(_c(shape, dtype))
        return
    x = _c(shape, dtype)
    y = fn(tf.constant(x))
    assert y.dtype == tf.as_dtype(dtype) and y.shape == shape
    _close(y.numpy(), ref(x.astype(np.complex128)), dtype)


def test_fft_conversion_and_dtype_errors():
    y = tf.signal.fft([1.0, 0.0, 0.0, 0.0])  # Python values become complex64
    assert y.dtype == tf.complex64 and y.numpy().tolist() == [1, 1, 1, 1]
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'Tcomplex' of float"):
        tf.signal.fft(tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'Tcomplex' of double"):
        tf.signal.ifft2d(tf.constant([[1.0]], tf.float64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank of at least 1"):
        tf.signal.fft(tf.constant(1 + 0j))


def test_fft_empty():
    y = tf.signal.fft(tf.zeros([0, 4], tf.complex64))
    assert y.shape == (0, 4) and y.dtype == tf.complex64
    assert tf.signal.rfft(tf.zeros([2, 0])).shape == (2, 1)


# ---------------------------------------------------------------- real FFTs


@pytest.mark.parametrize("dtype,cdtype", [(np.float32, np.complex64), (np.float64, np.complex128)])
@pytest.mark.parametrize("n", [None, 5, 8, 11])
def test_rfft_irfft_1d(dtype, cdtype, n):
    x = _r((3, 8), dtype)
    length = None if n is None else [n]
    y = tf.signal.rfft(tf.constant(x), length)
    want = np.fft.rfft(x.astype(np.float64), n=n)
    assert y.dtype == tf.as_dtype(cdtype) and y.shape == want.shape
    _close(y.numpy(), want, dtype)
    z = tf.signal.irfft(y, length)
    want_z = np.fft.irfft(want, n=n if n is not None else 2 * (want.shape[-1] - 1))
    assert z.dtype == tf.as_dtype(dtype) and z.shape == want_z.shape
    _close(z.numpy(), want_z, dtype)


@pytest.mark.parametrize("n", [None, [2, 5], [4, 8], [5, 9]])
def test_rfft2d_irfft2d(n):
    x = _r((2, 3, 6), np.float64)
    y = tf.signal.rfft2d(tf.constant(x), n)
    want = np.fft.rfft2(x, s=n)
    _close(y.numpy(), want, np.float64)
    s = n if n is not None else [want.shape[-2], 2 * (want.shape[-1] - 1)]
    _close(tf.signal.irfft2d(y, n).numpy(), np.fft.irfft2(want, s=s), np.float64)


def test_rfft3d_irfft3d_roundtrip():
    x = _r((2, 3, 4, 6))
    y = tf.signal.rfft3d(x)
    _close(y.numpy(), np.fft.rfftn(x, axes=(-3, -2, -1)), np.float32)
    _close(tf.signal.irfft3d(y).numpy(), x, np.float32)


def test_irfft_pads_short_and_crops_long_inputs():
    spec = tf.constant(_c((2, 3), np.complex128))  # 3 bins; fft_length 10 needs 6 (zero padded)
    _close(tf.signal.irfft(spec, [10]).numpy(), np.fft.irfft(spec, n=10), np.float64)
    _close(tf.signal.irfft(spec, [2]).numpy(), np.fft.irfft(spec, n=2), np.float64)


def test_numpy_inputs_take_the_float32_hint():
    # TF converts non-tensor inputs with dtype_hint=float32 (complex64 for complex FFTs), which
    # casts NumPy float64 arrays: only tensors keep double precision.
    assert tf.signal.rfft(np.zeros(4)).dtype == tf.complex64
    assert tf.signal.rfft(tf.constant(np.zeros(4))).dtype == tf.complex128


def test_real_fft_errors():
    with pytest.raises(ValueError, match="RFFT requires tf.float32 or tf.float64"):
        tf.signal.rfft(tf.constant([1 + 0j]))
    with pytest.raises(ValueError, match="IRFFT requires tf.complex64 or tf.complex128"):
        tf.signal.irfft(tf.constant([1.0], tf.float64))
    with pytest.raises(ValueError, match="must be non-negative"):
        tf.signal.rfft([1.0, 2.0], [-1])
    with pytest.raises(ValueError, match="must have rank at least 2"):
        tf.signal.rfft2d(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="Dimension must be 1 but is 2"):
        tf.signal.irfft(tf.constant([1 + 0j, 2 + 0j]), [4, 4])
    with pytest.raises(ValueError, match=r"fft_length\[-1\] must be > 0"):
        tf.signal.irfft(tf.constant([1 + 0j, 2 + 0j]), [0])
    from tensorlet.ops import op_def, signal_ops

    with pytest.raises(tf.errors.InvalidArgumentError, match="length 1 vector"):
        op_def.apply(signal_ops.rfft_op, tf.constant([1.0]), fft_length=(1, 2))


# ---------------------------------------------------------------- N-D FFTs and shifts


@pytest.mark.parametrize("norm", [None, "backward", "ortho", "forward"])
def test_fftnd_family(norm):
    x = _c((3, 4, 5), np.complex128)
    np_norm = norm or "backward"
    xt = tf.constant(x)
    _close(
        tf.signal.fftnd(xt, axes=[0, 2], norm=norm).numpy(),
        np.fft.fftn(x, axes=(0, 2), norm=np_norm),
        np.float64,
    )
    _close(
        tf.signal.ifftnd(xt, fft_length=[2, 6], axes=[-2, -1], norm=norm).numpy(),
        np.fft.ifftn(x, s=[2, 6], axes=(-2, -1), norm=np_norm),
        np.float64,
    )
    r = x.real
    y = tf.signal.rfftnd(tf.constant(r), norm=norm)
    _close(y.numpy(), np.fft.rfftn(r, norm=np_norm), np.float64)
    _close(tf.signal.irfftnd(y, fft_length=[3, 4, 5], norm=norm).numpy(), r, np.float64)


@pytest.mark.parametrize("axes", [None, 0, 1, [0, 1], [-1]])
def test_fftshift(axes):
    x = np.arange(15.0).reshape(3, 5)
    np.testing.assert_array_equal(tf.signal.fftshift(x, axes).numpy(), np.fft.fftshift(x, axes))
    np.testing.assert_array_equal(tf.signal.ifftshift(x, axes).numpy(), np.fft.ifftshift(x, axes))


# ---------------------------------------------------------------- gradients


def _re(f):
    """A real function of a complex FFT: real and imaginary parts stacked."""
    return lambda a, b, **kw: tf.stack(
        [tf.math.real(f(tf.complex(a, b), **kw)), tf.math.imag(f(tf.complex(a, b), **kw))]
    )


def _parts(f):
    return lambda x, **kw: tf.stack([tf.math.real(f(x, **kw)), tf.math.imag(f(x, **kw))])


def _irfft_of(f):
    return lambda a, b, **kw: f(tf.complex(a, b), **kw)


GRAD_CASES = [
    OpCase("signal.fft", _re(tf.signal.fft), (Arg((2, 5)), Arg((2, 5))), ops=("FFT",)),
    OpCase("signal.ifft", _re(tf.signal.ifft), (Arg((2, 5)), Arg((2, 5))), ops=("IFFT",)),
    OpCase("signal.fft2d", _re(tf.signal.fft2d), (Arg((2, 3, 4)), Arg((2, 3, 4))), ops=("FFT2D",)),
    OpCase("signal.ifft2d", _re(tf.signal.ifft2d), (Arg((3, 4)), Arg((3, 4))), ops=("IFFT2D",)),
    OpCase("signal.fft3d", _re(tf.signal.fft3d), (Arg((2, 2, 3)), Arg((2, 2, 3))), ops=("FFT3D",)),
    OpCase(
        "signal.ifft3d", _re(tf.signal.ifft3d), (Arg((2, 2, 3)), Arg((2, 2, 3))), ops=("IFFT3D",)
    ),
    OpCase("signal.rfft", _parts(tf.signal.rfft), (Arg((2, 6)),), ops=("RFFT",)),
    OpCase("signal.rfft/odd", _parts(tf.signal.rfft), (Arg((2, 5)),), ops=("RFFT",)),
    OpCase(
        "signal.rfft/crop",
        _parts(tf.signal.rfft),
        (Arg((2, 6)),),
        {"fft_length": [4]},
        ops=("RFFT",),
    ),
    OpCase(
        "signal.rfft/pad",
        _parts(tf.signal.rfft),
        (Arg((2, 5)),),
        {"fft_length": [8]},
        ops=("RFFT", "Pad"),
    ),
    OpCase("signal.irfft", _irfft_of(tf.signal.irfft), (Arg((2, 4)), Arg((2, 4))), ops=("IRFFT",)),
    OpCase(
        "signal.irfft/odd",
        _irfft_of(tf.signal.irfft),
        (Arg((2, 4)), Arg((2, 4))),
        {"fft_length": [7]},
        ops=("IRFFT",),
    ),
    OpCase(
        "signal.irfft/pad",
        _irfft_of(tf.signal.irfft),
        (Arg((2, 4)), Arg((2, 4))),
        {"fft_length": [10]},
        ops=("IRFFT", "Pad"),
    ),
    OpCase(
        "signal.irfft/crop",
        _irfft_of(tf.signal.irfft),
        (Arg((2, 5)), Arg((2, 5))),
        {"fft_length": [4]},
        ops=("IRFFT",),
    ),
    OpCase("signal.rfft2d", _parts(tf.signal.rfft2d), (Arg((2, 3, 4)),), ops=("RFFT2D",)),
    OpCase(
        "signal.rfft2d/odd_crop",
        _parts(tf.signal.rfft2d),
        (Arg((3, 5)),),
        {"fft_length": [2, 5]},
        ops=("RFFT2D",),
    ),
    OpCase(
        "signal.irfft2d", _irfft_of(tf.signal.irfft2d), (Arg((3, 3)), Arg((3, 3))), ops=("IRFFT2D",)
    ),
    OpCase(
        "signal.irfft2d/odd",
        _irfft_of(tf.signal.irfft2d),
        (Arg((2, 3, 3)), Arg((2, 3, 3))),
        {"fft_length": [3, 5]},
        ops=("IRFFT2D",),
    ),
    OpCase(
        "signal.stft",
        lambda x: tf.math.abs(tf.signal.stft(x, 8, 3, pad_end=True)),
        (Arg((2, 20)),),
        ops=("RFFT", "GatherV2"),
    ),
    OpCase("signal.frame", tf.signal.frame, (Arg((2, 9)), 4, 2), {"pad_end": True}),
    OpCase("signal.overlap_and_add", tf.signal.overlap_and_add, (Arg((2, 4, 5)), 2)),
    OpCase("signal.dct/2", tf.signal.dct, (Arg((2, 6)),), {"norm": "ortho"}),
    OpCase("signal.dct/3", tf.signal.dct, (Arg((2, 5)),), {"type": 3}),
    OpCase("signal.mdct", tf.signal.mdct, (Arg((2, 16)), 8)),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[c.name for c in GRAD_CASES])
def test_gradients(case):
    check_gradients(case)


@pytest.mark.parametrize(
    "name,call",
    [
        ("RFFT3D", lambda x: tf.math.real(tf.signal.rfft3d(tf.reshape(x, [1, 2, 3])))),
        ("IRFFT3D", lambda x: tf.signal.irfft3d(tf.complex(tf.reshape(x, [1, 2, 3]), 0 * x[:1]))),
        ("FFTND", lambda x: tf.math.real(tf.signal.fftnd(tf.complex(x, 0 * x)))),
        ("IFFTND", lambda x: tf.math.real(tf.signal.ifftnd(tf.complex(x, 0 * x)))),
        ("RFFTND", lambda x: tf.math.real(tf.signal.rfftnd(x))),
        ("IRFFTND", lambda x: tf.signal.irfftnd(tf.complex(x, 0 * x))),
    ],
)
def test_ops_without_tf_gradient_raise_lookup_error(name, call):
    x = tf.constant(np.arange(1.0, 7.0))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = call(x)
    with pytest.raises(LookupError, match=name):
        tape.gradient(y, x)


# ---------------------------------------------------------------- frame / overlap_and_add


def _frame_ref(x, length, step, pad_end, pad_value, axis):
    x = np.moveaxis(x, axis, -1)
    n = x.shape[-1]
    if pad_end:
        frames = -(-n // step)
        extra = max(0, length + step * (frames - 1) - n)
        x = np.concatenate([x, np.full(x.shape[:-1] + (extra,), pad_value, x.dtype)], -1)
    else:
        frames = max(0, 1 + (n - length) // step)
    out = (
        np.stack([x[..., f * step : f * step + length] for f in range(frames)], -2)
        if frames
        else np.zeros(x.shape[:-1] + (0, length), x.dtype)
    )
    axis = axis % (x.ndim)
    return np.moveaxis(out, (-2, -1), (axis, axis + 1))


@pytest.mark.parametrize(
    "length,step,pad_end,axis",
    [
        (3, 2, False, -1),
        (3, 2, True, -1),
        (4, 4, False, -1),
        (5, 3, True, 1),
        (2, 1, False, 0),
        (9, 2, False, -1),
        (9, 2, True, -1),
    ],
)
def test_frame(length, step, pad_end, axis):
    x = np.arange(2 * 7 * 3, dtype=np.int32).reshape(2, 7, 3)
    if axis == -1:
        x = x.reshape(6, 7)
    got = tf.signal.frame(x, length, step, pad_end=pad_end, pad_value=-1, axis=axis)
    want = _frame_ref(x, length, step, pad_end, -1, axis)
    assert got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy(), want)


def test_frame_errors():
    with pytest.raises(ValueError, match="rank at least 1"):
        tf.signal.frame(tf.constant(1.0), 2, 1)
    with pytest.raises(ValueError, match="must have rank 0"):
        tf.signal.frame([1.0, 2.0], [2], 1)


@pytest.mark.parametrize(
    "frames,length,step", [(3, 4, 2), (4, 5, 2), (2, 6, 6), (3, 5, 1), (1, 4, 3)]
)
def test_overlap_and_add(frames, length, step):
    x = RNG.standard_normal((2, frames, length))
    want = np.zeros((2, (frames - 1) * step + length))
    for f in range(frames):
        want[:, f * step : f * step + length] += x[:, f]
    _close(tf.signal.overlap_and_add(x, step).numpy(), want, np.float64)


def test_overlap_and_add_errors():
    with pytest.raises(ValueError, match="rank at least 2"):
        tf.signal.overlap_and_add(tf.constant([1.0]), 1)
    with pytest.raises(ValueError, match="frame_step must be an integer"):
        tf.signal.overlap_and_add(tf.ones([2, 2]), tf.constant(1.0))


# ---------------------------------------------------------------- windows


def _raised_cosine_ref(n, periodic, a, b):
    if n == 1:
        return np.ones(1)
    denom = n if (periodic and n % 2 == 0) else n - 1
    return a - b * np.cos(2 * np.pi * np.arange(n) / denom)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 8])
@pytest.mark.parametrize("periodic", [True, False])
def test_raised_cosine_windows(n, periodic):
    for fn, a, b in ((tf.signal.hann_window, 0.5, 0.5), (tf.signal.hamming_window, 0.54, 0.46)):
        w = fn(n, periodic=periodic, dtype=tf.float64)
        assert w.dtype == tf.float64
        _close(w.numpy(), _raised_cosine_ref(n, periodic, a, b), np.float64)
        w32 = fn(n, periodic=periodic)
        assert w32.dtype == tf.float32 and w32.shape == (n,)


def test_other_windows():
    _close(
        tf.signal.kaiser_window(7, beta=5.0, dtype=tf.float64).numpy(),
        np.kaiser(7, 5.0),
        np.float64,
    )
    assert tf.signal.kaiser_window(1).numpy().tolist() == [1.0]
    n = 8
    vorbis = np.sin(np.pi / 2 * np.sin(np.pi * (np.arange(n) + 0.5) / n) ** 2)
    _close(tf.signal.vorbis_window(n, dtype=tf.float64).numpy(), vorbis, np.float64)
    k = np.kaiser(n // 2 + 1, 12.0)
    half = np.sqrt(np.cumsum(k)[:-1] / np.sum(k))
    kbd = tf.signal.kaiser_bessel_derived_window(n, dtype=tf.float64).numpy()
    _close(kbd, np.concatenate([half, half[::-1]]), np.float64)
    np.testing.assert_allclose(kbd[: n // 2] ** 2 + kbd[n // 2 :] ** 2, 1.0)  # Princen-Bradley
    with pytest.raises(ValueError, match="floating point"):
        tf.signal.hann_window(4, dtype=tf.int32)


# ---------------------------------------------------------------- stft / inverse_stft / mdct


def test_stft_matches_numpy():
    x = _r((2, 300), np.float64)
    got = tf.signal.stft(tf.constant(x), 100, 40)
    frames = np.stack([x[:, i * 40 : i * 40 + 100] for i in range(1 + 200 // 40)], 1)
    window = _raised_cosine_ref(100, True, 0.5, 0.5)
    want = np.fft.rfft(frames * window, 128)
    assert got.dtype == tf.complex128 and got.shape == want.shape
    _close(got.numpy(), want, np.float64)
    assert tf.signal.stft(_r((300,)), 100, 40, fft_length=100, pad_end=True).shape == (8, 51)
    assert tf.signal.stft(_r((300,)), 64, 32, window_fn=None).dtype == tf.complex64


def test_inverse_stft_reconstructs():
    x = _r((1000,))
    s = tf.signal.stft(x, 400, 160)
    y = tf.signal.inverse_stft(s, 400, 160, window_fn=tf.signal.inverse_stft_window_fn(160))
    assert y.shape == (880,) and y.dtype == tf.float32
    np.testing.assert_allclose(y.numpy()[400:600], x[400:600], atol=1e-5)
    # frame_length above fft_length: frames are zero padded
    assert tf.signal.inverse_stft(
        tf.signal.stft(x, 64, 32, fft_length=32), 64, 32, fft_length=32
    ).shape == (992,)


def test_mdct_roundtrip():
    x = _r((1000,))
    padded = np.pad(x, [(200, 0)])
    for window_fn, norm in (
        (tf.signal.vorbis_window, None),
        (tf.signal.kaiser_bessel_derived_window, "ortho"),
        (None, None),
    ):
        m = tf.signal.mdct(padded, 400, window_fn=window_fn, pad_end=True, norm=norm)
        assert m.shape == (6, 200)
        y = tf.signal.inverse_mdct(m, window_fn=window_fn, norm=norm)
        np.testing.assert_allclose(y.numpy()[200:1200], x, atol=1e-4)
    with pytest.raises(ValueError, match="multiple of 4"):
        tf.signal.mdct(x, 6)


# ---------------------------------------------------------------- DCT


def _dct_ref(x, t, norm):
    """scipy.fftpack's DCT definitions as explicit sums."""
    n = x.shape[-1]
    k, m = np.arange(n)[:, None], np.arange(n)[None, :]
    if t == 1:
        mat = 2 * np.cos(np.pi * k * m / (n - 1))
        mat[:, 0], mat[:, -1] = 1, (-1.0) ** np.arange(n)
        return x @ mat.T
    if t == 2:
        mat = 2 * np.cos(np.pi * k * (2 * m + 1) / (2 * n))
        if norm == "ortho":
            mat[0] *= np.sqrt(1 / (4 * n))
            mat[1:] *= np.sqrt(1 / (2 * n))
        return x @ mat.T
    if t == 3:
        mat = 2 * np.cos(np.pi * m * (2 * k + 1) / (2 * n))
        mat[:, 0] = 1
        if norm == "ortho":
            mat[:, 0] = 1 / np.sqrt(n)
            mat[:, 1:] *= 1 / np.sqrt(2 * n)
        return x @ mat.T
    mat = 2 * np.cos(np.pi * (2 * k + 1) * (2 * m + 1) / (4 * n))
    return x @ mat.T * (np.sqrt(1 / (2 * n)) if norm == "ortho" else 1)


@pytest.mark.parametrize(
    "t,norm", [(1, None), (2, None), (2, "ortho"), (3, None), (3, "ortho"), (4, None), (4, "ortho")]
)
def test_dct_types(t, norm):
    x = _r((2, 3, 7), np.float64)
    _close(tf.signal.dct(x, type=t, norm=norm).numpy(), _dct_ref(x, t, norm), np.float64)
    inverse = {1: 1, 2: 3, 3: 2, 4: 4}[t]
    _close(tf.signal.idct(x, type=t, norm=norm).numpy(), _dct_ref(x, inverse, norm), np.float64)
    assert tf.signal.dct(x.astype(np.float32), type=t, norm=norm).dtype == tf.float32


def test_dct_n_and_roundtrip():
    x = _r((4, 6), np.float64)
    _close(tf.signal.dct(x, n=4).numpy(), _dct_ref(x[:, :4], 2, None), np.float64)
    _close(
        tf.signal.dct(x, n=9).numpy(), _dct_ref(np.pad(x, [(0, 0), (0, 3)]), 2, None), np.float64
    )
    _close(tf.signal.idct(tf.signal.dct(x, norm="ortho"), norm="ortho").numpy(), x, np.float64)
    _close((tf.signal.idct(tf.signal.dct(x)) * 0.5 / 6).numpy(), x, np.float64)


@pytest.mark.parametrize(
    "kwargs,match,cls",
    [
        ({"axis": 0}, "axis must be -1", NotImplementedError),
        ({"n": 0}, "positive integer", ValueError),
        ({"type": 5}, "Types I, II, III and IV", ValueError),
        ({"type": 1, "norm": "ortho"}, "not supported for the Type-I", ValueError),
        ({"norm": "unitary"}, "Unknown normalization", ValueError),
    ],
)
def test_dct_errors(kwargs, match, cls):
    with pytest.raises(cls, match=match):
        tf.signal.dct(tf.ones([2, 3]), **kwargs)
    with pytest.raises(ValueError, match="dimension to be greater than one"):
        tf.signal.dct(tf.ones([2, 1]), type=1)


# ---------------------------------------------------------------- mel / MFCC


def _mel(f):
    return 1127.0 * np.log(1.0 + f / 700.0)


def _mel_ref(num_mel, num_bins, rate, lo, hi):
    freqs = np.linspace(0.0, rate / 2.0, num_bins)[1:]
    bins = _mel(freqs)[:, None]
    edges = np.linspace(_mel(lo), _mel(hi), num_mel + 2)
    low, center, up = edges[:-2], edges[1:-1], edges[2:]
    w = np.maximum(0, np.minimum((bins - low) / (center - low), (up - bins) / (up - center)))
    return np.pad(w, [(1, 0), (0, 0)])


@pytest.mark.parametrize("args", [(20, 129, 8000, 125.0, 3800.0), (8, 33, 16000, 0.0, 8000.0)])
def test_linear_to_mel_weight_matrix(args):
    got = tf.signal.linear_to_mel_weight_matrix(*args, dtype=tf.float64)
    assert got.shape == (args[1], args[0])
    _close(got.numpy(), _mel_ref(*args), np.float64)
    got32 = tf.signal.linear_to_mel_weight_matrix(*args)
    assert got32.dtype == tf.float32
    np.testing.assert_allclose(got32.numpy(), _mel_ref(*args), atol=1e-5)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"num_mel_bins": 0}, "num_mel_bins must be positive"),
        ({"sample_rate": 0}, "sample_rate must be positive"),
        ({"lower_edge_hertz": -1.0}, "must be non-negative"),
        ({"lower_edge_hertz": 500.0, "upper_edge_hertz": 400.0}, ">= upper_edge_hertz"),
        ({"upper_edge_hertz": 5000.0}, "Nyquist"),
        ({"dtype": tf.int32}, "floating point"),
    ],
)
def test_linear_to_mel_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        tf.signal.linear_to_mel_weight_matrix(**kwargs)


def test_mfccs_from_log_mel_spectrograms():
    x = _r((2, 5, 13))
    got = tf.signal.mfccs_from_log_mel_spectrograms(x)
    assert got.dtype == tf.float32
    want = _dct_ref(x.astype(np.float64), 2, None) / np.sqrt(2 * 13)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="num_mel_bins must be positive"):
        tf.signal.mfccs_from_log_mel_spectrograms(tf.zeros([2, 0]))


def test_docstring_examples():
    from tensorlet.ops import signal_ops
    from tensorlet.signal_ops import dct_ops, mel_ops, shape_ops, window_ops

    for module in (signal_ops, dct_ops, mel_ops, shape_ops, window_ops):
        assert doctest.testmod(module, extraglobs={"tf": tf}).failed == 0, module.__name__
