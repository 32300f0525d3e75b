"""AutoGraph's runtime operators: what converted code calls instead of Python statements.

Each operator dispatches on the type of its condition or iterable: Python values run the plain
Python statement; tensors run TensorFlow control flow (``tf.cond``, ``tf.while_loop``), so
converted code works unchanged eagerly and while tracing. Loop and branch bodies communicate
through ``get_state``/``set_state`` closures over the converted function's variables.
"""
import functools

from tensorlet.autograph.py_builtins import abs_, float_, int_, len_, overload_of, range_  # noqa: F401 -- re-exported for generated code
from tensorlet.autograph.variables import Undefined, UndefinedReturnValue, ld, ldu
from tensorlet.framework import dtypes, nest
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape


def _cf():
    from tensorlet.ops import control_flow_ops
    return control_flow_ops


def _is_tensor(x):
    return isinstance(x, Tensor)


def _executing_eagerly():
    from tensorlet.framework.context import state
    return state.graph is None


def _is_none_or_undef(value):
    return value is None or isinstance(value, (Undefined, UndefinedReturnValue))


def _as_not_allowed(cls):
    """A tensor (even a constant) used as a Python loop condition while tracing: TF's tensors
    are symbolic there, so the loop cannot stay a Python loop."""
    return (cls if isinstance(cls, type) else TypeError)(
        "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed.")


def _operator_not_allowed():
    try:
        from tensorlet.framework.symbolic_tensor import OperatorNotAllowedInGraphError
        return OperatorNotAllowedInGraphError
    except ImportError:  # pragma: no cover - tracing core absent
        return ()


# ---------------------------------------------------------------- logical operators

def not_(a):
    """``not a``: ``tf.logical_not`` for tensors."""
    if _is_tensor(a):
        from tensorlet.ops import comparison_ops
        return comparison_ops.logical_not(a)
    return not a


def and_(a, b):
    """Lazy ``a() and b()``: a ``tf.cond`` when ``a()`` is a tensor."""
    a_val = a()
    if _is_tensor(a_val):
        return _cf().cond_v1(a_val, b, lambda: a_val)
    return a_val and b()


def or_(a, b):
    """Lazy ``a() or b()``: a ``tf.cond`` when ``a()`` is a tensor."""
    a_val = a()
    if _is_tensor(a_val):
        return _cf().cond_v1(a_val, lambda: a_val, b)
    return a_val or b()


def if_exp(cond, if_true, if_false, expr_repr):
    """``if_true() if cond else if_false()``: a ``tf.cond`` for tensor conditions."""
    if not _is_tensor(cond):
        return if_true() if cond else if_false()
    true_val, false_val = [], []

    def true_fn():
        true_val.append(if_true())
        if false_val:
            verify_single_cond_var(expr_repr, true_val[0], false_val[0])
        return true_val[0]

    def false_fn():
        false_val.append(if_false())
        if true_val:
            verify_single_cond_var(expr_repr, true_val[0], false_val[0])
        return false_val[0]

    return _cf().cond(cond, true_fn, false_fn)


# ---------------------------------------------------------------- assert

def assert_stmt(expression1, expression2):
    """``assert expression1, expression2()``: ``tf.debugging.Assert`` for tensors."""
    if not callable(expression2):
        raise ValueError(f"{expression2} must be a callable")
    if _is_tensor(expression1):
        data = expression2()
        if not isinstance(data, list):
            data = [data]
        if _executing_eagerly():
            from tensorlet.ops import debugging_ops
            return debugging_ops.Assert(expression1, data)
        from tensorlet.ops import control_flow_v2
        return control_flow_v2.runtime_assert(expression1, " ".join(str(d) for d in data))
    assert expression1, expression2()
    return None


# ---------------------------------------------------------------- verification (TF's messages)

def _verify_tf_condition(cond, tag):
    """The condition of a staged statement must be a bool scalar (size-1 tensors are reshaped)."""
    extra_hint = "to check for None, use `is not None`"
    cond = convert_to_tensor(cond)
    if cond.dtype != dtypes.bool:
        raise ValueError(f"condition of {tag} expected to be `tf.bool` scalar, got {cond}; to use as "
                         f"boolean Tensor, use `tf.cast`; {extra_hint}")
    shape = cond.shape
    if shape.rank is None or shape.rank > 0:
        known = [d for d in (shape.dims or []) if d is not None]
        n = 1
        for d in known:
            n *= d
        if n > 1:
            raise ValueError(f"condition of {tag} expected to be `tf.bool` scalar, got {cond}; {extra_hint}")
        from tensorlet.ops import array_ops
        cond = array_ops.reshape(cond, ())
    return cond


