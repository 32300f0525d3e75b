"""``tf.debugging``: assertions and numeric checks.

In eager mode every assertion is checked immediately: a violated value condition raises
``InvalidArgumentError`` (with TF's message listing the first ``summarize`` offending values),
a violated static condition (rank, shape, dtype) raises ``ValueError`` / ``TypeError``, and a
satisfied one returns ``None``.  While tracing (``tf.function``) the value conditions become a
stateful ``Assert`` node that checks them each time the graph runs (TF's graph-mode message:
``assertion failed: [data] [data] ...``); conditions known while tracing are checked at once.
``check_numerics`` is an op ("CheckNumerics") with a gradient.
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors, tensor_format
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import math_ops, reduction_ops
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

D = dtypes
NUMERIC_TYPES = frozenset(R.NUMERIC)


# ---------------------------------------------------------------- CheckNumerics

def _check_numerics(x, message):
    finite = xp.isfinite(x)
    if not finite.all():
        nan = bool(xp.isnan(x).any())
        inf = bool((~finite & ~xp.isnan(x)).any())
        status = "Inf and NaN" if nan and inf else ("Inf" if inf else "NaN")
        raise errors.op_error(errors.InvalidArgumentError, "CheckNumerics",
                              f"{message} : Tensor had {status} values")
    return x


def _check_numerics_grad(op, dy):
    """The gradient is checked too."""
    return [check_numerics(dy, "Not a number (NaN) or infinity (Inf) values detected in "
                               "gradient. " + op.get_attr("message"))]


check_numerics_op = defop("CheckNumerics", _check_numerics, dtype_rule=R.same_dtype(R.FLOAT),
                          shape_rule=R.unchanged, grad=_check_numerics_grad, stateful=True)


@tf_export("debugging.check_numerics", "compat.v1.check_numerics",
           "compat.v1.debugging.check_numerics")
def check_numerics(tensor, message, name=None):
    """Returns ``tensor``; raises InvalidArgumentError "<message> : Tensor had NaN values"
    (or Inf) if it holds any NaN or infinity."""
    return apply(check_numerics_op, convert_to_tensor(tensor), message=str(message), name=name)


@tf_export("debugging.assert_all_finite")
def assert_all_finite(x, message, name=None):
    """Returns ``x`` after checking it has no NaN or infinity (``check_numerics``)."""
    return check_numerics(x, message, name=name)


@tf_export("compat.v1.verify_tensor_all_finite", "compat.v1.debugging.assert_all_finite")
def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    return check_numerics(x if x is not None else t, message if message is not None else msg,
                          name=name)


_check_numerics_enabled = [False]


@tf_export("debugging.enable_check_numerics")
def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """Records the request (TF instruments every float op; tensorlet does not)."""
    _check_numerics_enabled[0] = True


@tf_export("debugging.disable_check_numerics")
def disable_check_numerics():
    _check_numerics_enabled[0] = False


# ---------------------------------------------------------------- message helpers

def _message_prefix(message):
    return "%s.  " % message if message else ""


def _shape_and_dtype_str(t):
    return "shape=%s dtype=%s" % (t.shape, t.dtype.name)


def _flat(t):
    return xp.asarray(t.numpy()).reshape(-1)


def _pretty_print(item, summarize):
    """A data item of an assertion message (tensors: a list of their first elements)."""
    if isinstance(item, Tensor):
        arr = item.numpy()
        if xp.ndim(arr) == 0:
            return str(arr)
        flat = xp.asarray(arr).reshape(-1)
        items = [str(v) for v in flat[:summarize]]
        if len(items) < flat.size:
            items.append("...")
        return str(items)
    return str(item)


def _make_assert_msg_data(sym, x, y, summarize, test):
    data = ["Condition x %s y did not hold." % sym]
    if summarize > 0:
        if x.shape == y.shape and x.shape.as_list():
            # Same non-scalar shapes: show where they differ (TF: where + boolean_mask).
            mask = ~xp.asarray(test)
            indices = xp.argwhere(mask).astype(xp.int64)
            n = min(summarize, indices.shape[0])
            data += ["Indices of first %d different values:" % n, indices[:n],
                     "Corresponding x values:", xp.asarray(x.numpy())[mask].reshape(-1)[:n],
                     "Corresponding y values:", xp.asarray(y.numpy())[mask].reshape(-1)[:n]]
        xf, yf = _flat(x), _flat(y)
        nx, ny = min(xf.size, summarize), min(yf.size, summarize)
        data += ["First %d elements of x:" % nx, xf[:nx], "First %d elements of y:" % ny, yf[:ny]]
    return data


def _binary_assert(sym, op_name, x, y, data, summarize, message):
    """Checks ``x <sym> y`` element-wise with the comparison op ``math_ops.<op_name>``."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y)
    if _tracing(x, y):
        from tensorlet.framework.tensor_util import constant_value

        if data is None:
            data = ["Condition x %s y did not hold element-wise:" % sym,
                    "x (%s) = " % _graph_name(x), x, "y (%s) = " % _graph_name(y), y]
        if message is not None:
            data = [message] + list(data)
        xs, ys = constant_value(x), constant_value(y)
        if xs is not None and ys is not None:  # known while tracing: checked now, as TF
            if not xp.all(getattr(xp, op_name)(xs, ys)):
                raise errors.InvalidArgumentError(None, None,
                                                  "\n".join(_static_text(d) for d in data))
            return None
        condition = reduction_ops.reduce_all(getattr(math_ops, op_name)(x, y))
        return _graph_assert(condition, data, summarize)
    test = getattr(math_ops, op_name)(x, y).numpy()
    if xp.all(test):
        return
    summarize = 3 if summarize is None else (10**9 if summarize < 0 else summarize)
    if data is None:
        data = _make_assert_msg_data(sym, x, y, summarize, test)
    if message is not None:
        data = [message] + list(data)
    raise errors.InvalidArgumentError(None, None,
                                      "\n".join(_pretty_print(d, summarize) for d in data))


