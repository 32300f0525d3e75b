#!/usr/bin/env python3
"""Convolution and pooling timings: tensorlet, and TensorFlow side by side (issue 6 item 2).

    python benchmarks/conv_bench.py                                   # tensorlet only
    python benchmarks/conv_bench.py --tf-python /tmp/tfvenv/bin/python   # + TF, interleaved
    python benchmarks/conv_bench.py --cases conv64 pool --rounds 9 --calls 5

Each framework runs in its own worker process (this file with ``--worker``), started once and
kept warm; the parent asks them in turn (A B / B A order, round after round) to time one case,
so both see the same machine load.  Per case and framework: the median (and minimum) wall time of
one call over all rounds, and the process CPU time / wall time during the timed calls ("cpu":
~2 on this 2-core machine means both cores worked).  ``ratio`` = tensorlet / TF (>1 = tensorlet
slower).  Eager mode in both frameworks (TF runs its CPU ops synchronously).

Shapes (float32, NHWC, batch 128) are the seed's MNIST CNN (and shared/bench's cnn_fit):
Conv2D(1->32, 3x3) on 28x28, Conv2D(32->64, 3x3) on 26x26 (VALID and SAME), MaxPool 2x2 on its
24x24x64 output (and on 26x26x32, the 036 model's odd-free first pool), AvgPool 2x2, and a 3x3
depthwise convolution on 26x26x32.  "fwd+bwd" = forward, then ``tape.gradient`` with a given
upstream gradient w.r.t. the input and the filter (the first layer: the filter only, as in
training, where its input is data).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

N = 128


def _cases(tf, np):
    """{name: zero-argument callable} for framework module ``tf``."""
    rng = np.random.default_rng(0)

    def t(*shape):
        return tf.constant(rng.standard_normal(shape, dtype=np.float32))

    cases = {}

    def conv(name, x, f, padding, dx=True):
        y0 = tf.nn.conv2d(x, f, 1, padding)
        dy = t(*y0.shape)
        cases[name + " fwd"] = lambda: tf.nn.conv2d(x, f, 1, padding)

        def fb():
            with tf.GradientTape() as tape:
                tape.watch(f)
                if dx:
                    tape.watch(x)
                y = tf.nn.conv2d(x, f, 1, padding)
            return tape.gradient(y, [x, f] if dx else [f], output_gradients=dy)

        cases[name + " fwd+bwd"] = fb

    conv("conv1 1->32 28x28 VALID", t(N, 28, 28, 1), t(3, 3, 1, 32), "VALID", dx=False)
    x64, f64 = t(N, 26, 26, 32), t(3, 3, 32, 64)
    conv("conv64 32->64 26x26 VALID", x64, f64, "VALID")
    conv("conv64 32->64 26x26 SAME", x64, f64, "SAME")

    def pool(name, fn, x):
        y0 = fn(x, 2, 2, "VALID")
        dy = t(*y0.shape)
        cases[name + " fwd"] = lambda: fn(x, 2, 2, "VALID")

        def fb():
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = fn(x, 2, 2, "VALID")
            return tape.gradient(y, x, output_gradients=dy)

        cases[name + " fwd+bwd"] = fb

    pool("pool max 2x2 24x24x64", tf.nn.max_pool2d, t(N, 24, 24, 64))
    pool("pool max 2x2 26x26x32", tf.nn.max_pool2d, t(N, 26, 26, 32))
    pool("pool avg 2x2 24x24x64", tf.nn.avg_pool2d, t(N, 24, 24, 64))

    xd, fd = t(N, 26, 26, 32), t(3, 3, 32, 1)
    yd = tf.nn.depthwise_conv2d(xd, fd, [1, 1, 1, 1], "SAME")
    dyd = t(*yd.shape)
    cases["depthwise 3x3 26x26x32 SAME fwd"] = lambda: tf.nn.depthwise_conv2d(
        xd, fd, [1, 1, 1, 1], "SAME"
    )

    def dfb():
        with tf.GradientTape() as tape:
            tape.watch([xd, fd])
            y = tf.nn.depthwise_conv2d(xd, fd, [1, 1, 1, 1], "SAME")
        return tape.gradient(y, [xd, fd], output_gradients=dyd)

    cases["depthwise 3x3 26x26x32 SAME fwd+bwd"] = dfb
    return cases


def worker(framework, path):
    """Reads JSON requests {"case", "calls"} from stdin, answers {"times", "cpu"} per line."""
    import numpy as np

    if framework == "tensorlet":
        sys.path.insert(0, path)
        import tensorlet as tf
    else:
        import tensorflow as tf
    cases = _cases(tf, np)
    # warm-up: first calls, caches, and the heap: on this VM the first touch of fresh memory
    # costs ~40-75 us per page fault (an 18 MB array: up to 40 ms) until malloc's heap has
    # grown to the working set of all cases, so every case runs a few times first
    for _ in range(3):
        for fn in cases.values():
            fn()
    blas = None
    if framework == "tensorlet":
        try:  # which OpenBLAS kernels NumPy runs (see --keep-openblas-env)
            import threadpoolctl

            info = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
            blas = f"OpenBLAS {info[0]['version']} {info[0]['architecture']}" if info else None
        except ImportError:
            pass
    print(json.dumps({"ready": sorted(cases), "blas": blas}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        fn = cases[req["case"]]
        fn()
        times = []
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        w0 = time.perf_counter()
        for _ in range(req["calls"]):
            a = time.perf_counter()
            fn()
            times.append(time.perf_counter() - a)
        wall = time.perf_counter() - w0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / wall
        print(json.dumps({"times": times, "cpu": cpu}), flush=True)


class Worker:
    def __init__(self, label, framework, python, path=REPO, env=None):
        self.name = label
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115  (TF's chatter; shown on failure)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **(env or {}))
        env = {k: v for k, v in env.items() if v is not None}  # None: unset
        self.proc = subprocess.Popen(
            [python, os.path.abspath(__file__), "--worker", framework, "--tensorlet-path", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
            env=env,
        )
        line = self.proc.stdout.readline()
        if not line:
            self.log.seek(0)
            raise RuntimeError(f"{label} worker failed to start:\n{self.log.read()[-3000:]}")
        ready = json.loads(line)
        self.cases, self.blas = ready["ready"], ready.get("blas")

    def time(self, case, calls):
        self.proc.stdin.write(json.dumps({"case": case, "calls": calls}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        self.log.close()


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--tf-python", help="python of a TensorFlow 2.21 virtualenv (runs TF side by side)"
    )
    p.add_argument("--cases", nargs="*", help="substrings selecting cases (default: all)")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--calls", type=int, default=5, help="timed calls per round")
    p.add_argument("--json", help="write the raw results here")
    p.add_argument(
        "--openblas-coretype",
        metavar="NAME",
        help="OPENBLAS_CORETYPE for the tensorlet workers (e.g. Haswell)",
    )
    p.add_argument(
        "--keep-openblas-env",
        action="store_true",
        help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE from the environment for the tensorlet "
        "workers.  By default they are unset there: this workplace sets CORETYPE=Haswell (for "
        "old OpenBLAS builds), which makes NumPy's OpenBLAS 0.3.31 run AVX2 instead of the "
        "AVX-512 kernels it picks by itself on a user's machine",
    )
    p.add_argument("--tensorlet-path", default=REPO, help="the tensorlet tree to measure")
    p.add_argument(
        "--baseline",
        metavar="PATH",
        help="another tensorlet tree (e.g. a `git worktree` of an older commit), measured "
        "interleaved as column 'before'",
    )
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        return worker(args.worker, args.tensorlet_path)

    env = {} if args.keep_openblas_env else {"OPENBLAS_CORETYPE": None, "OPENBLAS_L2_SIZE": None}
    if args.openblas_coretype:
        env["OPENBLAS_CORETYPE"] = args.openblas_coretype
    workers = [Worker("tensorlet", "tensorlet", sys.executable, args.tensorlet_path, env)]
    if args.baseline:
        workers.append(Worker("before", "tensorlet", sys.executable, args.baseline, env))
    if args.tf_python:
        workers.append(Worker("TF", "tensorflow", args.tf_python))
    for w in workers:
        if w.blas:
            print(f"{w.name}: NumPy runs {w.blas}")
    names = [c for c in workers[0].cases if not args.cases or any(s in c for s in args.cases)]
    results = {c: {w.name: {"times": [], "cpu": []} for w in workers} for c in names}
    for r in range(args.rounds):
        order = workers if r % 2 == 0 else workers[::-1]
        for c in names:
            for w in order:
                out = w.time(c, args.calls)
                results[c][w.name]["times"] += out["times"]
                results[c][w.name]["cpu"].append(out["cpu"])
    for w in workers:
        w.close()

    labels = [w.name for w in workers]
    head = f"{'case':38s}" + "".join(f" {lb + ' ms':>15s} {'cpu':>4s}" for lb in labels)
    ratios = [lb for lb in labels if lb != "TF"] if args.tf_python else []
    head += "".join(f" {lb + '/TF':>13s}" for lb in ratios)
    print(head + "\n" + "-" * len(head))
    for c in names:
        med = {lb: statistics.median(results[c][lb]["times"]) * 1e3 for lb in labels}
        low = {lb: min(results[c][lb]["times"]) * 1e3 for lb in labels}
        line = f"{c:38s}"
        for lb in labels:
            line += (
                f" {med[lb]:7.2f} ({low[lb]:5.2f}) {statistics.median(results[c][lb]['cpu']):4.1f}"
            )
        for lb in ratios:
            line += f" {med[lb] / med['TF']:5.2f} ({low[lb] / low['TF']:4.2f})"
        print(line)
    print(
        "ms: median (min) of one call over all rounds; cpu: process CPU time / wall time;\n"
        "X/TF: ratio of the medians (of the minima); >1 = slower than TensorFlow"
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f)


if __name__ == "__main__":
    main()
