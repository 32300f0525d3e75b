"""keras.utils.image_dataset_from_directory and keras.utils.text_dataset_from_directory."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


@pytest.fixture
def tree(tmp_path):
    rng = np.random.default_rng(0)
    for c in ("cat", "dog"):
        (tmp_path / c).mkdir()
        for i in range(3):
            img = rng.integers(0, 255, (10 + i, 12, 3), dtype=np.uint8)
            tf.io.write_file(str(tmp_path / c / f"{i}.png"), tf.io.encode_png(img))
            (tmp_path / c / f"{i}.txt").write_text(f"{c} text {i}")
    (tmp_path / "cat" / "notes.md").write_text("ignored")
    return tmp_path


def test_image_dataset(tree, capsys):
    ds = keras.utils.image_dataset_from_directory(
        str(tree), image_size=(8, 8), batch_size=4, seed=1
    )
    assert "Found 6 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["cat", "dog"] and len(ds.file_paths) == 6
    assert ds.element_spec == (
        tf.TensorSpec([None, 8, 8, 3], tf.float32),
        tf.TensorSpec([None], tf.int32),
    )
    batches = list(ds)
    assert [int(x.shape[0]) for x, _ in batches] == [4, 2]
    labels = sorted(int(v) for _, y in batches for v in y.numpy())
    assert labels == [0, 0, 0, 1, 1, 1]
    plain = keras.utils.image_dataset_from_directory(
        str(tree), batch_size=None, shuffle=False, image_size=(8, 8), verbose=False
    )
    pairs = [(p.split("/")[-2], int(y)) for p, (_, y) in zip(plain.file_paths, plain)]
    assert pairs == [("cat", 0)] * 3 + [("dog", 1)] * 3


def test_image_dataset_modes(tree):
    train, val = keras.utils.image_dataset_from_directory(
        str(tree),
        image_size=(8, 8),
        validation_split=0.5,
        subset="both",
        seed=2,
        label_mode="categorical",
        crop_to_aspect_ratio=True,
        verbose=False,
    )
    ((x, y),) = list(val)
    assert x.shape == (3, 8, 8, 3) and y.shape == (3, 2)
    gray = keras.utils.image_dataset_from_directory(
        str(tree),
        labels=None,
        color_mode="grayscale",
        image_size=4,
        batch_size=None,
        data_format="channels_first",
        shuffle=False,
        verbose=False,
    )
    first = next(iter(gray))
    assert first.shape == (1, 4, 4)
    with pytest.raises(ValueError, match="must provide a `seed`"):
        keras.utils.image_dataset_from_directory(str(tree), validation_split=0.5, subset="training")
    with pytest.raises(ValueError, match="`color_mode` must be one of"):
        keras.utils.image_dataset_from_directory(str(tree), color_mode="cmyk")


def test_text_dataset(tree):
    ds = keras.utils.text_dataset_from_directory(
        str(tree), batch_size=None, max_length=5, shuffle=False, verbose=False
    )
    out = list(ds.as_numpy_iterator())
    assert out[0] == (b"cat t", 0) and out[-1] == (b"dog t", 1) and len(out) == 6
    binary = keras.utils.text_dataset_from_directory(
        str(tree), label_mode="binary", batch_size=6, seed=3, verbose=False
    )
    _, y = next(iter(binary))
    assert y.shape == (6, 1) and y.dtype == tf.float32
