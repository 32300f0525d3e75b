"""The Keras 1/2 backend functions (``K.dot``, ``K.mean``, ``K.exp``, ...).

Keras 3 keeps them in ``keras.src.legacy.backend`` and TensorFlow exposes them as
``tf.keras.backend``; code written for Keras 2 (``from keras import backend as K``) calls them
on tensors and variables. Every function is a thin wrapper over tensorlet's TF ops, so it runs
eagerly, under ``tf.GradientTape`` and inside ``tf.function``.

Unlike Keras' versions, the functions that read ``x.shape`` / ``x.dtype`` also accept Keras
variables and array-likes (they are converted to tensors first).
"""

import builtins
import itertools

import tensorlet as tf
from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.keras.src.backend import config
from tensorlet.keras.src.backend.core import init_scope

_py_all = builtins.all
_py_any = builtins.any
_py_abs = builtins.abs
_py_round = builtins.round
_py_max = builtins.max


# ---------------------------------------------------------------- helpers


def _is_native(x):
    """True for objects TF ops take as they are (tensors, variables, sparse/ragged tensors)."""
    return isinstance(x, (tf.Tensor, tf.Variable, tf.SparseTensor, tf.RaggedTensor))


def _t(x):
    """``x`` as something with a TensorShape ``.shape`` and a DType ``.dtype``."""
    if _is_native(x):
        return x
    return tf.convert_to_tensor(x)


def _static_shape(x):
    shape = x.shape
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)


def _seed(limit=10e6):
    # as Keras: an unseeded call draws its op seed from NumPy's global generator
    return int(xp.random.randint(limit))


def _check_data_format(data_format):
    if data_format is None:
        data_format = config.image_data_format()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError(f"Unknown data_format: {data_format}")
    return data_format


def _padding(padding):
    if padding == "same":
        return "SAME"
    if padding == "valid":
        return "VALID"
    raise ValueError(f"Invalid padding: {padding}")


def _conv2d_input(x, data_format, force_transpose=False):
    if data_format == "channels_first":
        if force_transpose:
            return tf.transpose(x, (0, 2, 3, 1)), "NHWC"
        return x, "NCHW"
    return x, "NHWC"


# ---------------------------------------------------------------- elementwise math


@keras_export("keras.backend.abs")
def abs(x):
    """Element-wise absolute value."""
    return tf.abs(x)


@keras_export("keras.backend.all")
def all(x, axis=None, keepdims=False):
    """Logical AND over ``axis`` (the input is cast to bool)."""
    return tf.reduce_all(tf.cast(x, tf.bool), axis, keepdims)


@keras_export("keras.backend.any")
def any(x, axis=None, keepdims=False):
    """Logical OR over ``axis`` (the input is cast to bool)."""
    return tf.reduce_any(tf.cast(x, tf.bool), axis, keepdims)


@keras_export("keras.backend.argmax")
def argmax(x, axis=-1):
    """Index of the maximum along ``axis`` (default: the last)."""
    return tf.argmax(x, axis)


@keras_export("keras.backend.argmin")
def argmin(x, axis=-1):
    """Index of the minimum along ``axis`` (default: the last)."""
    return tf.argmin(x, axis)


@keras_export("keras.backend.cos")
def cos(x):
    return tf.cos(x)


@keras_export("keras.backend.sin")
def sin(x):
    return tf.sin(x)


@keras_export("keras.backend.exp")
def exp(x):
    """Element-wise exponential (``K.exp(-0.1)`` is a float32 scalar tensor)."""
    return tf.exp(x)


@keras_export("keras.backend.log")
def log(x):
    return tf.math.log(x)


@keras_export("keras.backend.pow")
def pow(x, a):
    return tf.pow(x, a)


@keras_export("keras.backend.round")
def round(x):
    """Rounds half to even, as ``tf.round``."""
    return tf.round(x)


@keras_export("keras.backend.sign")
def sign(x):
    return tf.sign(x)


@keras_export("keras.backend.sqrt")
def sqrt(x):
    """Square root of ``max(x, 0)``: negative inputs give 0, not NaN."""
    x = _t(x)
    return tf.sqrt(tf.maximum(x, tf.convert_to_tensor(0.0, x.dtype)))


@keras_export("keras.backend.square")
def square(x):
    return tf.square(x)


@keras_export("keras.backend.tanh")
def tanh(x):
    return tf.tanh(x)


@keras_export("keras.backend.sigmoid")
def sigmoid(x):
    return tf.sigmoid(x)


@keras_export("keras.backend.hard_sigmoid")
def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``."""
    x = _t(x)
    x = tf.add(
        tf.multiply(x, tf.convert_to_tensor(0.2, x.dtype)), tf.convert_to_tensor(0.5, x.dtype)
    )
    return tf.clip_by_value(x, 0.0, 1.0)


@keras_export("keras.backend.softplus")
def softplus(x):
    return tf.math.softplus(x)


@keras_export("keras.backend.softsign")
def softsign(x):
    return tf.math.softsign(x)


@keras_export("keras.backend.elu")
def elu(x, alpha=1.0):
    """ELU; for ``alpha != 1`` the negative part is scaled by ``alpha``."""
    res = tf.nn.elu(x)
    if alpha == 1:
        return res
    return tf.where(x > 0, res, alpha * res)


@keras_export("keras.backend.relu")
def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit with Keras 2's options.

    Returns ``x`` for ``threshold <= x < max_value``, ``max_value`` above, and
    ``alpha * (x - threshold)`` below the threshold.
    """
    dtype = getattr(x, "dtype", config.floatx())
    if alpha != 0.0:
        if max_value is None and threshold == 0:
            return tf.nn.leaky_relu(x, alpha=alpha)
        negative_part = tf.nn.relu(-x + threshold) if threshold != 0 else tf.nn.relu(-x)
    else:
        negative_part = 1
    clip_max = max_value is not None
    if threshold != 0:
        x = x * tf.cast(tf.greater(x, threshold), dtype=dtype)
    elif max_value == 6:
        x = tf.nn.relu6(x)
        clip_max = False
    else:
        x = tf.nn.relu(x)
    if clip_max:
        x = tf.clip_by_value(
            x,
            tf.convert_to_tensor(0, dtype=x.dtype),
            tf.convert_to_tensor(max_value, dtype=x.dtype),
        )
    if alpha != 0.0:
        x -= tf.convert_to_tensor(alpha, dtype=x.dtype) * negative_part
    return x


