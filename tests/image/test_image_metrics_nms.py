"""Metrics (total variation, gradients, Sobel, PSNR, SSIM, MS-SSIM), NMS variants, boxes drawing
and the random augmentations."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.testing.gradient_check import check_vjp

RNG = np.random.default_rng(9)
A = RNG.uniform(0, 1, (2, 8, 8, 3)).astype(np.float32)
B = np.clip(A + RNG.normal(0, 0.05, A.shape), 0, 1).astype(np.float32)


def test_total_variation_and_image_gradients():
    tv = tf.image.total_variation(A).numpy()
    want = np.abs(np.diff(A, axis=1)).sum((1, 2, 3)) + np.abs(np.diff(A, axis=2)).sum((1, 2, 3))
    np.testing.assert_allclose(tv, want, rtol=1e-5)
    dy, dx = tf.image.image_gradients(A)
    np.testing.assert_allclose(dy.numpy()[:, :-1], np.diff(A, axis=1), atol=1e-7)
    assert (dx.numpy()[:, :, -1] == 0).all()
    check_vjp(tf.image.total_variation, [A.astype(np.float64) * 0.5 + 0.25])


def test_sobel_edges_of_a_ramp():
    ramp = np.tile(np.arange(5, dtype=np.float32), (5, 1))[None, :, :, None]
    e = tf.image.sobel_edges(ramp).numpy()
    assert e.shape == (1, 5, 5, 1, 2)
    np.testing.assert_allclose(e[0, :, 1:-1, 0, 1], 8.0)  # horizontal derivative 2 * (1+2+1)
    np.testing.assert_allclose(e[0, :, :, 0, 0], 0.0)


def test_psnr_and_ssim():
    mse = ((A - B) ** 2).mean((1, 2, 3))
    np.testing.assert_allclose(tf.image.psnr(A, B, 1.0).numpy(), -10 * np.log10(mse), rtol=1e-5)
    assert np.isinf(tf.image.psnr(A, A, 1.0).numpy()).all()
    np.testing.assert_allclose(tf.image.ssim(A, A, 1.0, filter_size=3).numpy(), 1.0, rtol=1e-6)
    s = tf.image.ssim(A, B, 1.0, filter_size=3, filter_sigma=0.8).numpy()
    assert ((s > 0.5) & (s < 1)).all()
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.ssim(A, B, 1.0)  # 8x8 images, 11x11 filter
    big = RNG.uniform(0, 1, (1, 16, 16, 1)).astype(np.float32)
    ms = tf.image.ssim_multiscale(big, big, 1.0, power_factors=(0.5, 0.5), filter_size=3)
    np.testing.assert_allclose(ms.numpy(), 1.0, rtol=1e-5)


BOXES = np.array(
    [
        [0, 0, 1, 1],
        [0, 0.1, 1, 1.1],
        [0, -0.1, 1, 0.9],
        [0, 10, 1, 11],
        [0, 10.1, 1, 11.1],
        [0, 100, 1, 101],
        [1, 1, 0, 0],
    ],
    np.float32,
)
SCORES = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.8], np.float32)


def test_non_max_suppression_family():
    np.testing.assert_array_equal(tf.image.non_max_suppression(BOXES, SCORES, 4, 0.5), [3, 0, 5])
    np.testing.assert_array_equal(
        tf.image.non_max_suppression(BOXES, SCORES, 10, 0.5, score_threshold=0.55), [3, 0]
    )
    idx, sc = tf.image.non_max_suppression_with_scores(BOXES, SCORES, 6, 1.0, soft_nms_sigma=0.5)
    assert idx.numpy()[:2].tolist() == [3, 0] and (np.diff(sc.numpy()) <= 0).all()
    idx, n = tf.image.non_max_suppression_padded(BOXES, SCORES, 5, 0.5, pad_to_max_output_size=True)
    assert idx.shape == (5,) and int(n) == 4
    ov = np.array([[1, 0.6, 0.1], [0.6, 1, 0.2], [0.1, 0.2, 1]], np.float32)
    np.testing.assert_array_equal(
        tf.image.non_max_suppression_overlaps(ov, [0.5, 0.9, 0.1], 3, 0.5), [1, 2]
    )
    out = tf.image.combined_non_max_suppression(
        BOXES[None, :, None], np.stack([SCORES, SCORES[::-1]], -1)[None], 2, 3, 0.5, 0.1
    )
    assert out.valid_detections.numpy().tolist() == [3]
    np.testing.assert_array_equal(out.nmsed_classes.numpy(), [[0, 1, 0]])


def test_draw_bounding_boxes():
    img = np.zeros((1, 6, 7, 3), np.float32)
    out = tf.image.draw_bounding_boxes(img, [[[0.0, 0.0, 1.0, 1.0]]], [[1, 0, 0, 1]]).numpy()
    assert (out[0, 0, :, 0] == 1).all() and (out[0, 1:-1, 1:-1] == 0).all()
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.draw_bounding_boxes(img.astype(np.uint8), [[[0, 0, 1, 1.0]]], [[1, 0, 0, 1]])


def test_stateless_augmentations_are_deterministic():
    x = RNG.uniform(0, 1, (2, 4, 4, 3)).astype(np.float32)
    for fn in (
        lambda s: tf.image.stateless_random_flip_left_right(x, s),
        lambda s: tf.image.stateless_random_brightness(x, 0.3, s),
        lambda s: tf.image.stateless_random_contrast(x, 0.5, 1.5, s),
        lambda s: tf.image.stateless_random_hue(x, 0.2, s),
        lambda s: tf.image.stateless_random_saturation(x, 0.5, 1.5, s),
        lambda s: tf.image.stateless_random_crop(x, [2, 3, 3, 3], s),
    ):
        np.testing.assert_array_equal(fn([1, 2]).numpy(), fn([1, 2]).numpy())
    flipped = tf.image.stateless_random_flip_up_down(x, [3, 4]).numpy()
    for i in range(2):
        assert (flipped[i] == x[i]).all() or (flipped[i] == x[i, ::-1]).all()
    assert tf.image.random_crop(x, [1, 2, 2, 3], seed=1).shape == (1, 2, 2, 3)
    assert tf.image.random_flip_left_right(x[0], seed=3).shape == (4, 4, 3)
    with pytest.raises(ValueError, match="upper must be > lower"):
        tf.image.stateless_random_contrast(x, 1.5, 0.5, [1, 2])


def test_stateless_sample_distorted_bounding_box():
    begin, size, bboxes = tf.image.stateless_sample_distorted_bounding_box(
        [20, 30, 3], bounding_boxes=[[[0.1, 0.2, 0.6, 0.9]]], seed=[1, 2], min_object_covered=0.1
    )
    # TF 2.21's values for this seed (Philox words, Rand32() % n draws)
    assert begin.numpy().tolist() == [3, 12, 0] and size.numpy().tolist() == [16, 15, -1]
    np.testing.assert_allclose(bboxes.numpy(), [[[0.15, 0.4, 0.95, 0.9]]], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="No bounding boxes"):
        tf.image.stateless_sample_distorted_bounding_box(
            [20, 30, 3], np.zeros((1, 0, 4), np.float32), seed=[1, 2]
        )


def test_random_jpeg_quality():
    x = RNG.uniform(0, 1, (8, 8, 3)).astype(np.float32)
    a = tf.image.stateless_random_jpeg_quality(x, 50, 90, seed=[1, 2]).numpy()
    np.testing.assert_array_equal(a, tf.image.stateless_random_jpeg_quality(x, 50, 90, [1, 2]))
    assert tf.image.random_jpeg_quality(x, 50, 90, seed=1).shape == (8, 8, 3)
    with pytest.raises(ValueError):
        tf.image.random_jpeg_quality(x, 90, 50)