def _summarize_eager(t, summarize):
    if summarize is None:
        summarize = 3
    elif summarize < 0:
        summarize = int(xp.size(t.numpy()))
    if t.shape.rank:
        flat = _flat(t)
        items = [str(v) for v in flat[:summarize]]
        if len(items) < flat.size:
            items.append("...")
    else:
        items = [str(t.numpy())] if summarize != 0 else []
    return ", ".join(items)


def _assert_kernel(condition, *data, summarize, T):
    if xp.ndim(condition) != 0:
        raise errors.op_error(errors.InvalidArgumentError, "Assert",
                              "In[0] should be a scalar: [%s]" % ",".join(
                                  str(d) for d in xp.shape(condition)))
    if bool(condition):
        return ()
    parts = ["[%s]" % tensor_format.summarize_value(d, t, summarize) for d, t in zip(data, T)]
    raise errors.op_error(errors.InvalidArgumentError, "Assert",
                          "assertion failed: " + " ".join(parts))


def _assert_dtypes(op, inputs, attrs):
    if inputs[0].dtype is not D.bool:
        raise errors.InvalidArgumentError(
            None, None, "cannot compute Assert as input #0(zero-based) was expected to be a "
            "bool tensor but is a %s tensor" % inputs[0].dtype.name)
    return ()


# A graph-mode assertion: checks ``condition`` each time the graph runs (stateful: never pruned
# or folded away, runs in program order), listing ``data`` (``summarize`` entries each) if false.
assert_op = defop("Assert", _assert_kernel, dtype_rule=_assert_dtypes,
                  shape_rule=lambda op, inputs, attrs: (), stateful=True, num_outputs=0)


def _graph_assert(condition, data, summarize):
    data = [convert_to_tensor(d) for d in data]
    return apply(assert_op, convert_to_tensor(condition), *data,
                 summarize=3 if summarize is None else int(summarize),
                 T=tuple(d.dtype.name for d in data))


def _static_text(item):
    """TF's ``_maybe_constant_value_string``: a data item of a trace-time assertion message."""
    if not isinstance(item, Tensor):
        return str(item)
    from tensorlet.framework.tensor_util import constant_value

    value = constant_value(item)
    return str(item) if value is None else str(value)


def _graph_name(t):
    """``t.name`` as TF shows it in graph-mode messages (an eager constant would be a Const)."""
    return t.name if not hasattr(t, "numpy") else "Const:0"


def _tracing(*tensors):
    """Building a graph: assertions become ``Assert`` nodes (or trace-time checks)."""
    return state.graph is not None