@keras_export("keras.backend.softmax")
def softmax(x, axis=-1):
    """Softmax over ``axis`` (an int or a tuple of axes); rank-1 inputs are refused."""
    x = _t(x)
    if x.shape.rank <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    if isinstance(axis, int):
        output = tf.nn.softmax(x, axis=axis)
    else:
        e = tf.exp(x - tf.reduce_max(x, axis=axis, keepdims=True))
        output = e / tf.reduce_sum(e, axis=axis, keepdims=True)
    output._keras_logits = x  # losses may use the logits for a stable crossentropy
    return output


@keras_export("keras.backend.l2_normalize")
def l2_normalize(x, axis=None):
    return tf.linalg.l2_normalize(x, axis=axis)


@keras_export("keras.backend.maximum")
def maximum(x, y):
    return tf.maximum(x, y)


@keras_export("keras.backend.minimum")
def minimum(x, y):
    return tf.minimum(x, y)


@keras_export("keras.backend.clip")
def clip(x, min_value, max_value):
    """Clips to ``[min_value, max_value]``; ``None`` bounds are infinite and a ``max_value``
    below ``min_value`` is raised to it."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)):
        max_value = _py_max(max_value, min_value)
    if min_value is None:
        min_value = -float("inf")
    if max_value is None:
        max_value = float("inf")
    return tf.clip_by_value(x, min_value, max_value)


# ---------------------------------------------------------------- comparisons


@keras_export("keras.backend.equal")
def equal(x, y):
    return tf.equal(x, y)


@keras_export("keras.backend.not_equal")
def not_equal(x, y):
    return tf.not_equal(x, y)


@keras_export("keras.backend.greater")
def greater(x, y):
    return tf.greater(x, y)


@keras_export("keras.backend.greater_equal")
def greater_equal(x, y):
    return tf.greater_equal(x, y)


@keras_export("keras.backend.less")
def less(x, y):
    return tf.less(x, y)


@keras_export("keras.backend.less_equal")
def less_equal(x, y):
    return tf.less_equal(x, y)


# ---------------------------------------------------------------- reductions


def _float_if_bool(x):
    x = _t(x)
    if x.dtype.base_dtype == tf.bool:
        x = tf.cast(x, config.floatx())
    return x


@keras_export("keras.backend.max")
def max(x, axis=None, keepdims=False):
    return tf.reduce_max(x, axis, keepdims)


@keras_export("keras.backend.min")
def min(x, axis=None, keepdims=False):
    return tf.reduce_min(x, axis, keepdims)


@keras_export("keras.backend.sum")
def sum(x, axis=None, keepdims=False):
    return tf.reduce_sum(x, axis, keepdims)


@keras_export("keras.backend.prod")
def prod(x, axis=None, keepdims=False):
    return tf.reduce_prod(x, axis, keepdims)


@keras_export("keras.backend.mean")
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis``; boolean inputs are averaged as ``floatx()``."""
    return tf.reduce_mean(_float_if_bool(x), axis, keepdims)


@keras_export("keras.backend.std")
def std(x, axis=None, keepdims=False):
    """Population standard deviation over ``axis``."""
    return tf.math.reduce_std(_float_if_bool(x), axis=axis, keepdims=keepdims)


@keras_export("keras.backend.var")
def var(x, axis=None, keepdims=False):
    """Population variance over ``axis``."""
    return tf.math.reduce_variance(_float_if_bool(x), axis=axis, keepdims=keepdims)


@keras_export("keras.backend.cumsum")
def cumsum(x, axis=0):
    return tf.cumsum(x, axis=axis)


@keras_export("keras.backend.cumprod")
def cumprod(x, axis=0):
    return tf.math.cumprod(x, axis=axis)


# ---------------------------------------------------------------- linear algebra


@keras_export("keras.backend.dot")
def dot(x, y):
    """Keras 2's ``dot``: a matmul that contracts the last axis of ``x`` with the
    second-to-last axis of ``y`` for inputs of any rank (``(2, 3, 4) . (4, 5) -> (2, 3, 5)``,
    ``(2, 3) . (4, 3, 5) -> (2, 4, 5)``)."""
    if is_sparse(x):
        return tf.sparse.sparse_dense_matmul(x, y)
    x, y = _t(x), _t(y)
    x_rank, y_rank = x.shape.rank, y.shape.rank
    if x_rank is not None and (x_rank > 2 or y_rank > 2):
        x_dims = _dims(x)
        y_dims = _dims(y)
        perm = list(range(y_rank))
        perm = [perm.pop(-2)] + perm
        xt = tf.reshape(x, [-1, x_dims[-1]])
        yt = tf.reshape(tf.transpose(y, perm=perm), [y_dims[-2], -1])
        return tf.reshape(tf.matmul(xt, yt), x_dims[:-1] + y_dims[:-2] + y_dims[-1:])
    return tf.matmul(x, y)


def _dims(x):
    """The static dims of ``x``, with dynamic scalars where unknown."""
    static = x.shape.as_list()
    if _py_all(d is not None for d in static):
        return tuple(static)
    dynamic = tf.shape(x)
    return tuple(d if d is not None else dynamic[i] for i, d in enumerate(static))


