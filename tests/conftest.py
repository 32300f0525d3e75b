"""Test mode: every eager op checks its static shape inference against the kernel's result.

When the whole suite runs, the session also fails if a registered op was never executed under
that check, so every op has its shape/dtype inference tested against its eager result.
"""
import pytest

from tensorlet.framework.context import state


@pytest.fixture(autouse=True)
def _check_infer():
    state.check_infer = True
    yield
    state.check_infer = False


def pytest_sessionfinish(session, exitstatus):
    cfg = session.config
    whole_suite = not cfg.args or [str(a).rstrip("/") for a in cfg.args] in (["tests"], ["."])
    selective = cfg.getoption("keyword") or cfg.getoption("markexpr") or cfg.getoption("maxfail") == 1
    if not whole_suite or selective or exitstatus != 0:
        return
    from tensorlet.ops import op_def
    missing = sorted(n for n, op in op_def.REGISTRY.items()
                     if n not in op_def.CHECKED and not n.startswith("Test"))
    if missing:
        print(f"\nOps never executed under the inference check ({len(missing)}): {', '.join(missing)}")
        session.exitstatus = 1
