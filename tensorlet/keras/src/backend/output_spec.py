"""Output specs of a function on KerasTensors, found by running it on small concrete inputs.

Unknown (``None``) dimensions are set to 2 in one run and 3 in another; output dimensions that
differ between the runs are unknown. The runs are eager and invisible to gradient tapes (the
Keras NumPy/JAX backends do the same with 83 and 89). When ``tf.function`` tracing gives
symbolic tensors, tracing can replace this.
"""

from tensorlet.framework import nest
from tensorlet.framework.tensor import Tensor
from tensorlet.keras.src.backend import core
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.ops import array_creation_ops

_PROBES = (2, 3)


def compute_output_spec(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` with KerasTensors in, KerasTensors (shape/dtype) out."""
    flat = nest.flatten((args, kwargs))
    has_unknown = any(isinstance(x, KerasTensor) and None in x.shape for x in flat)
    probes = _PROBES if has_unknown else _PROBES[:1]
    results = []
    with core.init_scope():
        for size in probes:
            concrete = [_concrete(x, size) for x in flat]
            a, k = nest.pack_sequence_as((args, kwargs), concrete)
            results.append(fn(*a, **k))
    first = nest.flatten(results[0])
    others = [nest.flatten(r) for r in results[1:]]
    specs = [_spec(out, [o[i] for o in others]) for i, out in enumerate(first)]
    return nest.pack_sequence_as(results[0], specs)


def run_op(fn, *args, **kwargs):
    """A TF op applied to KerasTensor operands (``x[0]``, ``x @ w``) as a KerasTensor."""
    return compute_output_spec(fn, *args, **kwargs)


def _concrete(x, size):
    if not isinstance(x, KerasTensor):
        return x
    shape = [size if d is None else d for d in x.shape]
    if x.dtype == "string":
        from tensorlet.ops import array_ops

        return array_ops.fill(shape, "")
    return array_creation_ops.zeros(shape, dtype=core.tf_dtype(x.dtype))


def _spec(out, alternatives):
    if not isinstance(out, Tensor):
        return out
    shape = list(out.shape.as_list())
    for alt in alternatives:
        for i, (d, e) in enumerate(zip(shape, alt.shape.as_list())):
            if d != e:
                shape[i] = None
    return KerasTensor(tuple(shape), dtype=out.dtype.name)
