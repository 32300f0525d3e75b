"""Colour ops: convert_image_dtype rules, adjustments (uint8 round trips, no gradients for the
Adjust* ops), HSV/YIQ/YUV conversions against colorsys / matrix references, standardisation."""

import colorsys

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.testing.gradient_check import check_vjp

RNG = np.random.default_rng(3)
C = RNG.uniform(0.05, 0.95, (2, 3, 3)).astype(np.float32)


def test_convert_image_dtype_rules():
    u8 = np.array([0, 1, 127, 128, 255], np.uint8)
    np.testing.assert_allclose(
        tf.image.convert_image_dtype(u8, tf.float32).numpy(), u8 * np.float32(1 / 255)
    )
    np.testing.assert_array_equal(
        tf.image.convert_image_dtype(u8, tf.uint16).numpy(), u8.astype(np.uint16) * 256
    )  # (65535+1) // (255+1)
    np.testing.assert_array_equal(tf.image.convert_image_dtype(u8, tf.int8).numpy(), u8 // 2)
    f = np.array([-0.5, 0.0, 0.001, 0.002, 0.5, 1.0, 1.5], np.float32)
    sat = tf.image.convert_image_dtype(f, tf.uint8, saturate=True).numpy()
    np.testing.assert_array_equal(sat, np.clip(f * 255.5, 0, 255).astype(np.uint8))


def test_adjust_brightness_contrast_gamma():
    np.testing.assert_allclose(tf.image.adjust_brightness(C, 0.2).numpy(), C + 0.2, rtol=1e-6)
    mean = C.mean(axis=(0, 1), keepdims=True)
    np.testing.assert_allclose(
        tf.image.adjust_contrast(C, 1.8).numpy(), (C - mean) * 1.8 + mean, atol=1e-6
    )
    np.testing.assert_allclose(
        tf.image.adjust_gamma(C, 0.5, gain=1.5).numpy(), 1.5 * C**0.5, rtol=1e-6
    )
    u8 = np.array([[[0, 128, 255]]], np.uint8)
    np.testing.assert_array_equal(tf.image.adjust_brightness(u8, 0.5).numpy(), [[[127, 255, 255]]])
    with pytest.raises(ValueError, match="non-negative"):
        tf.image.adjust_gamma(C, -1.0)


@pytest.mark.parametrize("delta", [0.2, -0.45, 0.5])
def test_adjust_hue_rotates_hue(delta):
    got = tf.image.adjust_hue(C, delta).numpy()
    for px, out in zip(C.reshape(-1, 3), got.reshape(-1, 3)):
        h, s, v = colorsys.rgb_to_hsv(*px)
        np.testing.assert_allclose(out, colorsys.hsv_to_rgb((h + delta) % 1.0, s, v), atol=1e-5)


def test_adjust_saturation():
    got = tf.image.adjust_saturation(C, 0.0).numpy()
    np.testing.assert_allclose(got, np.repeat(C.max(-1, keepdims=True), 3, -1), atol=1e-6)


def test_adjust_ops_have_no_gradient():
    x = tf.constant(C)
    for fn in (
        lambda t: tf.image.adjust_hue(t, 0.1),
        lambda t: tf.image.adjust_saturation(t, 2.0),
        lambda t: tf.image.adjust_contrast(t, 2.0),
    ):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        with pytest.raises(LookupError, match="gradient registry has no entry"):
            tape.gradient(y, x)


def test_hsv_round_trip_and_gradient():
    hsv = tf.image.rgb_to_hsv(C).numpy()
    for px, out in zip(C.reshape(-1, 3), hsv.reshape(-1, 3)):
        np.testing.assert_allclose(out, colorsys.rgb_to_hsv(*px), atol=1e-6)
    np.testing.assert_allclose(tf.image.hsv_to_rgb(hsv).numpy(), C, atol=1e-6)
    check_vjp(tf.image.rgb_to_hsv, [C.astype(np.float64)], eps=1e-6, rtol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.rgb_to_hsv((C * 255).astype(np.uint8))


def test_linear_colour_spaces_round_trip():
    # TF's matrices are inverses to ~1e-4 only
    np.testing.assert_allclose(tf.image.yiq_to_rgb(tf.image.rgb_to_yiq(C)).numpy(), C, atol=1e-4)
    np.testing.assert_allclose(tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(C)).numpy(), C, atol=1e-4)
    gray = tf.image.rgb_to_grayscale(C).numpy()
    np.testing.assert_allclose(gray[..., 0], C @ np.float32([0.2989, 0.587, 0.114]), rtol=1e-6)
    assert tf.image.grayscale_to_rgb(gray).shape == (2, 3, 3)


def test_per_image_standardization():
    x = RNG.uniform(0, 1, (2, 2, 2, 3)).astype(np.float32)
    got = tf.image.per_image_standardization(x).numpy()
    m = x.mean(axis=(1, 2, 3), keepdims=True)
    s = np.maximum(x.std(axis=(1, 2, 3), keepdims=True), 1 / np.sqrt(12))
    np.testing.assert_allclose(got, (x - m) / s, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(
        tf.image.per_image_standardization(np.full((2, 2, 3), 0.5, np.float32)), 0
    )
