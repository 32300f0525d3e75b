"""The golden TensorBoard event files of shared/fixtures/formats/tensorboard."""

import os

import pytest

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("TENSORLET_SHARED") or os.path.join(os.path.dirname(_REPO), "shared")
FORMATS = os.path.join(SHARED, "fixtures", "formats")
TB_DIR = os.path.join(FORMATS, "tensorboard")


@pytest.fixture
def tb_dir():
    if not os.path.isdir(TB_DIR):
        pytest.skip("shared/fixtures/formats/tensorboard not found")
    return TB_DIR


@pytest.fixture(autouse=True)
def _reset_summary_state():
    """Each test starts and ends with no default writer, step or recording condition."""
    from tensorlet.summary_ops import summary_ops

    state = summary_ops._summary_state
    yield
    state.writer = state.step = state.is_recording = None