@keras_export("keras.backend.batch_dot")
def batch_dot(x, y, axes=None):
    """Batch-wise dot product: contracts ``x``'s axis ``axes[0]`` with ``y``'s ``axes[1]``
    for each of the (equal) batch entries; the result has rank ``ndim(x) + ndim(y) - 3``
    (at least 2)."""
    x, y = _t(x), _t(y)
    x_shape, y_shape = x.shape, y.shape
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(
            "Cannot do batch_dot on inputs with rank < 2. "
            f"Received inputs with tf.shapes {x_shape} and {y_shape}."
        )
    xb, yb = x_shape[0], y_shape[0]
    if xb is not None and yb is not None and xb != yb:
        raise ValueError(
            "Cannot do batch_dot on inputs with different batch sizes. "
            f"Received inputs with tf.shapes {x_shape} and {y_shape}."
        )
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if _py_any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(
            "Multiple target dimensions are not supported. "
            f"Expected: None, int, (int, int), Provided: {axes}"
        )
    axes = list(axes)
    if axes[0] < 0:
        axes[0] += x_ndim
    if axes[1] < 0:
        axes[1] += y_ndim
    if 0 in axes:
        raise ValueError(
            "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a "
            "dummy batch dimension to your inputs using K.expand_dims(x, 0)"
        )
    a0, a1 = axes
    d1, d2 = x_shape[a0], y_shape[a1]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(
            f"Cannot do batch_dot on inputs with tf.shapes {x_shape} and {y_shape} with "
            f"axes={axes}. x.shape[{axes[0]}] != y.shape[{axes[1]}] ({d1} != {d2})."
        )
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x = tf.expand_dims(x, 1)
        a0 += 1
        x_ndim += 1
    if y_ndim == 2:
        y = tf.expand_dims(y, 2)
        y_ndim += 1
    if a0 != x_ndim - 1:  # move the contracted axis of x last
        perm = [i for i in range(x_ndim) if i != a0] + [a0]
        x = tf.transpose(x, perm)
    if a1 != 1:  # move the contracted axis of y to position 1
        perm = [0, a1] + [i for i in range(1, y_ndim) if i != a1]
        y = tf.transpose(y, perm)
    x_squashed = y_squashed = False
    if x_ndim > 3:
        xs = tf.shape(x)
        x_mid = xs[1:-1]
        x = tf.reshape(x, tf.stack([xs[0], -1, xs[-1]]))
        x_squashed = True
    if y_ndim > 3:
        ys = tf.shape(y)
        y_trail = ys[2:]
        y = tf.reshape(y, tf.stack([ys[0], ys[1], -1]))
        y_squashed = True
    result = tf.matmul(x, y)
    out_shape = tf.shape(result)
    if x_squashed:
        out_shape = tf.concat([out_shape[:1], x_mid, out_shape[-1:]], 0)
    if y_squashed:
        out_shape = tf.concat([out_shape[:-1], y_trail], 0)
    if x_squashed or y_squashed:
        result = tf.reshape(result, out_shape)
    if orig_x_ndim == 2:
        result = tf.squeeze(result, 1)
    elif orig_y_ndim == 2:
        result = tf.squeeze(result, -1)
    return result


@keras_export("keras.backend.transpose")
def transpose(x):
    return tf.transpose(x)


@keras_export("keras.backend.permute_dimensions")
def permute_dimensions(x, pattern):
    return tf.transpose(x, perm=pattern)


# ---------------------------------------------------------------- shapes and arrays


@keras_export("keras.backend.ndim")
def ndim(x):
    """The rank of ``x`` as a Python int (``None`` if unknown)."""
    shape = x.shape
    if isinstance(shape, TensorShape):
        return shape.rank
    return len(shape)


@keras_export("keras.backend.int_shape")
def int_shape(x):
    """The static shape of ``x`` as a tuple of ints/None (``None`` for an unknown rank)."""
    try:
        shape = x.shape
        if not isinstance(shape, tuple):
            shape = tuple(shape.as_list())
        return shape
    except ValueError:
        return None


@keras_export("keras.backend.shape")
def shape(x):
    """The dynamic shape of ``x`` as an int32 tensor."""
    return tf.shape(x)


@keras_export("keras.backend.dtype")
def dtype(x):
    """The dtype name of ``x`` (``'float32'``)."""
    dt = x.dtype
    if isinstance(dt, str):
        return dt
    return dt.base_dtype.name


@keras_export("keras.backend.count_params")
def count_params(x):
    """The number of scalars in ``x`` (a NumPy integer)."""
    return xp.prod(_static_shape(x).as_list())


@keras_export("keras.backend.reshape")
def reshape(x, shape):
    return tf.reshape(x, shape)


@keras_export("keras.backend.flatten")
def flatten(x):
    return tf.reshape(x, [-1])


@keras_export("keras.backend.batch_flatten")
def batch_flatten(x):
    """Flattens every axis but the first: ``(n, a, b) -> (n, a*b)``."""
    return tf.reshape(x, tf.stack([-1, prod(tf.shape(x)[1:])]))


@keras_export("keras.backend.expand_dims")
def expand_dims(x, axis=-1):
    return tf.expand_dims(x, axis)


@keras_export("keras.backend.squeeze")
def squeeze(x, axis):
    return tf.squeeze(x, [axis])


@keras_export("keras.backend.stack")
def stack(x, axis=0):
    return tf.stack(x, axis=axis)


@keras_export("keras.backend.concatenate")
def concatenate(tensors, axis=-1):
    """Concatenates along ``axis``; sparse inputs stay sparse, ragged ones ragged."""
    if axis < 0:
        rank = ndim(_t(tensors[0]))
        axis = axis % rank if rank else 0
    if _py_all(is_sparse(x) for x in tensors):
        return tf.sparse.concat(axis, list(tensors))
    if _py_all(isinstance(x, tf.RaggedTensor) for x in tensors):
        return tf.concat(list(tensors), axis)
    return tf.concat([to_dense(x) for x in tensors], axis)


@keras_export("keras.backend.tile")
def tile(x, n):
    if isinstance(n, int):
        n = [n]
    return tf.tile(x, n)


@keras_export("keras.backend.repeat")
def repeat(x, n):
    """Repeats a 2D tensor ``(samples, dim)`` into ``(samples, n, dim)``."""
    assert ndim(x) == 2
    return tf.tile(tf.expand_dims(x, 1), tf.stack([1, n, 1]))


@keras_export("keras.backend.repeat_elements")
def repeat_elements(x, rep, axis):
    """Repeats each element ``rep`` times along ``axis`` (as ``np.repeat``)."""
    x = _t(x)
    static = x.shape.as_list()
    if static[axis] is not None:
        splits = tf.split(x, num_or_size_splits=static[axis], axis=axis)
        return concatenate([s for s in splits for _ in range(rep)], axis)
    # unknown length: tile along an auxiliary axis, then merge it into `axis`
    aux = axis + 1
    dyn = tf.shape(x)
    reps = [1] * (len(static) + 1)
    reps[aux] = rep
    x_rep = tf.tile(tf.expand_dims(x, axis=aux), reps)
    merge = [1] * len(static)
    merge[axis] = rep
    x_rep = tf.reshape(x_rep, dyn * tf.constant(merge, dtype="int32"))
    x_rep.set_shape(static)
    return x_rep


