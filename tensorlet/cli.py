"""The ``tensorlet`` command.

    tensorlet run script.py [args...]     run an unmodified TensorFlow program on tensorlet
    tensorlet run -m package.module [args...]
    tensorlet info                        versions, devices, BLAS, a tiny computation
    tensorlet conformance [--json]        pass counts of the last conformance / corpus runs

``python -m tensorlet ...`` is the same.  Nothing heavy is imported before a subcommand needs it.
"""
import argparse
import json
import os
import sys

USAGE = """tensorlet <command> [options]

commands:
  run SCRIPT [ARGS...]     run a TensorFlow program with tensorflow/keras imports aliased to tensorlet
  run -m MODULE [ARGS...]  the same for a module (like python -m)
  info                     Python / tensorlet / NumPy versions, devices, BLAS, a tiny computation
  conformance              pass counts per fixture topic and corpus chapter (last recorded runs)
"""


# ----------------------------------------------------------------------------------------------- run
def _strip_frames(tb, stop_files):
    """Drop the leading traceback entries that belong to this launcher (cli.py, runpy)."""
    while tb is not None and (tb.tb_frame.f_code.co_filename in stop_files
                              or tb.tb_frame.f_code.co_filename.startswith("<frozen runpy")):
        tb = tb.tb_next
    return tb


