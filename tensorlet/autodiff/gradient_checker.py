"""``tf.test.compute_gradient``: theoretical (tape) vs numerical (central differences) Jacobians."""
from tensorlet.backend import xp
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor


def _theoretical(f, xs, i, y_size):
    from tensorlet.autodiff.gradient_tape import GradientTape
    from tensorlet.ops import array_ops
    x = xs[i]
    jac = xp.zeros((y_size, int(xp.prod(x.shape.as_list(), dtype=xp.int64))), dtype=x.dtype.as_numpy_dtype)
    for r in range(y_size):
        with GradientTape() as tape:
            tape.watch(x)
            y = convert_to_tensor(f(*xs))
        up = array_ops.reshape(array_ops.one_hot(r, y_size, dtype=y.dtype), y.shape.as_list())
        g = tape.gradient(y, x, output_gradients=up)
        if g is not None:
            jac[r] = xp.asarray(convert_to_tensor(g).numpy()).reshape(-1)
    return jac


def _numerical(f, xs, i, y_size, delta):
    x = xs[i]
    base = xp.array(x.numpy(), copy=True)
    flat = base.reshape(-1)
    jac = xp.zeros((y_size, flat.size), dtype=base.dtype)
    for c in range(flat.size):
        outs = []
        for step in (delta, -delta):
            pert = flat.copy()
            pert[c] += step
            args = list(xs)
            args[i] = convert_to_tensor(pert.reshape(base.shape))
            outs.append(xp.asarray(convert_to_tensor(f(*args)).numpy(), dtype=base.dtype).reshape(-1))
        jac[:, c] = (outs[0] - outs[1]) / (2 * delta)
    return jac


@tf_export("test.compute_gradient")
def compute_gradient(f, x, delta=None):
    """Returns ``(theoretical, numerical)``: tuples of [y_size, x_size] Jacobians, one per argument."""
    if not isinstance(x, (list, tuple)):
        raise ValueError("`x` must be a list or tuple of values convertible to a Tensor "
                         f"(arguments to `f`), not a {type(x)}")
    if delta is None:
        delta = 1.0 / 1024  # exactly representable: less rounding noise in the differences
    xs = [convert_to_tensor(v) for v in x]
    y_size = int(xp.size(convert_to_tensor(f(*xs)).numpy()))
    theoretical = tuple(_theoretical(f, xs, i, y_size) for i in range(len(xs)))
    numerical = tuple(_numerical(f, xs, i, y_size, delta) for i in range(len(xs)))
    return theoretical, numerical
