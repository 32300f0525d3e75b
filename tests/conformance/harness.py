"""Conformance harness: replay the TensorFlow reference fixtures against a framework module.

The fixtures live in ``<repo>/../shared/fixtures/numerics`` (11 topics, 4140 cases recorded on
real TF 2.21 / Keras 3.15; see the README there).  Every case with a ``call`` becomes one or more
*checks*, each with a stable id used by pytest and by ``known_gaps.txt``::

    01_math::unary/exp/f32_domain [value]     the call's result (or the expected exception)
    01_math::unary/exp/f32_domain [grad]      tape.gradient of the recorded float leaves
    07_keras_layers::Dense/basic [config]     Keras layer cases: get_config() and weight metadata

This module is NumPy-only.  The framework is passed in as a module (``tf``), so the checks never
import anything themselves; the pytest suite passes ``tensorlet``.  The 420 ``kind: "fact"``
records of topic 06 carry no call (they document the NumPy Philox re-derivation) and are not
checks.

Public entry points: ``all_checks()`` (the list of ``Check``), ``run_check(tf, check)`` (raises
``CheckFailure`` or any exception on failure), ``read_gaps`` / ``write_gaps``.
"""
import ast
import contextlib
import json
import math
import os
import re
import signal
import sys
import warnings
from collections.abc import Mapping

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("TENSORLET_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
FIXTURES_DIR = os.path.join(SHARED, "fixtures", "numerics")
CORPUS_DIR = os.path.join(SHARED, "seed", "corpus")
GAPS_FILE = os.path.join(HERE, "known_gaps.txt")
CORPUS_BASELINE_FILE = os.path.join(HERE, "corpus_baseline.txt")
RESULTS_DIR = os.path.join(HERE, "_results")
RESULTS_FILE = os.path.join(RESULTS_DIR, "conformance.json")
CORPUS_RESULTS_FILE = os.path.join(RESULTS_DIR, "corpus.json")

CASE_TIMEOUT_S = float(os.environ.get("CONFORMANCE_CASE_TIMEOUT", "60"))

if FIXTURES_DIR not in sys.path:
    sys.path.append(FIXTURES_DIR)
try:
    from load_fixtures import Fixtures, assert_matches, list_topics, TOLERANCES  # noqa: E402  (shared, NumPy-only)
    HAVE_FIXTURES = True
except ImportError:  # shared/ missing: the suite reports a single skip
    Fixtures = list_topics = assert_matches = None
    TOLERANCES = {}
    HAVE_FIXTURES = False

KINDS = ("value", "grad", "config")
SESSION = {}   # check id -> {"ok", "gap", "message"} of the running pytest session (conftest saves it)


class CheckFailure(AssertionError):
    """A check's result differs from TensorFlow's."""


class CaseTimeout(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# the list of checks
class Check:
    __slots__ = ("topic", "name", "kind", "order")

    def __init__(self, topic, name, kind, order):
        self.topic, self.name, self.kind, self.order = topic, name, kind, order

    @property
    def id(self):
        return "%s::%s [%s]" % (self.topic, self.name, self.kind)

    def __repr__(self):
        return "<Check %s>" % self.id


_FIXTURES = {}


def fixtures(topic):
    """The topic's Fixtures object, loaded once per process."""
    fx = _FIXTURES.get(topic)
    if fx is None:
        fx = _FIXTURES[topic] = Fixtures(topic, os.path.join(FIXTURES_DIR, "data"))
    return fx


def topics():
    return list_topics(os.path.join(FIXTURES_DIR, "data")) if HAVE_FIXTURES else []


def checks_of_record(topic, rec, order):
    if not rec.get("call"):          # "fact" records: no call to replay
        return []
    out = [Check(topic, rec["name"], "value", order)]
    if rec.get("kind") == "keras_layer" and not rec.get("error"):
        out.append(Check(topic, rec["name"], "config", order))
    if rec.get("grad"):
        out.append(Check(topic, rec["name"], "grad", order))
    return out


def all_checks(only_topics=None):
    found = []
    for t in topics():
        if only_topics and not any(t.startswith(p) for p in only_topics):
            continue
        for i, rec in enumerate(fixtures(t).manifest["cases"]):
            found.extend(checks_of_record(t, rec, i))
    return found


def record_counts():
    """{topic: {"records": n, "facts_without_call": m}} for the summary."""
    out = {}
    for t in topics():
        cases = fixtures(t).manifest["cases"]
        out[t] = {"records": len(cases), "facts_without_call": sum(1 for c in cases if not c.get("call"))}
    return out


def sort_key(check_id):
    """Fixture order (topic, case position, value < grad < config) for stable files."""
    topic, rest = check_id.split("::", 1)
    name, kind = rest.rsplit(" [", 1)
    kind = kind.rstrip("]")
    pos = 10 ** 9
    if HAVE_FIXTURES:
        try:
            names = _name_positions(topic)
            pos = names.get(name, pos)
        except (OSError, ValueError):
            pass
    return (topic, pos, name, KINDS.index(kind) if kind in KINDS else 9)


_POSITIONS = {}


def _name_positions(topic):
    if topic not in _POSITIONS:
        _POSITIONS[topic] = {c["name"]: i for i, c in enumerate(fixtures(topic).manifest["cases"])}
    return _POSITIONS[topic]


# ----------------------------------------------------------------------------------------------
# known gaps file:  "<check id> # <reason>"
GAP_RE = re.compile(r"^(?P<id>\S.*? \[(?:%s)\])(?:\s+#\s?(?P<reason>.*))?$" % "|".join(KINDS))


def read_gaps(path=GAPS_FILE):
    gaps = {}
    if not os.path.exists(path):
        return gaps
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = GAP_RE.match(line)
            if not m:
                raise ValueError("%s:%d: cannot parse %r (expected '<topic>::<case> [value|grad|config] # reason')"
                                 % (path, n, line))
            gaps[m.group("id")] = (m.group("reason") or "").strip()
    return gaps


GAPS_HEADER = """\
# Known conformance gaps: one failing check per line, "<topic>::<case> [value|grad|config] # <reason>".
# Listed checks are strict xfails: when one starts passing, the suite fails with
# "fixed, remove from known_gaps" -- run  python tests/conformance/update_gaps.py  to rewrite this
# file (it keeps existing reasons, adds new failures as "TODO: ..." and drops fixed ones), then
# replace the TODO reasons by real ones.
"""


def write_gaps(gaps, path=GAPS_FILE):
    lines = [GAPS_HEADER]
    for cid in sorted(gaps, key=sort_key):
        reason = " ".join((gaps[cid] or "TODO").split())
        lines.append("%s # %s\n" % (cid, reason))
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(lines)
    os.replace(tmp, path)


def failure_summary(exc, limit=140):
    """One line for a TODO reason: 'ExcClass: message' or the mismatch summary."""
    if isinstance(exc, CheckFailure):
        text = str(exc)
    else:
        text = "%s: %s" % (type(exc).__name__, exc)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ----------------------------------------------------------------------------------------------
# running one check
def exec_case(code, ns):
    """Run `code` like the generator (gen/common.py:run_code): last expression is the result."""
    tree = ast.parse(code, mode="exec")
    if not tree.body:
        return None
    *body, last = tree.body
    if not isinstance(last, ast.Expr):
        exec(compile(tree, "<case>", "exec"), ns)
        return ns.get("result")
    exec(compile(ast.Module(body=body, type_ignores=[]), "<case>", "exec"), ns)
    return eval(compile(ast.Expression(last.value), "<case>", "eval"), ns)


def capture_tf_print(fn):
    """Run fn() and return what was written to file descriptor 2 (as gen/t11_repr.py does)."""
    import tempfile
    sys.stderr.flush()
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        saved = os.dup(2)
        try:
            os.dup2(tmp.fileno(), 2)
            fn()
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        return tmp.read().decode("utf-8", "replace")


class _LazyKeras:
    """`keras` in a case namespace: tf.keras, resolved on first use (tensorlet may lack it)."""

    def __init__(self, tf):
        self._tf = tf

    def __getattr__(self, name):
        return getattr(self._tf.keras, name)


@contextlib.contextmanager
def _time_limit(seconds):
    if not seconds or not hasattr(signal, "SIGALRM") or signal.getsignal(signal.SIGALRM) not in (
            signal.SIG_DFL, signal.SIG_IGN, None):
        yield
        return
    import threading
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise CaseTimeout("case took longer than %.0f s" % seconds)
    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_check(tf, check, keras=None):
    """Run one check against framework module `tf`; raise on any difference.

    `keras` is the module bound to `keras` in the case namespace (default: `tf.keras`)."""
    fx = fixtures(check.topic)
    case = fx.case(check.name)
    with _time_limit(CASE_TIMEOUT_S), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if keras is not None:
            tf = _WithKeras(tf, keras)
        if case.rec.get("kind") == "keras_layer":
            {"value": _layer_value, "grad": _layer_grad, "config": _layer_config}[check.kind](tf, check, case)
        elif check.kind == "value":
            _op_value(tf, check, case)
        elif check.kind == "grad":
            _op_grad(tf, check, case)
        else:
            raise ValueError("no %s check for %s" % (check.kind, check.id))


class _WithKeras:
    """`tf` with another `keras` (only used to validate the harness on real TF + Keras 3)."""

    def __init__(self, tf, keras):
        self.__dict__["_tf"], self.__dict__["keras"] = tf, keras

    def __getattr__(self, name):
        return getattr(self._tf, name)


def _unwrap(tf):
    return tf._tf if isinstance(tf, _WithKeras) else tf


def _namespace(tf, case):
    ns = {"tf": _unwrap(tf), "np": np, "keras": _LazyKeras(tf), "capture_tf_print": capture_tf_print}
    ns.update(case.inputs_for(_unwrap(tf)))
    return ns


def _expect_error(expected, fn, what="the call"):
    try:
        fn()
    except CaseTimeout:
        raise
    except Exception as e:  # noqa: BLE001 - comparing the exception is the point
        if type(e).__name__ != expected["type"]:
            raise CheckFailure("raised %s (%s), TF raised %s: %s" % (
                type(e).__name__, _short(str(e)), expected["type"], _short(expected.get("message_core", ""))))
        return
    raise CheckFailure("%s did not raise; TF raised %s: %s" % (
        what, expected["type"], _short(expected.get("message_core", ""))))


def _short(text, n=120):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _op_value(tf, check, case):
    ns = _namespace(tf, case)
    if case.error:
        _expect_error(case.error, lambda: exec_case(case.call, ns))
        return
    out = exec_case(case.call, ns)
    Comparer(tf, check, case, "value").compare(out, case.rec.get("output"), "out")


def _float_dtype(t):
    try:
        name = _dtype_name(t)
    except Exception:  # noqa: BLE001
        return False
    return name in ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")


def _op_grad(tf, check, case):
    g = case.grad
    ns = _namespace(tf, case)
    if "wrt" in g:
        names = list(g["wrt"])
    else:  # TF could not differentiate; the sources were the float tensor inputs
        names = [k for k, enc in case.rec.get("inputs", {}).items()
                 if enc.get("as") in ("tf.constant", "tf.Variable") and _float_dtype(ns[k])]
    sources = [ns[k] for k in names]
    variable_type = getattr(tf, "Variable", ())
    with tf.GradientTape(persistent=True) as tape:
        for s in sources:
            if not isinstance(s, variable_type):
                tape.watch(s)
        out = exec_case(case.call, ns)
    targets, ups = _targets_and_upstreams(tf, case, out)
    if "error" in g:
        _expect_error(g["error"], lambda: tape.gradient(targets, sources, output_gradients=ups),
                      "tape.gradient")
        return
    grads = tape.gradient(targets, sources, output_gradients=ups)
    cmp = Comparer(tf, check, case, "grad")
    for k, gv in zip(names, _as_list(grads, len(names))):
        cmp.compare_grad(gv, g["wrt"][k], "d/d" + k)


def _as_list(grads, n):
    if isinstance(grads, (list, tuple)):
        if len(grads) != n:
            raise CheckFailure("tape.gradient returned %d gradients for %d sources" % (len(grads), n))
        return list(grads)
    raise CheckFailure("tape.gradient returned %s for a list of sources" % type(grads).__name__)


def flatten(x):
    """tf.nest.flatten for the structures cases return (dicts by sorted key)."""
    if isinstance(x, Mapping):
        return [leaf for k in sorted(x) for leaf in flatten(x[k])]
    if isinstance(x, (list, tuple)):
        return [leaf for v in x for leaf in flatten(v)]
    return [x]


def _targets_and_upstreams(tf, case, out):
    leaves = flatten(out)
    idx = case.grad["leaves"]
    if max(idx) >= len(leaves):
        raise CheckFailure("output has %d leaves, TF's had more (gradient leaves %s)" % (len(leaves), idx))
    targets = [leaves[j] for j in idx]
    ups = []
    for t, u in zip(targets, case.upstream()):
        up = tf.constant(np.asarray(u))
        if _dtype_name(up) != _dtype_name(t):
            up = tf.cast(up, t.dtype)
        ups.append(up)
    return targets, ups


# ---------------------------------------------------------------- Keras layer cases (topic 07)
def _layer_inputs(tf, case):
    ns = {"tf": _unwrap(tf), "np": np, "keras": _LazyKeras(tf)}
    for k, enc in case.rec.get("inputs", {}).items():
        v = case.input(k)
        if enc.get("kind") in ("tensor", "variable"):
            if enc.get("dtype") == "bfloat16":
                v = tf.cast(tf.constant(v), tf.bfloat16)
            elif enc.get("dtype") == "string":
                v = tf.constant(v)
            else:
                v = tf.constant(np.asarray(v, dtype=enc.get("dtype")))
        ns[k] = v
    return ns


def _build_layer(tf, case):
    keras = tf.keras
    clear = getattr(getattr(keras, "backend", None), "clear_session", None)
    if clear is not None:
        clear()
    ns = _layer_inputs(tf, case)
    layer = eval(case.rec["ctor"], ns)
    ns["layer"] = layer
    if case.rec.get("setup"):
        exec_case(case.rec["setup"], ns)
    exec_case(case.call, ns)  # build
    if case.rec.get("weights_set_by_fixture"):
        layer.set_weights([np.asarray(w) for w in _layer_weight_values(case)])
    return layer, ns


def _layer_weight_values(case):
    vals = []
    for w in case.rec.get("weights", []):
        v = case.fx.decode(w["value"])
        if w["value"].get("dtype") == "bfloat16":
            import ml_dtypes
            v = np.asarray(v).astype(ml_dtypes.bfloat16)
        vals.append(v)
    return vals


def _layer_value(tf, check, case):
    if case.error:
        def run():
            layer, ns = _build_layer(tf, case)
            exec_case(case.call, ns)
            layer.get_config()
        _expect_error(case.error, run, "building and calling the layer")
        return
    layer, ns = _build_layer(tf, case)
    cmp = Comparer(tf, check, case, "value")
    if not case.rec.get("weights_set_by_fixture") and case.rec.get("weights"):
        got = layer.get_weights()
        if len(got) != len(case.rec["weights"]):
            raise CheckFailure("get_weights() has %d arrays, TF's %d (%s)" % (
                len(got), len(case.rec["weights"]), [w["path"] for w in case.rec["weights"]]))
        for w, a in zip(case.rec["weights"], got):
            cmp.compare(np.asarray(a), w["value"], "weight " + w["path"])
    out = exec_case(case.call, ns)
    cmp.compare(out, case.rec.get("output"), "out")
    if case.rec.get("weights_after"):
        got = layer.get_weights()
        if len(got) != len(case.rec["weights_after"]):
            raise CheckFailure("get_weights() after the call has %d arrays, TF's %d" % (
                len(got), len(case.rec["weights_after"])))
        for i, (enc, a) in enumerate(zip(case.rec["weights_after"], got)):
            cmp.compare(np.asarray(a), enc, "weight %d after the call" % i)


def _layer_grad(tf, check, case):
    g = case.grad
    layer, ns = _build_layer(tf, case)
    names = list(g.get("wrt", {}))
    if "wrt" not in g:
        names = [k for k in case.input_names() if _float_dtype(ns[k])]
    sources = [ns[k] for k in names]
    tw = list(layer.trainable_weights)
    with tf.GradientTape(persistent=True) as tape:
        for s in sources:
            tape.watch(s)
        out = exec_case(case.call, ns)
    targets, ups = _targets_and_upstreams(tf, case, out)
    if "error" in g:
        _expect_error(g["error"], lambda: tape.gradient(targets, sources + tw, output_gradients=ups),
                      "tape.gradient")
        return
    expected_w = g.get("wrt_weights", [])
    if len(tw) != len(expected_w):
        raise CheckFailure("layer.trainable_weights has %d variables %s, TF's %d %s" % (
            len(tw), [getattr(w, "path", getattr(w, "name", "?")) for w in tw], len(expected_w),
            [w["path"] for w in expected_w]))
    grads = _as_list(tape.gradient(targets, sources + tw, output_gradients=ups), len(sources) + len(tw))
    cmp = Comparer(tf, check, case, "grad")
    for k, gv in zip(names, grads[: len(names)]):
        cmp.compare_grad(gv, g["wrt"][k], "d/d" + k)
    for w, gv in zip(expected_w, grads[len(names):]):
        cmp.compare_grad(gv, w["value"], "d/d" + w["path"])


def jsonable_config(cfg):
    """The generator's jsonable_config: a JSON round trip (NaN -> null)."""
    def default(o):
        if isinstance(o, np.integer):
            return int(o)
        if isinstance(o, np.floating):
            f = float(o)
            return f if math.isfinite(f) else None
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, bytes):
            try:
                return o.decode("utf-8")
            except UnicodeDecodeError:
                return repr(o)
        if type(o).__name__ == "DType" and hasattr(o, "name"):
            return o.name
        return repr(o)
    return json.loads(json.dumps(cfg, default=default, allow_nan=True).replace("NaN", "null"))


def _layer_config(tf, check, case):
    layer, ns = _build_layer(tf, case)
    got = jsonable_config(layer.get_config())
    Comparer(tf, check, case, "config").compare_py(got, case.rec["config"], "config")
    expected = case.rec.get("weights", [])
    weights = list(layer.weights)
    meta = [(getattr(w, "name", None), getattr(w, "path", None), bool(getattr(w, "trainable", True)),
             list(np.shape(np.asarray(w)))) for w in weights]
    want = [(w["name"], w["path"], w["trainable"], w["value"].get("shape")) for w in expected]
    if meta != want:
        raise CheckFailure("weights (name, path, trainable, shape) %s, TF's %s" % (meta, want))


# ----------------------------------------------------------------------------------------------
# comparison
FLOAT32_VALUE_DEFAULT = {"01_math": (1e-5, 1e-6)}   # elementwise topic; others: reductions-like 1e-5/1e-5
LOOSE_VALUE_TOPICS = {"07_keras_layers", "09_optimizers"}   # multi-step / RNN / attention: 1e-4/1e-5
SIGN_INVARIANT = re.compile(r"^linalg/(qr|qr_full|svd|svd_full|eigh)$")
NEGATIVE_ZERO = re.compile(r"^(unary/(neg|round|rint|halves)|.*floormod)")
AUTO_NAME_TOPICS = {"08_losses_metrics", "09_optimizers", "10_utilities", "11_repr"}
AUTO_NAME = re.compile(r"\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z][A-Za-z0-9]*)*)_\d+\b")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# cases whose printed numbers depend on process state the call does not reset (an unseeded
# initializer): their strings are compared with every number masked
NUMBERS_MASKED = {"11_repr::variable/keras_layer_weight"}
NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?")
TENSOR_KINDS = ("tensor", "variable", "keras_variable")


def _dtype_name(x):
    dt = x.dtype
    name = getattr(dt, "name", None)
    if isinstance(name, str):
        return name
    return np.dtype(dt).name


def _to_numpy(x):
    if hasattr(x, "numpy"):
        return x.numpy()
    return np.asarray(x)


def _is_tensor_like(x):
    return (hasattr(x, "dtype") and hasattr(x, "shape") and hasattr(x, "numpy")
            and not isinstance(x, (np.ndarray, np.generic)))


def _py_category(v):
    if v is None:
        return "None"
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "float"
    if isinstance(v, (complex, np.complexfloating)):
        return "complex"
    if isinstance(v, str):
        return "str"
    if isinstance(v, bytes):
        return "bytes"
    if isinstance(v, Mapping):
        return "dict"
    if isinstance(v, (list, tuple)):
        return "list"
    return type(v).__name__


def _strings(v):
    """Nested lists with bytes decoded to str where UTF-8 (the fixtures' string encoding)."""
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return [_strings(x) for x in v]
    if isinstance(v, (bytes, np.bytes_)):
        try:
            return bytes(v).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(v)
    if isinstance(v, np.str_):
        return str(v)
    return v


class Comparer:
    def __init__(self, tf, check, case, role):
        self.tf, self.check, self.case, self.role = tf, check, case, role
        self.fx = case.fx
        self.sign_invariant = bool(SIGN_INVARIANT.match(case.name)) and check.topic == "03_array_ops"
        self.negative_zero = bool(NEGATIVE_ZERO.match(case.name)) and role == "value"
        self.auto_names = check.topic in AUTO_NAME_TOPICS

    # tolerances ------------------------------------------------------------------------------
    def tol(self, dtype):
        over = self.case.rec.get("tol") or {}
        base = dict(TOLERANCES.get(dtype, TOLERANCES.get("float32", {"rtol": 1e-5, "atol": 1e-6})))
        if dtype in ("float32", "complex64"):
            if self.role == "grad":
                base = {"rtol": 1e-4, "atol": 1e-5}
            elif self.check.topic in LOOSE_VALUE_TOPICS:
                base = {"rtol": 1e-4, "atol": 1e-5}
            else:
                r, a = FLOAT32_VALUE_DEFAULT.get(self.check.topic, (1e-5, 1e-5))
                base = {"rtol": r, "atol": a}
        elif dtype in ("float64", "complex128"):
            if self.role == "grad" or self.check.topic in LOOSE_VALUE_TOPICS or self.case.name.startswith("linalg/"):
                base = {"rtol": 1e-8, "atol": 1e-10}
        base.update({k: v for k, v in over.items() if k in ("rtol", "atol")})
        return base

    # generic ---------------------------------------------------------------------------------
    def fail(self, path, msg):
        raise CheckFailure("%s: %s" % (path, msg))

    def compare(self, actual, enc, path):
        if enc is None:
            if actual is not None:
                self.fail(path, "expected None, got %s" % type(actual).__name__)
            return
        kind = enc.get("kind")
        if kind in TENSOR_KINDS:
            return self._tensor(actual, enc, path)
        if kind == "ndarray":
            if not isinstance(actual, np.ndarray):
                self.fail(path, "expected a numpy.ndarray, got %s" % type(actual).__name__)
            return self._array(actual, actual.dtype.name, enc, path)
        if kind == "np_scalar":
            if not isinstance(actual, np.generic):
                self.fail(path, "expected a numpy scalar (%s), got %s" % (enc.get("dtype"), type(actual).__name__))
            return self._array(np.asarray(actual), actual.dtype.name, enc, path)
        if kind == "py":
            return self.compare_py(actual, self.fx.decode(enc), path, enc.get("type"))
        if kind in ("list", "tuple"):
            want = list if kind == "list" else tuple
            if not isinstance(actual, (list, tuple)) or (kind == "tuple") != isinstance(actual, tuple):
                self.fail(path, "expected a %s, got %s" % (want.__name__, type(actual).__name__))
            items = enc["items"]
            if len(actual) != len(items):
                self.fail(path, "expected %d items, got %d" % (len(items), len(actual)))
            for i, (a, e) in enumerate(zip(actual, items)):
                self.compare(a, e, "%s[%d]" % (path, i))
            return
        if kind == "namedtuple":
            fields = getattr(actual, "_fields", None)
            if not isinstance(actual, tuple) or fields is None:
                self.fail(path, "expected a namedtuple %s%s, got %s" % (enc.get("type"), tuple(enc["fields"]),
                                                                        type(actual).__name__))
            if list(fields) != list(enc["fields"]):
                self.fail(path, "namedtuple fields %s, TF's %s" % (list(fields), enc["fields"]))
            for f, a, e in zip(enc["fields"], actual, enc["items"]):
                self.compare(a, e, "%s.%s" % (path, f))
            return
        if kind == "dict":
            if not isinstance(actual, Mapping):
                self.fail(path, "expected a dict, got %s" % type(actual).__name__)
            keys = {str(k): k for k in actual}
            if set(keys) != set(enc["items"]):
                self.fail(path, "keys %s, TF's %s" % (sorted(keys), sorted(enc["items"])))
            for k, e in enc["items"].items():
                self.compare(actual[keys[k]], e, "%s[%r]" % (path, k))
            return
        if kind == "ragged":
            if not hasattr(actual, "to_list"):
                self.fail(path, "expected a RaggedTensor, got %s" % type(actual).__name__)
            if _dtype_name(actual) != enc["dtype"]:
                self.fail(path, "dtype %s, TF's %s" % (_dtype_name(actual), enc["dtype"]))
            return self.compare_py(_strings(actual.to_list()), self.fx.decode(enc), path + ".to_list()",
                                   float_dtype=enc["dtype"])
        if kind == "sparse":
            for attr in ("indices", "values", "dense_shape"):
                if not hasattr(actual, attr):
                    self.fail(path, "expected a SparseTensor, got %s" % type(actual).__name__)
            self.compare(actual.indices, enc["indices"], path + ".indices")
            self.compare(actual.values, enc["values"], path + ".values")
            shape = [int(x) for x in np.asarray(_to_numpy(actual.dense_shape)).reshape(-1)]
            if shape != list(enc["dense_shape"]):
                self.fail(path, "dense_shape %s, TF's %s" % (shape, enc["dense_shape"]))
            return
        if kind == "dtype":
            name = getattr(actual, "name", None)
            if isinstance(actual, str) or name != enc["value"]:
                self.fail(path, "expected DType %s, got %r" % (enc["value"], actual))
            return
        if kind == "TensorShape":
            if not hasattr(actual, "as_list") and not hasattr(actual, "rank"):
                self.fail(path, "expected a TensorShape, got %s" % type(actual).__name__)
            if enc["value"] is None:
                if getattr(actual, "rank", 0) is not None:
                    self.fail(path, "expected unknown rank, got %r" % (actual,))
                return
            got = actual.as_list()
            if got != enc["value"]:
                self.fail(path, "TensorShape %s, TF's %s" % (got, enc["value"]))
            return
        if kind == "repr":
            got = ADDRESS.sub("0x...", repr(actual))
            if got != enc["value"]:
                self.fail(path, "repr %r, TF's %r" % (_short(got), _short(enc["value"])))
            return
        raise ValueError("unknown fixture encoding %r at %s" % (kind, path))

    def _tensor(self, actual, enc, path):
        if not _is_tensor_like(actual):
            self.fail(path, "expected a %s (%s), got %s" % (
                "tf.Variable" if enc["kind"] == "variable" else "tf.Tensor", enc.get("dtype"),
                type(actual).__name__))
        if enc["kind"] == "variable" and hasattr(self.tf, "Variable") and not isinstance(actual, self.tf.Variable):
            self.fail(path, "expected a tf.Variable, got %s" % type(actual).__name__)
        dt = _dtype_name(actual)
        if dt in ("resource", "variant") or enc.get("dtype") in ("resource", "variant"):
            if dt != enc.get("dtype"):
                self.fail(path, "dtype %s, TF's %s" % (dt, enc.get("dtype")))
            return
        self._array(_to_numpy(actual), dt, enc, path)

    def _array(self, a, dtype_name, enc, path):
        want_dtype = enc.get("dtype")
        if want_dtype and dtype_name != want_dtype:
            self.fail(path, "dtype %s, TF's %s" % (dtype_name, want_dtype))
        expected = self.fx.decode(enc)
        if want_dtype in ("string", "object") or (want_dtype or "").startswith(("str", "bytes")) or (
                isinstance(expected, (list, str, bytes)) and not isinstance(expected, np.ndarray)):
            shape = list(np.shape(a))
            if "shape" in enc and shape != list(enc["shape"]):
                self.fail(path, "shape %s, TF's %s" % (shape, enc["shape"]))
            got = _strings(a if not isinstance(a, np.ndarray) or a.ndim else a.item())
            if isinstance(got, np.ndarray):
                got = got.tolist()
            if got != _strings(expected):
                self.fail(path, "value %s, TF's %s" % (_short(repr(got)), _short(repr(expected))))
            return
        a = np.asarray(a)
        if want_dtype == "bfloat16" or a.dtype.name == "bfloat16":
            a = a.astype(np.float32)
        e = np.asarray(expected)
        if self.sign_invariant and e.dtype.kind in "fc":
            a, e = np.abs(a), np.abs(e)
        dt = want_dtype or e.dtype.name
        try:
            self._assert_close(a, e, dt)
        except AssertionError as err:
            self.fail(path, _mismatch(a, e, err, self.tol(dt) if e.dtype.kind in "fc" else None))

    def _assert_close(self, a, e, dtype):
        """The fixtures' own assert_matches, with this check's tolerances."""
        tol = self.tol(dtype) if e.dtype.kind in "fc" else {}
        assert_matches(a, e, dtype, rtol=tol.get("rtol"), atol=tol.get("atol"),
                       check_negative_zero=self.negative_zero)

    def compare_grad(self, actual, enc, path):
        if enc is None:
            if actual is not None:
                self.fail(path, "TF's gradient is None (unconnected / not differentiable), got %s"
                          % type(actual).__name__)
            return
        if actual is None:
            self.fail(path, "gradient is None, TF's is a %s tensor" % enc.get("dtype"))
        if type(actual).__name__ == "IndexedSlices":
            actual = self.tf.convert_to_tensor(actual)
        if enc.get("kind") in TENSOR_KINDS and not _is_tensor_like(actual):
            self.fail(path, "expected a tf.Tensor gradient, got %s" % type(actual).__name__)
        if enc.get("kind") == "ndarray":
            enc = dict(enc, kind="tensor")
        self._tensor(actual, enc, path)

    # python values ---------------------------------------------------------------------------
    def compare_py(self, actual, expected, path, declared=None, float_dtype=None):
        if isinstance(expected, Mapping):
            if not isinstance(actual, Mapping):
                self.fail(path, "expected a dict, got %s" % type(actual).__name__)
            if set(map(str, actual)) != set(expected):
                self.fail(path, "keys %s, TF's %s" % (sorted(map(str, actual)), sorted(expected)))
            amap = {str(k): v for k, v in actual.items()}
            for k in expected:
                self.compare_py(amap[k], expected[k], "%s[%r]" % (path, k), float_dtype=float_dtype)
            return
        if isinstance(expected, (list, tuple)):
            if not isinstance(actual, (list, tuple)):
                self.fail(path, "expected a list, got %s" % type(actual).__name__)
            if len(actual) != len(expected):
                self.fail(path, "expected %d items, got %d" % (len(expected), len(actual)))
            for i, (a, e) in enumerate(zip(actual, expected)):
                self.compare_py(a, e, "%s[%d]" % (path, i), float_dtype=float_dtype)
            return
        ca, ce = _py_category(actual), _py_category(expected)
        if declared == "float":
            ce = "float"
        if declared == "bytes":
            ce = "bytes"
            expected = expected.encode("utf-8") if isinstance(expected, str) else expected
        if ce == "float" and ca == "int" and declared != "float":
            ca = "float"
        if ca != ce:
            self.fail(path, "expected %s %r, got %s %r" % (ce, expected, ca, _short(repr(actual))))
        if ce == "float" or ce == "complex":
            a, e = complex(actual), complex(expected)
            if float_dtype in (None, "float64"):
                rtol, atol = 1e-6, 1e-9
            else:
                t = self.tol(float_dtype)
                rtol, atol = t["rtol"], t["atol"]
            for x, y in ((a.real, e.real), (a.imag, e.imag)):
                if math.isnan(y):
                    if not math.isnan(x):
                        self.fail(path, "%r, TF's nan" % actual)
                elif math.isinf(y) or not math.isfinite(x):
                    if x != y:
                        self.fail(path, "%r, TF's %r" % (actual, expected))
                elif abs(x - y) > atol + rtol * abs(y):
                    self.fail(path, "%r, TF's %r" % (actual, expected))
            return
        if ce == "str":
            if actual == expected:
                return
            if "0x..." in expected and ADDRESS.sub("0x...", actual) == expected:
                return
            if self.auto_names and AUTO_NAME.sub(r"\1", actual) == AUTO_NAME.sub(r"\1", expected):
                return
            if "%s::%s" % (self.check.topic, self.case.name) in NUMBERS_MASKED and _masked(actual) == _masked(expected):
                return
            self.fail(path, "%r, TF's %r" % (_short(actual, 200), _short(expected, 200)))
        if actual != expected:
            self.fail(path, "%r, TF's %r" % (_short(repr(actual)), _short(repr(expected))))


def _masked(text):
    return " ".join(NUMBER.sub("#", text).replace("[", " [ ").replace("]", " ] ").split())


def _mismatch(a, e, err, tol=None):
    """Short summary of a numeric mismatch: how many elements, the worst one."""
    try:
        if a.shape != e.shape:
            return "shape %s, TF's %s" % (a.shape, e.shape)
        if e.size == 0:
            return " ".join(str(err).split())[:200]
        a1, e1 = a.reshape(-1), e.reshape(-1)
        if e.dtype.kind in "fc":
            tol = tol or {"rtol": 0.0, "atol": 0.0}
            af = a1.astype(e.dtype)
            with np.errstate(all="ignore"):
                bad = ~np.isclose(af, e1, rtol=tol["rtol"], atol=tol["atol"], equal_nan=True)
                score = np.where(bad, np.abs(af - e1), -1.0)
            score = np.where(np.isnan(score) & bad, np.inf, score)
            i = int(np.argmax(score))
            if not bad.any():   # only the sign of a zero differs
                return " ".join(str(err).split())[:200]
            return "%d/%d elements differ (worst at flat index %d: got %r, TF %r; rtol=%g, atol=%g)" % (
                int(bad.sum()), e.size, i, a1[i].item(), e1[i].item(), tol["rtol"], tol["atol"])
        bad = a1 != e1
        i = int(np.argmax(bad))
        return "%d/%d elements differ (first at flat index %d: got %r, TF %r)" % (
            int(bad.sum()), e.size, i, a1[i].item(), e1[i].item())
    except Exception:  # noqa: BLE001 - fall back to numpy's own message
        return " ".join(str(err).split())[:300]


# ----------------------------------------------------------------------------------------------
# results file (read by `tensorlet conformance`)
def load_results(path=RESULTS_FILE):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_results(data, path=RESULTS_FILE):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=0, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)
