"""Image metrics and derivative filters: ``total_variation``, ``image_gradients``, ``sobel_edges``,
``psnr``, ``ssim``, ``ssim_multiscale`` -- composites over math/conv ops, as in TF (so their
gradients come from the ops they are built from).
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.image_ops._common import as_image
from tensorlet.image_ops.color import convert_image_dtype
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    conv_ops,
    math_ops,
    nn_ops,
    pooling_ops,
    reduction_ops,
    unary_math_ops,
)

D = dtypes


@tf_export("image.total_variation")
def total_variation(images, name=None):
    """Sum of absolute differences of neighbouring pixels (per image for 4-D input)."""
    images = as_image(images)
    rank = images.shape.rank
    if rank == 3:
        d1 = images[1:, :, :] - images[:-1, :, :]
        d2 = images[:, 1:, :] - images[:, :-1, :]
        axis = None
    elif rank == 4:
        d1 = images[:, 1:, :, :] - images[:, :-1, :, :]
        d2 = images[:, :, 1:, :] - images[:, :, :-1, :]
        axis = [1, 2, 3]
    else:
        raise ValueError("'images' must be either 3 or 4-dimensional.")
    return reduction_ops.reduce_sum(math_ops.abs(d1), axis=axis) + reduction_ops.reduce_sum(
        math_ops.abs(d2), axis=axis
    )


@tf_export("image.image_gradients")
def image_gradients(image):
    """(dy, dx) forward differences, zero in the last row / column."""
    image = as_image(image)
    if image.shape.rank != 4:
        raise ValueError(
            f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {image.shape}."
        )
    b, h, w, d = image.shape
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    dy = array_ops.concat([dy, array_creation_ops.zeros([b, 1, w, d], image.dtype)], 1)
    dx = array_ops.concat([dx, array_creation_ops.zeros([b, h, 1, d], image.dtype)], 2)
    return dy, dx


_SOBEL = [[[-1, -2, -1], [0, 0, 0], [1, 2, 1]], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]]


@tf_export("image.sobel_edges")
def sobel_edges(image):
    """Vertical and horizontal Sobel responses, shape ``image.shape + [2]`` (reflect padding)."""
    image = as_image(image)
    k = xp.expand_dims(xp.transpose(xp.asarray(_SOBEL), (1, 2, 0)), -2)
    kernel = array_ops.tile(
        convert_to_tensor(k.astype(image.dtype._np)), [1, 1, image.shape[-1], 1]
    )
    padded = array_ops.pad(image, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    out = conv_ops.depthwise_conv2d(padded, kernel, [1, 1, 1, 1], "VALID")
    return array_ops.reshape(out, list(image.shape) + [2])


def _verify_compatible(img1, img2):
    s1, s2 = img1.shape, img2.shape
    if s1.rank is not None and s1.rank < 3 or s2.rank is not None and s2.rank < 3:
        raise ValueError("Shape must be at least rank 3")
    if s1.rank is not None and s2.rank is not None:
        if not s1[-3:].is_compatible_with(s2[-3:]):
            raise ValueError("Shapes %s and %s are incompatible" % (s1, s2))


def _float_max(max_val, dtype):
    return convert_image_dtype(cast_ops.cast(max_val, dtype), D.float32)


@tf_export("image.psnr")
def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio ``20 log10(max) - 10 log10(mse)`` per image (float32)."""
    a, b = as_image(a), as_image(b)
    max_val = _float_max(max_val, a.dtype)
    a = convert_image_dtype(a, D.float32)
    b = convert_image_dtype(b, D.float32)
    mse = reduction_ops.reduce_mean(math_ops.squared_difference(a, b), [-3, -2, -1])
    log = unary_math_ops.log
    val = 20 * log(max_val) / log(convert_to_tensor(10.0)) - xp.float32(10 / xp.log(10)) * log(mse)
    _verify_compatible(a, b)
    return val


