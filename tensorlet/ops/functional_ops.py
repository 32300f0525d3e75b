"""``tf.map_fn``, ``tf.scan``, ``tf.foldl`` / ``tf.foldr`` and ``tf.vectorized_map``.

TF builds each as a ``tf.while_loop`` over TensorArrays. tensorlet does the same when the
number of elements is only known when a graph runs; when it is known (eagerly, or traced with a
static first dimension) the loop runs in Python over slices of ``elems`` and the results are
stacked: the same values and gradients, and a straight-line graph when traced (cheaper to run
and to differentiate than a while loop).
"""

from tensorlet.framework import dtypes, nest
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_creation_ops, array_ops, control_flow_ops, tensor_array_ops

_MAX_UNROLL = 1000  # longer static loops inside a trace use a while loop (graph size)


def _flat_elems(elems, what="elems"):
    flat = [e if isinstance(e, Tensor) or hasattr(e, "flat_values") else convert_to_tensor(e)
            for e in nest.flatten(elems)]
    if not flat:
        raise ValueError(f"{what} must be a Tensor or (possibly nested) sequence of Tensors. "
                         f"Got {elems}, which does not contain any Tensors.")
    for e in flat:
        if e.shape.rank == 0:
            raise ValueError(
                "Elements in elems must be 1+ dimensional Tensors, not scalars")
    return flat


def _length(flat):
    """The static number of elements (first dimension), None if unknown; checks agreement."""
    n = None
    for e in flat:
        d = e.shape[0] if e.shape.rank else None
        if d is None:
            continue
        if n is not None and d != n:
            raise ValueError(
                "All elements in elems must have the same size along axis 0: "
                f"{n} vs {d}")
        n = d
    return n


def _static(n):
    from tensorlet.framework.context import state

    return n is not None and (state.graph is None or n <= _MAX_UNROLL)


def _stack(values, signature):
    """Stacks the per-element results (a list of structures) along a new first axis."""
    if not values:
        return nest.map_structure(
            lambda s: array_creation_ops.zeros(
                [0] + (list(s.shape) if getattr(s, "shape", None) is not None
                       and s.shape.rank is not None else []),
                dtype=s.dtype),
            signature)
    flat = [nest.flatten(v) for v in values]
    flat_sig = nest.flatten(signature) if signature is not None else [None] * len(flat[0])
    stacked = []
    for parts, spec in zip(zip(*flat), flat_sig):
        if hasattr(spec, "row_splits_dtype"):  # a RaggedTensorSpec: rows of any length
            from tensorlet.ragged_tensors import ragged_ops

            out = ragged_ops.stack(list(parts), axis=0)
            if hasattr(out, "with_row_splits_dtype"):
                out = out.with_row_splits_dtype(spec.row_splits_dtype)
            stacked.append(out)
        elif hasattr(parts[0], "flat_values"):  # RaggedTensor results
            from tensorlet.ragged_tensors import ragged_ops

            stacked.append(ragged_ops.stack(list(parts), axis=0))
        else:
            stacked.append(array_ops.stack(list(parts), axis=0))
    return nest.pack_sequence_as(values[0], stacked)


def _signature(fn_output_signature, dtype, elems):
    """The output structure of specs (dtype + shape) given to TF's while loop."""
    from tensorlet.framework.tensor_spec import TensorSpec

    sig = fn_output_signature if fn_output_signature is not None else dtype
    if sig is None:
        return nest.map_structure(
            lambda e: TensorSpec(e.shape[1:] if e.shape.rank else None, e.dtype), elems)

    def spec(s):
        if isinstance(s, (dtypes.DType, str)) or s in (float, int, bool):
            return TensorSpec(None, dtypes.as_dtype(s))
        return s

    return nest.map_structure(spec, sig)


def _cast_to_signature(result, signature):
    def cast(r, s):
        dt = getattr(s, "dtype", None)
        if isinstance(r, Tensor) and dt is not None and r.dtype != dt:
            raise TypeError(
                f"The dtype of `fn`'s output ({r.dtype!r}) does not match the dtype of "
                f"`fn_output_signature` ({dt!r}).")
        if not isinstance(r, Tensor) and not hasattr(r, "flat_values"):
            return convert_to_tensor(r, dtype=dt)
        return r

    try:
        return nest.map_structure(cast, result, signature)
    except (ValueError, TypeError) as e:
        if "dtype" in str(e):
            raise
        raise ValueError(
            "The structure of `fn`'s output does not match `fn_output_signature`: "
            f"{result} vs {signature}") from None