@keras_export("keras.backend.reverse")
def reverse(x, axes):
    if isinstance(axes, int):
        axes = [axes]
    return tf.reverse(x, axes)


@keras_export("keras.backend.gather")
def gather(reference, indices):
    """Rows of ``reference`` at ``indices`` (axis 0)."""
    return tf.gather(reference, indices)


@keras_export("keras.backend.one_hot")
def one_hot(indices, num_classes):
    return tf.one_hot(indices, depth=num_classes, axis=-1)


@keras_export("keras.backend.arange")
def arange(start, stop=None, step=1, dtype="int32"):
    """``tf.range`` with Keras' convention: a single negative argument gives an empty range."""
    if stop is None and start < 0:
        start = 0
    result = tf.range(start, limit=stop, delta=step, name="arange")
    if dtype != "int32":
        result = tf.cast(result, dtype)
    return result


@keras_export("keras.backend.cast")
def cast(x, dtype):
    return tf.cast(x, dtype)


@keras_export("keras.backend.cast_to_floatx")
def cast_to_floatx(x):
    """Tensors are cast to ``floatx()``; anything else becomes a NumPy array of that dtype."""
    if isinstance(x, (tf.Tensor, tf.Variable, tf.SparseTensor)):
        return tf.cast(x, dtype=config.floatx())
    return xp.asarray(x, dtype=config.floatx())


@keras_export("keras.backend.stop_gradient")
def stop_gradient(variables):
    """``tf.stop_gradient``; a list or tuple gives a lazy ``map`` over its entries."""
    if isinstance(variables, (list, tuple)):
        return map(tf.stop_gradient, variables)
    return tf.stop_gradient(variables)


@keras_export("keras.backend.switch")
def switch(condition, then_expression, else_expression):
    """Selects between two expressions (values or callables) on ``condition``.

    A scalar condition picks one branch (``tf.cond``); a tensor condition selects element-wise,
    broadcast over the trailing axes of the expressions.
    """
    condition = _t(condition)
    if condition.dtype != tf.bool:
        condition = tf.cast(condition, "bool")
    cond_ndim = ndim(condition)
    if not cond_ndim:
        then_fn = then_expression if callable(then_expression) else (lambda: then_expression)
        else_fn = else_expression if callable(else_expression) else (lambda: else_expression)
        return tf.cond(condition, then_fn, else_fn)
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    then_expression = _t(then_expression)
    expr_ndim = ndim(then_expression)
    if cond_ndim > expr_ndim:
        raise ValueError(
            "Rank of `condition` should be less than or equal to rank of `then_expression` "
            f"and `else_expression`. ndim(condition)={cond_ndim}, "
            f"ndim(then_expression)={expr_ndim}"
        )
    if cond_ndim > 1:
        cond_shape = tf.concat([tf.shape(condition), [1] * (expr_ndim - cond_ndim)], axis=0)
        condition = tf.reshape(condition, cond_shape)
        expr_shape = tf.shape(then_expression)
        tiles = tf.where(expr_shape - cond_shape > 0, expr_shape, tf.ones_like(expr_shape))
        condition = tf.tile(condition, tiles)
    return tf.where(condition, then_expression, else_expression)


# ---------------------------------------------------------------- padding and resizing


@keras_export("keras.backend.temporal_padding")
def temporal_padding(x, padding=(1, 1)):
    """Pads the middle axis of a 3D tensor."""
    assert len(padding) == 2
    return tf.pad(x, [[0, 0], [padding[0], padding[1]], [0, 0]])


@keras_export("keras.backend.spatial_2d_padding")
def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Pads the two spatial axes of a 4D tensor."""
    assert len(padding) == 2 and len(padding[0]) == 2 and len(padding[1]) == 2
    data_format = _check_data_format(data_format)
    if data_format == "channels_first":
        pattern = [[0, 0], [0, 0], list(padding[0]), list(padding[1])]
    else:
        pattern = [[0, 0], list(padding[0]), list(padding[1]), [0, 0]]
    return tf.pad(x, pattern)


@keras_export("keras.backend.spatial_3d_padding")
def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Pads the three spatial axes of a 5D tensor."""
    assert len(padding) == 3 and _py_all(len(p) == 2 for p in padding)
    data_format = _check_data_format(data_format)
    pads = [list(p) for p in padding]
    if data_format == "channels_first":
        pattern = [[0, 0], [0, 0]] + pads
    else:
        pattern = [[0, 0]] + pads + [[0, 0]]
    return tf.pad(x, pattern)


_INTERPOLATIONS = {
    "area": "area",
    "bicubic": "bicubic",
    "bilinear": "bilinear",
    "gaussian": "gaussian",
    "lanczos3": "lanczos3",
    "lanczos5": "lanczos5",
    "mitchellcubic": "mitchellcubic",
    "nearest": "nearest",
}


@keras_export("keras.backend.resize_images")
def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Upscales the rows and columns of a 4D tensor by integer factors."""
    if data_format == "channels_first":
        rows, cols = 2, 3
    elif data_format == "channels_last":
        rows, cols = 1, 2
    else:
        raise ValueError(f"Invalid `data_format` argument: {data_format}")
    x = _t(x)
    new_shape = x.shape[rows : cols + 1]
    if new_shape.is_fully_defined():
        new_shape = tf.constant(new_shape.as_list(), dtype="int32")
    else:
        new_shape = tf.shape(x)[rows : cols + 1]
    new_shape = new_shape * tf.constant([height_factor, width_factor], dtype="int32")
    if interpolation not in _INTERPOLATIONS:
        names = '"' + '", "'.join(_INTERPOLATIONS) + '"'
        raise ValueError(
            f'`interpolation` argument should be one of: {names}. Received: "{interpolation}".'
        )
    if data_format == "channels_first":
        x = permute_dimensions(x, [0, 2, 3, 1])
    x = tf.image.resize(x, new_shape, method=_INTERPOLATIONS[interpolation])
    if data_format == "channels_first":
        x = permute_dimensions(x, [0, 3, 1, 2])
    return x


@keras_export("keras.backend.resize_volumes")
def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Upscales the three spatial axes of a 5D tensor by repeating elements."""
    if data_format == "channels_first":
        first = 2
    elif data_format == "channels_last":
        first = 1
    else:
        raise ValueError(f"Invalid data_format: {data_format}")
    out = repeat_elements(x, depth_factor, axis=first)
    out = repeat_elements(out, height_factor, axis=first + 1)
    return repeat_elements(out, width_factor, axis=first + 2)