def _fspecial_gauss(size, sigma):
    coords = cast_ops.cast(array_creation_ops.range(size), D.float32)
    coords = coords - xp.float32(size - 1) / xp.float32(2.0)
    g = math_ops.square(coords)
    g = g * (-0.5 / math_ops.square(convert_to_tensor(sigma, D.float32)))
    g = array_ops.reshape(g, [1, -1]) + array_ops.reshape(g, [-1, 1])
    g = nn_ops.softmax(array_ops.reshape(g, [1, -1]))
    return array_ops.reshape(g, [size, size, 1, 1])


def _ssim_per_channel(
    img1, img2, max_val, filter_size, filter_sigma, k1, k2, return_index_map=False
):
    for img in (img1, img2):
        if any(d < filter_size for d in img.shape[-3:-1]):
            raise errors.InvalidArgumentError(
                None,
                None,
                "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                "Summarized data: %s\n%d" % (", ".join(str(d) for d in img.shape), filter_size),
            )
    kernel = array_ops.tile(_fspecial_gauss(filter_size, filter_sigma), [1, 1, img1.shape[-1], 1])

    def reducer(x):
        shape = list(x.shape)
        x = array_ops.reshape(x, [-1] + shape[-3:])
        y = conv_ops.depthwise_conv2d(x, kernel, strides=[1, 1, 1, 1], padding="VALID")
        return array_ops.reshape(y, shape[:-3] + list(y.shape[1:]))

    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mean0, mean1 = reducer(img1), reducer(img2)
    num0 = mean0 * mean1 * 2.0
    den0 = math_ops.square(mean0) + math_ops.square(mean1)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(img1 * img2) * 2.0
    den1 = reducer(math_ops.square(img1) + math_ops.square(img2))
    c2 = c2 * 1.0
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    if return_index_map:
        return luminance * cs, cs
    return (
        reduction_ops.reduce_mean(luminance * cs, [-3, -2]),
        reduction_ops.reduce_mean(cs, [-3, -2]),
    )


def _prepare(img1, img2, max_val):
    img1, img2 = as_image(img1), as_image(img2)
    _verify_compatible(img1, img2)
    max_val = _float_max(max_val, img1.dtype)
    return (convert_image_dtype(img1, D.float32), convert_image_dtype(img2, D.float32), max_val)


@tf_export("image.ssim")
def ssim(
    img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False
):
    """Structural similarity (Gaussian window ``filter_size``/``filter_sigma``), channel mean."""
    img1, img2, max_val = _prepare(img1, img2, max_val)
    val, _ = _ssim_per_channel(
        img1, img2, max_val, filter_size, filter_sigma, k1, k2, return_index_map
    )
    return reduction_ops.reduce_mean(val, [-1])


_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


@tf_export("image.ssim_multiscale")
def ssim_multiscale(
    img1,
    img2,
    max_val,
    power_factors=_MSSSIM_WEIGHTS,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
):
    """Multi-scale SSIM: contrast-structure at each 2x-downsampled scale, SSIM at the last."""
    img1, img2, max_val = _prepare(img1, img2, max_val)
    imgs = [img1, img2]
    heads = list(img1.shape[:-3])
    mcs = []
    ssim_val = None
    for k in range(len(power_factors)):
        if k > 0:
            tail = list(imgs[0].shape[-3:])
            flat = [array_ops.reshape(x, [-1] + tail) for x in imgs]
            rem = [tail[0] % 2, tail[1] % 2]
            if any(rem):
                pads = [[0, 0], [0, rem[0]], [0, rem[1]], [0, 0]]
                flat = [array_ops.pad(x, pads, mode="SYMMETRIC") for x in flat]
            down = [pooling_ops.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID") for x in flat]
            imgs = [array_ops.reshape(x, heads + list(x.shape[1:])) for x in down]
        ssim_val, cs = _ssim_per_channel(
            imgs[0], imgs[1], max_val, filter_size, filter_sigma, k1, k2
        )
        mcs.append(nn_ops.relu(cs))
    mcs.pop()
    stacked = array_ops.stack(mcs + [nn_ops.relu(ssim_val)], axis=-1)
    factors = convert_to_tensor(list(power_factors), D.float32)
    ms = reduction_ops.reduce_prod(math_ops.pow(stacked, factors), [-1])
    return reduction_ops.reduce_mean(ms, [-1])
