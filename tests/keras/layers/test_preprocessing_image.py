"""keras image preprocessing layers: Resizing, CenterCrop and the random augmentations."""

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.layers.preprocessing import pipeline
from tensorlet.keras.src.layers.preprocessing.image_preprocessing import (
    center_crop,
    color_layers,
    random_brightness,
    random_contrast,
    random_crop,
    random_flip,
    random_rotation,
    random_translation,
    random_zoom,
    resizing,
)
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras
IMAGES = np.random.default_rng(0).uniform(0, 255, (2, 5, 6, 3)).round().astype("float32")


def _seed_stream(seed):
    """The stateless seeds a ``SeedGenerator(seed)`` hands out: [seed, 0], [seed, 1], ..."""
    counter = iter(range(100))
    return lambda: [seed, next(counter)]


def _uniform(shape, lo, hi, seed):
    return tf.random.stateless_uniform(shape, seed=seed, minval=lo, maxval=hi).numpy()


def _project(x, transforms, fill_mode="REFLECT"):
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=tf.constant(x),
        transforms=tf.constant(np.asarray(transforms, "float32")),
        output_shape=list(x.shape[1:3]),
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode=fill_mode,
    ).numpy()


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-4)


# ---------------------------------------------------------------- deterministic layers
def test_resizing():
    run_layer_test(keras.layers.Resizing, {"height": 3, "width": 4}, (2, 5, 6, 3), (2, 3, 4, 3))
    _close(keras.layers.Resizing(3, 4)(IMAGES), tf.image.resize(IMAGES, (3, 4)))
    nearest = keras.layers.Resizing(3, 4, interpolation="nearest")(IMAGES.astype("uint8"))
    assert nearest.dtype == tf.uint8
    rounded = keras.layers.Resizing(3, 4)(IMAGES.astype("uint8"))
    assert rounded.dtype == tf.uint8
    _close(rounded, np.round(tf.image.resize(IMAGES.astype("uint8"), (3, 4)).numpy()))
    cropped = keras.layers.Resizing(4, 2, crop_to_aspect_ratio=True)(IMAGES)
    _close(cropped, tf.image.resize(IMAGES[:, :, 2:4], (4, 2)))  # the centred width-2 crop
    padded = keras.layers.Resizing(4, 2, pad_to_aspect_ratio=True, fill_value=7.0)(IMAGES)
    assert padded.shape == (2, 4, 2, 3) and np.all(padded.numpy()[:, 0] == 7.0)
    first = keras.layers.Resizing(3, 4, data_format="channels_first")
    _close(first(np.transpose(IMAGES, (0, 3, 1, 2))), np.transpose(_resized(), (0, 3, 1, 2)))
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`"):
        keras.layers.Resizing(3, 4, interpolation="gaussian")(IMAGES)
    assert keras.layers.Resizing(3, 4).compute_output_shape((None, 8, 8, 1)) == (None, 3, 4, 1)


def _resized():
    return tf.image.resize(IMAGES, (3, 4)).numpy()


def test_center_crop():
    x = np.arange(30, dtype="float32").reshape(1, 5, 6, 1)
    out = keras.layers.CenterCrop(2, 3)(x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[7, 8, 9], [13, 14, 15]])
    larger = keras.layers.CenterCrop(7, 8)(IMAGES)  # crop to the aspect ratio, then resize
    _close(larger, tf.image.resize(IMAGES[:, :, :5], (7, 8)))
    single = keras.layers.CenterCrop(3, 4)(IMAGES[0])
    assert single.shape == (3, 4, 3)
    run_layer_test(keras.layers.CenterCrop, {"height": 2, "width": 2}, (1, 4, 4, 1), (1, 2, 2, 1))


# ---------------------------------------------------------------- random layers
def test_random_flip_follows_the_seed_generator():
    layer = keras.layers.RandomFlip(seed=3)
    seeds = _seed_stream(3)
    for _ in range(2):  # the state advances by one draw per call
        flips = _uniform((2, 1, 1, 1), 0.0, 1.0, seeds()) <= 0.5
        want = np.where(flips, IMAGES[:, ::-1, ::-1], IMAGES)
        _close(layer(IMAGES, training=True), want)
    _close(layer(IMAGES, training=False), IMAGES)
    horizontal = keras.layers.RandomFlip("horizontal", seed=3)
    flips = _uniform((2, 1, 1, 1), 0.0, 1.0, [3, 0]) <= 0.5
    _close(horizontal(IMAGES, training=True), np.where(flips, IMAGES[:, :, ::-1], IMAGES))


def test_random_rotation_zoom_translation_transforms():
    rotation = keras.layers.RandomRotation(0.2, seed=1)
    angle = np.deg2rad(_uniform((2,), -72.0, 72.0, [1, 0]))
    c, s = np.cos(angle), np.sin(angle)
    w, h = 5.0, 4.0  # (width - 1), (height - 1)
    xo, yo = (w - (c * w - s * h)) / 2, (h - (s * w + c * h)) / 2
    transforms = np.stack([c, -s, xo, s, c, yo, 0 * c, 0 * c], 1)
    _close(rotation(IMAGES, training=True), _project(IMAGES, transforms))
    zoom = keras.layers.RandomZoom(0.3, seed=1)
    z = _uniform((2, 1), 0.7, 1.3, [1, 0])
    transforms = np.concatenate([z, 0 * z, 2.5 * (1 - z), 0 * z, z, 2.0 * (1 - z), 0 * z, 0 * z], 1)
    _close(zoom(IMAGES, training=True), _project(IMAGES, transforms))
    translation = keras.layers.RandomTranslation(0.2, 0.1, seed=1, fill_mode="constant")
    dy = _uniform((2, 1), -0.2, 0.2, [1, 0]) * 5
    dx = _uniform((2, 1), -0.1, 0.1, [1, 1]) * 6
    ones = np.ones_like(dx)
    transforms = np.concatenate([ones, 0 * dx, -dx, 0 * dx, ones, -dy, 0 * dx, 0 * dx], 1)
    _close(translation(IMAGES, training=True), _project(IMAGES, transforms, "CONSTANT"))
    for layer in (rotation, zoom, translation):
        _close(layer(IMAGES, training=False), IMAGES)


def test_random_contrast_brightness_crop():
    contrast = keras.layers.RandomContrast(0.5, seed=2)
    factor = _uniform((2, 1, 1, 1), 1.0, 1.5, [2, 0])
    mean = IMAGES.mean(axis=(1, 2), keepdims=True)
    _close(contrast(IMAGES, training=True), np.clip((IMAGES - mean) * factor + mean, 0, 255))
    brightness = keras.layers.RandomBrightness((-0.1, 0.2), value_range=(0, 255), seed=2)
    delta = _uniform((2, 1, 1, 1), -0.1, 0.2, [2, 0]) * 255
    _close(brightness(IMAGES, training=True), np.clip(IMAGES + delta, 0, 255))
    crop = keras.layers.RandomCrop(3, 4, seed=2)
    h0 = int(_uniform((), 0.0, 3.0, [2, 0]))
    w0 = int(_uniform((), 0.0, 3.0, [2, 1]))
    _close(crop(IMAGES, training=True), IMAGES[:, h0 : h0 + 3, w0 : w0 + 4])
    _close(crop(IMAGES, training=False), IMAGES)
    small = keras.layers.RandomCrop(6, 6, seed=2)(IMAGES, training=True)  # resize fallback
    _close(small, tf.image.resize(IMAGES, (6, 6)))  # the crop window overhangs: resized
    assert keras.layers.RandomCrop(3, 4).get_config()["seed"] is not None


def test_dicts_single_images_and_tf_data():
    layer = keras.layers.RandomFlip("vertical", seed=5)
    masks = np.arange(60).reshape(2, 5, 6, 1).astype("int32")
    out = layer({"images": IMAGES, "labels": np.array([1, 2]), "segmentation_masks": masks})
    flips = _uniform((2, 1, 1, 1), 0.0, 1.0, [5, 0]) <= 0.5
    _close(out["images"], np.where(flips, IMAGES[:, ::-1], IMAGES))
    np.testing.assert_array_equal(out["segmentation_masks"], np.where(flips, masks[:, ::-1], masks))
    np.testing.assert_array_equal(out["labels"], [1, 2])
    assert keras.layers.RandomRotation(0.1)(IMAGES[0]).shape == (5, 6, 3)
    aug = keras.Sequential(
        [
            keras.layers.RandomFlip(seed=1),
            keras.layers.RandomRotation(0.1, seed=2),
            keras.layers.RandomZoom(0.1, seed=3),
            keras.layers.RandomTranslation(0.1, 0.1, seed=4),
            keras.layers.RandomContrast(0.2, seed=5),
            keras.layers.RandomBrightness(0.1, seed=6),
            keras.layers.RandomCrop(4, 4, seed=7),
            keras.layers.Resizing(3, 3),
            keras.layers.Rescaling(1 / 255.0),
        ]
    )
    ds = tf.data.Dataset.from_tensor_slices(IMAGES.astype("uint8")).batch(2)
    batches = list(ds.map(lambda x: aug(x, training=True)))
    assert batches[0].shape == (2, 3, 3, 3) and batches[0].dtype == tf.float32
    assert aug(keras.Input((5, 6, 3))).shape == (None, 3, 3, 3)


def test_factors_and_configs():
    assert keras.layers.RandomRotation(0.2).factor == (-0.2, 0.2)
    assert keras.layers.RandomContrast(0.5).factor == (0, 0.5)
    assert keras.layers.RandomBrightness((0.3, -0.1)).factor == (-0.1, 0.3)
    with pytest.raises(ValueError, match=r"in the range \[0, 1\]"):
        keras.layers.RandomContrast(1.5)
    with pytest.raises(ValueError, match="does not take a `factor`"):
        keras.layers.RandomFlip(factor=0.1)
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode`"):
        keras.layers.RandomZoom(0.1, fill_mode="mirror")
    config = keras.layers.RandomTranslation(0.2, 0.1, seed=3).get_config()
    assert config["data_format"] == "channels_last" and config["seed"] == 3
    for cls, kwargs in [
        (keras.layers.RandomFlip, {"mode": "horizontal", "seed": 1}),
        (keras.layers.RandomRotation, {"factor": 0.1, "seed": 1}),
        (keras.layers.RandomZoom, {"height_factor": 0.1, "width_factor": 0.2, "seed": 1}),
        (keras.layers.RandomTranslation, {"height_factor": 0.1, "width_factor": 0.1}),
        (keras.layers.RandomContrast, {"factor": 0.2, "seed": 1}),
        (keras.layers.RandomBrightness, {"factor": 0.2, "seed": 1}),
    ]:
        run_layer_test(
            cls,
            kwargs,
            (2, 4, 4, 3),
            (2, 4, 4, 3),
            call_kwargs={"training": False},
            run_training_check=False,
        )