def verify_single_cond_var(name, body_var, orelse_var):
    """Both branches of a staged ``if`` give ``name`` the same kind of value."""
    if body_var is None:
        raise ValueError(f"'{name}' is None at the end of the main branch.")
    if orelse_var is None:
        raise ValueError(f"'{name}' is None at the end of the else branch.")
    if isinstance(body_var, (bool, int, float, str)):
        body_var = convert_to_tensor(body_var)
    if isinstance(orelse_var, (bool, int, float, str)):
        orelse_var = convert_to_tensor(orelse_var)
    if not _is_tensor(body_var) or not _is_tensor(orelse_var):
        return
    if body_var.dtype != orelse_var.dtype:
        raise TypeError(f"'{name}' has dtype {body_var.dtype.name} in the main branch, but dtype {orelse_var.dtype.name} in the else "
                        "branch")


def _verify_tf_cond_branch_vars(vars_, symbol_names, branch_name):
    for name, var in zip(symbol_names, vars_):
        if isinstance(var, Undefined):
            raise ValueError(f"'{name}' must also be initialized in the {branch_name} branch")
        if isinstance(var, UndefinedReturnValue):
            raise ValueError(f"the {branch_name} branch must also have a return statement.")


def _verify_tf_cond_vars(body_vars, orelse_vars, symbol_names):
    for name, body_var, orelse_var in zip(symbol_names, body_vars, orelse_vars):
        try:
            nest.assert_same_structure(body_var, orelse_var)
        except (ValueError, TypeError) as e:
            raise TypeError(f"'{name}' must have the same nested structure in the main and else "
                            f"branches:\n\n{e!s}") from e
        nest.map_structure(functools.partial(verify_single_cond_var, name), body_var, orelse_var)


def verify_loop_init_vars(init_vars, symbol_names, first_iter_vars=None, extra_message=None):
    """Loop variables of a staged loop must be defined (and not None) before the loop."""
    if not symbol_names:
        return
    if first_iter_vars is None:
        first_iter_vars = (None,) * len(symbol_names)
    for name, val, fi_val in zip(symbol_names, init_vars, first_iter_vars):
        if isinstance(val, UndefinedReturnValue):
            if fi_val:
                raise ValueError(f"the return value from a TensorFlow loop may only be a {LEGAL_LOOP_TYPES}; got "
                                 f"{type(fi_val)}")
            raise NotImplementedError(
                "a return statement cannot be placed inside this TensorFlow loop; this may happen "
                "if a return statement depends on a static Python condition such as a "
                "hyperparameter")
        error_msg = None
        if val is None:
            error_msg = f"'{name}' is not allowed to be None before the loop"
        elif isinstance(val, Undefined):
            error_msg = f"'{name}' must be defined before the loop"
            if extra_message:
                error_msg += "\n" + extra_message
        if error_msg is not None:
            raise ValueError(error_msg)


def _is_subshape(left, right):
    """True if ``left`` is at least as specific as ``right``."""
    if right.dims is None:
        return True
    if left.rank != right.rank:
        return False
    return all(r is None or l_ == r for l_, r in zip(left.dims, right.dims))


