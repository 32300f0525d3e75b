"""Every case of shared/fixtures/numerics replayed on tensorlet (see harness.py).

Each check is one test id ("<topic>::<case> [value|grad|config]").  Checks listed in
known_gaps.txt are expected to fail (xfail with the listed reason); a listed check that
passes fails the run with "fixed, remove from known_gaps" (strict).
"""
import importlib
import os
import traceback

import pytest

from . import harness



def _selected_checks():
    topics = [t.strip() for t in os.environ.get("CONFORMANCE_TOPICS", "").split(",") if t.strip()]
    subs = [s.strip() for s in os.environ.get("CONFORMANCE_CASES", "").split(",") if s.strip()]
    checks = harness.all_checks(topics or None)
    if subs:
        checks = [c for c in checks if any(s in c.id for s in subs)]
    return checks


CHECKS = _selected_checks()
GAPS = harness.read_gaps()
_FRAMEWORK = []


def _framework():
    if not _FRAMEWORK:
        try:
            _FRAMEWORK.append(importlib.import_module("tensorlet"))
        except Exception as e:  # noqa: BLE001 - every check reports the import failure
            _FRAMEWORK.append(e)
    fw = _FRAMEWORK[0]
    if isinstance(fw, Exception):
        raise fw
    return fw


@pytest.mark.skipif(not harness.HAVE_FIXTURES, reason="shared/fixtures/numerics not found beside the repo")
@pytest.mark.parametrize("check", CHECKS, ids=[c.id for c in CHECKS])
def test_fixture(check):
    reason = GAPS.get(check.id)
    failure = None
    try:
        harness.run_check(_framework(), check)
    except Exception as e:  # noqa: BLE001
        failure = e
    # report outside the except block: an exception raised inside it would chain the original
    # one, and pytest renders chained tracebacks (~30 ms each, minutes for thousands of gaps)
    if failure is None:
        harness.SESSION[check.id] = {"ok": True, "gap": reason is not None, "message": ""}
        if reason is not None:
            pytest.fail("fixed, remove from known_gaps: %s (listed as: %s) -- run tests/conformance/update_gaps.py"
                        % (check.id, reason), pytrace=False)
        return
    harness.SESSION[check.id] = {"ok": False, "gap": reason is not None,
                                 "message": harness.failure_summary(failure, 300)}
    if reason is not None:
        pytest.xfail(reason)
    detail = "" if isinstance(failure, harness.CheckFailure) else "\n" + "".join(
        traceback.format_exception(type(failure), failure, failure.__traceback__, limit=-12))
    pytest.fail("%s\n%s%s" % (check.id, harness.failure_summary(failure, 2000), detail), pytrace=False)


@pytest.mark.skipif(not harness.HAVE_FIXTURES, reason="shared/fixtures/numerics not found beside the repo")
def test_known_gaps_file_lists_existing_checks():
    valid = {c.id for c in harness.all_checks()}
    stale = sorted(set(GAPS) - valid)
    assert not stale, "known_gaps.txt lists checks that do not exist (renamed fixtures?): %s" % stale[:20]
