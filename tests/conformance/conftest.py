"""pytest wiring of the conformance suite: the `corpus` marker and the results file.

Environment knobs (pytest options would need a root conftest):
  CONFORMANCE_TOPICS=01,04      only these fixture topics (prefixes)
  CONFORMANCE_CASES=exp,conv2d  only checks whose id contains one of these substrings
  CONFORMANCE_CORPUS=0          skip the corpus baseline test (it runs by default; `-m corpus` runs only it)
  CONFORMANCE_CASE_TIMEOUT=60   seconds per check
At the end of a session the outcomes are merged into tests/conformance/_results/conformance.json,
which `tensorlet conformance` summarises.
"""
import datetime
import os

from . import harness




def pytest_configure(config):
    config.addinivalue_line("markers", "corpus: runs the seed corpus examples of corpus_baseline.txt on tensorlet "
                                       "(runs by default; CONFORMANCE_CORPUS=0 skips it)")


def pytest_sessionfinish(session, exitstatus):
    SESSION = harness.SESSION
    if not SESSION:
        return
    data = harness.load_results()
    checks = data.get("checks", {})
    checks.update(SESSION)
    valid = {c.id for c in harness.all_checks()}
    checks = {k: v for k, v in checks.items() if k in valid}
    try:
        import tensorlet
        version = getattr(tensorlet, "__version__", None)
    except Exception:  # noqa: BLE001
        version = None
    data.update({
        "updated": datetime.datetime.now().isoformat(timespec="seconds"),
        "tensorlet_version": version,
        "fixtures": harness.FIXTURES_DIR and os.path.relpath(harness.FIXTURES_DIR, harness.REPO),
        "records": harness.record_counts(),
        "checks": checks,
    })
    try:
        harness.save_results(data)
    except OSError as e:  # a read-only checkout: the summary just has nothing new
        print("\nconformance: could not write %s: %s" % (harness.RESULTS_FILE, e))