# ---------------------------------------------------------------- convolution and pooling


@keras_export("keras.backend.conv1d")
def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1D convolution; ``padding='causal'`` left-pads by ``dilation_rate * (k - 1)``."""
    data_format = _check_data_format(data_format)
    kernel_shape = _static_shape(kernel).as_list()
    if padding == "causal":
        x = temporal_padding(x, (dilation_rate * (kernel_shape[0] - 1), 0))
        padding = "valid"
    padding = _padding(padding)
    tf_format = "NCW" if data_format == "channels_first" else "NWC"
    return tf.compat.v1.nn.convolution(
        input=x,
        filter=kernel,
        dilation_rate=dilation_rate,
        strides=strides,
        padding=padding,
        data_format=tf_format,
    )


@keras_export("keras.backend.conv2d")
def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    data_format = _check_data_format(data_format)
    x, tf_format = _conv2d_input(x, data_format)
    return tf.compat.v1.nn.convolution(
        input=x,
        filter=kernel,
        dilation_rate=dilation_rate,
        strides=strides,
        padding=_padding(padding),
        data_format=tf_format,
    )


@keras_export("keras.backend.conv2d_transpose")
def conv2d_transpose(
    x, kernel, output_shape, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
):
    """Transposed 2D convolution to ``output_shape`` (batch may be ``None``)."""
    data_format = _check_data_format(data_format)
    force_transpose = data_format == "channels_first" and tuple(dilation_rate) != (1, 1)
    x, tf_format = _conv2d_input(x, data_format, force_transpose)
    output_shape = tuple(output_shape)
    if data_format == "channels_first" and tf_format == "NHWC":
        output_shape = (output_shape[0], output_shape[2], output_shape[3], output_shape[1])
    if output_shape[0] is None:
        output_shape = (tf.shape(x)[0],) + tuple(output_shape[1:])
    output_shape = tf.stack(list(output_shape))
    padding = _padding(padding)
    strides = tuple(strides)
    strides = (1,) + strides + (1,) if tf_format == "NHWC" else (1, 1) + strides
    if tuple(dilation_rate) == (1, 1):
        x = tf.nn.conv2d_transpose(
            x, kernel, output_shape, strides, padding=padding, data_format=tf_format
        )
    else:
        if dilation_rate[0] != dilation_rate[1]:
            raise ValueError(
                "Expected the 2 dimensions of the `dilation_rate` argument to be equal to each "
                f"other. Received: dilation_rate={dilation_rate}"
            )
        x = tf.nn.atrous_conv2d_transpose(
            x, kernel, output_shape, rate=dilation_rate[0], padding=padding
        )
    if data_format == "channels_first" and tf_format == "NHWC":
        x = tf.transpose(x, (0, 3, 1, 2))
    return x


@keras_export("keras.backend.conv3d")
def conv3d(
    x, kernel, strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1)
):
    data_format = _check_data_format(data_format)
    tf_format = "NCDHW" if data_format == "channels_first" else "NDHWC"
    return tf.compat.v1.nn.convolution(
        input=x,
        filter=kernel,
        dilation_rate=dilation_rate,
        strides=strides,
        padding=_padding(padding),
        data_format=tf_format,
    )


@keras_export("keras.backend.depthwise_conv2d")
def depthwise_conv2d(
    x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
):
    data_format = _check_data_format(data_format)
    x, tf_format = _conv2d_input(x, data_format)
    strides = tuple(strides)
    strides = (1,) + strides + (1,) if tf_format == "NHWC" else (1, 1) + strides
    return tf.nn.depthwise_conv2d(
        x,
        depthwise_kernel,
        strides=strides,
        padding=_padding(padding),
        dilations=dilation_rate,
        data_format=tf_format,
    )


@keras_export("keras.backend.separable_conv2d")
def separable_conv2d(
    x,
    depthwise_kernel,
    pointwise_kernel,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
):
    data_format = _check_data_format(data_format)
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    x, tf_format = _conv2d_input(x, data_format)
    strides = tuple(strides)
    strides = (1,) + strides + (1,) if tf_format == "NHWC" else (1, 1) + strides
    return tf.nn.separable_conv2d(
        x,
        depthwise_kernel,
        pointwise_kernel,
        strides=strides,
        padding=_padding(padding),
        dilations=dilation_rate,
        data_format=tf_format,
    )


@keras_export("keras.backend.pool2d")
def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """2D max or average pooling."""
    data_format = _check_data_format(data_format)
    if len(pool_size) != 2:
        raise ValueError("`pool_size` must be a tuple of 2 integers.")
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    x, tf_format = _conv2d_input(x, data_format)
    padding = _padding(padding)
    strides, pool_size = tuple(strides), tuple(pool_size)
    if tf_format == "NHWC":
        strides, pool_size = (1,) + strides + (1,), (1,) + pool_size + (1,)
    else:
        strides, pool_size = (1, 1) + strides, (1, 1) + pool_size
    if pool_mode == "max":
        return tf.compat.v1.nn.max_pool(
            x, pool_size, strides, padding=padding, data_format=tf_format
        )
    if pool_mode == "avg":
        return tf.compat.v1.nn.avg_pool(
            x, pool_size, strides, padding=padding, data_format=tf_format
        )
    raise ValueError("Invalid pooling mode: " + str(pool_mode))


@keras_export("keras.backend.pool3d")
def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    """3D max or average pooling."""
    data_format = _check_data_format(data_format)
    tf_format = "NCDHW" if data_format == "channels_first" else "NDHWC"
    padding = _padding(padding)
    strides, pool_size = tuple(strides), tuple(pool_size)
    if tf_format == "NDHWC":
        strides, pool_size = (1,) + strides + (1,), (1,) + pool_size + (1,)
    else:
        strides, pool_size = (1, 1) + strides, (1, 1) + pool_size
    if pool_mode == "max":
        return tf.nn.max_pool3d(x, pool_size, strides, padding=padding, data_format=tf_format)
    if pool_mode == "avg":
        return tf.nn.avg_pool3d(x, pool_size, strides, padding=padding, data_format=tf_format)
    raise ValueError("Invalid pooling mode: " + str(pool_mode))


@keras_export("keras.backend.bias_add")
def bias_add(x, bias, data_format=None):
    """Adds a bias vector (or a bias of rank ``ndim(x) - 1``) to the channel axis."""
    data_format = _check_data_format(data_format)
    x, bias = _t(x), _t(bias)
    bias_shape = tuple(bias.shape.as_list())
    rank = ndim(x)
    if len(bias_shape) != 1 and len(bias_shape) != rank - 1:
        raise ValueError(
            f"Unexpected bias dimensions {len(bias_shape)}. "
            f"Expected it to be 1 or {rank - 1} dimensions"
        )
    if len(bias_shape) == 1:
        fmt = "NCHW" if data_format == "channels_first" else "NHWC"
        return tf.nn.bias_add(x, bias, data_format=fmt)
    if rank in (3, 4, 5):
        if data_format == "channels_first":
            return x + reshape(bias, (1, bias_shape[-1]) + bias_shape[:-1])
        return x + reshape(bias, (1,) + bias_shape)
    return tf.nn.bias_add(x, bias)


@keras_export("keras.backend.batch_normalization")
def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta`` (``axis`` is unused, as in Keras)."""
    return tf.nn.batch_normalization(x, mean, var, beta, gamma, epsilon)