def _verify_single_loop_var(name, check_shape, init, entry, exit_, shape_invariant):
    if exit_ is None:
        raise ValueError(f"'{name}' is None at the end of the iteration.")
    if isinstance(init, (bool, int, float, str)):
        init = convert_to_tensor(init)
    if isinstance(entry, (bool, int, float, str)):
        entry = convert_to_tensor(entry)
    if isinstance(exit_, (bool, int, float, str)):
        exit_ = convert_to_tensor(exit_)
    if not _is_tensor(entry) or not _is_tensor(exit_):
        return
    if entry.dtype != exit_.dtype:
        raise TypeError(f"'{name}' has dtype {entry.dtype.name} before the loop, but dtype {exit_.dtype.name} after one iteration"
                        )
    if not check_shape:
        return
    exit_shape = exit_.shape
    if shape_invariant is None:
        entry_shape = entry.shape
        if not _is_subshape(exit_shape, entry_shape):
            raise ValueError(
                f"'{name}' has shape {entry_shape} before the loop, but shape {exit_shape} after one iteration. Use "
                "tf.autograph.experimental.set_loop_options to set shape invariants.")
    else:
        shape_invariant = TensorShape(shape_invariant)
        init_shape = init.shape if _is_tensor(init) else TensorShape(None)
        if not _is_subshape(init_shape, shape_invariant):
            raise ValueError(f"'{name}' has shape {init_shape} before the loop, which does not conform with the "
                             f"shape invariant {shape_invariant}.")
        if not _is_subshape(exit_shape, shape_invariant):
            raise ValueError(f"'{name}' has shape {exit_shape} after one iteration, which does not conform with "
                             f"the shape invariant {shape_invariant}.")


def verify_tf_loop_vars(init_vars, iter_entry_vars, iter_exit_vars, symbol_names, opts,
                        check_shapes=True):
    """Loop variables keep their structure, dtype and (unless relaxed) shape across iterations."""
    if check_shapes and "shape_invariants" in opts:
        shape_invariants = opts["shape_invariants"]
    else:
        shape_invariants = nest.map_structure(lambda _: None, iter_entry_vars)
    for i, name in enumerate(symbol_names):
        init, entry, exit_ = init_vars[i], iter_entry_vars[i], iter_exit_vars[i]
        invariant = shape_invariants[i]
        for a, b in ((_vars_as_tensors(init), entry), (entry, exit_)):
            try:
                nest.assert_same_structure(a, b)
            except (ValueError, TypeError) as e:
                raise TypeError(f"'{name}' does not have the same nested structure after one "
                                f"iteration.\n\n{e}") from e
        if invariant is not None:
            try:
                nest.assert_same_structure(init, invariant)
            except (ValueError, TypeError) as e:
                raise TypeError(f"'{name}' does not have the same nested structure as its "
                                f"corresponding shape invariant.\n\n{e}") from e
        flat = zip(nest.flatten(init), nest.flatten(entry), nest.flatten(exit_),
                   nest.flatten(invariant) if invariant is not None
                   else [None] * len(nest.flatten(init)))
        for a, b, c, d in flat:
            _verify_single_loop_var(name, check_shapes, a, b, c, d)


def _vars_as_tensors(x):
    return nest.map_structure(
        lambda v: v.value() if getattr(type(v), "_is_variable", False) else v, x)


LEGAL_LOOP_TYPES = "Tensor, int, float, bool or a list, tuple or dict thereof"


# ---------------------------------------------------------------- if statement

def if_stmt(cond, body, orelse, get_state, set_state, symbol_names, nouts):
    """Functional ``if``: ``tf.cond`` for tensor conditions, the Python ``if`` otherwise."""
    if _is_tensor(cond) and not (isinstance(cond, EagerTensor) and _executing_eagerly()):
        _tf_if_stmt(cond, body, orelse, get_state, set_state, symbol_names, nouts)
    elif cond:
        body()
    else:
        orelse()


def _tf_if_stmt(cond, body, orelse, get_state, set_state, symbol_names, nouts):
    cond = _verify_tf_condition(cond, "if statement")
    if not nouts:
        prev_get_state, prev_set_state = get_state, set_state
        get_state = lambda: (0,) + prev_get_state()
        set_state = lambda v: prev_set_state(v[1:])
        symbol_names += ("<unused dummy>",)
        nouts = 1
    init_vars = get_state()
    new_body_vars_ = [None]
    new_orelse_vars_ = [None]

    def aug_body():
        set_state(init_vars)
        body()
        new_body_vars = get_state()[:nouts]
        new_body_vars_[0] = new_body_vars
        _verify_tf_cond_branch_vars(new_body_vars, symbol_names, "main")
        if new_orelse_vars_[0] is not None:
            _verify_tf_cond_vars(new_body_vars, new_orelse_vars_[0], symbol_names)
        return new_body_vars

    def aug_orelse():
        set_state(init_vars)
        orelse()
        new_orelse_vars = get_state()[:nouts]
        new_orelse_vars_[0] = new_orelse_vars
        _verify_tf_cond_branch_vars(new_orelse_vars, symbol_names, "else")
        if new_body_vars_[0] is not None:
            _verify_tf_cond_vars(new_body_vars_[0], new_orelse_vars, symbol_names)
        return new_orelse_vars

    final_cond_vars = _cf().cond_v1(cond, aug_body, aug_orelse, strict=True)
    final_cond_vars = tuple(final_cond_vars) + tuple(init_vars[nouts:])
    set_state(final_cond_vars)


