"""Shared paths for the tf.io tests: the golden TFRecord files of shared/fixtures/formats."""

import os

import pytest

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("TENSORLET_SHARED") or os.path.join(os.path.dirname(_REPO), "shared")
TFRECORD_DIR = os.path.join(SHARED, "fixtures", "formats", "tfrecord")


@pytest.fixture
def tfrecord_dir():
    if not os.path.isdir(TFRECORD_DIR):
        pytest.skip("shared/fixtures/formats/tfrecord not found")
    return TFRECORD_DIR
