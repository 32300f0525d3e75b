"""Run the seed corpus (shared/seed/corpus) on tensorlet and evaluate its manifest checks.

Uses the corpus' own runner and checker from their location:
    run_corpus.py --framework tensorlet --tensorlet-path <repo> --workdir <tmp> --out <tmp>/results.json
    check_outputs.py <tmp>/results.json
Outcomes are merged into _results/corpus.json (read by `tensorlet conformance`); the list of
examples that must keep passing is corpus_baseline.txt.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    from . import harness
except ImportError:          # run as a script's sibling (update_gaps.py)
    import harness

DEFAULT_TIMEOUT = float(os.environ.get("CONFORMANCE_CORPUS_TIMEOUT", "600"))
LINE_RE = re.compile(r"^(PASS|FAIL|SKIP) (\S+)(.*)$")


def manifest():
    with open(os.path.join(harness.CORPUS_DIR, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def chapter(example):
    """The document chapter of a manifest example (English gloss, sub-chapters folded in)."""
    sec = example.get("section_en") or example.get("section") or "?"
    return re.sub(r"\s*\(.*\)\s*$", "", sec.split(" / ")[0]).strip()


def read_baseline(path=harness.CORPUS_BASELINE_FILE):
    ids = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    ids.append(line)
    return ids


def write_baseline(ids, path=harness.CORPUS_BASELINE_FILE):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Seed-corpus examples (shared/seed/corpus) whose manifest checks pass on tensorlet.\n"
                "# The corpus test (pytest -m corpus tests/conformance) fails if one of them regresses.\n"
                "# Refresh: python tests/conformance/update_gaps.py --corpus-only   (all examples, slow)\n")
        for i in sorted(set(ids)):
            f.write(i + "\n")


def run(selectors, timeout=DEFAULT_TIMEOUT, verbose=False):
    """Run the selected examples (all if empty); return {id: {"ok", "detail", "chapter"}}."""
    work = tempfile.mkdtemp(prefix="tensorlet-corpus-")
    out = os.path.join(work, "results_tensorlet.json")
    try:
        cmd = [sys.executable, os.path.join(harness.CORPUS_DIR, "run_corpus.py"), "--framework", "tensorlet",
               "--tensorlet-path", harness.REPO, "--workdir", os.path.join(work, "work"), "--out", out,
               "--timeout", str(timeout)] + list(selectors)
        r = subprocess.run(cmd, cwd=work, capture_output=not verbose, text=True)
        if not os.path.exists(out):
            raise RuntimeError("run_corpus.py wrote no results (exit %s): %s"
                               % (r.returncode, (r.stderr or "")[-2000:]))
        chk = subprocess.run([sys.executable, os.path.join(harness.CORPUS_DIR, "check_outputs.py"), out]
                             + list(selectors), cwd=work, capture_output=True, text=True)
        outcome = parse_check_output(chk.stdout)
        if verbose:
            print(chk.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save(outcome, selectors)
    return outcome


def parse_check_output(text):
    chapters = {e["id"]: chapter(e) for e in manifest()["examples"]}
    outcome = {}
    for line in text.splitlines():
        m = LINE_RE.match(line)
        if not m or m.group(1) == "SKIP":
            continue
        eid = m.group(2)
        outcome[eid] = {"ok": m.group(1) == "PASS", "detail": m.group(3).strip()[:500],
                        "chapter": chapters.get(eid, "?")}
    return outcome


def save(outcome, selectors=()):
    data = {}
    try:
        with open(harness.CORPUS_RESULTS_FILE, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        pass
    examples = data.get("examples", {}) if selectors or outcome else {}
    examples.update(outcome)
    runnable = {e["id"]: chapter(e) for e in manifest()["examples"] if e.get("file")}
    data.update({"updated": datetime.datetime.now().isoformat(timespec="seconds"),
                 "runnable": runnable, "examples": {k: v for k, v in examples.items() if k in runnable}})
    os.makedirs(harness.RESULTS_DIR, exist_ok=True)
    with open(harness.CORPUS_RESULTS_FILE, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


def update_baseline(outcome, subset=False):
    old = set(read_baseline())
    passed = {k for k, v in outcome.items() if v["ok"]}
    if subset:
        new = (old - set(outcome)) | passed
    else:
        new = passed
    write_baseline(new)
    print("corpus_baseline.txt: %d examples (%d added, %d removed)" % (len(new), len(new - old), len(old - new)))
    return new