@tf_export("debugging.Assert", "Assert", "compat.v1.Assert", "compat.v1.debugging.Assert")
def Assert(condition, data, summarize=None, name=None):
    """Raises InvalidArgumentError listing ``data`` if ``condition`` is false; returns None.

    While tracing with a condition known only at run time: adds an ``Assert`` node."""
    if _tracing(condition):
        return _graph_assert(condition, data, summarize)
    if not condition:
        texts = [_summarize_eager(convert_to_tensor(d), summarize) for d in data]
        raise errors.InvalidArgumentError(
            None, None, "Expected '%s' to be true. Summarized data: %s"
            % (condition, "\n".join(texts)))


# ---------------------------------------------------------------- binary element-wise asserts

def _binary(sym, op_name, v2_names, v1_names):
    """Builds TF's v1 (``data=`` argument) and v2 versions of one comparison assertion."""

    def v1(x, y, data=None, summarize=None, message=None, name=None):
        if op_name == "equal" and x is y:
            return None
        return _binary_assert(sym, op_name, x, y, data, summarize, message)

    def v2(x, y, message=None, summarize=None, name=None):
        return v1(x, y, summarize=summarize, message=message, name=name)

    fn_name = "assert_" + op_name.replace("not_equal", "none_equal")
    for f, doc_suffix in ((v1, ""), (v2, "_v2")):
        f.__name__ = f.__qualname__ = fn_name + doc_suffix
        f.__module__ = __name__
        f.__doc__ = (f"Asserts ``x {sym} y`` element-wise; raises InvalidArgumentError (listing "
                     "the first ``summarize`` differing values) if not. Returns None.")
    return tf_export(*v1_names)(v1), tf_export(*v2_names)(v2)


def _names(base, top_level):
    v2 = ["debugging." + base] + ([base] if top_level else [])
    return v2, ["compat.v1." + base, "compat.v1.debugging." + base]


assert_equal, assert_equal_v2 = _binary("==", "equal", *_names("assert_equal", True))
assert_none_equal, assert_none_equal_v2 = _binary("!=", "not_equal",
                                                  *_names("assert_none_equal", False))
assert_less, assert_less_v2 = _binary("<", "less", *_names("assert_less", True))
assert_less_equal, assert_less_equal_v2 = _binary("<=", "less_equal",
                                                  *_names("assert_less_equal", False))
assert_greater, assert_greater_v2 = _binary(">", "greater", *_names("assert_greater", True))
assert_greater_equal, assert_greater_equal_v2 = _binary(
    ">=", "greater_equal", *_names("assert_greater_equal", False))


# ---------------------------------------------------------------- unary sign asserts

def _sign_assert(fn_name, sym, order, compare):
    """TF's v1 and v2 ``assert_<sign>(x)``: compares ``x`` with 0 through ``compare``."""
    condition = "Condition x %s did not hold element-wise:" % sym

    def v1(x, data=None, summarize=None, message=None, name=None):
        message = _message_prefix(message)
        x = convert_to_tensor(x)
        if data is None:
            label = "x (%s) = " % (_graph_name(x) if _tracing(x) else _shape_and_dtype_str(x))
            if fn_name == "assert_non_positive":  # TF's message joins these two lines
                data = [message, condition + label, x]
            else:
                data = [message, condition, label, x]
        zero = convert_to_tensor(0, dtype=x.dtype)
        a, b = (x, zero) if order == "x0" else (zero, x)
        return compare(a, b, data=data, summarize=summarize)

    def v2(x, message=None, summarize=None, name=None):
        return v1(x, summarize=summarize, message=message, name=name)

    for f, suffix in ((v1, ""), (v2, "_v2")):
        f.__name__ = f.__qualname__ = fn_name + suffix
        f.__module__ = __name__
        f.__doc__ = f"Asserts ``x {sym}`` element-wise: raises InvalidArgumentError if not."
    return (tf_export("compat.v1." + fn_name, "compat.v1.debugging." + fn_name)(v1),
            tf_export("debugging." + fn_name)(v2))


assert_negative, assert_negative_v2 = _sign_assert("assert_negative", "< 0", "x0", assert_less)
assert_positive, assert_positive_v2 = _sign_assert("assert_positive", "> 0", "0x", assert_less)
assert_non_negative, assert_non_negative_v2 = _sign_assert("assert_non_negative", ">= 0", "0x",
                                                           assert_less_equal)
