"""Unit tests of tensorlet.framework.tensor_format against the 11_repr fixtures.

The fixture ``call`` strings are executed against a tiny NumPy stand-in for
``tf`` (``_FakeTF`` below) whose tensors/variables print through the pure
functions under test, so these tests do not depend on tensorlet's Tensor class.
"""
import ast
import os
import sys
import tempfile
import types

import numpy as np
import pytest

from tensorlet.backend import bfloat16
from tensorlet.framework import tensor_format as tfmt

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(os.path.dirname(_HERE))
_CANDIDATES = [os.path.join(_ROOT, "shared", "fixtures", "numerics"),
               os.path.join(os.path.dirname(_ROOT), "shared", "fixtures", "numerics")]
FIXTURE_DIR = next((p for p in _CANDIDATES if os.path.isdir(p)), None)

if FIXTURE_DIR is not None:
    sys.path.insert(0, FIXTURE_DIR)
    from load_fixtures import Fixtures

    FX = Fixtures("11_repr")
else:  # pragma: no cover
    FX = None

needs_fixtures = pytest.mark.skipif(FX is None, reason="shared/fixtures not found")


def capture_tf_print(fn):
    """Runs ``fn()`` and returns what was written to file descriptor 2."""
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


def exec_case(code, ns):
    """Runs a fixture call string; returns the value of its last expression."""
    tree = ast.parse(code)
    *body, last = tree.body
    exec(compile(ast.Module(body=body, type_ignores=[]), "<case>", "exec"), ns)  # noqa: S102
    return eval(compile(ast.Expression(last.value), "<case>", "eval"), ns)


# ----------------------------------------------------------------------------- NumPy stand-in


class _DType:
    def __init__(self, name):
        self.name = name


class _Tensor:
    def __init__(self, arr, dtype_name):
        self._arr, self.dtype = arr, _DType(dtype_name)
        self.shape = arr.shape

    def numpy(self):
        return self._arr[()] if self._arr.ndim == 0 else self._arr

    def __str__(self):
        return tfmt.tensor_str(self._arr, self.dtype.name)

    def __repr__(self):
        return tfmt.tensor_repr(self._arr, self.dtype.name)

    def __format__(self, spec):
        return tfmt.tensor_format(self._arr, self.dtype.name, spec)

    def __mul__(self, other):
        return _Tensor((self._arr * other).astype(self._arr.dtype), self.dtype.name)


class _Variable(_Tensor):
    def __init__(self, value, name="Variable", trainable=True):
        t = value if isinstance(value, _Tensor) else _constant(value)
        super().__init__(t._arr, t.dtype.name)
        self.name = name + ":0"

    def __repr__(self):
        return tfmt.variable_repr(self.name, self._arr, self.dtype.name)

    __str__ = __repr__


class _Ragged:
    def __init__(self, rows):
        self._rows = rows
        leaves = [v for r in rows for v in r]
        self.dtype = _constant(leaves)._dtype_obj() if leaves else _DType("float32")
        self.flat_values = leaves

    def to_list(self):
        return self._rows


def _infer_dtype(leaves):
    if any(isinstance(v, (str, bytes)) for v in leaves):
        return "string"
    if any(isinstance(v, complex) for v in leaves):
        return "complex128"
    if any(isinstance(v, float) for v in leaves) or not leaves:
        return "float32"
    if all(isinstance(v, bool) for v in leaves):
        return "bool"
    return "int64" if any(abs(v) >= 2**31 for v in leaves) else "int32"


def _np_dtype(name):
    return object if name == "string" else (bfloat16 if name == "bfloat16" else np.dtype(name))


def _constant(value, dtype=None):
    name = getattr(dtype, "name", dtype)
    if isinstance(value, np.ndarray):
        name = name or value.dtype.name
    else:
        flat = list(np.asarray(value, dtype=object).reshape(-1))
        name = name or _infer_dtype(flat)
        if isinstance(value, float) and value == 0:
            value = 0.0  # TF's eager scalar cache turns tf.constant(-0.0) into +0.0
    if name == "string":
        arr = np.asarray(value, dtype=object)
        arr = np.vectorize(lambda s: s.encode() if isinstance(s, str) else s, otypes=[object])(arr)
        return _Tensor(np.asarray(arr, dtype=object), name)
    return _Tensor(np.asarray(value).astype(_np_dtype(name)), name)