# ---------------------------------------------------------------- while statement

def while_stmt(test, body, get_state, set_state, symbol_names, opts):
    """Functional ``while``: ``tf.while_loop`` when the condition is a tensor."""
    init_test = test()
    if _is_tensor(init_test):
        _tf_while_stmt(test, body, get_state, set_state, symbol_names, opts)
        return
    # Normal Python: one evaluation of `test` is consumed, so unroll one iteration first.
    if not init_test:
        return
    body()
    _py_while_stmt(test, body)


def _py_while_stmt(test, body):
    not_allowed = _operator_not_allowed()

    def guarded_test():
        result = test()
        try:
            if isinstance(result, Tensor) and not _executing_eagerly():
                raise _as_not_allowed(not_allowed)
            return bool(result)
        except not_allowed as e:
            raise NotImplementedError(
                "The condition of while loop started as non-Tensor, then changed to Tensor. This "
                "may happen either because variables changed type, or when a break or return "
                "statement inside the loop depends on a Tensor condition. In both cases, changing "
                "to a TF loop should remove the error.\nSee https://github.com/tensorflow/"
                "tensorflow/blob/master/tensorflow/python/autograph/g3doc/reference/"
                "limitations.md#consistency-of-control-flow-types for more info.") from e

    while guarded_test():
        body()


def _tf_while_stmt(test, body, get_state, set_state, symbol_names, opts):
    init_vars = get_state()
    orig_init_vars = init_vars
    nulls = tuple(_is_none_or_undef(v) for v in init_vars)
    require_one_iteration = False
    if any(nulls) and _executing_eagerly():
        # Eagerly the loop simply runs: variables first defined inside it need no placeholder.
        _py_while_stmt(lambda: _verify_tf_condition(test(), "while loop"), body)
        return
    if any(nulls):
        by_init = {id(v): i for v, i in opts.get("shape_invariants", ())}
        invariants = tuple(by_init.get(id(v)) for v in orig_init_vars)
        require_one_iteration, init_vars, extra = _try_handling_undefineds(
            body, get_state, set_state, init_vars, nulls, invariants, symbol_names)
        if require_one_iteration:
            merged = dict(by_init)
            for v, nv, ni in zip(orig_init_vars, init_vars, extra):
                inv = merged.get(id(v), ni)
                if inv is not None:
                    merged[id(nv)] = inv
            merged = tuple((nv, merged[id(nv)]) for nv in init_vars if id(nv) in merged)
            if merged:
                opts = dict(opts, shape_invariants=merged)

    def aug_test(*loop_vars):
        if require_one_iteration:
            loop_vars = loop_vars[1:]
        set_state(loop_vars)
        return _verify_tf_condition(test(), "while loop")

    def aug_body(*loop_vars):
        if require_one_iteration:
            loop_vars = loop_vars[1:]
        set_state(loop_vars)
        body()
        new_loop_vars = get_state()
        verify_tf_loop_vars(init_vars, loop_vars, new_loop_vars, symbol_names, opts)
        if require_one_iteration:
            new_loop_vars = (True,) + tuple(new_loop_vars)
        return new_loop_vars

    if "shape_invariants" in opts:
        opts = dict(opts, shape_invariants=_invariants_to_positional(
            opts["shape_invariants"], init_vars))
    loop_opts = dict(opts)
    loop_opts.pop("iterate_names", None)
    loop_opts["return_same_structure"] = True
    if require_one_iteration:
        aug_init_vars = (False,) + tuple(init_vars)
        if "shape_invariants" in loop_opts:
            loop_opts["shape_invariants"] = (None,) + tuple(loop_opts["shape_invariants"])
    else:
        aug_init_vars = tuple(init_vars)
    final = _cf().while_loop_v1(aug_test, aug_body, aug_init_vars, **loop_opts)
    if require_one_iteration:
        from tensorlet.ops import control_flow_v2
        control_flow_v2.runtime_assert(final[0], _zero_iterations_msg(symbol_names, nulls,
                                                                      orig_init_vars))
        final = final[1:]
    set_state(final)