def cmd_run(argv):
    """Run a script or module like `python script.py` does, with the import aliases installed."""
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: tensorlet run SCRIPT [ARGS...]\n       tensorlet run -m MODULE [ARGS...]\n\n"
              "Runs the program with `tensorflow`, `keras`, `tf_keras`, `tensorflow_model_optimization` and\n"
              "`keras_tuner` imports resolved to tensorlet's modules (TENSORLET_ALIASES='src=dst,...' overrides).")
        return 0 if argv else 2
    import runpy

    from tensorlet import _alias

    table = _alias.parse_table(os.environ["TENSORLET_ALIASES"]) if os.environ.get("TENSORLET_ALIASES") else None
    if argv[0] == "-m":
        if len(argv) < 2:
            print("tensorlet run: -m needs a module name", file=sys.stderr)
            return 2
        module, args = argv[1], argv[2:]
        sys.argv = [module] + list(args)  # runpy replaces argv[0] by the module's file
        sys.path[0:1] = [os.getcwd()] if sys.path else [os.getcwd()]
        _alias.install(table)
        launcher = {os.path.abspath(__file__), runpy.__file__}
        try:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        except SystemExit:
            raise
        except BaseException as e:  # noqa: BLE001 - report like the interpreter does
            return _report(e, launcher)
        return 0

    script, args = argv[0], argv[1:]
    if not os.path.exists(script):
        exe = os.path.basename(sys.executable)
        print("%s: can't open file %r: [Errno 2] No such file or directory" % (exe, os.path.abspath(script)),
              file=sys.stderr)
        return 2
    sys.argv = [script] + list(args)
    script_dir = os.path.realpath(script) if os.path.isdir(script) else os.path.dirname(os.path.realpath(script))
    if sys.path:
        sys.path[0] = script_dir
    else:
        sys.path.append(script_dir)
    _alias.install(table)
    launcher = {os.path.abspath(__file__), runpy.__file__}
    try:
        if os.path.isfile(script) and not _is_zip(script):
            _run_file(script)
        else:  # a directory or zip file with __main__.py
            runpy.run_path(script, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as e:  # noqa: BLE001 - report like the interpreter does
        return _report(e, launcher)
    return 0


def _is_zip(path):
    import zipfile
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _run_file(path):
    """Execute a script file as the interpreter's __main__ module, as `python path` does
    (runpy.run_path would make argv[0] absolute too; Python keeps it as typed and only makes
    __file__ absolute)."""
    import builtins
    import importlib.machinery
    import io
    import types

    filename = path if os.path.isabs(path) else os.path.join(os.getcwd(), path)  # not normalised, as Python
    with io.open_code(filename) as f:
        source = f.read()
    code = compile(source, filename, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__dict__.update({"__file__": filename, "__builtins__": builtins, "__cached__": None, "__spec__": None,
                          "__package__": None,
                          "__loader__": importlib.machinery.SourceFileLoader("__main__", filename)})
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _report(exc, launcher):
    if isinstance(exc, KeyboardInterrupt):
        import traceback
        traceback.print_exception(type(exc), exc, _strip_frames(exc.__traceback__, launcher))
        return 130
    exc.__traceback__ = _strip_frames(exc.__traceback__, launcher)
    sys.excepthook(type(exc), exc, exc.__traceback__)
    return 1


# ---------------------------------------------------------------------------------------------- info
def _blas_info():
    lines = []
    try:
        import threadpoolctl
        for pool in threadpoolctl.threadpool_info():
            if pool.get("user_api") == "blas":
                lines.append("%s %s (%s, %s threads)" % (pool.get("internal_api"), pool.get("version"),
                                                        pool.get("architecture") or "?", pool.get("num_threads")))
    except Exception:  # noqa: BLE001 - optional dependency
        pass
    if lines:
        return lines
    try:
        import numpy as np
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        if blas:
            return [("%s %s" % (blas.get("name", "?"), blas.get("version", ""))).strip()]
    except Exception:  # noqa: BLE001 - older NumPy without mode="dicts"
        pass
    try:
        import numpy as np
        info = np.__config__.get_info("blas_opt_info") if hasattr(np.__config__, "get_info") else {}
        if info:
            return [", ".join(info.get("libraries", [])) or "unknown"]
    except Exception:  # noqa: BLE001
        pass
    return ["unknown"]


def cmd_info(argv):
    ap = argparse.ArgumentParser(prog="tensorlet info", description="Installation check (as the seed's script).")
    ap.parse_args(argv)
    import platform
    print("Python version:", sys.version)
    print("-" * 50)
    try:
        import tensorlet as tf
    except Exception as e:  # noqa: BLE001 - report a broken installation instead of a traceback
        print("✗ tensorlet import failed: %s: %s" % (type(e).__name__, e))
        return 1
    print("✓ tensorlet version: %s" % getattr(tf, "__version__", "unknown"))
    try:
        print("✓ Keras (tensorlet.keras) version: %s" % tf.keras.__version__)
    except Exception as e:  # noqa: BLE001
        print("⚠ tensorlet.keras not available (%s)" % type(e).__name__)
    import numpy as np
    print("✓ NumPy version: %s" % np.__version__)
    for line in _blas_info():
        print("✓ BLAS: %s" % line)
    print("✓ Platform: %s (%s CPUs)" % (platform.platform(), os.cpu_count()))
    print("-" * 50)
    try:
        devices = tf.config.list_physical_devices()
        print("✓ Devices found: %d" % len(devices))
        for d in devices:
            print("  - %s" % (d,))
        if not tf.config.list_physical_devices("GPU"):
            print("⚠ No GPU devices found (CPU only)")
    except Exception as e:  # noqa: BLE001
        print("⚠ Could not list devices: %s: %s" % (type(e).__name__, e))
    try:
        a = tf.constant([1, 2, 3])
        b = tf.constant([4, 5, 6])
        c = tf.add(a, b)
        print("✓ Basic computation test: %s + %s = %s" % (a.numpy(), b.numpy(), c.numpy()))
    except Exception as e:  # noqa: BLE001
        print("✗ Basic computation failed: %s: %s" % (type(e).__name__, e))
        return 1
    print("-" * 50)
    from importlib import metadata
    for package, dist in (("numpy", "numpy"), ("scipy", "scipy"), ("ml_dtypes", "ml_dtypes"), ("pandas", "pandas"),
                          ("matplotlib", "matplotlib"), ("sklearn", "scikit-learn"), ("jupyter", "jupyter")):
        try:
            print("✓ %s: %s" % (package, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            print("✗ %s: not installed" % package)
    print("-" * 50)
    print("Installation verification complete!")
    return 0


# ------------------------------------------------------------------------------------- conformance
def _repo_root():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.dirname(here)


def _results_dir():
    return os.environ.get("TENSORLET_CONFORMANCE_RESULTS") or os.path.join(
        _repo_root(), "tests", "conformance", "_results")


def _load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def conformance_summary(results_dir=None):
    """{"fixtures": {topic: counts}, "corpus": {chapter: counts}} from the last recorded runs."""
    results_dir = results_dir or _results_dir()
    out = {"results_dir": results_dir, "fixtures": None, "corpus": None}
    fx = _load_json(os.path.join(results_dir, "conformance.json"))
    if fx:
        topics = {}
        for cid, r in fx.get("checks", {}).items():
            topic = cid.split("::", 1)[0]
            kind = cid.rsplit("[", 1)[-1].rstrip("]")
            t = topics.setdefault(topic, {"checks": 0, "passed": 0, "known_gaps": 0, "unexpected_failures": 0,
                                          "fixed_but_listed": 0, "value_passed": 0, "value": 0,
                                          "grad_passed": 0, "grad": 0})
            t["checks"] += 1
            t[kind] = t.get(kind, 0) + 1
            if r.get("ok"):
                t["passed"] += 1
                t[kind + "_passed"] = t.get(kind + "_passed", 0) + 1
                if r.get("gap"):
                    t["fixed_but_listed"] += 1
            elif r.get("gap"):
                t["known_gaps"] += 1
            else:
                t["unexpected_failures"] += 1
        for topic, rec in (fx.get("records") or {}).items():
            topics.setdefault(topic, {"checks": 0, "passed": 0})["facts_without_call"] = rec.get("facts_without_call", 0)
        out["fixtures"] = {"updated": fx.get("updated"), "tensorlet_version": fx.get("tensorlet_version"),
                           "topics": dict(sorted(topics.items()))}
    cp = _load_json(os.path.join(results_dir, "corpus.json"))
    if cp:
        chapters = {}
        order = []
        for eid, ch in sorted((cp.get("runnable") or {}).items()):
            if ch not in chapters:
                order.append(ch)
            c = chapters.setdefault(ch, {"examples": 0, "run": 0, "passed": 0})
            c["examples"] += 1
            r = (cp.get("examples") or {}).get(eid)
            if r is not None:
                c["run"] += 1
                c["passed"] += bool(r.get("ok"))
        out["corpus"] = {"updated": cp.get("updated"), "chapters": {k: chapters[k] for k in order}}
    return out


def cmd_conformance(argv):
    ap = argparse.ArgumentParser(prog="tensorlet conformance",
                                 description="Pass counts of the last conformance (fixtures) and corpus runs.")
    ap.add_argument("--results", default=None, help="results folder (default: tests/conformance/_results of "
                                                    "the checkout, or $TENSORLET_CONFORMANCE_RESULTS)")
    ap.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = ap.parse_args(argv)
    s = conformance_summary(args.results)
    if args.json:
        json.dump(s, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not s["fixtures"] and not s["corpus"]:
        print("no recorded results in %s\nrun:  python -m pytest tests/conformance   (fixtures)\n"
              "      python tests/conformance/update_gaps.py --corpus-only   (corpus)" % s["results_dir"])
        return 1
    if s["fixtures"]:
        f = s["fixtures"]
        print("Reference fixtures (shared/fixtures/numerics), last run %s, tensorlet %s"
              % (f["updated"], f["tensorlet_version"]))
        head = ("topic", "checks", "passed", "%", "value", "grad", "gaps", "unexpected")
        print("%-20s %7s %7s %6s %11s %11s %6s %10s" % head)
        tot = {"checks": 0, "passed": 0, "value": 0, "value_passed": 0, "grad": 0, "grad_passed": 0,
               "known_gaps": 0, "unexpected_failures": 0}
        for topic, t in f["topics"].items():
            for k in tot:
                tot[k] += t.get(k, 0)
            print(_fx_row(topic, t))
        print(_fx_row("total", tot))
        fixed = sum(t.get("fixed_but_listed", 0) for t in f["topics"].values())
        if fixed:
            print("%d listed gaps pass now: run tests/conformance/update_gaps.py" % fixed)
    if s["corpus"]:
        c = s["corpus"]
        print()
        print("Seed corpus (shared/seed/corpus), last run %s" % c["updated"])
        print("%-45s %8s %5s %7s" % ("chapter", "examples", "run", "passed"))
        te = tr = tp = 0
        for ch, v in c["chapters"].items():
            te, tr, tp = te + v["examples"], tr + v["run"], tp + v["passed"]
            print("%-45s %8d %5d %7d" % (ch[:45], v["examples"], v["run"], v["passed"]))
        print("%-45s %8d %5d %7d" % ("total", te, tr, tp))
    return 0


def _fx_row(name, t):
    n, p = t.get("checks", 0), t.get("passed", 0)
    return "%-20s %7d %7d %5.1f%% %11s %11s %6d %10d" % (
        name, n, p, 100.0 * p / n if n else 0.0, "%d/%d" % (t.get("value_passed", 0), t.get("value", 0)),
        "%d/%d" % (t.get("grad_passed", 0), t.get("grad", 0)), t.get("known_gaps", 0),
        t.get("unexpected_failures", 0))


# ---------------------------------------------------------------------------------------------- main
COMMANDS = {"run": cmd_run, "info": cmd_info, "conformance": cmd_conformance}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0 if argv else 2
    if argv[0] in ("-V", "--version"):
        from importlib import metadata
        try:
            print("tensorlet", metadata.version("tensorlet"))
        except metadata.PackageNotFoundError:
            print("tensorlet (not installed)")
        return 0
    cmd = COMMANDS.get(argv[0])
    if cmd is None:
        sys.stderr.write("tensorlet: unknown command %r\n\n%s" % (argv[0], USAGE))
        return 2
    if cmd is cmd_run:
        return cmd(argv[1:])
    try:
        return cmd(argv[1:])
    except BrokenPipeError:  # `tensorlet conformance | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
