"""Image codecs as ops: DecodePng/EncodePng, DecodeJpeg/EncodeJpeg/DecodeAndCropJpeg/
ExtractJpegShape/EncodeJpegVariableQuality, DecodeBmp, DecodeGif, DecodeImage, and the public
``tf.io`` / ``tf.image`` functions. Kernels are pure NumPy + zlib (``png.py``, ``jpeg.py``),
bit-exact with TF's libpng / libjpeg-turbo paths; no optional dependency is needed.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.image_ops import jpeg as J
from tensorlet.image_ops import jpeg_encode as JE
from tensorlet.image_ops import png as P
from tensorlet.image_ops.color import convert_image_dtype
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop

D = dtypes
_UNKNOWN = "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."
_JPEG_FAILED = "jpeg::Uncompress failed. Invalid JPEG data or crop window."


def _bytes(contents, op_name):
    v = contents.item() if hasattr(contents, "item") else contents
    if isinstance(v, str):
        v = v.encode()
    if not isinstance(v, (bytes, bytearray)):
        raise errors.op_error(errors.InvalidArgumentError, op_name, "contents must be scalar")
    return bytes(v)


def _string(b):
    out = xp.empty((), object)
    out[()] = b
    return out


def sniff(data):
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == P.PNG_SIGNATURE:
        return "png"
    if data[:3] == b"GIF":
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    return None


def _fail(op_name, msg):
    return errors.op_error(errors.InvalidArgumentError, op_name, msg)


def _check_channels(op_name, channels, allowed=(0, 1, 2, 3, 4)):
    if channels not in allowed:
        raise _fail(op_name, f"channels must be 0, 1, 2, 3 or 4, got {channels}")


# ---------------------------------------------------------------- kernels


def _decode_png_fwd(contents, channels, dtype):
    data = _bytes(contents, "DecodePng")
    kind = sniff(data)
    if kind in ("jpeg", "gif", "bmp"):  # TF's decode ops share one kernel: any format decodes
        return _decode_image_fwd(contents, channels, dtype, expand_animations=False)
    if kind != "png":
        raise _fail("DecodePng", _UNKNOWN)
    try:
        px = P.decode_png_raw(data)
    except P.CodecError as e:
        raise _fail("DecodePng", str(e)) from None
    px = P.convert_channels(px, channels)
    return _to_dtype(px, dtype)


def _to_dtype(px, dtype):
    if dtype == D.uint16 and px.dtype == xp.uint8:
        return px.astype(xp.uint16) * 257
    if dtype == D.uint8 and px.dtype == xp.uint16:
        return (px >> 8).astype(xp.uint8)
    if dtype == D.float32:
        maxv = 65535.0 if px.dtype == xp.uint16 else 255.0
        return px.astype(xp.float32) / xp.float32(maxv)
    return px


def _jpeg_fwd(
    contents,
    channels,
    ratio,
    fancy_upscaling,
    try_recover_truncated,
    acceptable_fraction,
    dct_method,
    crop=None,
    op_name="DecodeJpeg",
):
    data = _bytes(contents, op_name)
    kind = sniff(data)
    if kind in ("png", "gif", "bmp") and op_name == "DecodeJpeg":  # one kernel for all formats
        return _decode_image_fwd(contents, channels, D.uint8, expand_animations=False)
    if kind != "jpeg":
        raise _fail(op_name, _UNKNOWN)
    if ratio not in (1, 2, 4, 8):
        raise _fail(op_name, "ratio must be 1, 2, 4, or 8, got %d" % ratio)
    try:
        return J.decode(
            data, channels, ratio, fancy_upscaling, dct_method, crop, try_recover_truncated
        )
    except (J.CodecError, KeyError, IndexError, ValueError):
        raise _fail(op_name, _JPEG_FAILED) from None


def _decode_jpeg_fwd(contents, **attrs):
    return _jpeg_fwd(contents, **attrs)


def _decode_and_crop_fwd(contents, crop_window, **attrs):
    cw = [int(v) for v in crop_window.reshape(-1)]
    return _jpeg_fwd(contents, crop=cw, op_name="DecodeAndCropJpeg", **attrs)


def _extract_shape_fwd(contents, output_type):
    data = _bytes(contents, "ExtractJpegShape")
    try:
        h, w, c = J.parse_header(data)
    except J.CodecError:
        raise _fail("ExtractJpegShape", _JPEG_FAILED) from None
    return xp.asarray([h, w, c], output_type._np)


def _encode_png_fwd(image, compression):
    if image.ndim != 3 or image.shape[2] not in (1, 2, 3, 4):
        raise _fail("EncodePng", "image must be 3-dimensional with 1-4 channels")
    return _string(P.encode_png(image, compression))


def _encode_jpeg_fwd(
    image,
    quality,
    format,
    progressive,
    optimize_size,
    chroma_downsampling,
    density_unit,
    x_density,
    y_density,
    xmp_metadata="",
):
    if image.ndim != 3:
        raise _fail("EncodeJpeg", f"image must be 3-dimensional{list(image.shape)}")
    c = image.shape[2]
    if format == "grayscale" and c != 1 or format == "rgb" and c != 3 or c not in (1, 3):
        raise _fail("EncodeJpeg", f"image must have 1 or 3 channels, got {c}")
    unit = {"in": 1, "cm": 2}.get(density_unit, 1)
    return _string(JE.encode(image, quality, chroma_downsampling, unit, x_density, y_density,
                             progressive=progressive, optimize=optimize_size))


def _encode_jpeg_vq_fwd(image, quality):
    return _string(JE.encode(image, int(quality), True))


def _decode_bmp_fwd(contents, channels):
    data = _bytes(contents, "DecodeBmp")
    try:
        return P.decode_bmp(data, channels)
    except (P.CodecError, ValueError) as e:
        raise _fail("DecodeBmp", str(e)) from None


def _decode_gif_fwd(contents):
    data = _bytes(contents, "DecodeGif")
    try:
        return P.decode_gif(data)
    except (P.CodecError, IndexError, ValueError) as e:
        raise _fail("DecodeGif", str(e) or "Invalid GIF data") from None


def _decode_image_fwd(contents, channels, dtype, expand_animations):
    data = _bytes(contents, "DecodeImage")
    kind = sniff(data)
    if kind is None:
        raise _fail("DecodeImage", _UNKNOWN)
    if kind == "png":
        px = _decode_png_fwd(contents, channels, D.uint16 if dtype == D.uint16 else D.uint8)
    elif kind == "jpeg":
        px = _jpeg_fwd(contents, channels, 1, True, False, 1.0, "", op_name="DecodeImage")
    elif kind == "bmp":
        px = P.convert_channels(_decode_bmp_fwd(contents, 0), channels)
    else:
        px = _decode_gif_fwd(contents)
        if not expand_animations:
            px = px[0]
        if channels not in (0, 3):
            px = P.convert_channels(px, channels)
    return _to_dtype(px, dtype) if dtype != D.uint8 else px


# ---------------------------------------------------------------- ops


def _scalar_string(op, inputs):
    if inputs[0].dtype != D.string:
        from tensorlet.ops.op_def import dtype_mismatch

        raise dtype_mismatch(op, 0, D.string, inputs[0].dtype)
    if inputs[0].shape.rank not in (None, 0):
        raise _fail(op.name, f"contents must be scalar, got shape {list(inputs[0].shape)}")


def _image_shape(channels_attr="channels", rank=3):
    def rule(op, inputs, attrs):
        _scalar_string(op, inputs)
        c = attrs.get(channels_attr) or None
        return (TensorShape([None] * (rank - 1) + [c]),)

    return rule


def _attr_dtype(op, inputs, attrs):
    return (attrs["dtype"],)


decode_png_op = defop(
    "DecodePng", _decode_png_fwd, dtype_rule=_attr_dtype, shape_rule=_image_shape()
)
decode_jpeg_op = defop(
    "DecodeJpeg", _decode_jpeg_fwd, dtype_rule=R.fixed(D.uint8), shape_rule=_image_shape()
)
decode_and_crop_jpeg_op = defop(
    "DecodeAndCropJpeg",
    _decode_and_crop_fwd,
    dtype_rule=R.fixed(D.uint8),
    shape_rule=_image_shape(),
)
extract_jpeg_shape_op = defop(
    "ExtractJpegShape",
    _extract_shape_fwd,
    dtype_rule=lambda op, inputs, attrs: (attrs["output_type"],),
    shape_rule=lambda op, inputs, attrs: (TensorShape([3]),),
)
decode_bmp_op = defop(
    "DecodeBmp", _decode_bmp_fwd, dtype_rule=R.fixed(D.uint8), shape_rule=_image_shape()
)
decode_gif_op = defop(
    "DecodeGif",
    _decode_gif_fwd,
    dtype_rule=R.fixed(D.uint8),
    shape_rule=lambda op, inputs, attrs: (TensorShape([None, None, None, 3]),),
)
decode_image_op = defop(
    "DecodeImage",
    _decode_image_fwd,
    dtype_rule=_attr_dtype,
    shape_rule=lambda op, inputs, attrs: (TensorShape(None),),
)
encode_png_op = defop(
    "EncodePng", _encode_png_fwd, dtype_rule=R.fixed(D.string), shape_rule=R.scalar
)
encode_jpeg_op = defop(
    "EncodeJpeg", _encode_jpeg_fwd, dtype_rule=R.fixed(D.string), shape_rule=R.scalar
)
encode_jpeg_variable_quality_op = defop(
    "EncodeJpegVariableQuality",
    _encode_jpeg_vq_fwd,
    dtype_rule=R.fixed(D.string),
    shape_rule=R.scalar,
)


# ---------------------------------------------------------------- public API


def _contents(contents):
    return convert_to_tensor(contents, D.string)


@tf_export("io.decode_png", "image.decode_png")
def decode_png(contents, channels=0, dtype=D.uint8, name=None):
    """Decodes a PNG to ``[h, w, channels]`` uint8/uint16 (libpng channel conversions)."""
    return apply(
        decode_png_op,
        _contents(contents),
        channels=int(channels),
        dtype=D.as_dtype(dtype),
        name=name,
    )


@tf_export("io.encode_png", "image.encode_png")
def encode_png(image, compression=-1, name=None):
    """Encodes a ``[h, w, c]`` uint8/uint16 image as PNG bytes (zlib ``compression`` -1..9)."""
    return apply(encode_png_op, convert_to_tensor(image), compression=int(compression), name=name)


def _jpeg_attrs(channels, ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction,
                dct_method):
    """The DecodeJpeg / DecodeAndCropJpeg attrs, as Python values."""
    return dict(channels=int(channels), ratio=int(ratio), fancy_upscaling=bool(fancy_upscaling),
                try_recover_truncated=bool(try_recover_truncated),
                acceptable_fraction=float(acceptable_fraction), dct_method=str(dct_method))


@tf_export("io.decode_jpeg", "image.decode_jpeg")
def decode_jpeg(
    contents,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
):
    """Decodes a baseline or progressive JPEG to uint8 ``[h / ratio, w / ratio, channels]``.

    ``dct_method``: '' or 'INTEGER_FAST' (libjpeg IFAST, TF's default) or 'INTEGER_ACCURATE'.
    """
    return apply(decode_jpeg_op, _contents(contents), name=name, **_jpeg_attrs(
        channels, ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method))


@tf_export("io.decode_and_crop_jpeg", "image.decode_and_crop_jpeg")
def decode_and_crop_jpeg(
    contents,
    crop_window,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
):
    """Decodes the ``crop_window = [y, x, h, w]`` part of a JPEG (as libjpeg's cropped decode)."""
    return apply(decode_and_crop_jpeg_op, _contents(contents),
                 convert_to_tensor(crop_window, D.int32), name=name, **_jpeg_attrs(
                     channels, ratio, fancy_upscaling, try_recover_truncated,
                     acceptable_fraction, dct_method))


@tf_export("io.encode_jpeg", "image.encode_jpeg")
def encode_jpeg(
    image,
    format="",
    quality=95,
    progressive=False,
    optimize_size=False,
    chroma_downsampling=True,
    density_unit="in",
    x_density=300,
    y_density=300,
    xmp_metadata="",
    name=None,
):
    """Encodes a ``[h, w, 1|3]`` uint8 image as JPEG bytes: baseline with the standard tables,
    optimised tables with ``optimize_size``, or libjpeg's simple progression with
    ``progressive``."""
    return apply(
        encode_jpeg_op,
        convert_to_tensor(image),
        quality=int(quality),
        format=str(format),
        progressive=bool(progressive),
        optimize_size=bool(optimize_size),
        chroma_downsampling=bool(chroma_downsampling),
        density_unit=str(density_unit),
        x_density=int(x_density),
        y_density=int(y_density),
        xmp_metadata=str(xmp_metadata),
        name=name,
    )


@tf_export("io.extract_jpeg_shape", "image.extract_jpeg_shape")
def extract_jpeg_shape(contents, output_type=D.int32, name=None):
    """``[height, width, channels]`` from a JPEG header (no decoding)."""
    return apply(
        extract_jpeg_shape_op, _contents(contents), output_type=D.as_dtype(output_type), name=name
    )


@tf_export("io.is_jpeg", "image.is_jpeg")
def is_jpeg(contents, name=None):
    """True when ``contents`` starts with the JPEG signature ``FF D8 FF``."""
    data = _bytes(_contents(contents)._value, "IsJpeg")
    return convert_to_tensor(data[:3] == b"\xff\xd8\xff")


@tf_export("io.decode_bmp", "image.decode_bmp")
def decode_bmp(contents, channels=0, name=None):
    """Decodes an uncompressed 24/32-bit BMP to uint8 RGB(A)."""
    return apply(decode_bmp_op, _contents(contents), channels=int(channels), name=name)


@tf_export("io.decode_gif", "image.decode_gif")
def decode_gif(contents, name=None):
    """Decodes every GIF frame: uint8 ``[frames, h, w, 3]``."""
    return apply(decode_gif_op, _contents(contents), name=name)


@tf_export("io.decode_image", "image.decode_image")
def decode_image(contents, channels=None, dtype=D.uint8, name=None, expand_animations=True):
    """Detects BMP/GIF/JPEG/PNG and decodes it; float ``dtype`` scales to [0, 1]."""
    dtype = D.as_dtype(dtype)
    raw = D.uint16 if dtype == D.uint16 else D.uint8
    out = apply(
        decode_image_op,
        _contents(contents),
        channels=int(channels or 0),
        dtype=raw,
        expand_animations=bool(expand_animations),
        name=name,
    )
    return out if dtype == raw else convert_image_dtype(out, dtype)


@tf_export("image.adjust_jpeg_quality")
def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """JPEG round trip at ``jpeg_quality``, returned in the input dtype."""
    image = convert_to_tensor(image)
    channels = image.shape[-1]
    orig = image.dtype
    image = convert_image_dtype(image, D.uint8, saturate=True)
    data = apply(
        encode_jpeg_variable_quality_op,
        image,
        convert_to_tensor(int(py_value(jpeg_quality)), D.int32),
    )
    out = decode_jpeg(data, channels=channels, dct_method=dct_method)
    return convert_image_dtype(out, orig, saturate=True)