_Tensor._dtype_obj = lambda self: self.dtype


def _fake_tf():
    tf = types.SimpleNamespace()
    for name in ["float32", "float64", "float16", "bfloat16", "int8", "int32", "int64", "uint8",
                 "bool", "string", "complex64", "complex128"]:
        setattr(tf, name, _DType(name))
    tf.constant = _constant
    tf.Variable = _Variable
    tf.zeros = lambda shape, dtype="float32": _constant(np.zeros(shape), dtype)
    tf.ones = lambda shape, dtype="float32": _constant(np.ones(shape), dtype)
    tf.ones_like = lambda t, dtype=None: _constant(np.ones(t.shape), dtype or t.dtype)
    tf.range = lambda n: _constant(np.arange(n), "float32" if isinstance(n, float) else "int32")
    tf.reshape = lambda t, shape: _Tensor(t._arr.reshape(shape), t.dtype.name)
    tf.linspace = lambda a, b, n: _constant(  # float32 arithmetic like TF's LinSpace kernel
        np.float32(a) + np.arange(n, dtype=np.float32) * ((np.float32(b) - np.float32(a)) / np.float32(n - 1)))
    tf.shape = lambda t: _constant(np.array(t.shape), "int32")
    tf.print = tfmt.tf_print
    tf.ragged = types.SimpleNamespace(constant=_Ragged)
    return tf


def _run(case):
    ns = {"tf": _fake_tf(), "np": np, "capture_tf_print": capture_tf_print}
    return exec_case(case.call, ns)


def _cases(prefix, skip=()):
    if FX is None:
        return []
    return [c.name for c in FX.cases(prefix) if c.name.split("/")[1] not in skip]


# ----------------------------------------------------------------------------- fixture cases


@needs_fixtures
@pytest.mark.parametrize("name", _cases("tensor/"))
def test_tensor_cases(name):
    case = FX.case(name)
    if case.error:
        with pytest.raises(Exception) as info:
            _run(case)
        assert type(info.value).__name__ == case.error["type"]
        assert str(info.value) == case.error["message"]
        return
    try:
        assert _run(case) == case.output()
    finally:
        np.set_printoptions(precision=8)


@needs_fixtures
@pytest.mark.parametrize("name", _cases("variable/", skip=("keras_variable", "keras_layer_weight")))
def test_variable_cases(name):
    case = FX.case(name)
    assert _run(case) == case.output()


@needs_fixtures
@pytest.mark.parametrize("name", _cases("tf_print/"))
def test_tf_print_cases(name):
    case = FX.case(name)
    assert _run(case) == case.output()


@needs_fixtures
@pytest.mark.parametrize("name", _cases("shape/", skip=("dimension", "as_list_tuple", "tf_shape_tensor")))
def test_shape_cases(name):
    dims = {"shape_2_3": [2, 3], "shape_none_dim": [None, 3], "shape_unknown_rank": None,
            "shape_scalar": [], "tensor_shape_attr": [1, 2], "shape_slice": [3, 4]}[name.split("/")[1]]
    expected = FX.case(name).output()
    assert (tfmt.shape_str(dims), tfmt.shape_repr(dims)) == tuple(expected)


# ----------------------------------------------------------------------------- direct checks


def test_print_format_floats():
    vals = np.array([0.1, 1 / 3, 1e-8, 123456.789], np.float32)
    assert tfmt.print_format(vals, "float32") == "[0.1 0.333333343 1e-08 123456.789]"
    assert tfmt.print_format(np.array([0.1, 1 / 3]), "float64") == "[0.1 0.33333333333333331]"
    assert tfmt.print_format(np.float16(0.1), "float16") == "0.0999755859"
    assert tfmt.print_format(np.array([np.nan, -np.inf], np.float32), "float32") == "[nan -inf]"