# ---------------------------------------------------------------- losses


@keras_export("keras.backend.binary_crossentropy")
def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary crossentropy (probabilities clipped to ``[eps, 1 - eps]``)."""
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = config.epsilon()
    eps_t = tf.convert_to_tensor(eps, output.dtype)
    output = tf.clip_by_value(output, eps_t, 1.0 - eps_t)
    bce = target * tf.math.log(output + eps)
    bce += (1 - target) * tf.math.log(1 - output + eps)
    return -bce


@keras_export("keras.backend.binary_focal_crossentropy")
def binary_focal_crossentropy(
    target, output, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False
):
    """Binary crossentropy weighted by ``(1 - p_t) ** gamma`` (and ``alpha`` if balanced)."""
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    probs = tf.sigmoid(output) if from_logits else output
    p_t = target * probs + (1 - target) * (1 - probs)
    focal = tf.pow(1.0 - p_t, gamma)
    focal_bce = focal * binary_crossentropy(target, output, from_logits=from_logits)
    if apply_class_balancing:
        focal_bce = (target * alpha + (1 - target) * (1 - alpha)) * focal_bce
    return focal_bce


@keras_export("keras.backend.categorical_crossentropy")
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy over ``axis``; probabilities are renormalised to sum to 1 and clipped."""
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    output = output / tf.reduce_sum(output, axis, True)
    eps = tf.convert_to_tensor(config.epsilon(), output.dtype)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -tf.reduce_sum(target * tf.math.log(output), axis)


@keras_export("keras.backend.categorical_focal_crossentropy")
def categorical_focal_crossentropy(
    target, output, alpha=0.25, gamma=2.0, from_logits=False, axis=-1
):
    """Categorical crossentropy weighted by ``alpha * (1 - p) ** gamma``."""
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    if from_logits:
        output = tf.nn.softmax(output, axis=axis)
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    eps = tf.convert_to_tensor(config.epsilon(), output.dtype)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    cce = -target * tf.math.log(output)
    weight = tf.multiply(tf.pow(1.0 - output, gamma), alpha)
    return tf.reduce_sum(tf.multiply(weight, cce), axis=axis)


