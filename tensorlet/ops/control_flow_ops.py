"""Control flow: ``tf.cond``, ``tf.case``, ``tf.switch_case``, ``tf.while_loop``, ``tf.group``,
``tf.no_op``, ``tf.tuple``, ``tf.control_dependencies``.

Eagerly these are plain Python: ``cond`` calls only the taken branch and ``while_loop`` is a
Python loop, so a ``GradientTape`` records exactly the ops that ran. While a ``tf.function`` is
traced, ``cond``/``switch_case`` build one ``If``/``Case`` node and ``while_loop`` one ``While``
node whose branches and bodies are traced sub-graphs (``control_flow_v2``).
"""
import contextlib

from tensorlet.framework import errors, nest
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor


def _v2():
    from tensorlet.ops import control_flow_v2
    return control_flow_v2


def _is_tensor_array(x):
    return getattr(type(x), "_is_tensor_array", False)


def _is_variable(x):
    return getattr(type(x), "_is_variable", False)


def _variables_to_tensors(structure):
    """Loop variables that are ``tf.Variable``s enter the loop as their value (TF does this)."""
    return nest.map_structure(lambda v: v.value() if _is_variable(v) else v, structure)


# ---------------------------------------------------------------- cond

def _unpack_if_singleton(res):
    if isinstance(res, (list, tuple)) and len(res) == 1:
        return res[0]
    return res