def _zero_iterations_msg(symbol_names, nulls, init_vars):
    names = []
    for sn, n, v in zip(symbol_names, nulls, init_vars):
        if n:
            names.append("the function return value"
                         if isinstance(v, UndefinedReturnValue) else sn)
    return "loop must iterate at least once to initialize {}".format(", ".join(names))


def _invariants_to_positional(mapping, keys):
    by_id = {id(k): (k, v) for k, v in mapping}
    result = []
    for k in keys:
        key, val = by_id.get(id(k), (None, None))
        result.append(val if key is k else nest.map_structure(lambda _: None, k))
    return tuple(result)


def _placeholder_value(like, shape_invariant, original=None):
    """A zero value shaped like ``like`` to stand for a variable first defined in the loop."""
    from tensorlet.ops import array_creation_ops
    if like is None or isinstance(like, (Undefined, UndefinedReturnValue)):
        return original, None
    if isinstance(like, (bool, int, float)):
        return type(like)(0), None
    if _is_tensor(like):
        like_shape = TensorShape(shape_invariant) if shape_invariant is not None else like.shape
        if like_shape.rank is None:
            return array_creation_ops.zeros((), like.dtype), like_shape
        dims, dynamic = [], False
        for s, i in zip(like.shape, like_shape):
            if s is None:
                dims.append(0 if i is None else i)
                dynamic = True
            else:
                dims.append(s)
        return array_creation_ops.zeros(dims, like.dtype), (like_shape if dynamic else None)
    if isinstance(like, (list, tuple, dict)):
        flat = nest.flatten(like)
        invs = nest.flatten(shape_invariant) if shape_invariant is not None else [None] * len(flat)
        vals, inv = zip(*[_placeholder_value(v, i) for v, i in zip(flat, invs)]) if flat else ((), ())
        return nest.pack_sequence_as(like, vals), nest.pack_sequence_as(like, inv)
    raise TypeError(f"Found an unsupported type '{type(like).__name__}' while creating placeholder for {like}. Supported "
                    "types include Tensor, int, float, bool, list, tuple or dict.")


def _try_handling_undefineds(body, get_state, set_state, init_vars, nulls, shape_invariants,
                             symbol_names):
    """Stages one iteration in a scratch graph to learn the types of loop-defined variables."""
    state_modified = False
    first_iter_vars = None
    failure_message = None
    success = False
    extra = (None,) * len(init_vars)
    try:
        with _scratch_graph():
            set_state(nest.map_structure(_autocast_placeholder, init_vars))
            state_modified = True
            body()
            first_iter_vars = get_state()
        pairs = tuple(_placeholder_value(iv, i, v) if n else (v, None)
                      for v, n, iv, i in zip(init_vars, nulls, first_iter_vars, shape_invariants))
        init_vars, extra = zip(*pairs)
        success = True
    except (UnboundLocalError, TypeError, ValueError, KeyError) as e:
        failure_message = ("Note: AutoGraph tried to define it automatically, but ran into a "
                           f"{type(e).__name__}: {e}")
    finally:
        if state_modified:
            set_state(init_vars)
    verify_loop_init_vars(init_vars, symbol_names, first_iter_vars,
                          extra_message=failure_message)
    return success, init_vars, extra


def _autocast_placeholder(v):
    if isinstance(v, (bool, int, float, str, list, tuple)) and not isinstance(v, Tensor):
        t = convert_to_tensor(v)
        return _placeholder_like(t.dtype, t.shape)
    return v


def _scratch_graph():
    """A throwaway graph in which a loop body can be traced once (TF's ``FuncGraph('tmp')``)."""
    from tensorlet.ops import control_flow_v2
    return control_flow_v2.scratch_graph()


def _placeholder_like(dtype, shape):
    from tensorlet.ops import control_flow_v2
    return control_flow_v2.placeholder(dtype, shape)


# ---------------------------------------------------------------- for statement