@keras_export("keras.backend.sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1, ignore_class=None):
    """Crossentropy with integer targets; ``ignore_class`` entries get a loss of 0 (and the
    result carries ``_keras_mask``)."""
    target = tf.convert_to_tensor(target)
    output = tf.convert_to_tensor(output)
    target = cast(target, "int64")
    if not from_logits:
        eps = tf.convert_to_tensor(config.epsilon(), output.dtype)
        output = tf.math.log(tf.clip_by_value(output, eps, 1 - eps))
    output_rank = output.shape.rank
    if output_rank is not None:
        axis %= output_rank
        if axis != output_rank - 1:
            perm = list(itertools.chain(range(axis), range(axis + 1, output_rank), [axis]))
            output = tf.transpose(output, perm=perm)
    elif axis != -1:
        raise ValueError(
            f"Cannot compute sparse categorical crossentropy with `axis={axis}` on an output "
            "tensor with unknown rank"
        )
    output_shape = tf.shape(output)
    target_rank = target.shape.rank
    update_shape = (
        target_rank is not None and output_rank is not None and target_rank != output_rank - 1
    )
    if update_shape:
        target = flatten(target)
        output = tf.reshape(output, [-1, output_shape[-1]])
    if ignore_class is not None:
        valid = tf.not_equal(target, cast(ignore_class, target.dtype))
        target = tf.boolean_mask(target, valid)
        output = tf.boolean_mask(output, valid)
    res = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
    if ignore_class is not None:
        res_shape = cast(output_shape[:-1], "int64")
        valid = tf.reshape(valid, res_shape)
        res = tf.scatter_nd(tf.where(valid), res, res_shape)
        res._keras_mask = valid
        return res
    if update_shape and output_rank >= 3:
        res = tf.reshape(res, output_shape[:-1])
    return res


# ---------------------------------------------------------------- CTC


@keras_export("keras.backend.ctc_label_dense_to_sparse")
def ctc_label_dense_to_sparse(labels, label_lengths):
    """Dense ``(batch, max_len)`` labels to a SparseTensor keeping the first
    ``label_lengths[i]`` entries of each row."""
    labels = tf.convert_to_tensor(labels)
    label_shape = tf.shape(labels)
    lengths = tf.cast(tf.reshape(label_lengths, [-1]), tf.int32)
    mask = tf.expand_dims(tf.range(label_shape[1]), 0) < tf.expand_dims(lengths, 1)
    indices = tf.where(mask)
    values = tf.gather_nd(labels, indices)
    return tf.SparseTensor(indices, values, tf.cast(label_shape, tf.int64))


@keras_export("keras.backend.ctc_batch_cost")
def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """CTC loss per batch entry, ``(batch, 1)``; ``y_pred`` holds softmax outputs
    ``(batch, time, classes)`` with the blank as the last class."""
    label_length = tf.cast(tf.squeeze(label_length, axis=-1), tf.int32)
    input_length = tf.cast(tf.squeeze(input_length, axis=-1), tf.int32)
    sparse_labels = ctc_label_dense_to_sparse(y_true, label_length)
    sparse_labels = tf.SparseTensor(
        sparse_labels.indices, tf.cast(sparse_labels.values, tf.int32), sparse_labels.dense_shape
    )
    logits = tf.math.log(tf.transpose(y_pred, perm=[1, 0, 2]) + config.epsilon())
    loss = tf.nn.ctc_loss(
        labels=sparse_labels,
        logits=logits,
        label_length=None,
        logit_length=input_length,
        logits_time_major=True,
        blank_index=-1,
    )
    return tf.expand_dims(loss, 1)


@keras_export("keras.backend.ctc_decode")
def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """Decodes softmax outputs ``(batch, time, classes)``: returns ``([dense paths], log_prob)``
    with ``-1`` padding."""
    input_shape = tf.shape(y_pred)
    num_samples, num_steps = input_shape[0], input_shape[1]
    logits = tf.math.log(tf.transpose(y_pred, perm=[1, 0, 2]) + config.epsilon())
    input_length = tf.cast(input_length, tf.int32)
    if greedy:
        decoded, log_prob = tf.nn.ctc_greedy_decoder(inputs=logits, sequence_length=input_length)
    else:
        decoded, log_prob = tf.compat.v1.nn.ctc_beam_search_decoder(
            inputs=logits, sequence_length=input_length, beam_width=beam_width, top_paths=top_paths
        )
    dense_shape = tf.cast(tf.stack([num_samples, num_steps]), tf.int64)
    decoded_dense = [
        tf.sparse.to_dense(tf.SparseTensor(st.indices, st.values, dense_shape), default_value=-1)
        for st in decoded
    ]
    return decoded_dense, log_prob


# ---------------------------------------------------------------- control flow


@keras_export("keras.backend.map_fn")
def map_fn(fn, elems, name=None, dtype=None):
    """Applies ``fn`` to each slice of ``elems`` along axis 0 and stacks the results."""
    native = getattr(tf, "map_fn", None)
    if native is not None:
        kwargs = {"name": name}
        if dtype is not None:
            kwargs["fn_output_signature"] = dtype
        return native(fn, elems, **kwargs)
    flat = tf.nest.flatten(elems)
    n = _leading_dim(flat[0])
    slices = [tf.unstack(e, num=n) for e in flat]
    outs = [fn(tf.nest.pack_sequence_as(elems, [s[i] for s in slices])) for i in range(n)]
    if not outs:
        raise ValueError("map_fn needs at least one element along axis 0 in tensorlet.")
    flat_outs = [tf.nest.flatten(o) for o in outs]
    stacked = [tf.stack([o[j] for o in flat_outs]) for j in range(len(flat_outs[0]))]
    return tf.nest.pack_sequence_as(outs[0], stacked)


def _leading_dim(x):
    n = _static_shape(x)[0]
    if n is None:
        raise ValueError(
            f"tensorlet's map_fn/foldl/foldr need a static first dimension; got shape {x.shape}."
        )
    return n


def _fold(fn, elems, initializer, reverse_order):
    flat = tf.nest.flatten(elems)
    n = _leading_dim(flat[0])
    slices = [tf.unstack(e, num=n) for e in flat]
    order = list(range(n))
    if reverse_order:
        order.reverse()
    items = [tf.nest.pack_sequence_as(elems, [s[i] for s in slices]) for i in order]
    if initializer is None:
        acc, items = items[0], items[1:]
    else:
        acc = initializer
    for item in items:
        acc = fn(acc, item)
    return acc


@keras_export("keras.backend.foldl")
def foldl(fn, elems, initializer=None, name=None):
    """Left fold of ``fn(acc, x)`` over ``elems`` (axis 0); without ``initializer`` the
    first element starts the accumulator."""
    native = getattr(tf, "foldl", None)
    if native is not None:
        return native(fn, elems, initializer=initializer, name=name)
    return _fold(fn, elems, initializer, reverse_order=False)


@keras_export("keras.backend.foldr")
def foldr(fn, elems, initializer=None, name=None):
    """Right fold of ``fn(acc, x)`` over ``elems`` (axis 0, last element first)."""
    native = getattr(tf, "foldr", None)
    if native is not None:
        return native(fn, elems, initializer=initializer, name=name)
    return _fold(fn, elems, initializer, reverse_order=True)


@keras_export("keras.backend.rnn")
def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    constants=None,
    unroll=False,
    input_length=None,
    time_major=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Iterates ``step_function(input_t, states)`` over time; returns
    ``(last_output, outputs, new_states)``."""
    from tensorlet.keras.src.layers.rnn import rnn_loop

    return rnn_loop.rnn(
        step_function,
        inputs,
        initial_states,
        go_backwards=go_backwards,
        mask=mask,
        constants=constants,
        unroll=unroll,
        input_length=input_length,
        time_major=time_major,
        zero_output_for_mask=zero_output_for_mask,
        return_all_outputs=return_all_outputs,
    )


@keras_export("keras.backend.in_top_k")
def in_top_k(predictions, targets, k):
    """Whether each target is among the top ``k`` predictions of its row."""
    return tf.math.in_top_k(targets, predictions, k)


@keras_export("keras.backend.gradients")
def gradients(loss, variables):
    """Symbolic gradients (graph mode only): TensorFlow 2 refuses them in eager execution,
    and tensorlet's graphs do not build them either; use ``tf.GradientTape``."""
    if tf.executing_eagerly():
        raise RuntimeError(
            "tf.gradients is not supported when eager execution is enabled. "
            "Use tf.GradientTape instead."
        )
    raise NotImplementedError(
        "tensorlet does not build symbolic gradients inside graphs; use tf.GradientTape."
    )


@keras_export("keras.backend.name_scope")
def name_scope(name):
    return tf.name_scope(name)


# ---------------------------------------------------------------- variables and values


@keras_export("keras.backend.variable")
def variable(value, dtype=None, name=None, constraint=None):
    """A ``tf.Variable`` of ``dtype`` (default ``floatx()``); a SciPy sparse matrix becomes a
    ``tf.SparseTensor``."""
    if dtype is None:
        dtype = config.floatx()
    if hasattr(value, "tocoo"):
        coo = value.tocoo()
        indices = xp.stack([xp.asarray(coo.row), xp.asarray(coo.col)], axis=1).astype("int64")
        v = tf.SparseTensor(indices=indices, values=coo.data, dense_shape=coo.shape)
        v._keras_shape = coo.shape
        return v
    return tf.Variable(value, dtype=tf.as_dtype(dtype), name=name, constraint=constraint)


@keras_export("keras.backend.constant")
def constant(value, dtype=None, shape=None, name=None):
    """``tf.constant`` defaulting to ``floatx()``."""
    if dtype is None:
        dtype = config.floatx()
    return tf.constant(value, dtype=dtype, shape=shape, name=name)


def _filled(fill, shape, dtype, name):
    with init_scope():
        if dtype is None:
            dtype = config.floatx()
        v = fill(shape=shape, dtype=tf.as_dtype(dtype), name=name)
        if _py_all(v.shape.as_list()):  # every dimension non-zero: a variable
            return variable(v, dtype=dtype, name=name)
        return v


@keras_export("keras.backend.zeros")
def zeros(shape, dtype=None, name=None):
    """A variable of zeros (a tensor when a dimension is 0)."""
    return _filled(tf.zeros, shape, dtype, name)


@keras_export("keras.backend.ones")
def ones(shape, dtype=None, name=None):
    """A variable of ones (a tensor when a dimension is 0)."""
    return _filled(tf.ones, shape, dtype, name)


@keras_export("keras.backend.eye")
def eye(size, dtype=None, name=None):
    """An identity-matrix variable."""
    if dtype is None:
        dtype = config.floatx()
    return variable(tf.eye(size, dtype=tf.as_dtype(dtype)), dtype, name)


@keras_export("keras.backend.zeros_like")
def zeros_like(x, dtype=None, name=None):
    return tf.zeros_like(x, dtype=dtype, name=name)


@keras_export("keras.backend.ones_like")
def ones_like(x, dtype=None, name=None):
    return tf.ones_like(x, dtype=dtype, name=name)


@keras_export("keras.backend.random_uniform")
def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    if dtype is None:
        dtype = config.floatx()
    if seed is None:
        seed = _seed()
    return tf.random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=seed)