def test_print_format_summarize_and_shapes():
    x = np.arange(24).reshape(2, 3, 4)
    assert tfmt.print_format(x, "int32", 1) == "[[[0 ... 3]\n  ...\n  [8 ... 11]]\n\n [[12 ... 15]\n  ...\n  [20 ... 23]]]"
    assert tfmt.print_format(np.zeros([0]), "float32") == "[]"
    assert tfmt.print_format(np.zeros([2, 0]), "float32") == "[\n ...]"  # C++ quirk
    assert tfmt.print_format(np.zeros([0], bool), "bool") == ""
    assert tfmt.print_format(np.int32(5), "int32", 0) == "..."


def test_print_format_strings_and_complex():
    s = np.array([b"a'b", b"\n\x01", "é".encode()], dtype=object)
    assert tfmt.print_format(s, "string") == '["a\\\'b" "\\n\\001" "é"]'
    assert tfmt.print_format(np.arange(10, dtype=np.complex64), "complex64") == "[? ? ?...]"
    assert tfmt.print_format(np.complex64(1), "complex64") == "?"


def test_ragged_print_format():
    assert tfmt.ragged_print_format([[1], [2, 3, 4, 5, 6], [], [], [7], [8, 9]], "int32", 2) == \
        "[[1], [2, 3, ..., 5, 6], ..., [7], [8, 9]]"
    assert tfmt.ragged_print_format([["a"], [b"b'"]], "string") == "[['a'], ['b\\'']]"
    assert tfmt.ragged_print_format([[1.5], []], "float32") == "[[1.500000], []]"


def test_format_print_inputs_structures():
    t = _constant([1, 2])
    s = _constant("hi")
    assert tfmt.format_print_inputs((s,)) == "hi"
    assert tfmt.format_print_inputs(("x", s)) == 'x "hi"'
    assert tfmt.format_print_inputs(("{}", t)) == "{} [1 2]"
    assert tfmt.format_print_inputs(([t, "a", None],)) == "[[1 2], 'a', None]"
    assert tfmt.format_print_inputs(({"b": t, "a": (1, t)},)) == "{'a': (1, [1 2]), 'b': [1 2]}"
    sparse = types.SimpleNamespace(indices=_constant([[0]]), values=_constant([1.5]),
                                   dense_shape=_constant([3]))
    assert tfmt.format_print_inputs((sparse,), is_tensor=lambda x: isinstance(
        x, (_Tensor, types.SimpleNamespace))) == \
        "'SparseTensor(indices=[[0]], values=[1.5], shape=[3])'"  # TF keeps pprint's quotes


def test_tf_print_streams(tmp_path, capfd):
    tfmt.tf_print("a", _constant([1, 2]), output_stream=sys.stdout)
    assert capfd.readouterr().out == "a [1 2]\n"
    path = tmp_path / "out.txt"
    tfmt.tf_print("x", output_stream="file://" + str(path), end="")
    tfmt.tf_print("y", output_stream="file://" + str(path))
    assert path.read_text() == "xy\n"
    with pytest.raises(ValueError, match="Unsupported output stream"):
        tfmt.tf_print("x", output_stream=object())


def test_numpy_text_edge_cases():
    assert tfmt.tensor_str(np.zeros([2, 0], np.float32), "float32") == \
        "tf.Tensor([], shape=(2, 0), dtype=float32)"
    assert tfmt.tensor_repr(np.float32(-0.0), "float32").endswith("numpy=-0.0>")
    assert tfmt.tensor_str(np.float32(3.14), "bfloat16") == "tf.Tensor(3.14062, shape=(), dtype=bfloat16)"
    assert tfmt.tensor_str(["a", "b"], "string") == "tf.Tensor([b'a' b'b'], shape=(2,), dtype=string)"
    assert tfmt.tensor_repr(np.zeros([1]), "resource") == \
        "<tf.Tensor: shape=(1,), dtype=resource, numpy=<unprintable>>"
    assert tfmt.tensor_format(np.float32(3.14159), "float32", ".2f") == "3.14"
    assert tfmt.shape_str([None]) == "(None,)"