@tf_export("map_fn", "compat.v1.map_fn")
def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """Applies ``fn`` to each slice of ``elems`` along axis 0 and stacks the results.

    Example:
        >>> tf.map_fn(lambda x: x * x, tf.constant([1, 2, 3])).numpy()
        array([1, 4, 9], dtype=int32)
    """
    del parallel_iterations, back_prop, swap_memory, infer_shape, name
    flat = _flat_elems(elems)
    n = _length(flat)
    signature = _signature(fn_output_signature, dtype, elems)
    if _static(n):
        outs = []
        for i in range(n):
            item = nest.pack_sequence_as(elems, [e[i] for e in flat])
            outs.append(_cast_to_signature(fn(item), signature))
        return _stack(outs, signature)
    return _map_while(fn, elems, flat, signature)


def _map_while(fn, elems, flat, signature):
    n = array_ops.shape(flat[0])[0]
    inputs = [tensor_array_ops.TensorArray(e.dtype, size=n).unstack(e) for e in flat]
    flat_sig = nest.flatten(signature)
    outputs = [tensor_array_ops.TensorArray(s.dtype, size=n) for s in flat_sig]

    def body(i, *tas):
        item = nest.pack_sequence_as(elems, [ta.read(i) for ta in inputs])
        result = nest.flatten(_cast_to_signature(fn(item), signature))
        return (i + 1,) + tuple(ta.write(i, r) for ta, r in zip(tas, result))

    loop = control_flow_ops.while_loop(lambda i, *_: i < n, body, (0, *outputs))
    return nest.pack_sequence_as(signature, [ta.stack() for ta in loop[1:]])


@tf_export("scan", "compat.v1.scan")
def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """``fn(accumulator, element)`` over ``elems`` (axis 0); returns every accumulator, stacked.

    Without ``initializer`` the first element starts the accumulation (and is the first output).

    Example:
        >>> tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4])).numpy()
        array([ 1,  3,  6, 10], dtype=int32)
    """
    del parallel_iterations, back_prop, swap_memory, infer_shape, name
    flat = _flat_elems(elems)
    n = _length(flat)
    if n is None:
        n = _dynamic_length(flat)
    order = list(range(n))[::-1] if reverse else list(range(n))
    if initializer is None:
        if not order:
            raise ValueError("Elements in elems must be non-empty when no initializer is given")
        acc = nest.pack_sequence_as(elems, [e[order[0]] for e in flat])
        outs, order = [acc], order[1:]
    else:
        acc = nest.map_structure(
            lambda v: v if isinstance(v, Tensor) else convert_to_tensor(v), initializer)
        outs = []
    for i in order:
        acc = fn(acc, nest.pack_sequence_as(elems, [e[i] for e in flat]))
        outs.append(acc)
    if reverse:
        outs = outs[::-1]
    if not outs:
        return nest.map_structure(
            lambda a: array_creation_ops.zeros([0] + a.shape.as_list(), a.dtype), acc)
    return _stack(outs, None)


def _dynamic_length(flat):
    from tensorlet.ops.array_ops import py_int

    try:
        return py_int(array_ops.shape(flat[0])[0])  # known while tracing
    except TypeError:
        raise NotImplementedError(
            "tf.scan/tf.foldl/tf.foldr over a number of elements known only when the graph "
            "runs is not supported by tensorlet yet") from None


def _fold(fn, elems, initializer, reverse):
    flat = _flat_elems(elems)
    n = _length(flat)
    if n is None:
        n = _dynamic_length(flat)
    order = list(range(n))[::-1] if reverse else list(range(n))
    if initializer is None:
        if not order:
            raise ValueError("Elements in elems must be non-empty when no initializer is given")
        acc = nest.pack_sequence_as(elems, [e[order[0]] for e in flat])
        order = order[1:]
    else:
        acc = initializer
    for i in order:
        acc = fn(acc, nest.pack_sequence_as(elems, [e[i] for e in flat]))
    return acc


@tf_export("foldl", "compat.v1.foldl")
def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``fn(accumulator, element)`` over ``elems`` from first to last; returns the result.

    Example:
        >>> int(tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3])))
        6
    """
    del parallel_iterations, back_prop, swap_memory, name
    return _fold(fn, elems, initializer, reverse=False)


@tf_export("foldr", "compat.v1.foldr")
def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``fn(accumulator, element)`` over ``elems`` from last to first; returns the result."""
    del parallel_iterations, back_prop, swap_memory, name
    return _fold(fn, elems, initializer, reverse=True)


@tf_export("vectorized_map")
def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """``map_fn`` semantics (TF vectorizes with pfor; tensorlet loops, with equal results)."""
    del fallback_to_while_loop, warn
    return map_fn(fn, elems)
