"""Crops, pads, flips, rot90/transpose, crop_and_resize, rotate (tensorlet addition) and
extract_patches: values against NumPy, TF's errors, gradients."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.testing.gradient_check import check_vjp

RNG = np.random.default_rng(11)
X = RNG.uniform(0, 1, (1, 5, 6, 2)).astype(np.float32)


def test_crop_and_pad_to_bounding_box():
    np.testing.assert_array_equal(
        tf.image.crop_to_bounding_box(X, 1, 2, 3, 3).numpy(), X[:, 1:4, 2:5]
    )
    padded = tf.image.pad_to_bounding_box(X, 1, 2, 8, 9).numpy()
    assert padded.shape == (1, 8, 9, 2)
    np.testing.assert_array_equal(padded[:, 1:6, 2:8], X)
    assert padded.sum() == pytest.approx(X.sum(), rel=1e-6)
    with pytest.raises(ValueError, match="height must be >= target \\+ offset"):
        tf.image.crop_to_bounding_box(X, 3, 2, 3, 3)
    with pytest.raises(ValueError, match="width must be <= target - offset"):
        tf.image.pad_to_bounding_box(X, 1, 2, 5, 6)


@pytest.mark.parametrize("th,tw", [(3, 4), (7, 8), (3, 8), (5, 6)])
def test_resize_with_crop_or_pad_is_centred(th, tw):
    got = tf.image.resize_with_crop_or_pad(X[0], th, tw).numpy()
    assert got.shape == (th, tw, 2)
    ref = np.zeros((max(th, 5), max(tw, 6), 2), np.float32)
    oy, ox = max(th - 5, 0) // 2, max(tw - 6, 0) // 2
    ref[oy : oy + 5, ox : ox + 6] = X[0]
    cy, cx = max(5 - th, 0) // 2, max(6 - tw, 0) // 2
    np.testing.assert_array_equal(got, ref[cy : cy + th, cx : cx + tw])


def test_resize_with_pad_and_central_crop():
    got = tf.image.resize_with_pad(X, 8, 8)
    assert got.shape == (1, 8, 8, 2)
    assert np.all(got.numpy()[:, 6:] == 0)  # 5x6 -> 6x8 (floor), padding floor(0.67) on top
    np.testing.assert_array_equal(tf.image.central_crop(X, 0.5).numpy(), X[:, 1:4, 1:5])
    with pytest.raises(ValueError, match="central_fraction"):
        tf.image.central_crop(X, 0.0)


def test_flips_transpose_rot90():
    np.testing.assert_array_equal(tf.image.flip_left_right(X).numpy(), X[:, :, ::-1])
    np.testing.assert_array_equal(tf.image.flip_up_down(X[0]).numpy(), X[0, ::-1])
    np.testing.assert_array_equal(tf.image.transpose(X).numpy(), X.transpose(0, 2, 1, 3))
    for k in range(-1, 5):
        np.testing.assert_array_equal(
            tf.image.rot90(X[0], k).numpy(), np.rot90(X[0], k, axes=(0, 1))
        )


def test_crop_and_resize_values_and_gradients():
    img = RNG.uniform(0, 1, (1, 5, 6, 1)).astype(np.float32)
    boxes = np.array([[0.0, 0.0, 1.0, 1.0], [0.25, 0.2, 0.75, 0.8]], np.float32)
    full = tf.image.crop_and_resize(img, boxes, [0, 0], [5, 6]).numpy()
    np.testing.assert_allclose(full[0], img[0], atol=1e-6)  # the whole image, same grid
    ext = tf.image.crop_and_resize(
        img, np.array([[-1.0, 0, -0.5, 1]], np.float32), [0], [2, 2], extrapolation_value=-1.0
    ).numpy()
    np.testing.assert_array_equal(ext, -1.0)
    check_vjp(
        lambda i, b: tf.image.crop_and_resize(i, b, [0, 0], [3, 3]),
        [img.astype(np.float64), boxes * 0.9 + 0.03],
        eps=1e-3,
        rtol=2e-3,
        atol=1e-3,
    )


def test_rotate_is_a_rotation():
    img = np.arange(16, dtype=np.float32).reshape(4, 4, 1)
    np.testing.assert_allclose(tf.image.rotate(img, np.pi / 2).numpy(), np.rot90(img), atol=1e-5)
    same = tf.image.rotate(img, 0.0, interpolation="bilinear", fill_mode="reflect").numpy()
    np.testing.assert_allclose(same, img, atol=1e-5)
    out = tf.image.rotate(img[None], [0.8], fill_mode="constant", fill_value=-1.0).numpy()
    assert out.shape == (1, 4, 4, 1) and (out == -1).any()
    for mode in ("wrap", "nearest", "reflect"):
        assert not (tf.image.rotate(img, 0.3, fill_mode=mode).numpy() == 0).all()


def ref_patches(x, k, s, r, padding):
    b, h, w, c = x.shape
    eff = k + (k - 1) * (r - 1)
    if padding == "VALID":
        oh, ow, ph, pw = (h - eff) // s + 1, (w - eff) // s + 1, 0, 0
    else:
        oh, ow = -(-h // s), -(-w // s)
        ph, pw = max((oh - 1) * s + eff - h, 0) // 2, max((ow - 1) * s + eff - w, 0) // 2
    xp = np.pad(x, ((0, 0), (ph, eff + s * oh), (pw, eff + s * ow), (0, 0)))
    out = np.zeros((b, oh, ow, k * k * c), x.dtype)
    for i in range(oh):
        for j in range(ow):
            p = xp[:, i * s : i * s + eff : r, j * s : j * s + eff : r]
            out[:, i, j] = p.reshape(b, -1)
    return out


@pytest.mark.parametrize(
    "k,s,r,padding", [(2, 1, 1, "VALID"), (3, 2, 1, "SAME"), (2, 2, 2, "VALID"), (2, 3, 1, "SAME")]
)
def test_extract_patches(k, s, r, padding):
    x = np.arange(50, dtype=np.float32).reshape(1, 5, 5, 2)
    got = tf.image.extract_patches(x, [1, k, k, 1], [1, s, s, 1], [1, r, r, 1], padding)
    np.testing.assert_array_equal(got.numpy(), ref_patches(x, k, s, r, padding))
    check_vjp(
        lambda t: tf.image.extract_patches(t, [1, k, k, 1], [1, s, s, 1], [1, r, r, 1], padding),
        [x.astype(np.float64)],
    )
