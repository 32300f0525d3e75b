#!/usr/bin/env python3
"""Rewrite known_gaps.txt (and, with --corpus, corpus_baseline.txt) from a fresh run.

    python tests/conformance/update_gaps.py                 # run every fixture check, rewrite known_gaps.txt
    python tests/conformance/update_gaps.py --topics 01 04  # only these topics' lines change
    python tests/conformance/update_gaps.py --no-run        # reuse _results/conformance.json of the last run
    python tests/conformance/update_gaps.py --corpus        # also run the whole corpus, rewrite corpus_baseline.txt
    python tests/conformance/update_gaps.py --corpus-only 1-23 mnist   # corpus subset only

known_gaps.txt: existing reasons are kept, new failures are added as "TODO: <exception or
mismatch>", checks that pass now are dropped.  Replace the TODO reasons by real ones.
corpus_baseline.txt: the examples whose manifest checks pass on tensorlet (for a subset run,
only the selected examples are added/removed).
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
import corpus  # noqa: E402


def tensorlet_importable():
    r = subprocess.run([sys.executable, "-c", "import tensorlet"], cwd=harness.REPO, capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=harness.REPO + os.pathsep + os.environ.get("PYTHONPATH", "")))
    return r.returncode == 0, r.stderr.strip().splitlines()[-1:] if r.returncode else []


def run_fixtures(topics):
    env = dict(os.environ)
    env["PYTHONPATH"] = harness.REPO + os.pathsep + env.get("PYTHONPATH", "")
    if topics:
        env["CONFORMANCE_TOPICS"] = ",".join(topics)
    env.pop("CONFORMANCE_CASES", None)
    cmd = [sys.executable, "-m", "pytest", os.path.join(HERE, "test_fixtures.py"), "-q", "--tb=no",
           "-p", "no:cacheprovider", "--no-header", "-o", "console_output_style=classic"]
    print("running:", " ".join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=harness.REPO, env=env, capture_output=True, text=True)
    tail = [ln for ln in r.stdout.splitlines() if ln.strip()][-1:]
    print("pytest:", tail[0] if tail else "(no output)", "exit", r.returncode)


def update_gaps(topics):
    results = harness.load_results().get("checks", {})
    checks = harness.all_checks(topics or None)
    old = harness.read_gaps()
    new = dict(old)
    in_scope = {c.id for c in checks}
    missing = [c.id for c in checks if c.id not in results]
    if missing:
        sys.exit("no result for %d checks (e.g. %s): run without --no-run" % (len(missing), missing[0]))
    added = removed = 0
    for cid in in_scope:
        r = results[cid]
        if r["ok"]:
            if cid in new:
                del new[cid]
                removed += 1
        elif cid not in new:
            new[cid] = "TODO: " + (r.get("message") or "fails")
            added += 1
    valid = {c.id for c in harness.all_checks()}
    stale = [k for k in new if k not in valid]
    for k in stale:
        del new[k]
    harness.write_gaps(new)
    n_checks = len(valid)
    print("known_gaps.txt: %d gaps (%d added, %d fixed and removed, %d stale removed); %d of %d checks pass"
          % (len(new), added, removed, len(stale), n_checks - len(new), n_checks))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topics", nargs="*", default=None, help="topic prefixes (default: all)")
    ap.add_argument("--no-run", action="store_true", help="use the results of the last pytest run")
    ap.add_argument("--corpus", action="store_true", help="also run the corpus and rewrite corpus_baseline.txt")
    ap.add_argument("--corpus-only", nargs="*", default=None, metavar="SELECTOR",
                    help="only the corpus (optionally a subset: numbers, ranges, name substrings)")
    ap.add_argument("--corpus-timeout", type=float, default=corpus.DEFAULT_TIMEOUT,
                    help="seconds per corpus example (default %(default)s)")
    ap.add_argument("--force", action="store_true", help="write even if `import tensorlet` fails")
    args = ap.parse_args(argv)

    ok, err = tensorlet_importable()
    if not ok and not args.force:
        sys.exit("`import tensorlet` fails (%s): not rewriting the gaps from a broken tree (use --force)"
                 % (err[0] if err else "?"))
    if args.corpus_only is None:
        if not args.no_run:
            run_fixtures(args.topics)
        update_gaps(args.topics)
    if args.corpus or args.corpus_only is not None:
        selectors = args.corpus_only or []
        outcome = corpus.run(selectors, timeout=args.corpus_timeout, verbose=True)
        corpus.update_baseline(outcome, subset=bool(selectors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