assert_non_positive, assert_non_positive_v2 = _sign_assert("assert_non_positive", "<= 0", "x0",
                                                           assert_less_equal)


# ---------------------------------------------------------------- assert_near

@tf_export("compat.v1.assert_near", "compat.v1.debugging.assert_near")
def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None, name=None):
    """Asserts ``|x - y| < atol + rtol * |y|`` element-wise (defaults: 10 * eps of the dtype)."""
    message = _message_prefix(message)
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    dtype = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
    eps = float(xp.finfo(dtype.as_numpy_dtype).eps)
    rtol = convert_to_tensor(10 * eps if rtol is None else rtol, dtype=dtype)
    atol = convert_to_tensor(10 * eps if atol is None else atol, dtype=dtype)
    traced = _tracing(x, y)
    if data is None:
        label = _graph_name if traced else _shape_and_dtype_str
        data = [message, "x and y not equal to tolerance rtol = %s, atol = %s" % (rtol, atol),
                "x (%s) = " % label(x), x, "y (%s) = " % label(y), y]
    tol = math_ops.add(atol, math_ops.multiply(rtol, math_ops.abs(y)))
    diff = math_ops.abs(math_ops.subtract(x, y))
    condition = reduction_ops.reduce_all(math_ops.less(diff, tol))
    if not traced:
        condition = convert_to_tensor(bool(condition.numpy()))
    return Assert(condition, data, summarize=summarize)


