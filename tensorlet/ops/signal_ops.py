"""The FFT ops of ``tf.signal``: ``FFT``/``IFFT`` (1D, 2D, 3D and N-D) on complex tensors,
``RFFT``/``IRFFT`` (1D, 2D, 3D and N-D) between real and Hermitian half-spectra
(``fftshift`` / ``ifftshift`` are composites in ``tensorlet/signal_ops/shape_ops.py``).

Transforms act on the innermost 1, 2 or 3 dimensions. ``fft_length`` is an attr (TF takes it as
an int32 input; the public functions turn it into Python ints). As in TF's Python wrappers,
``rfft*`` / ``irfft*`` first zero-pad the input up to ``fft_length`` (``fft_length // 2 + 1``
on the innermost axis for the inverse) with ``tf.pad``, and the kernels crop longer inputs.

Gradients are TF's: an FFT's is the inverse FFT times the size, an IFFT's the FFT divided by it,
an RFFT's an IRFFT plus the terms for the bins Hermitian symmetry dropped, an IRFFT's an RFFT
weighted ``[1, 2, ..., 2, (1)]``. TF registers none for RFFT3D/IRFFT3D and the N-D ops
(``LookupError`` here too).
"""

import math as _math

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops, cast_ops, math_ops
from tensorlet.ops.op_def import apply, defop

D = dtypes
_COMPLEX = (D.complex64, D.complex128)
_REAL = (D.float32, D.float64)
_TO_COMPLEX = {D.float32: D.complex64, D.float64: D.complex128}
_TO_REAL = {D.complex64: D.float32, D.complex128: D.float64}


# ---------------------------------------------------------------- rules


def _not_allowed(op, attr, dtype, allowed):
    names = {D.float32: "float", D.float64: "double"}
    allowed_s = ", ".join(d.name for d in allowed)
    return errors.op_error(
        errors.InvalidArgumentError,
        op.name,
        f"Value for attr '{attr}' of {names.get(dtype, dtype.name)} is not in the list of allowed "
        f"values: {allowed_s}\n\t; NodeDef: {{{{node {op.name}}}}}",
    )


