#!/usr/bin/env python3
"""Benchmark tensorlet against TensorFlow with the shared workloads (shared/bench).

    python benchmarks/run.py                                  # tensorlet only; ratios vs recorded TF baselines
    python benchmarks/run.py --tf-python /tmp/tfvenv/bin/python    # TF too, interleaved in one session
    python benchmarks/run.py --workloads eager_overhead matmul_conv --inner-repeat 2
    python benchmarks/run.py --summarize benchmarks/results/tensorlet-X.json [--against tensorflow-X.json]

The workloads, the runner and the comparison are shared/bench's own (workloads/*.py with
BENCH_FRAMEWORK=tensorlet, run.py, compare.py), invoked from their location: each workload runs
in a fresh process, frameworks interleaved workload by workload.  Results go to
benchmarks/results/ (the shared folder may be read-only).  Afterwards one table is printed:
per workload the headline metric for tensorlet and TF, the ratio (how many times worse
tensorlet is: >1 = slower), tensorlet's peak RSS, and "not supported yet" with the exception
for workloads tensorlet cannot run yet.  Without --tf-python the TF column comes from the
baselines recorded in shared/bench/results (another session, possibly another machine load).
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.environ.get("TENSORLET_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
BENCH = os.path.join(SHARED, "bench")
RESULTS = os.path.join(HERE, "results")
SHIM = os.path.join(HERE, "_shim")

# what the issue asks for -> the workload and metric that measures it
ASKED = [
    ("import time", "import_time", None),
    ("eager per-op overhead", "eager_overhead", None),
    ("tape overhead", "tape_overhead", None),
    ("tf.function call overhead", "function_overhead", None),
    ("fit: MLP", "mlp_fit", None),
    ("fit: CNN", "cnn_fit", None),
    ("fit: text (embedding)", "text_fit", None),
    ("fit: LSTM", "lstm_fit", None),
    ("custom training loop", "custom_loop", None),
    ("batch-1 predict", "predict_latency", None),
    ("tf.data pipeline", "data_pipeline", None),
    ("matmul throughput", "matmul_conv", "matmul_2048_gflops"),
    ("conv2d throughput", "matmul_conv", "conv2d_gflops"),
    ("fit per-step overhead", "fit_overhead", None),
]


def _compare_module():
    sys.path.insert(0, BENCH)
    import compare  # shared/bench/compare.py
    return compare


def baseline_files(framework="tensorflow"):
    return sorted(glob.glob(os.path.join(BENCH, "results", framework + "-*.json")))


def run_shared(args):
    frameworks = ["tensorflow", "tensorlet"] if args.tf_python else ["tensorlet"]
    cmd = [sys.executable, os.path.join(BENCH, "run.py"), "--framework", ",".join(frameworks),
           "--tensorlet-path", args.tensorlet_path, "--out-dir", args.out_dir, "--repeat", str(args.repeat)]
    if args.tf_python:
        cmd += ["--interleave", "--python", "tensorflow=" + args.tf_python]
    if args.inner_repeat:
        cmd += ["--inner-repeat", str(args.inner_repeat)]
    if args.timeout:
        cmd += ["--timeout", str(args.timeout)]
    if args.no_probe:
        cmd += ["--no-probe"]
    if args.workloads:
        cmd += ["--workloads"] + args.workloads
    os.makedirs(args.out_dir, exist_ok=True)
    before = set(glob.glob(os.path.join(args.out_dir, "*.json")))
    env = dict(os.environ)
    if not args.keep_openblas_env:  # see conv_bench.py --keep-openblas-env
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    # the placeholder tensorlet.keras (see _shim/sitecustomize.py) reaches the workloads' processes
    env["PYTHONPATH"] = os.pathsep.join([SHIM] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=BENCH, env=env)   # exit status 1 = some workload failed; reported below
    new = sorted(set(glob.glob(os.path.join(args.out_dir, "*.json"))) - before)
    pick = lambda fw: [p for p in new if os.path.basename(p).startswith(fw + "-")]  # noqa: E731
    return pick("tensorlet"), pick("tensorflow")


def _failures(path):
    """{workload: last exception line} of the failed runs of a results file."""
    with open(path) as f:
        data = json.load(f)
    out = {}
    for run in data.get("runs", []):
        if run.get("record"):
            continue
        tail = [ln for ln in (run.get("stderr_tail") or "").splitlines() if ln.strip()]
        why = tail[-1].strip() if tail else "exit code %s" % run.get("rc")
        if run.get("rc") == "timeout":
            why = "timed out"
        out[run["workload"]] = why
    return out


def _peak_rss(path):
    with open(path) as f:
        data = json.load(f)
    peaks = {}
    for run in data.get("runs", []):
        rec = run.get("record") or {}
        if rec.get("peak_rss_mib"):
            peaks.setdefault(rec["workload"], []).append(rec["peak_rss_mib"])
    return {w: max(v) for w, v in peaks.items()}


def measure_import(python=sys.executable, runs=7, path=REPO):
    """Median wall time of a fresh `python -c "import tensorlet"` (one untimed warm-up), as the
    shared import_time workload measures it; used while that workload cannot run on tensorlet
    (its `tf.keras.layers.Dense` case needs Keras)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([path] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    warm = dict(env)
    warm.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([python, "-c", "import tensorlet"], env=warm, check=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([python, "-c", "import tensorlet"], env=env, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def _label(path):
    path = os.path.abspath(path)
    base = REPO if path.startswith(REPO + os.sep) else os.path.dirname(SHARED)
    return os.path.relpath(path, base)


def summarize(tl_files, tf_files, out=sys.stdout, markdown=False, import_fallback=True, tensorlet_path=REPO):
    compare = _compare_module()
    B = compare.load(",".join(tl_files))
    A = compare.load(",".join(tf_files)) if tf_files else None
    fails = {}
    peaks = {}
    for p in tl_files:
        fails.update(_failures(p))
        peaks.update(_peak_rss(p))
    tf_peaks = {}
    for p in tf_files:
        tf_peaks.update(_peak_rss(p))
    ran = {w for (w, _) in B["metrics"]} | set(fails)
    rows = []
    for label, w, metric in ASKED:
        if w not in ran and w not in (A["headline"] if A else {}):
            continue
        metric = metric or B["headline"].get(w) or (A["headline"].get(w) if A else None)
        b = B["metrics"].get((w, metric))
        a = A["metrics"].get((w, metric)) if A else None
        unit = (b or a or {}).get("unit", "")
        better = (b or a or {}).get("better")
        bv = compare.summary(b)[0] if b else None
        av = compare.summary(a)[0] if a else None
        r = compare.ratio(av, bv, better) if (a and b) else None
        if b is None and w == "import_time" and import_fallback:
            try:
                med, lo, hi = measure_import(path=tensorlet_path)
                bv, tl_text = med, "%s [%s-%s] (import only, measured here)" % (
                    compare.fmt(med), compare.fmt(lo), compare.fmt(hi))
                r = compare.ratio(av, bv, better) if a else None
            except (OSError, subprocess.CalledProcessError) as e:
                tl_text = "not supported yet: %s" % e
        elif b is None and w in fails:
            tl_text = "not supported yet: " + fails[w][:70]
        elif b is None:
            tl_text = "-"
        else:
            tl_text = compare.fmt(bv)
        rows.append([label, "%s (%s%s)" % (metric, unit, ", higher is better" if better == "higher" else ""),
                     tl_text, compare.fmt(av) if a else "-", compare.fmt(r) if r else "-",
                     "%.0f" % peaks[w] if w in peaks else "-", "%.0f" % tf_peaks[w] if w in tf_peaks else "-"])
    head = ["what", "metric", "tensorlet", "TensorFlow", "ratio", "tensorlet peak RSS MiB", "TF peak RSS MiB"]
    if markdown:
        out.write("| " + " | ".join(head) + " |\n|" + "|".join("---" for _ in head) + "|\n")
        for row in rows:
            out.write("| " + " | ".join(row) + " |\n")
    else:
        widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
        out.write("  ".join(h.ljust(widths[i]) for i, h in enumerate(head)).rstrip() + "\n")
        out.write("-" * (sum(widths) + 2 * len(widths)) + "\n")
        for row in rows:
            out.write("  ".join(str(c).ljust(widths[i]) for i, c in enumerate(row)).rstrip() + "\n")
    out.write("\nratio = how many times worse tensorlet is than TensorFlow (>1: tensorlet slower/bigger).\n")
    out.write("TF column: %s\n" % (", ".join(_label(p) for p in tf_files) or "none"))
    supported = [r for r in rows if r[2] != "-" and not r[2].startswith("not supported")]
    heads = [float(r[4]) for r in supported if r[4] not in ("-",)]
    if heads:
        import math
        g = math.exp(sum(math.log(x) for x in heads) / len(heads))
        out.write("geometric mean ratio over %d measured metrics: %.3g\n" % (len(heads), g))
    out.write("%d of %d asked-for metrics measured on tensorlet; not supported yet: %s\n" % (
        len(supported), len(rows), ", ".join(r[0] for r in rows if r[2].startswith("not supported")) or "none"))
    skipped = [r[0] for r in rows if r[2] == "-"]
    if skipped:
        out.write("not run in this session: %s\n" % ", ".join(skipped))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tf-python", default=os.environ.get("BENCH_PYTHON_TENSORFLOW"),
                    help="python of a TensorFlow 2.21 virtualenv: measure TF in the same session")
    ap.add_argument("--workloads", nargs="*", default=None)
    ap.add_argument("--repeat", type=int, default=1, help="fresh-process runs per workload (default 1)")
    ap.add_argument("--inner-repeat", type=int, default=None, help="BENCH_REPEAT inside each workload")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per workload run (default 900)")
    ap.add_argument("--out-dir", default=RESULTS)
    ap.add_argument("--tensorlet-path", default=REPO, help="folder holding the tensorlet package (default: this "
                                                         "checkout; a copy gives a stable tree to measure)")
    ap.add_argument("--keep-openblas-env", action="store_true",
                    help="keep OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (this workplace sets CORETYPE=Haswell, "
                         "which slows NumPy's OpenBLAS 0.3.31 to AVX2 kernels); unset by default")
    ap.add_argument("--no-probe", action="store_true", help="skip the machine-speed probe")
    ap.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table")
    ap.add_argument("--summarize", nargs="*", metavar="TENSORLET_JSON", default=None,
                    help="only print the summary of existing tensorlet result files")
    ap.add_argument("--against", nargs="*", default=None, metavar="TF_JSON",
                    help="TF result files for --summarize (default: the recorded baselines)")
    args = ap.parse_args(argv)
    if not os.path.exists(os.path.join(BENCH, "run.py")):
        sys.exit("shared/bench not found at %s" % BENCH)
    if args.summarize is not None:
        tl = args.summarize or sorted(glob.glob(os.path.join(args.out_dir, "tensorlet-*.json")))[-1:]
        tf = args.against if args.against is not None else baseline_files()
        summarize(tl, tf, markdown=args.markdown, tensorlet_path=args.tensorlet_path)
        return 0
    t0 = time.time()
    tl, tf = run_shared(args)
    if not tl:
        sys.exit("the shared runner wrote no tensorlet results")
    print("\n=== summary (%.0f s) ===" % (time.time() - t0))
    summarize(tl, tf or baseline_files(), markdown=args.markdown, tensorlet_path=args.tensorlet_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