@tf_export("debugging.assert_near")
def assert_near_v2(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Asserts ``|x - y| < atol + rtol * |y|`` element-wise (defaults: 10 * eps of the dtype)."""
    return assert_near(x, y, rtol=rtol, atol=atol, summarize=summarize, message=message)


# ---------------------------------------------------------------- rank, type and shape asserts

def _static_rank(rank):
    rank = convert_to_tensor(rank)
    assert_type(rank, D.int32)
    value = xp.asarray(rank.numpy())
    if value.ndim != 0:
        raise ValueError("Rank must be a scalar.")
    return int(value)


def _is_sparse(x):
    return hasattr(x, "dense_shape") and hasattr(x, "indices") and hasattr(x, "values")


@tf_export("compat.v1.assert_rank", "compat.v1.debugging.assert_rank")
def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Raises ValueError unless ``x`` has rank ``rank``."""
    x = x if _is_sparse(x) else convert_to_tensor(x)
    message = _message_prefix(message)
    r = _static_rank(rank)
    if x.shape.rank is not None and x.shape.rank != r:
        raise ValueError("%sTensor %s must have rank %d.  Received rank %d, shape %s"
                         % (message, "", r, x.shape.rank, x.shape))


@tf_export("debugging.assert_rank", "assert_rank")
def assert_rank_v2(x, rank, message=None, name=None):
    """Raises ValueError unless ``x`` has rank ``rank``."""
    return assert_rank(x, rank, message=message, name=name)


@tf_export("compat.v1.assert_rank_at_least", "compat.v1.debugging.assert_rank_at_least")
def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Raises ValueError unless ``x`` has rank ``rank`` or higher."""
    x = convert_to_tensor(x)
    message = _message_prefix(message)
    r = _static_rank(rank)
    if x.shape.rank is not None and x.shape.rank < r:
        raise ValueError("%sTensor %s must have rank at least %d.  Received rank %d, shape %s"
                         % (message, "", r, x.shape.rank, x.shape))


@tf_export("debugging.assert_rank_at_least")
def assert_rank_at_least_v2(x, rank, message=None, name=None):
    """Raises ValueError unless ``x`` has rank ``rank`` or higher."""
    return assert_rank_at_least(x, rank, message=message, name=name)


@tf_export("compat.v1.assert_rank_in", "compat.v1.debugging.assert_rank_in")
def assert_rank_in(x, ranks, data=None, summarize=None, message=None, name=None):
    """Raises ValueError unless the rank of ``x`` is one of ``ranks``."""
    x = x if _is_sparse(x) else convert_to_tensor(x)
    message = _message_prefix(message)
    rs = tuple(_static_rank(r) for r in ranks)
    if x.shape.rank is not None and x.shape.rank not in rs:
        raise ValueError("%sTensor %s must have rank in %s.  Received rank %d, shape %s"
                         % (message, "", rs, x.shape.rank, x.shape))


@tf_export("debugging.assert_rank_in")
def assert_rank_in_v2(x, ranks, message=None, name=None):
    """Raises ValueError unless the rank of ``x`` is one of ``ranks``."""
    return assert_rank_in(x, ranks, message=message, name=name)


@tf_export("compat.v1.assert_type", "compat.v1.debugging.assert_type")
def assert_type(tensor, tf_type, message=None, name=None):
    """Raises TypeError unless ``tensor`` has dtype ``tf_type``."""
    tf_type = D.as_dtype(tf_type)
    if not _is_sparse(tensor):
        tensor = convert_to_tensor(tensor)
    if tensor.dtype != tf_type:
        label = getattr(tensor, "name", "tensor")  # eager tensors have no name
        raise TypeError(f"{_message_prefix(message)}{label} must be of type {tf_type!r}; "
                        f"got {tensor.dtype!r}")


@tf_export("debugging.assert_type")
def assert_type_v2(tensor, tf_type, message=None, name=None):
    """Raises TypeError unless ``tensor`` has dtype ``tf_type``."""
    assert_type(tensor, tf_type, message=message, name=name)


@tf_export("compat.v1.assert_integer", "compat.v1.debugging.assert_integer")
def assert_integer(x, message=None, name=None):
    """Raises TypeError unless ``x`` has an integer dtype."""
    x = convert_to_tensor(x)
    if not x.dtype.is_integer:
        raise TypeError('%sExpected "x" to be integer type.  Found: %s of dtype %s'
                        % (_message_prefix(message), "tensor", x.dtype))


@tf_export("debugging.assert_integer")
def assert_integer_v2(x, message=None, name=None):
    """Raises TypeError unless ``x`` has an integer dtype."""
    assert_integer(x, message=message, name=name)


@tf_export("compat.v1.assert_scalar", "compat.v1.debugging.assert_scalar")
def assert_scalar(tensor, name=None, message=None):
    """Returns ``tensor`` (as a tensor) if it is a scalar, else raises ValueError."""
    tensor = convert_to_tensor(tensor)
    if tensor.shape.rank != 0:
        raise ValueError("%sExpected scalar shape, saw shape: %s."
                         % (_message_prefix(message), tensor.shape))
    return tensor


@tf_export("debugging.assert_scalar")
def assert_scalar_v2(tensor, message=None, name=None):
    """Raises ValueError unless ``tensor`` is a scalar."""
    assert_scalar(tensor, message=message, name=name)


def _dimension_sizes(x):
    """A scalar counts as rank 1 of size 1."""
    dims = x.shape.as_list()
    return dims if dims else [1]


@tf_export("compat.v1.debugging.assert_shapes")
def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Checks tensors' shapes against symbolic specs, e.g. ``[(x, ('N', 'Q')), (y, ('N',))]``.

    Integers are exact sizes, other hashables name sizes shared between tensors, ``None`` / '.'
    match anything, a leading ``...`` / '*' allows any outer dimensions. Raises ValueError.
    """
    if isinstance(shapes, dict):
        shapes = shapes.items()
    prefix = _message_prefix(message)
    items = [(x if _is_sparse(x) else convert_to_tensor(x), s) for x, s in shapes
             if s is not None]
    specs = []
    for x, spec in items:
        if not (hasattr(spec, "__iter__") or hasattr(spec, "__getitem__")):
            raise ValueError("%sTensor %s.  Specified shape must be an iterable.  An iterable has "
                             "the attribute `__iter__` or `__getitem__`.  Received specified "
                             "shape: %s" % (prefix, _shape_and_dtype_str(x), spec))
        spec = tuple(spec)
        inner = False
        for i, sym in enumerate(spec):
            if sym is Ellipsis or sym == "*":
                if i != 0:
                    raise ValueError("%sTensor %s specified shape index %d.  Symbol `...` or `*` "
                                     "for a variable number of unspecified dimensions is only "
                                     "allowed as the first entry" % (prefix, _shape_and_dtype_str(x), i))
                inner = True
        sizes = spec[1:] if inner else spec
        specs.append((x, inner, _dimension_sizes(x), sizes if sizes else (1,)))
    for x, inner, _, sizes in specs:
        rank = len(sizes)
        if inner:
            if rank > 1:
                assert_rank_at_least(x, rank, message=message)
        elif rank in (0, 1):
            assert_rank_in(x, [0, 1], message=message)
        else:
            assert_rank(x, rank, message=message)
    known = {}
    for x, inner, actual, sizes in specs:
        for i, sym in enumerate(sizes):
            if sym is None or (isinstance(sym, str) and sym == "."):
                continue
            dim = i - len(sizes) if inner else i
            if _is_int_like(sym) or sym in known:
                if _is_int_like(sym):
                    want, how = int(sym), "Specified explicitly"
                else:
                    want, by, at = known[sym]
                    how = "Specified by tensor %s dimension %d" % (_shape_and_dtype_str(by), at)
                got = actual[dim]
                if got is not None and want is not None and int(got) != int(want):
                    raise ValueError("%s%s.  Tensor %s dimension %s must have size %d.  Received "
                                     "size %d, shape %s" % (prefix, how, _shape_and_dtype_str(x),
                                                            dim, want, got, x.shape))
            else:
                known[sym] = (actual[dim], x, dim)


def _is_int_like(v):
    try:
        int(v)
    except (TypeError, ValueError):
        return False
    return v is not None


@tf_export("debugging.assert_shapes")
def assert_shapes_v2(shapes, data=None, summarize=None, message=None, name=None):
    """Checks tensors' shapes against symbolic specs (see ``compat.v1`` version)."""
    assert_shapes(shapes, data=data, summarize=summarize, message=message, name=name)


@tf_export("debugging.assert_same_float_dtype", "compat.v1.assert_same_float_dtype")
def assert_same_float_dtype(tensors=None, dtype=None):
    """Returns the common float dtype of ``tensors`` (and ``dtype``); ValueError otherwise."""
    if tensors:
        expected = dtype
        first = None
        for t in tensors:
            if t is None:
                continue
            if expected is None:
                expected, first = t.dtype, t
            elif t.dtype != expected:
                label = getattr(t, "name", None) or str(t)
                was = (" as %s" % (getattr(first, "name", None) or str(first))) if first else ""
                raise ValueError("%s, type=%s, must be of the same type (%s)%s."
                                 % (label, t.dtype, expected, was))
        dtype = expected
    if not dtype:
        dtype = D.float32
    elif not dtype.is_floating:
        raise ValueError("Expected floating point type, got %s." % dtype)
    return dtype


@tf_export("debugging.assert_proper_iterable", "compat.v1.assert_proper_iterable")
def assert_proper_iterable(values):
    """TypeError unless ``values`` is an iterable other than a tensor, array or string."""
    if isinstance(values, (Tensor, xp.ndarray, bytes, str)) or _is_sparse(values):
        raise TypeError('Expected argument "values" to be a "proper" iterable.  Found: %s'
                        % type(values))
    if not hasattr(values, "__iter__"):
        raise TypeError('Expected argument "values" to be iterable.  Found: %s' % type(values))


@tf_export("debugging.is_numeric_tensor", "compat.v1.is_numeric_tensor")
def is_numeric_tensor(tensor):
    """True for a ``tf.Tensor`` of a number dtype."""
    return isinstance(tensor, Tensor) and tensor.dtype in NUMERIC_TYPES


def _monotonic(x, op_name):
    from tensorlet.ops import array_ops, reduction_ops
    x = array_ops.reshape(convert_to_tensor(x), [-1])
    if not is_numeric_tensor(x):
        raise TypeError("Expected x to be numeric, instead found: %s" % x)
    return reduction_ops.reduce_all(getattr(math_ops, op_name)(x[1:], x[:-1]))


@tf_export("math.is_non_decreasing", "compat.v1.is_non_decreasing",
           "compat.v1.debugging.is_non_decreasing")
def is_non_decreasing(x, name=None):
    """True if ``x[i] <= x[i + 1]`` for all adjacent elements (row-major)."""
    return _monotonic(x, "greater_equal")


@tf_export("math.is_strictly_increasing", "compat.v1.is_strictly_increasing",
           "compat.v1.debugging.is_strictly_increasing")
def is_strictly_increasing(x, name=None):
    """True if ``x[i] < x[i + 1]`` for all adjacent elements (row-major)."""
    return _monotonic(x, "greater")
