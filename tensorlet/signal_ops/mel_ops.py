"""``tf.signal.linear_to_mel_weight_matrix`` (HTK-style triangular mel filterbank) and
``tf.signal.mfccs_from_log_mel_spectrograms`` (HTK-scaled type-II DCT)."""

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_creation_ops, array_ops, math_ops, unary_math_ops
from tensorlet.signal_ops import dct_ops, shape_ops

D = dtypes
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies_hertz):
    return _MEL_HIGH_FREQUENCY_Q * unary_math_ops.log(
        1.0 + (frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ)
    )


def _validate(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz, dtype):
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(
            f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz {upper_edge_hertz:.1f}"
        )
    if upper_edge_hertz > sample_rate / 2:
        raise ValueError(
            "upper_edge_hertz must not be larger than the Nyquist frequency "
            f"(sample_rate / 2). Got: {upper_edge_hertz} for sample_rate: "
            f"{sample_rate}"
        )
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype}")


@tf_export("signal.linear_to_mel_weight_matrix")
def linear_to_mel_weight_matrix(
    num_mel_bins=20,
    num_spectrogram_bins=129,
    sample_rate=8000,
    lower_edge_hertz=125.0,
    upper_edge_hertz=3800.0,
    dtype=D.float32,
    name=None,
):
    """A ``[num_spectrogram_bins, num_mel_bins]`` matrix that maps linear-frequency spectrogram
    bins (``[0, sample_rate / 2]``) to triangular mel bands over ``[lower_edge_hertz,
    upper_edge_hertz]`` (mel = 1127 ln(1 + f / 700); the DC bin gets no weight, as in HTK).

    Example:
      >>> tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 100.0, 4000.0).shape
      TensorShape([9, 4])
    """
    dtype = D.as_dtype(dtype)
    if isinstance(sample_rate, Tensor):
        sample_rate = sample_rate.numpy().item()
    if isinstance(num_spectrogram_bins, Tensor):
        num_spectrogram_bins = int(num_spectrogram_bins.numpy())
    _validate(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz, dtype)
    sample_rate = convert_to_tensor(sample_rate, dtype=dtype)
    lower = convert_to_tensor(lower_edge_hertz, dtype=dtype)
    upper = convert_to_tensor(upper_edge_hertz, dtype=dtype)
    zero = convert_to_tensor(0.0, dtype=dtype)
    nyquist = sample_rate / 2.0
    linear = array_creation_ops.linspace(zero, nyquist, num_spectrogram_bins)[1:]
    bins_mel = array_ops.expand_dims(_hertz_to_mel(linear), 1)
    edges = shape_ops.frame(
        array_creation_ops.linspace(_hertz_to_mel(lower), _hertz_to_mel(upper), num_mel_bins + 2),
        frame_length=3,
        frame_step=1,
    )
    lower_mel, center_mel, upper_mel = (
        array_ops.reshape(t, [1, num_mel_bins]) for t in array_ops.split(edges, 3, axis=1)
    )
    lower_slopes = (bins_mel - lower_mel) / (center_mel - lower_mel)
    upper_slopes = (upper_mel - bins_mel) / (upper_mel - center_mel)
    weights = math_ops.maximum(zero, math_ops.minimum(lower_slopes, upper_slopes))
    return array_ops.pad(weights, [[1, 0], [0, 0]])


@tf_export("signal.mfccs_from_log_mel_spectrograms")
def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """MFCCs of ``[..., num_mel_bins]`` float32 log-mel spectrograms: the type-II DCT scaled by
    ``1 / sqrt(2 num_mel_bins)`` (HTK's almost-orthonormal scaling)."""
    x = convert_to_tensor(log_mel_spectrograms, dtype=D.float32)
    num_mel_bins = x.shape[-1] if x.shape.rank else None
    if num_mel_bins == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {x}")
    scale = unary_math_ops.rsqrt(convert_to_tensor(float(num_mel_bins), dtype=D.float32) * 2.0)
    return dct_ops.dct(x) * scale
