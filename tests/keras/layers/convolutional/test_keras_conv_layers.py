"""keras.layers Conv1D/3D, transposed, depthwise and separable convolutions."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras


def _conv1d_ref(x, k, b, stride=1, dilation=1):
    """VALID 1-D convolution in NumPy: x (n, t, c), k (w, c, f)."""
    w = (k.shape[0] - 1) * dilation + 1
    steps = (x.shape[1] - w) // stride + 1
    out = np.zeros((x.shape[0], steps, k.shape[2]), np.float64)
    for t in range(steps):
        window = x[:, t * stride : t * stride + w : dilation, :]
        out[:, t] = np.einsum("nwc,wcf->nf", window, k)
    return out + b


@pytest.mark.parametrize(
    "kwargs,input_shape,output_shape",
    [
        ({"filters": 3, "kernel_size": 3}, (2, 7, 2), (2, 5, 3)),
        ({"filters": 3, "kernel_size": 3, "padding": "same", "strides": 2}, (2, 7, 2), (2, 4, 3)),
        (
            {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
            (2, 7, 2),
            (2, 7, 3),
        ),
        ({"filters": 4, "kernel_size": 2, "groups": 2}, (1, 5, 4), (1, 4, 4)),
    ],
)
def test_conv1d(kwargs, input_shape, output_shape):
    run_layer_test(
        keras.layers.Conv1D,
        kwargs,
        input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=2,
    )


def test_conv1d_causal_values():
    x = np.random.default_rng(0).standard_normal((2, 7, 2)).astype(np.float32)
    layer = keras.layers.Conv1D(3, 3, dilation_rate=2, padding="causal")
    out = layer(x).numpy()
    k, b = layer.get_weights()
    padded = np.pad(x, [(0, 0), (4, 0), (0, 0)])
    np.testing.assert_allclose(out, _conv1d_ref(padded, k, b, dilation=2), rtol=1e-5, atol=1e-5)


def test_conv3d():
    run_layer_test(
        keras.layers.Conv3D,
        {"filters": 2, "kernel_size": 2, "strides": (1, 2, 1), "padding": "same"},
        (1, 4, 5, 3, 2),
        expected_output_shape=(1, 4, 3, 3, 2),
    )


@pytest.mark.parametrize(
    "cls,kwargs,input_shape,output_shape,kernel_shape",
    [
        (
            "Conv1DTranspose",
            {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
            (1, 4, 3),
            (1, 8, 2),
            (3, 2, 3),
        ),
        (
            "Conv2DTranspose",
            {"filters": 2, "kernel_size": 3, "strides": 2},
            (1, 3, 4, 3),
            (1, 7, 9, 2),
            (3, 3, 2, 3),
        ),
        (
            "Conv2DTranspose",
            {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
            (1, 3, 3, 1),
            (1, 6, 6, 2),
            (3, 3, 2, 1),
        ),
        (
            "Conv3DTranspose",
            {"filters": 1, "kernel_size": 2, "strides": 2},
            (1, 2, 2, 2, 2),
            (1, 4, 4, 4, 1),
            (2, 2, 2, 1, 2),
        ),
    ],
)
def test_conv_transpose(cls, kwargs, input_shape, output_shape, kernel_shape):
    layer = run_layer_test(
        getattr(keras.layers, cls), kwargs, input_shape, expected_output_shape=output_shape
    )
    assert layer.kernel.shape == kernel_shape


def test_conv1d_transpose_values():
    """A stride-1 VALID transposed convolution is a full convolution with the flipped kernel."""
    x = np.random.default_rng(1).standard_normal((1, 4, 2)).astype(np.float32)
    layer = keras.layers.Conv1DTranspose(3, 2)
    out = layer(x).numpy()
    k, b = layer.get_weights()  # (w, filters, in)
    padded = np.pad(x, [(0, 0), (1, 1), (0, 0)])
    ref = _conv1d_ref(padded, k[::-1].transpose(0, 2, 1), b)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "cls,kwargs,input_shape,output_shape,weights",
    [
        (
            "DepthwiseConv2D",
            {"kernel_size": 3, "depth_multiplier": 2},
            (1, 5, 5, 2),
            (1, 3, 3, 4),
            [(3, 3, 2, 2), (4,)],
        ),
        (
            "DepthwiseConv2D",
            {"kernel_size": 2, "strides": 2},
            (1, 4, 5, 3),
            (1, 2, 2, 3),
            [(2, 2, 3, 1), (3,)],
        ),
        (
            "DepthwiseConv1D",
            {"kernel_size": 3, "depth_multiplier": 2},
            (1, 6, 2),
            (1, 4, 4),
            [(3, 2, 2), (4,)],
        ),
        (
            "SeparableConv2D",
            {"filters": 3, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
            (1, 5, 5, 2),
            (1, 5, 5, 3),
            [(3, 3, 2, 2), (1, 1, 4, 3), (3,)],
        ),
        (
            "SeparableConv1D",
            {"filters": 2, "kernel_size": 3, "padding": "same"},
            (1, 6, 3),
            (1, 6, 2),
            [(3, 3, 1), (1, 3, 2), (2,)],
        ),
    ],
)
def test_depthwise_separable(cls, kwargs, input_shape, output_shape, weights):
    layer = run_layer_test(
        getattr(keras.layers, cls), kwargs, input_shape, expected_output_shape=output_shape
    )
    assert [tuple(w.shape) for w in layer.weights] == weights


def test_depthwise_conv1d_values():
    x = np.random.default_rng(2).standard_normal((1, 6, 2)).astype(np.float32)
    layer = keras.layers.DepthwiseConv1D(3, depth_multiplier=2)
    out = layer(x).numpy()
    k, b = layer.get_weights()  # (3, 2, 2)
    ref = np.zeros((1, 4, 4))
    for t in range(4):
        win = x[0, t : t + 3]  # (3, c)
        ref[0, t] = np.einsum("wc,wcm->cm", win, k).reshape(-1)
    np.testing.assert_allclose(out, ref + b, rtol=1e-5, atol=1e-5)


def test_conv_errors():
    with pytest.raises(ValueError, match="padding"):
        keras.layers.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="filters"):
        keras.layers.Conv2DTranspose(0, 3)
    with pytest.raises(ValueError, match="depth_multiplier"):
        keras.layers.DepthwiseConv2D(3, depth_multiplier=0)