@tf_export("compat.v1.cond")
def cond_v1(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()`` (TF1: singleton results unpacked unless strict)."""
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): 'true_fn' and 'fn1' may not be set simultaneously.")
        true_fn = fn1
    elif true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): 'false_fn' and 'fn2' may not be set simultaneously.")
        false_fn = fn2
    elif false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if state.graph is None:
        result = true_fn() if _eager_truth(pred) else false_fn()
        return result if strict else _unpack_if_singleton(result)
    result = _v2().cond_v2(pred, true_fn, false_fn, name)
    return result if strict else _unpack_if_singleton(result)


def _eager_truth(pred):
    if isinstance(pred, Tensor):
        return bool(pred.numpy())
    return bool(convert_to_tensor(pred).numpy())


@tf_export("cond")
def cond(pred, true_fn=None, false_fn=None, name=None):
    """Returns ``true_fn()`` if the predicate ``pred`` is true else ``false_fn()``.

    Eagerly only the taken branch runs. Inside ``tf.function`` both branches are traced into an
    ``If`` node; they must return the same structure and dtypes (TF's ``TypeError`` otherwise).

    Example:
        >>> x, y = tf.constant(2), tf.constant(5)
        >>> print(tf.cond(x < y, lambda: tf.multiply(x, 7), lambda: tf.add(y, 3)).numpy())
        14
    """
    return cond_v1(pred, true_fn=true_fn, false_fn=false_fn, strict=True, name=name)


# ---------------------------------------------------------------- case / switch_case

def _case_pairs(pred_fn_pairs, exclusive):
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError("'pred_fn_pairs' must be a list, tuple, or dict. "
                        f"Received: {type(pred_fn_pairs)}")
    if isinstance(pred_fn_pairs, dict):
        if state.graph is None and not exclusive and type(pred_fn_pairs) is dict:
            raise ValueError("Unordered dictionaries are not supported for the 'pred_fn_pairs' "
                             "argument when `exclusive=False` and eager mode is enabled.")
        pred_fn_pairs = list(pred_fn_pairs.items())
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {pair}.")
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype.name != "bool":
                raise TypeError("pred must be Tensor of type bool: %s" % pred.name)
        else:
            raise TypeError("pred must be a Tensor, got: %s" % pred)
        if not callable(fn):
            raise TypeError("fn for pred %s must be callable." % pred.name)
    if not pred_fn_pairs:
        return (), ()
    predicates, actions = zip(*pred_fn_pairs)
    return predicates, actions


def _assert(condition, data, summarize=None):
    """``tf.debugging.Assert``; inside graphs a node that checks when the graph runs."""
    if state.graph is None:
        from tensorlet.ops import debugging_ops
        return debugging_ops.Assert(condition, data, summarize=summarize)
    text = " ".join(d for d in data if isinstance(d, str))
    return _v2().runtime_assert(condition, text)


def _assert_at_most_n_true(predicates, n, msg):
    from tensorlet.ops import array_ops, cast_ops, reduction_ops
    preds = array_ops.stack(list(predicates)) if predicates else convert_to_tensor([], "bool")
    num_true = reduction_ops.reduce_sum(cast_ops.cast(preds, "int32"))
    names = ", ".join(_name_or_q(p) for p in predicates)
    return _assert(num_true <= n, [
        "%s: more than %d conditions (%s) evaluated as True:" % (msg, n, names), preds],
        summarize=len(predicates))


def _name_or_q(t):
    try:
        return t.name
    except AttributeError:
        return "?"


def _default_action(predicates, actions):
    """TF's default when ``default`` is None: the last action, asserting its predicate holds."""
    k = len(predicates) - 1
    predicate, action = predicates[k], actions[k]
    others = predicates[:k]

    def default_action():
        from tensorlet.ops import array_ops
        _assert_at_most_n_true(others, 0, "Implementation error: selected default action #%d "
                               "was called, but some of other predicates are True: " % k)
        _assert(predicate, ["Input error: None of conditions evaluated as True:",
                            array_ops.stack(list(predicates))])
        return action()

    return default_action, others, actions[:k]


def _case_helper(pred_fn_pairs, default, exclusive, strict, name, v1):
    predicates, actions = _case_pairs(pred_fn_pairs, exclusive)
    if default is None:
        default, predicates, actions = _default_action(predicates, actions)
    fn = default
    for predicate, action in reversed(list(zip(predicates, actions))):
        fn = _bind_cond(predicate, action, fn, strict, v1)
    if exclusive:
        _assert_at_most_n_true(predicates, 1, "Input error: exclusive=True")
    return fn()


def _bind_cond(pred, true_fn, false_fn, strict, v1):
    return lambda: cond_v1(pred, true_fn, false_fn, strict=strict)


@tf_export("case")
def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the first ``fn`` whose predicate is true (else ``default()``).

    ``pred_fn_pairs`` is a list of ``(bool scalar tensor, callable)``; with ``exclusive=True`` at
    most one predicate may be true (InvalidArgumentError otherwise).
    """
    return _case_helper(pred_fn_pairs, default, exclusive, strict, name, v1=False)


@tf_export("compat.v1.case")
def case_v1(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """``tf.compat.v1.case``: like ``tf.case``; ``pred_fn_pairs`` may also be a dict."""
    return _case_helper(pred_fn_pairs, default, exclusive, strict, name, v1=True)


def _switch_branches(branch_fns, default, branch_index):
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype}")
    if not branch_fns:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    if not isinstance(branch_fns, (list, tuple, dict)):
        raise TypeError("'branch_fns' must be a list, tuple, or dict")
    if isinstance(branch_fns, dict):
        branch_fns = branch_fns.items()
    if all(callable(fn) for fn in branch_fns):
        branch_fns = list(enumerate(branch_fns))
    for pair in branch_fns:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'branch_fns' must be a 2-tuple. Received {pair}.")
        key, fn = pair
        if not isinstance(key, int):
            raise TypeError(f"key must be a Python `int`, got {type(key)}")
        if not callable(fn):
            raise TypeError(f"fn for key {key} must be callable.")
    keys = [p[0] for p in branch_fns]
    if min(keys) < 0 or max(keys) >= len(keys) or len(set(keys)) != len(keys):
        raise ValueError("branch indices (keys) must form contiguous range of [0 to {}) but "
                         "found {{{}}}".format(len(keys), ",".join(map(str, sorted(keys)))))
    actions = [p[1] for p in sorted(branch_fns, key=lambda p: p[0])]
    if default is not None:
        actions.append(default)
    return actions


@tf_export("switch_case", "compat.v1.switch_case")
def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Calls ``branch_fns[branch_index]()`` (out-of-range indices run ``default``, else the last).

    Example:
        >>> branches = [lambda: tf.constant(17), lambda: tf.constant(31)]
        >>> print(tf.switch_case(tf.constant(1), branches).numpy())
        31
    """
    actions = _switch_branches(branch_fns, default, branch_index)
    if state.graph is None:
        i = int(branch_index.numpy())
        if i < 0 or i >= len(actions):
            i = len(actions) - 1
        return actions[i]()
    return _v2().indexed_case(branch_index, actions, name)


# ---------------------------------------------------------------- while_loop

@tf_export("while_loop")
def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeats ``body`` while ``cond`` is true; returns the final loop variables.

    ``loop_vars`` is a (nested) tuple/list/namedtuple of tensors, Python values and
    ``tf.TensorArray``s; ``body`` returns the same structure. Eagerly this is a Python loop.
    Inside ``tf.function`` it is one ``While`` node: loop variables keep their dtype and shape
    unless ``shape_invariants`` relaxes it (TF's ValueError / TypeError otherwise).

    Example:
        >>> i = tf.constant(0)
        >>> r = tf.while_loop(lambda i: tf.less(i, 10), lambda i: (tf.add(i, 1),), [i])
        >>> print(r[0].numpy())
        10
    """
    return while_loop_v1(cond, body, loop_vars, shape_invariants=shape_invariants,
                         parallel_iterations=parallel_iterations, back_prop=back_prop,
                         swap_memory=swap_memory, name=name,
                         maximum_iterations=maximum_iterations, return_same_structure=True)


@tf_export("compat.v1.while_loop")
def while_loop_v1(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
                  back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
                  return_same_structure=False):
    """TF1 ``while_loop``: a single loop variable comes back unpacked unless
    ``return_same_structure``."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    loop_vars = _variables_to_tensors(loop_vars)
    if state.graph is not None:
        return _v2().while_loop(cond, body, loop_vars, shape_invariants=shape_invariants,
                                maximum_iterations=maximum_iterations, name=name,
                                return_same_structure=return_same_structure,
                                back_prop=back_prop)
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    return _eager_while(cond, body, loop_vars, maximum_iterations, return_same_structure)


def _eager_while(cond, body, loop_vars, maximum_iterations, return_same_structure):
    """TF's eager ``while_loop``: a Python loop with a structure check after every iteration."""
    from tensorlet.ops import comparison_ops
    try_to_pack = len(loop_vars) == 1 and not return_same_structure
    if maximum_iterations is not None:
        maximum_iterations = convert_to_tensor(maximum_iterations)
        if maximum_iterations.shape.rank != 0:
            raise ValueError("'maximum_iterations' must be a scalar. "
                             f"Received shape: {maximum_iterations.shape}")
        limit = int(maximum_iterations.numpy())
        orig_cond, orig_body = cond, body
        if try_to_pack:
            loop_vars = (0, loop_vars[0])
            cond = lambda i, lv: comparison_ops.logical_and(i < limit, orig_cond(lv))
            body = lambda i, lv: (i + 1, orig_body(lv))
        else:
            loop_vars = (0, loop_vars)
            cond = lambda i, lv: comparison_ops.logical_and(i < limit, orig_cond(*lv))
            body = lambda i, lv: (i + 1, orig_body(*lv))
        try_to_pack = False
    packed = False
    orig_type = type(loop_vars) if type(loop_vars) in (list, tuple) else list
    structure = nest.map_structure(lambda _: 0, list(loop_vars))
    while cond(*loop_vars):
        loop_vars = body(*loop_vars)
        if not isinstance(loop_vars, (list, tuple)):
            if try_to_pack:
                packed = True
            loop_vars = orig_type((loop_vars,))
        nest.assert_same_structure(structure, list(loop_vars))
    loop_vars = nest.map_structure(
        lambda x: x if _is_tensor_array(x) else convert_to_tensor(x), loop_vars)
    if maximum_iterations is not None:
        return loop_vars[1]
    return loop_vars[0] if packed else loop_vars


# ---------------------------------------------------------------- grouping and dependencies

@tf_export("no_op", "compat.v1.no_op")
def no_op(name=None):
    """Does nothing; eagerly returns None (in a graph, a node to hang dependencies on)."""
    if state.graph is None:
        return None
    return _v2().no_op(name)


@tf_export("group", "compat.v1.group")
def group(*inputs, **kwargs):
    """Groups the side effects of ``inputs``; returns None eagerly (a NoOp node in graphs)."""
    if state.graph is None:
        return None
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError("Unknown keyword arguments: " + ", ".join(kwargs.keys()))
    return _v2().no_op(name)


@tf_export("tuple")
def tuple_(tensors, control_inputs=None, name=None):
    """Returns ``tensors`` (in graphs each output waits for all of them, as TF's ``tf.tuple``)."""
    if state.graph is None:
        return tensors
    from tensorlet.ops import array_ops
    return [None if t is None else array_ops.identity(t) for t in tensors]


@tf_export("compat.v1.tuple")
def tuple_v1(tensors, name=None, control_inputs=None):
    return tuple_(tensors, control_inputs=control_inputs, name=name)


@tf_export("control_dependencies", "compat.v1.control_dependencies")
def control_dependencies(control_inputs):
    """Context in which ops run after ``control_inputs``.

    Eagerly ops run in program order anyway: callables in ``control_inputs`` are called and a
    no-op context is returned, as TF does.
    """
    if state.graph is None:
        if control_inputs:
            for control in control_inputs:
                if callable(control):
                    control()
        return contextlib.nullcontext()
    graph = state.graph
    deps = getattr(graph, "control_dependencies", None)
    if deps is not None:
        return deps(control_inputs)
    return contextlib.nullcontext()


# ---------------------------------------------------------------- control flow v2 toggles

@tf_export("compat.v1.enable_control_flow_v2")
def enable_control_flow_v2():
    """Control flow v2 (functional ``If``/``While``) is the only implementation here."""


@tf_export("compat.v1.disable_control_flow_v2")
def disable_control_flow_v2():
    """Accepted for compatibility; control flow stays functional (v2)."""


@tf_export("compat.v1.control_flow_v2_enabled")
def control_flow_v2_enabled():
    return True


__all__ = [
    "case",
    "cond",
    "control_dependencies",
    "errors",
    "group",
    "no_op",
    "switch_case",
    "tuple_",
    "while_loop",
]