@pytest.mark.parametrize(
    "module",
    [
        pipeline,
        color_layers,
        resizing,
        center_crop,
        random_flip,
        random_rotation,
        random_zoom,
        random_translation,
        random_contrast,
        random_brightness,
        random_crop,
    ],
)
def test_docstring_examples(module):
    assert doctest.testmod(module, extraglobs={"tf": tf, "keras": keras, "np": np}).failed == 0


# ---------------------------------------------------------------- colour layers, Pipeline
def test_auto_contrast_solarization_invert_grayscale():
    stretched = keras.layers.AutoContrast()(IMAGES).numpy()
    low = IMAGES.min(axis=(1, 2), keepdims=True)
    high = IMAGES.max(axis=(1, 2), keepdims=True)
    _close(stretched, (IMAGES - low) * (255.0 / (high - low)))
    as_uint8 = keras.layers.AutoContrast()(IMAGES.astype("uint8"))
    assert as_uint8.dtype == tf.uint8
    solarized = keras.layers.Solarization(threshold_factor=0.0)(IMAGES, training=True)
    _close(solarized, 255 - IMAGES)
    solar = keras.layers.Solarization(addition_factor=0.5, threshold_factor=1.0, seed=4)
    add = _uniform((2, 1, 1, 1), 0.0, 0.5 * 255, [4, 0])
    thr = _uniform((2, 1, 1, 1), 0.0, 255.0, [4, 1])
    shifted = np.clip(IMAGES + add, 0, 255)
    _close(solar(IMAGES, training=True), np.where(shifted < thr, shifted, 255 - shifted))
    invert = keras.layers.RandomInvert(factor=(0.3, 0.7), seed=6)
    p = _uniform((2,), 0.3, 0.7, [6, 0])
    u = _uniform((2,), 0.0, 1.0, [6, 1])
    want = np.where((u < p)[:, None, None, None], 255 - IMAGES, IMAGES)
    _close(invert(IMAGES, training=True), want)
    _close(invert(IMAGES, training=False), IMAGES)
    gray = keras.layers.RandomGrayscale(factor=1.0)(IMAGES, training=True).numpy()
    _close(gray[..., 0], IMAGES @ np.array([0.2989, 0.5870, 0.1140], "float32"))
    np.testing.assert_array_equal(gray[..., 0], gray[..., 2])
    with pytest.raises(ValueError, match="between 0 and 1"):
        keras.layers.RandomGrayscale(factor=2.0)
    with pytest.raises(ValueError, match="list of two numbers"):
        keras.layers.AutoContrast(value_range=5)


def test_pipeline():
    pipeline = keras.layers.Pipeline(
        [keras.layers.Rescaling(1 / 255.0), keras.layers.RandomFlip("horizontal", seed=2)]
    )
    flips = _uniform((2, 1, 1, 1), 0.0, 1.0, [2, 0]) <= 0.5
    want = np.where(flips, IMAGES[:, :, ::-1], IMAGES) / 255.0
    _close(pipeline(IMAGES), want)  # training defaults to True, as in Keras
    _close(pipeline(IMAGES, training=False), IMAGES / 255.0)
    mapped = list(tf.data.Dataset.from_tensor_slices(IMAGES).batch(2).map(pipeline))
    assert mapped[0].shape == (2, 5, 6, 3)
    clone = keras.layers.Pipeline.from_config(pipeline.get_config())
    assert [type(layer).__name__ for layer in clone.layers] == ["Rescaling", "RandomFlip"]
