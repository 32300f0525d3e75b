"""The seed corpus baseline: every example of corpus_baseline.txt must still pass its checks.

Each example is a fresh process (about 25 s for the whole baseline). Runs with the suite; skip it
with CONFORMANCE_CORPUS=0, or run only it with  pytest -m corpus tests/conformance.
Refresh the baseline with update_gaps.py --corpus-only.
"""
import os

import pytest

from . import corpus, harness


def _enabled(config):
    return "corpus" in (config.getoption("markexpr") or "") or os.environ.get(
        "CONFORMANCE_CORPUS", "1") != "0"


@pytest.mark.corpus
def test_corpus_baseline(request):
    if not _enabled(request.config):
        pytest.skip("corpus run switched off with CONFORMANCE_CORPUS=0")
    if not os.path.exists(os.path.join(harness.CORPUS_DIR, "run_corpus.py")):
        pytest.skip("shared/seed/corpus not found beside the repo")
    baseline = corpus.read_baseline()
    if not baseline:
        pytest.skip("corpus_baseline.txt lists no example yet")
    outcome = corpus.run(baseline)
    regressed = {k: (outcome.get(k) or {}).get("detail", "no result") for k in baseline
                 if not (outcome.get(k) or {}).get("ok")}
    assert not regressed, "corpus examples regressed:\n" + "\n".join(
        "  %s: %s" % (k, v) for k, v in sorted(regressed.items()))


def test_corpus_baseline_lists_runnable_examples():
    if not os.path.exists(os.path.join(harness.CORPUS_DIR, "manifest.json")):
        pytest.skip("shared/seed/corpus not found beside the repo")
    runnable = {e["id"] for e in corpus.manifest()["examples"] if e.get("file")}
    unknown = sorted(set(corpus.read_baseline()) - runnable)
    assert not unknown, "corpus_baseline.txt lists unknown examples: %s" % unknown
