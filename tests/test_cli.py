"""`tensorlet run` (import aliasing, __main__, argv, sys.path, exit codes, tracebacks) and the
other subcommands, on tiny temporary scripts run in fresh interpreters."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([REPO] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.pop("TENSORLET_ALIASES", None)
    env.update(extra)
    return env


def _tensorlet(args, cwd, **env):
    return subprocess.run([sys.executable, "-m", "tensorlet"] + list(args), cwd=cwd, env=_env(**env),
                          capture_output=True, text=True, timeout=300)


def _script(tmp_path, body, name="prog.py"):
    path = tmp_path / "scripts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body))
    return path


@pytest.fixture
def fake_pkg(tmp_path):
    """A stand-in target package: a real submodule, a nested one and a module-valued attribute."""
    root = tmp_path / "lib" / "fakelet"
    (root / "keras" / "layers").mkdir(parents=True)
    (root / "__init__.py").write_text(textwrap.dedent("""
        import types
        from fakelet import keras
        tuner = types.ModuleType("fakelet_tuner_impl")   # module-valued attribute, not importable
        tuner.RandomSearch = "RS"
        VALUE = 42
    """))
    (root / "keras" / "__init__.py").write_text("__version__ = 'k'\n")
    (root / "keras" / "layers" / "__init__.py").write_text("Dense = 'D'\n")
    return str(tmp_path / "lib")


FAKE_TABLE = "tensorflow=fakelet,keras=fakelet.keras,tf_keras=fakelet.keras,keras_tuner=fakelet.tuner"


def test_tensorflow_resolves_to_the_tensorlet_module_objects(tmp_path):
    s = _script(tmp_path, """
        import sys
        import tensorflow as tf
        import tensorlet
        assert tf is tensorlet, tf
        assert sys.modules["tensorflow"] is sys.modules["tensorlet"]
        assert tf.__spec__.name == "tensorlet", tf.__spec__
        import tensorflow.math
        assert sys.modules["tensorflow.math"] is tensorlet.math
        from tensorflow import math as m
        assert m is tensorlet.math
        print("ALIASED")
    """)
    r = _tensorlet(["run", str(s)], cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "ALIASED" in r.stdout


def test_default_alias_table():
    from tensorlet import _alias
    table = dict(_alias.DEFAULT_ALIASES)
    assert table == {"tensorflow": "tensorlet", "keras": "tensorlet.keras", "tf_keras": "tensorlet.keras",
                     "tensorflow_model_optimization": "tensorlet.model_optimization",
                     "keras_tuner": "tensorlet.tuner"}
    ordered = _alias.AliasFinder().table
    assert _alias._match("tensorflow.keras.layers", ordered) == "tensorlet.keras.layers"
    assert _alias._match("tensorflow_model_optimization.sparsity", ordered) == "tensorlet.model_optimization.sparsity"
    assert _alias._match("keras_tuner", ordered) == "tensorlet.tuner"
    assert _alias._match("kerasx", ordered) is None
    assert _alias._match("tensorlet", ordered) is None


def test_submodules_attributes_and_same_objects(tmp_path, fake_pkg):
    s = _script(tmp_path, """
        import sys
        import tensorflow as tf, fakelet
        import keras, tf_keras
        import tensorflow.keras.layers
        from tensorflow.keras import layers
        from keras.layers import Dense
        import keras_tuner as kt
        assert tf is fakelet and keras is tf_keras is fakelet.keras
        assert sys.modules["tensorflow.keras"] is sys.modules["keras"] is fakelet.keras
        assert sys.modules["tensorflow.keras.layers"] is layers is fakelet.keras.layers
        assert Dense == "D" and kt is fakelet.tuner and kt.RandomSearch == "RS"
        try:
            import tensorflow.nothing_here
        except ModuleNotFoundError as e:
            print("MISSING", type(e).__name__)
        print("OK")
    """)
    r = _tensorlet(["run", str(s)], cwd=str(tmp_path), TENSORLET_ALIASES=FAKE_TABLE,
                   PYTHONPATH=os.pathsep.join([fake_pkg, REPO]))
    assert r.returncode == 0, r.stderr
    assert "MISSING ModuleNotFoundError" in r.stdout and "OK" in r.stdout


def test_main_argv_and_sys_path(tmp_path):
    s = _script(tmp_path, """
        import json, sys
        print(json.dumps({"name": __name__, "argv": sys.argv, "path0": sys.path[0], "file": __file__}))
    """)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    rel = os.path.relpath(str(s), str(elsewhere))
    r = _tensorlet(["run", rel, "a", "--flag", "b c"], cwd=str(elsewhere))
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    py = subprocess.run([sys.executable, rel, "a", "--flag", "b c"], cwd=str(elsewhere), capture_output=True,
                        text=True)
    want = json.loads(py.stdout.strip().splitlines()[-1])
    assert got["name"] == "__main__"
    assert got["argv"] == [rel, "a", "--flag", "b c"] == want["argv"]
    assert got["path0"] == os.path.dirname(os.path.realpath(str(s))) == want["path0"]
    assert got["file"] == want["file"]


def test_script_dir_modules_are_importable(tmp_path):
    _script(tmp_path, "HELLO = 'from helper'\n", name="helper_mod.py")
    s = _script(tmp_path, "import helper_mod\nprint(helper_mod.HELLO)\n")
    r = _tensorlet(["run", str(s)], cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "from helper" in r.stdout


@pytest.mark.parametrize("body, code", [
    ("import sys\nsys.exit(3)\n", 3),
    ("import sys\nsys.exit(0)\n", 0),
    ("print('done')\n", 0),
    ("raise SystemExit('bye')\n", 1),
])
def test_exit_codes_match_python(tmp_path, body, code):
    s = _script(tmp_path, body)
    r = _tensorlet(["run", str(s)], cwd=str(tmp_path))
    py = subprocess.run([sys.executable, str(s)], capture_output=True, text=True)
    assert r.returncode == py.returncode == code
    assert r.stderr == py.stderr


def test_uncaught_exception_traceback_like_python(tmp_path):
    s = _script(tmp_path, """
        def inner():
            raise ValueError("boom")

        def outer():
            inner()

        outer()
    """)
    r = _tensorlet(["run", str(s)], cwd=str(tmp_path))
    py = subprocess.run([sys.executable, str(s)], capture_output=True, text=True)
    assert r.returncode == py.returncode == 1
    assert r.stderr == py.stderr, r.stderr
    assert "cli.py" not in r.stderr and "runpy" not in r.stderr


def test_run_module(tmp_path):
    pkg = tmp_path / "mods"
    pkg.mkdir()
    (pkg / "tool.py").write_text("import sys, tensorflow\nprint(__name__, sys.argv[1:], tensorflow.__name__)\n")
    r = _tensorlet(["run", "-m", "tool", "x", "y"], cwd=str(pkg))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["__main__", "['x',", "'y']", "tensorlet"]


def test_missing_script(tmp_path):
    r = _tensorlet(["run", str(tmp_path / "nope.py")], cwd=str(tmp_path))
    assert r.returncode == 2
    assert "can't open file" in r.stderr


def test_help_and_unknown_command(tmp_path):
    r = _tensorlet(["--help"], cwd=str(tmp_path))
    assert r.returncode == 0 and "run SCRIPT" in r.stdout and "conformance" in r.stdout
    r = _tensorlet(["frobnicate"], cwd=str(tmp_path))
    assert r.returncode == 2 and "unknown command" in r.stderr


def test_info_reports_versions(tmp_path):
    r = _tensorlet(["info"], cwd=str(tmp_path))
    assert "Python version:" in r.stdout, r.stderr
    assert "NumPy version:" in r.stdout or "tensorlet import failed" in r.stdout
    assert "BLAS:" in r.stdout or "tensorlet import failed" in r.stdout


def test_conformance_summary(tmp_path):
    res = tmp_path / "results"
    res.mkdir()
    (res / "conformance.json").write_text(json.dumps({"updated": "now", "tensorlet_version": "0.1", "checks": {
        "01_math::unary/exp/f32 [value]": {"ok": True, "gap": False},
        "01_math::unary/exp/f32 [grad]": {"ok": False, "gap": True},
        "04_nn::conv2d/x [value]": {"ok": False, "gap": False},
    }}))
    (res / "corpus.json").write_text(json.dumps({
        "updated": "now", "runnable": {"001_a": "Intro", "002_b": "Intro", "024_c": "Keras"},
        "examples": {"001_a": {"ok": True}, "024_c": {"ok": False}}}))
    r = _tensorlet(["conformance", "--results", str(res), "--json"], cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    t = s["fixtures"]["topics"]
    assert t["01_math"]["checks"] == 2 and t["01_math"]["passed"] == 1 and t["01_math"]["known_gaps"] == 1
    assert t["04_nn"]["unexpected_failures"] == 1
    assert s["corpus"]["chapters"]["Intro"] == {"examples": 2, "run": 1, "passed": 1}
    assert s["corpus"]["chapters"]["Keras"] == {"examples": 1, "run": 1, "passed": 0}
    r = _tensorlet(["conformance", "--results", str(res)], cwd=str(tmp_path))
    assert r.returncode == 0 and "01_math" in r.stdout and "Intro" in r.stdout


def test_quickstart_example_runs():
    """The README's first command runs examples/quickstart.py: it must work and train."""
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, os.path.join(root, "examples", "quickstart.py")],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert "d loss / d w = tf.Tensor(8.0, shape=(), dtype=float32)" in out
    assert "Epoch 5/5" in out
    accuracy = float(out.strip().splitlines()[-1].rsplit(",", 1)[1].strip(" ]"))
    assert accuracy > 0.9