@keras_export("keras.backend.random_normal")
def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    if dtype is None:
        dtype = config.floatx()
    if seed is None:
        seed = _seed()
    return tf.random.normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=seed)


@keras_export("keras.backend.truncated_normal")
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    if dtype is None:
        dtype = config.floatx()
    if seed is None:
        seed = _seed()
    return tf.random.truncated_normal(shape, mean, stddev, dtype=dtype, seed=seed)


@keras_export("keras.backend.random_bernoulli")
def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """Ones with probability ``p``, zeros otherwise."""
    if dtype is None:
        dtype = config.floatx()
    if seed is None:
        seed = _seed()
    return tf.where(
        tf.random.uniform(shape, dtype=dtype, seed=seed) <= p,
        tf.ones(shape, dtype=dtype),
        tf.zeros(shape, dtype=dtype),
    )


@keras_export("keras.backend.random_normal_variable")
def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable drawn from ``N(mean, scale**2)``."""
    if dtype is None:
        dtype = config.floatx()
    if seed is None:
        seed = _seed(10e8)
    value = tf.random.normal(shape, mean=mean, stddev=scale, dtype=tf.as_dtype(dtype), seed=seed)
    return variable(value, dtype=dtype, name=name)


@keras_export("keras.backend.random_uniform_variable")
def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable drawn from ``U(low, high)``."""
    if dtype is None:
        dtype = config.floatx()
    if seed is None:
        seed = _seed(10e8)
    value = tf.random.uniform(shape, minval=low, maxval=high, dtype=tf.as_dtype(dtype), seed=seed)
    return variable(value, dtype=dtype, name=name)


@keras_export("keras.backend.dropout")
def dropout(x, level, noise_shape=None, seed=None):
    """Zeroes entries with probability ``level`` and scales the rest by ``1 / (1 - level)``."""
    if seed is None:
        seed = _seed()
    return tf.nn.dropout(x, rate=level, noise_shape=noise_shape, seed=seed)


@keras_export("keras.backend.is_sparse")
def is_sparse(tensor):
    return isinstance(tensor, tf.SparseTensor)


@keras_export("keras.backend.to_dense")
def to_dense(tensor):
    if is_sparse(tensor):
        return tf.sparse.to_dense(tensor)
    return tensor


@keras_export("keras.backend.get_value")
def get_value(x):
    """The value of a tensor or variable as a NumPy array (other objects pass through)."""
    if _is_native(x) or getattr(x, "_is_keras_variable", False):
        return x.numpy()
    return x


@keras_export("keras.backend.batch_get_value")
def batch_get_value(tensors):
    return [x.numpy() for x in tensors]


@keras_export("keras.backend.eval")
def eval(x):
    """The value of ``x`` (a sparse tensor is densified first)."""
    return get_value(to_dense(x))


def _np_dtype(x):
    dt = x.dtype
    return dt if isinstance(dt, str) else dt.name


@keras_export("keras.backend.set_value")
def set_value(x, value):
    """Assigns a NumPy-convertible value to a variable."""
    x.assign(xp.asarray(value, dtype=_np_dtype(x)))


@keras_export("keras.backend.batch_set_value")
def batch_set_value(tuples):
    """``set_value`` for each ``(variable, value)`` pair."""
    for x, value in tuples:
        x.assign(xp.asarray(value, dtype=_np_dtype(x)))


@keras_export("keras.backend.update")
def update(x, new_x):
    return x.assign(new_x)


@keras_export("keras.backend.update_add")
def update_add(x, increment):
    return x.assign_add(increment)


@keras_export("keras.backend.update_sub")
def update_sub(x, decrement):
    return x.assign_sub(decrement)


@keras_export("keras.backend.moving_average_update")
def moving_average_update(x, value, momentum):
    """``x = x * momentum + value * (1 - momentum)`` in place."""
    dt = x.dtype
    momentum = tf.cast(momentum, dt)
    value = tf.cast(value, dt)
    return x.assign_sub((x - value) * (1 - momentum))