def for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names, opts):
    """Functional ``for``: a ``tf.while_loop`` over tensors (``tf.range`` is elided)."""
    if _is_tensor(iter_):
        if _is_range_tensor(iter_):
            _tf_range_for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names, opts)
        else:
            _known_len_tf_for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names,
                                   opts)
        return
    _py_for_stmt(iter_, extra_test, body)


def _is_range_tensor(t):
    if isinstance(t, EagerTensor):
        return False
    op = getattr(t, "op", None)
    return op is not None and getattr(op, "type", None) == "Range"


def _py_for_stmt(iter_, extra_test, body):
    if extra_test is None:
        for target in iter_:
            body(target)
        return
    not_allowed = _operator_not_allowed()

    def guarded_extra_test():
        result = extra_test()
        try:
            if isinstance(result, Tensor) and not _executing_eagerly():
                raise _as_not_allowed(not_allowed)
            return bool(result)
        except not_allowed as e:
            raise NotImplementedError(
                "break and return statements which depend on a TF condition are not supported in "
                "Python for loops. Did you intend to make it a TF loop?\nSee https://github.com/"
                "tensorflow/tensorflow/blob/master/tensorflow/python/autograph/g3doc/reference/"
                "limitations.md#consistency-of-control-flow-types for more info.") from e

    if guarded_extra_test():
        for target in iter_:
            body(target)
            if not guarded_extra_test():
                break


def _known_len_tf_for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names, opts):
    from tensorlet.ops import tensor_array_ops
    n = len_(iter_)
    ta = tensor_array_ops.TensorArray(iter_.dtype, size=n)
    iter_ta = ta.unstack(iter_)
    iterate_index = 0

    def aug_get_state():
        return (iterate_index,) + tuple(get_state())

    def aug_set_state(aug_loop_vars):
        nonlocal iterate_index
        iterate_index, *loop_vars = aug_loop_vars
        set_state(loop_vars)

    def aug_body():
        nonlocal iterate_index
        body(iter_ta.read(iterate_index))
        iterate_index += 1

    def aug_test():
        main_test = iterate_index < n
        if extra_test is not None:
            return _cf().cond(main_test, extra_test, lambda: False)
        return main_test

    _tf_while_stmt(aug_test, aug_body, aug_get_state, aug_set_state,
                   ("<internal iterate>",) + tuple(symbol_names), opts)


def _tf_range_for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names, opts):
    from tensorlet.ops import comparison_ops
    start, limit, delta = _range_inputs(iter_)
    iterate = start

    def _value_or(name, var, default):
        if name == opts.get("iterate_names") and isinstance(var, Undefined):
            return default
        return var

    def aug_get_state():
        vals = tuple(_value_or(n, v, iterate) for n, v in zip(symbol_names, get_state()))
        return (iterate,) + vals

    def aug_set_state(aug_loop_vars):
        nonlocal iterate
        iterate, *loop_vars = aug_loop_vars
        set_state(loop_vars)

    def aug_body():
        nonlocal iterate
        body(iterate)
        iterate += delta

    def aug_test():
        const_delta = _constant_value(delta)
        if const_delta is not None:
            main_test = iterate < limit if const_delta >= 0 else iterate > limit
        else:
            main_test = comparison_ops.logical_or(
                comparison_ops.logical_and(delta >= 0, iterate < limit),
                comparison_ops.logical_and(delta < 0, iterate > limit))
        if extra_test is not None:
            main_test = _cf().cond(main_test, extra_test, lambda: False)
        return main_test

    _tf_while_stmt(aug_test, aug_body, aug_get_state, aug_set_state,
                   ("<internal iterate>",) + tuple(symbol_names), opts)


def _range_inputs(t):
    return tuple(t.op.inputs)[:3]


def _constant_value(t):
    if isinstance(t, EagerTensor):
        return t.numpy()
    const = getattr(t, "_const", None)
    return None if const is None else const[()] if getattr(const, "ndim", 1) == 0 else None


__all__ = [
    "Undefined",
    "UndefinedReturnValue",
    "and_",
    "assert_stmt",
    "for_stmt",
    "if_exp",
    "if_stmt",
    "ld",
    "ldu",
    "not_",
    "or_",
    "while_stmt",
]
