"""Test mode: every eager op checks its static shape inference against the kernel's result."""
import pytest

from tensorlet.framework.context import state


@pytest.fixture(autouse=True)
def _check_infer():
    state.check_infer = True
    yield
    state.check_infer = False