def _complex_rule(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in _COMPLEX:
        raise _not_allowed(op, "Tcomplex", d, _COMPLEX)
    return (d,)


def _rfft_rule(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in _REAL:
        raise _not_allowed(op, "Treal", d, _REAL)
    return (_TO_COMPLEX[d],)


def _irfft_rule(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in _COMPLEX:
        raise _not_allowed(op, "Tcomplex", d, _COMPLEX)
    return (_TO_REAL[d],)


def _check_rank(op, shape, rank):
    if shape.rank is not None and shape.rank < rank:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"Input must have rank of at least {rank} but got: [{','.join(str(d) for d in shape)}]",
        )


def _fft_shape(rank):
    def rule(op, inputs, attrs):
        _check_rank(op, inputs[0].shape, rank)
        return (inputs[0].shape,)

    return rule


def _rfft_shape(rank, inverse):
    def rule(op, inputs, attrs):
        shape, n = inputs[0].shape, attrs["fft_length"]
        _check_rank(op, shape, rank)
        if len(n) != rank:
            raise errors.op_error(
                errors.InvalidArgumentError, op.name, f"fft_length must be length {rank} vector"
            )
        if shape.rank is None:
            return (TensorShape(None),)
        inner = list(n) if inverse else list(n[:-1]) + [n[-1] // 2 + 1]
        return (TensorShape(list(shape)[: shape.rank - rank] + inner),)

    return rule


# ---------------------------------------------------------------- kernels


def _axes(rank):
    return tuple(range(-rank, 0))


def _fft_kernel(rank, inverse):
    fn = xp.fft.ifftn if inverse else xp.fft.fftn

    def kernel(input):
        if input.size == 0:
            return xp.zeros(input.shape, input.dtype)
        return fn(input, axes=_axes(rank))

    return kernel


def _rfft_kernel(rank):
    def kernel(input, fft_length):
        n = list(fft_length)
        out_shape = input.shape[: input.ndim - rank] + tuple(n[:-1]) + (n[-1] // 2 + 1,)
        if input.size == 0 or 0 in n:
            return xp.zeros(out_shape, xp.result_type(input.dtype, xp.complex64))
        return xp.fft.rfftn(input, s=n, axes=_axes(rank))

    return kernel


def _irfft_kernel(rank):
    def kernel(input, fft_length):
        n = list(fft_length)
        out_shape = input.shape[: input.ndim - rank] + tuple(n)
        real = xp.float32 if input.dtype == xp.complex64 else xp.float64
        if input.size == 0 or 0 in n:
            return xp.zeros(out_shape, real)
        return xp.fft.irfftn(input, s=n, axes=_axes(rank))

    return kernel


# ---------------------------------------------------------------- gradients


def _size(t, rank):
    """The number of elements in the innermost ``rank`` dims, as a Python int."""
    n = 1
    for d in t.shape.as_list()[-rank:]:
        n *= d
    return n


def _fft_grad_rule(rank, inverse):
    def grad(op, dy):
        n = _size(dy, rank)
        if inverse:  # IFFT: FFT / size
            return [math_ops.multiply(_FFT[rank](dy), _scalar(1.0 / n, dy.dtype))]
        return [math_ops.multiply(_IFFT[rank](dy), _scalar(float(n), dy.dtype))]

    return grad


def _scalar(v, dtype):
    return convert_to_tensor(v, dtype=dtype)


def _pad_to(t, shape, rank):
    """Zero-pads the innermost ``rank`` dims of ``t`` up to ``shape`` (for cropped inputs)."""
    have, want = t.shape.as_list(), list(shape)
    extra = [w - h for h, w in zip(have[-rank:], want[-rank:])]
    if not any(extra):
        return t
    paddings = [[0, 0]] * (len(have) - rank) + [[0, e] for e in extra]
    return array_ops.pad(t, paddings)


def _alternating(n, dtype):
    """[1, -1, 1, -1, ...] of length n."""
    return convert_to_tensor(xp.where(xp.arange(n) % 2 == 0, 1.0, -1.0), dtype=dtype)


def _rfft_grad_rule(rank):
    def grad(op, dy):
        x = op.inputs[0]
        n = list(op.get_attr("fft_length"))
        real = x.dtype
        size = 1
        for d in n:
            size *= d
        base = math_ops.multiply(_IRFFT[rank](dy, n), _scalar(0.5 * size, real))
        even = n[-1] % 2 == 0
        first = dy[..., 0]
        last = dy[..., -1]
        if rank == 2:  # the dropped bins pair up along the first transformed axis
            first = math_ops.multiply(ifft(first), _scalar(float(n[0]), dy.dtype))
            last = math_ops.multiply(ifft(last), _scalar(float(n[0]), dy.dtype))
        extra = cast_ops.real(first)[..., None]
        if even:
            extra = math_ops.add(
                extra, math_ops.multiply(cast_ops.real(last)[..., None], _alternating(n[-1], real))
            )
        g = math_ops.add(base, math_ops.multiply(extra, _scalar(0.5, real)))
        return [_pad_to(g, x.shape.as_list(), rank)]

    return grad


def _irfft_grad_rule(rank):
    def grad(op, dy):
        x = op.inputs[0]
        n = list(op.get_attr("fft_length"))
        size = 1
        for d in n:
            size *= d
        k = n[-1] // 2 + 1
        weights = xp.full(k, 2.0 / size)
        weights[0] = 1.0 / size
        if n[-1] % 2 == 0:
            weights[-1] = 1.0 / size
        g = math_ops.multiply(_RFFT[rank](dy, n), convert_to_tensor(weights, dtype=x.dtype))
        return [_pad_to(g, x.shape.as_list(), rank)]

    return grad


def _no_grad(name):
    def grad(op, *dys):
        raise LookupError(f"No gradient defined for operation '{name}' (op type: {name}).")

    return grad


# ---------------------------------------------------------------- the ops

def _complex_fft_op(name, rank, inverse):
    """FFT / IFFT over the inner-most ``rank`` dimensions of a complex tensor."""
    return defop(name, _fft_kernel(rank, inverse), dtype_rule=_complex_rule,
                 shape_rule=_fft_shape(rank), grad=_fft_grad_rule(rank, inverse))


fft_op = _complex_fft_op("FFT", 1, False)
ifft_op = _complex_fft_op("IFFT", 1, True)
fft2d_op = _complex_fft_op("FFT2D", 2, False)
ifft2d_op = _complex_fft_op("IFFT2D", 2, True)
fft3d_op = _complex_fft_op("FFT3D", 3, False)
ifft3d_op = _complex_fft_op("IFFT3D", 3, True)
rfft_op = defop(
    "RFFT",
    _rfft_kernel(1),
    dtype_rule=_rfft_rule,
    shape_rule=_rfft_shape(1, False),
    grad=_rfft_grad_rule(1),
)
irfft_op = defop(
    "IRFFT",
    _irfft_kernel(1),
    dtype_rule=_irfft_rule,
    shape_rule=_rfft_shape(1, True),
    grad=_irfft_grad_rule(1),
)
rfft2d_op = defop(
    "RFFT2D",
    _rfft_kernel(2),
    dtype_rule=_rfft_rule,
    shape_rule=_rfft_shape(2, False),
    grad=_rfft_grad_rule(2),
)
irfft2d_op = defop(
    "IRFFT2D",
    _irfft_kernel(2),
    dtype_rule=_irfft_rule,
    shape_rule=_rfft_shape(2, True),
    grad=_irfft_grad_rule(2),
)
rfft3d_op = defop(
    "RFFT3D",
    _rfft_kernel(3),
    dtype_rule=_rfft_rule,
    shape_rule=_rfft_shape(3, False),
    grad=_no_grad("RFFT3D"),
)
irfft3d_op = defop(
    "IRFFT3D",
    _irfft_kernel(3),
    dtype_rule=_irfft_rule,
    shape_rule=_rfft_shape(3, True),
    grad=_no_grad("IRFFT3D"),
)


def _as_complex(x):
    return convert_to_tensor(x, dtype_hint=D.complex64)


@tf_export("signal.fft", "compat.v1.fft", "compat.v1.signal.fft", "compat.v1.spectral.fft")
def fft(input, name=None):
    """Fast Fourier transform over the innermost dimension of a complex tensor.

    Example:
      >>> tf.signal.fft(tf.constant([1, 0, 0, 0], tf.complex64)).numpy()
      array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j], dtype=complex64)
    """
    return apply(fft_op, _as_complex(input), name=name)


@tf_export("signal.ifft", "compat.v1.ifft", "compat.v1.signal.ifft", "compat.v1.spectral.ifft")
def ifft(input, name=None):
    """Inverse fast Fourier transform over the innermost dimension (divides by its length)."""
    return apply(ifft_op, _as_complex(input), name=name)


@tf_export("signal.fft2d", "compat.v1.fft2d", "compat.v1.signal.fft2d", "compat.v1.spectral.fft2d")
def fft2d(input, name=None):
    """2D fast Fourier transform over the inner-most 2 dimensions."""
    return apply(fft2d_op, _as_complex(input), name=name)


@tf_export(
    "signal.ifft2d", "compat.v1.ifft2d", "compat.v1.signal.ifft2d", "compat.v1.spectral.ifft2d"
)
def ifft2d(input, name=None):
    """Inverse 2D fast Fourier transform over the inner-most 2 dimensions."""
    return apply(ifft2d_op, _as_complex(input), name=name)


@tf_export("signal.fft3d", "compat.v1.fft3d", "compat.v1.signal.fft3d", "compat.v1.spectral.fft3d")
def fft3d(input, name=None):
    """3D fast Fourier transform over the inner-most 3 dimensions."""
    return apply(fft3d_op, _as_complex(input), name=name)


@tf_export(
    "signal.ifft3d", "compat.v1.ifft3d", "compat.v1.signal.ifft3d", "compat.v1.spectral.ifft3d"
)
def ifft3d(input, name=None):
    """Inverse 3D fast Fourier transform over the inner-most 3 dimensions."""
    return apply(ifft3d_op, _as_complex(input), name=name)


_FFT = {1: fft, 2: fft2d, 3: fft3d}
_IFFT = {1: ifft, 2: ifft2d, 3: ifft3d}


# ---------------------------------------------------------------- real FFTs


def _static_ints(v, what="fft_length"):
    if hasattr(v, "numpy"):
        v = v.numpy()
    arr = xp.asarray(v)
    if arr.dtype.kind not in "iu":
        arr = arr.astype(xp.int64)
    return arr


def _with_rank_at_least(t, rank):
    if t.shape.rank is not None and t.shape.rank < rank:
        raise ValueError(f"Shape {t.shape} must have rank at least {rank}")


def _pad_inner(t, target, rank):
    """TF's _maybe_pad_for_rfft: zero-pads the innermost dims up to ``target`` (never crops)."""
    shape = t.shape.as_list()
    if 0 in shape or rank == 0:
        return t
    extra = [max(w - h, 0) for h, w in zip(shape[-rank:], target)]
    if not any(extra):
        return t
    return array_ops.pad(t, [[0, 0]] * (len(shape) - rank) + [[0, e] for e in extra])


def _rfft_wrapper(rank, op, doc):
    def _rfft(input_tensor, fft_length=None, name=None):
        x = convert_to_tensor(input_tensor, dtype_hint=D.float32)
        if x.dtype not in _REAL:
            raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x!s}")
        _with_rank_at_least(x, rank)
        if fft_length is None:
            n = x.shape.as_list()[-rank:]
        else:
            arr = _static_ints(fft_length)
            for v in arr.reshape(-1):
                if int(v) < 0:
                    raise ValueError(f"`fft_length` must be non-negative, got {int(v)}.")
            n = [int(v) for v in arr.reshape(-1)]
        x = _pad_inner(x, n, rank) if len(n) == rank else x
        return apply(op, x, fft_length=tuple(n), name=name)

    _rfft.__name__ = op.name.lower()
    _rfft.__doc__ = doc
    return _rfft


def _irfft_wrapper(rank, op, doc):
    def _irfft(input_tensor, fft_length=None, name=None):
        x = convert_to_tensor(input_tensor, dtype_hint=D.complex64)
        _with_rank_at_least(x, rank)
        if x.dtype not in _COMPLEX:
            raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {x!s}")
        if fft_length is None:
            n = x.shape.as_list()[-rank:]
            n[-1] = max(0, 2 * (n[-1] - 1))
        else:
            arr = _static_ints(fft_length)
            if x.shape.num_elements() != 0:
                if arr.ndim != 1:
                    raise ValueError(f"Shape {arr.shape} must have rank 1")
                if arr.size != rank:
                    raise ValueError(f"Dimension must be {rank} but is {arr.size}")
                if arr.size and arr[-1] <= 0:
                    raise ValueError(f"fft_length[-1] must be > 0, got {int(arr[-1])}")
            n = [int(v) for v in arr.reshape(-1)]
        if len(n) == rank:
            x = _pad_inner(x, n[:-1] + [n[-1] // 2 + 1], rank)
        return apply(op, x, fft_length=tuple(n), name=name)

    _irfft.__name__ = op.name.lower()
    _irfft.__doc__ = doc
    return _irfft


_LENGTH_DOC = "\n\n    ``fft_length`` defaults to the input's innermost dimensions."
rfft = tf_export("signal.rfft", "compat.v1.signal.rfft", "compat.v1.spectral.rfft")(
    _rfft_wrapper(
        1,
        rfft_op,
        "Real-valued fast Fourier transform over the innermost dimension: "
        "``fft_length // 2 + 1`` complex bins." + _LENGTH_DOC,
    )
)
irfft = tf_export("signal.irfft", "compat.v1.signal.irfft", "compat.v1.spectral.irfft")(
    _irfft_wrapper(
        1,
        irfft_op,
        "Inverse real-valued FFT over the innermost dimension: real "
        "signals of ``fft_length`` samples from ``fft_length // 2 + 1`` bins." + _LENGTH_DOC,
    )
)
rfft2d = tf_export("signal.rfft2d", "compat.v1.signal.rfft2d", "compat.v1.spectral.rfft2d")(
    _rfft_wrapper(
        2, rfft2d_op, "2D real-valued FFT over the inner-most 2 dimensions." + _LENGTH_DOC
    )
)
irfft2d = tf_export("signal.irfft2d", "compat.v1.signal.irfft2d", "compat.v1.spectral.irfft2d")(
    _irfft_wrapper(
        2, irfft2d_op, "Inverse 2D real-valued FFT over the inner-most 2 dimensions." + _LENGTH_DOC
    )
)
rfft3d = tf_export("signal.rfft3d", "compat.v1.signal.rfft3d", "compat.v1.spectral.rfft3d")(
    _rfft_wrapper(
        3, rfft3d_op, "3D real-valued FFT over the inner-most 3 dimensions." + _LENGTH_DOC
    )
)
irfft3d = tf_export("signal.irfft3d", "compat.v1.signal.irfft3d", "compat.v1.spectral.irfft3d")(
    _irfft_wrapper(
        3, irfft3d_op, "Inverse 3D real-valued FFT over the inner-most 3 dimensions." + _LENGTH_DOC
    )
)
_RFFT = {1: rfft, 2: rfft2d, 3: rfft3d}
_IRFFT = {1: irfft, 2: irfft2d, 3: irfft3d}


# ---------------------------------------------------------------- N-D FFTs (FFTND & co)


def _nd_kernel(fn, real_out=False):
    def kernel(input, fft_length, axes):
        if not axes:
            return input.copy() if not real_out else input.real.copy()
        return fn(input, s=list(fft_length), axes=list(axes))

    return kernel


def _nd_shape(kind):
    def rule(op, inputs, attrs):
        shape = inputs[0].shape
        if shape.rank is None:
            return (TensorShape(None),)
        dims = list(shape)
        for a, n in zip(attrs["axes"], attrs["fft_length"]):
            dims[a] = n // 2 + 1 if (kind == "rfft" and a == attrs["axes"][-1]) else n
        return (TensorShape(dims),)

    return rule


fftnd_op = defop(
    "FFTND",
    _nd_kernel(xp.fft.fftn),
    dtype_rule=_complex_rule,
    shape_rule=_nd_shape("fft"),
    grad=_no_grad("FFTND"),
)
ifftnd_op = defop(
    "IFFTND",
    _nd_kernel(xp.fft.ifftn),
    dtype_rule=_complex_rule,
    shape_rule=_nd_shape("fft"),
    grad=_no_grad("IFFTND"),
)
rfftnd_op = defop(
    "RFFTND",
    _nd_kernel(xp.fft.rfftn),
    dtype_rule=_rfft_rule,
    shape_rule=_nd_shape("rfft"),
    grad=_no_grad("RFFTND"),
)
irfftnd_op = defop(
    "IRFFTND",
    _nd_kernel(xp.fft.irfftn, real_out=True),
    dtype_rule=_irfft_rule,
    shape_rule=_nd_shape("fft"),
    grad=_no_grad("IRFFTND"),
)


def _nd_args(x, fft_length, axes, inverse_real=False):
    rank = x.shape.rank
    axes = list(range(rank)) if axes is None else [int(a) for a in _static_ints(axes).reshape(-1)]
    axes = [a % rank if rank else a for a in axes]
    if fft_length is None:
        n = [x.shape[a] for a in axes]
        if inverse_real and n:
            n[-1] = max(0, 2 * (n[-1] - 1))
    else:
        n = [int(v) for v in _static_ints(fft_length).reshape(-1)]
        for v in n:
            if v < 0:
                raise ValueError(f"`fft_length` must be non-negative, got {v}.")
    return n, axes


def _norm_scale(x, n, norm, forward):
    if norm in (None, "backward"):
        return x
    total = 1
    for v in n:
        total *= v
    factor = float(total) if norm == "forward" else _math.sqrt(total)
    if norm not in ("forward", "ortho"):
        raise ValueError(f"Invalid norm value {norm}; should be 'backward', 'ortho' or 'forward'.")
    s = convert_to_tensor(1.0 / factor if forward else factor, dtype=x.dtype)
    return math_ops.multiply(x, s)


@tf_export("signal.fftnd")
def fftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """N-D fast Fourier transform over ``axes`` (default all), with ``norm`` "backward",
    "ortho" or "forward"."""
    x = _as_complex(input_tensor)
    n, axes = _nd_args(x, fft_length, axes)
    x = _norm_scale(x, n, norm, forward=True)
    return apply(fftnd_op, x, fft_length=tuple(n), axes=tuple(axes), name=name)


@tf_export("signal.ifftnd")
def ifftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """N-D inverse fast Fourier transform over ``axes`` (default all)."""
    x = _as_complex(input_tensor)
    n, axes = _nd_args(x, fft_length, axes)
    x = _norm_scale(x, n, norm, forward=False)
    return apply(ifftnd_op, x, fft_length=tuple(n), axes=tuple(axes), name=name)


@tf_export("signal.rfftnd")
def rfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """N-D real-valued fast Fourier transform over ``axes`` (default all)."""
    x = convert_to_tensor(input_tensor, dtype_hint=D.float32)
    if x.dtype not in _REAL:
        raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x!s}")
    n, axes = _nd_args(x, fft_length, axes)
    x = _norm_scale(x, n, norm, forward=True)
    return apply(rfftnd_op, x, fft_length=tuple(n), axes=tuple(axes), name=name)


@tf_export("signal.irfftnd")
def irfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """N-D inverse real-valued fast Fourier transform over ``axes`` (default all)."""
    x = _as_complex(input_tensor)
    if x.dtype not in _COMPLEX:
        raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {x!s}")
    n, axes = _nd_args(x, fft_length, axes, inverse_real=True)
    x = _norm_scale(x, n, norm, forward=False)
    return apply(irfftnd_op, x, fft_length=tuple(n), axes=tuple(axes), name=name)
