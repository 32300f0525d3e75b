"""``tf.audio.encode_wav``: the ``EncodeWav`` op (16-bit PCM WAV), used by ``tf.summary.audio``.

TF's ``EncodeAudioAsS16LEWav``: a 44-byte RIFF header (PCM format 1, 16 bits per sample) and
the samples as little-endian int16, each ``clamp(roundf(x * 32768), -32768, 32767)`` (round half
away from zero), frames interleaved by channel.
"""

import struct

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.io_ops._rules import scalar_string
from tensorlet.ops.op_def import apply, defop, dtype_mismatch

D = dtypes


def _wav_bytes(samples, sample_rate):
    channels = samples.shape[1]
    scaled = samples.astype(xp.float32) * xp.float32(32768.0)
    rounded = xp.sign(scaled) * xp.floor(xp.abs(scaled) + xp.float32(0.5))
    pcm = xp.clip(rounded, -32768, 32767).astype("<i2")
    data = pcm.tobytes()
    header = b"".join(
        (
            b"RIFF",
            struct.pack("<I", 36 + len(data)),
            b"WAVE",
            b"fmt ",
            struct.pack(
                "<IHHIIHH",
                16,
                1,
                channels,
                sample_rate,
                sample_rate * channels * 2,
                channels * 2,
                16,
            ),
            b"data",
            struct.pack("<I", len(data)),
        )
    )
    return header + data


def _encode_wav_kernel(audio, sample_rate):
    if audio.ndim != 2:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "EncodeWav",
            f"audio must be 2-dimensional{list(audio.shape)}",
        )
    if xp.ndim(sample_rate) != 0:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "EncodeWav",
            f"Input sample_rate should be a scalar tensor, got "
            f"{list(xp.shape(sample_rate))} instead.",
        )
    rate = int(sample_rate)
    if rate <= 0 or rate >= 1 << 31:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "EncodeWav",
            f"sample_rate must be in (0, 2^31), got: {rate}",
        )
    return scalar_string(_wav_bytes(audio, rate))


def _encode_wav_dtypes(op, inputs, attrs):
    if inputs[0].dtype is not D.float32:
        raise dtype_mismatch(op, 0, D.float32, inputs[0].dtype)
    if inputs[1].dtype is not D.int32:
        raise dtype_mismatch(op, 1, D.int32, inputs[1].dtype)
    return (D.string,)


def _encode_wav_shape(op, inputs, attrs):
    rank = inputs[0].shape.rank
    if rank is not None and rank != 2:
        raise ValueError(
            f"Shape must be rank 2 but is rank {rank} for '{{{{node EncodeWav}}}} "
            f"= EncodeWav[](audio, sample_rate)' with input shapes: "
            f"{inputs[0].shape}, {inputs[1].shape}."
        )
    return (TensorShape([]),)


encode_wav_op = defop(
    "EncodeWav", _encode_wav_kernel, dtype_rule=_encode_wav_dtypes, shape_rule=_encode_wav_shape
)


@tf_export("audio.encode_wav")
def encode_wav(audio, sample_rate, name=None):
    """Encodes float32 audio ``[frames, channels]`` in [-1, 1] as a 16-bit PCM WAV file (a
    scalar string); ``sample_rate`` is an int32 scalar (Hz)."""
    return apply(encode_wav_op, _as(audio, D.float32), _as(sample_rate, D.int32), name=name)


def _as(x, dtype):
    """Python values become ``dtype``; tensors keep theirs (the dtype rule names a mismatch)."""
    return x if isinstance(x, Tensor) else convert_to_tensor(x, dtype)
