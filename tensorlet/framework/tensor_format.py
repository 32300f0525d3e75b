"""Exact TensorFlow text formatting of tensors, variables and ``tf.print``.

Pure functions over a NumPy array (or scalar) and a TF dtype *name*, so they do
not depend on the Tensor class:

* ``tensor_str`` / ``tensor_repr`` / ``tensor_format``: ``str``/``repr``/``format``
  of an eager tensor (NumPy's ``array2string`` with the *current* NumPy print
  options, exactly like TF).
* ``variable_repr``: ``repr`` (and ``str``) of a ``tf.Variable``.
* ``print_format``: the C++ ``Tensor::SummarizeValue(summarize, print_v2=True)``
  text that ``tf.print`` writes for one dense tensor.
* ``format_print_inputs`` / ``tf_print``: ``tf.print`` itself (templates built
  with ``pprint`` for nested Python structures, output written to the process
  file descriptor like TF's C++ kernel).
"""
import collections
import functools
import logging
import math
import os
import pprint
import random
import re
import sys

from tensorlet.backend import bfloat16, xp
from tensorlet.framework.export import tf_export

__all__ = [
    "format_print_inputs", "numpy_text", "print_format", "ragged_print_format", "shape_repr",
    "summarize_value",
    "shape_str", "tensor_format", "tensor_repr", "tensor_str", "tf_print", "variable_repr",
]

_UNPRINTABLE_DTYPES = ("resource", "variant")
_FLOAT32_LIKE = ("float32", "float16", "bfloat16", "half")


# ----------------------------------------------------------------------------- shapes


def _dim_texts(dims):
    return ["None" if d is None else str(int(d)) for d in dims]


def shape_str(dims):
    """``str(TensorShape)``: ``'(2, 3)'``, ``'(3,)'``, ``'(None, 3)'``, ``'<unknown>'``.

    Args:
      dims: Sequence of ints / ``None`` (unknown dim), or ``None`` (unknown rank).
    """
    if dims is None:
        return "<unknown>"
    items = _dim_texts(dims)
    return f"({items[0]},)" if len(items) == 1 else "(" + ", ".join(items) + ")"


def shape_repr(dims):
    """``repr(TensorShape)``: ``'TensorShape([2, None])'`` or ``'TensorShape(None)'``.

    Args:
      dims: Sequence of ints / ``None``, or ``None`` for an unknown rank.
    """
    if dims is None:
        return "TensorShape(None)"
    return "TensorShape([" + ", ".join(_dim_texts(dims)) + "])"


# ----------------------------------------------------------------------------- numpy text


def _to_bytes(x):
    if isinstance(x, bytes):
        return x
    if isinstance(x, str):
        return x.encode("utf-8")
    return bytes(x)


def _as_numpy(value, dtype_name):
    """Returns ``value`` as the NumPy array TF's ``_numpy()`` would hold."""
    if dtype_name == "string":
        arr = xp.asarray(value, dtype=object)
        out = xp.empty(arr.shape, dtype=object)
        for idx, item in xp.ndenumerate(arr):
            out[idx] = _to_bytes(item)
        return out
    arr = xp.asarray(value)
    if dtype_name == "bfloat16":
        return arr if arr.dtype == bfloat16 else arr.astype(bfloat16)
    try:
        target = xp.dtype(dtype_name)
    except TypeError:
        return arr
    return arr if arr.dtype == target else arr.astype(target)


def _scalar_text(arr, is_repr):
    item = arr[()]
    if not is_repr:
        return str(item)
    if isinstance(item, bytes):
        return repr(item)
    return repr(item.item())


def numpy_text(value, dtype_name, is_repr=False):
    """The ``numpy`` part of a tensor's ``str``/``repr`` (TF's ``_numpy_text``).

    Scalars print as NumPy scalars for ``str`` and through Python's ``repr`` of
    the value for ``repr`` (``3.140000104904175`` for float32 3.14); arrays use
    ``str``/``repr`` of the NumPy array (current NumPy print options apply). A
    text that spans several lines gets a leading newline.

    Args:
      value: NumPy array / scalar / Python value holding the tensor's data.
      dtype_name: TF dtype name, e.g. ``'float32'``, ``'bfloat16'``, ``'string'``.
      is_repr: ``True`` for ``repr`` formatting.

    Returns:
      The formatted text.
    """
    if dtype_name in _UNPRINTABLE_DTYPES:
        return "<unprintable>"
    arr = _as_numpy(value, dtype_name)
    if arr.ndim == 0:
        text = _scalar_text(arr, is_repr)
    else:
        text = repr(arr) if is_repr else str(arr)
    if "\n" in text:
        text = "\n" + text
    return text


def _dims_of(value, shape):
    if shape is not None:
        return shape
    return tuple(xp.shape(value))


def tensor_str(value, dtype_name, shape=None):
    """``str(tensor)``: ``tf.Tensor(3.14, shape=(), dtype=float32)``.

    Args:
      value: The tensor's data (NumPy array or scalar).
      dtype_name: TF dtype name.
      shape: Optional dims to print instead of ``value``'s shape.
    """
    dims = shape_str(_dims_of(value, shape))
    return f"tf.Tensor({numpy_text(value, dtype_name)}, shape={dims}, dtype={dtype_name})"


def tensor_repr(value, dtype_name, shape=None):
    """``repr(tensor)``: ``<tf.Tensor: shape=(), dtype=float32, numpy=3.140000104904175>``.

    Args:
      value: The tensor's data (NumPy array or scalar).
      dtype_name: TF dtype name.
      shape: Optional dims to print instead of ``value``'s shape.
    """
    dims = shape_str(_dims_of(value, shape))
    return f"<tf.Tensor: shape={dims}, dtype={dtype_name}, numpy={numpy_text(value, dtype_name, True)}>"


def tensor_format(value, dtype_name, format_spec):
    """``format(tensor, spec)``: delegates to the NumPy value's ``__format__``.

    Scalars format as NumPy scalars (``f'{t:.2f}'`` works); arrays only accept
    an empty spec, otherwise NumPy raises ``TypeError`` exactly like TF.

    Args:
      value: The tensor's data.
      dtype_name: TF dtype name.
      format_spec: The format specification.
    """
    if dtype_name in _UNPRINTABLE_DTYPES:
        return format("<unprintable>", format_spec)
    arr = _as_numpy(value, dtype_name)
    return format(arr[()] if arr.ndim == 0 else arr, format_spec)


def variable_repr(name, value, dtype_name, shape=None):
    """``repr(tf.Variable)`` (TF's ``str`` of a variable is the same text).

    Args:
      name: The variable's full name, e.g. ``'Variable:0'``.
      value: The variable's current value (NumPy array or scalar).
      dtype_name: TF dtype name.
      shape: Optional dims to print instead of ``value``'s shape.

    Returns:
      ``<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>``.
    """
    dims = shape_str(_dims_of(value, shape))
    text = numpy_text(value, dtype_name, True)
    return f"<tf.Variable '{name}' shape={dims} dtype={dtype_name}, numpy={text}>"


# ----------------------------------------------------------------------------- tf.print elements


def _c_float(x, digits, fallback_digits, cast):
    """C ``%.*g`` with ``digits``, widened to ``fallback_digits`` unless it round-trips."""
    x = float(x)
    if math.isnan(x):
        return "-nan" if math.copysign(1.0, x) < 0 else "nan"
    text = f"{x:.{digits}g}"
    if cast(float(text)) != cast(x):
        text = f"{x:.{fallback_digits}g}"
    return text


_float32_text = functools.partial(_c_float, digits=6, fallback_digits=9, cast=xp.float32)
_float64_text = functools.partial(_c_float, digits=15, fallback_digits=17, cast=float)


def _utf8_safe_c_escape(data):
    """absl ``Utf8SafeCEscape``: C escapes, octal for control bytes, UTF-8 kept."""
    special = {0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t", 0x22: b'\\"', 0x27: b"\\'",
               0x5C: b"\\\\"}
    out = bytearray()
    for byte in data:
        if byte in special:
            out += special[byte]
        elif byte < 0x20 or byte == 0x7F:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out).decode("utf-8", "surrogateescape")


def _element_formatter(dtype_name):
    """Returns the C++ ``PrintOneElement`` (print_v2) formatter for a dtype, or None."""
    if dtype_name in _FLOAT32_LIKE:
        return _float32_text
    if dtype_name == "float64":
        return _float64_text
    if dtype_name == "bool":
        return lambda x: "1" if x else "0"
    if dtype_name == "string":
        return lambda x: '"' + _utf8_safe_c_escape(_to_bytes(x)) + '"'
    if dtype_name.startswith(("int", "uint")):
        return lambda x: str(int(x))
    return None


def _dim_spacing(dim, ndims):
    if dim == ndims - 1:
        return " "
    return "\n" * (ndims - dim - 1) + " " * (dim + 1)


def _summarize_dim(flat, shape, dim, ends, offset, fmt):
    """C++ ``PrintOneDimV2``: first/last ``ends`` entries of every dimension."""
    if dim == len(shape):
        return fmt(flat[offset])
    count = shape[dim]
    stride = 1
    for size in shape[dim + 1:]:
        stride *= size
    spacing = _dim_spacing(dim, len(shape))
    parts = [_summarize_dim(flat, shape, dim + 1, ends, offset + stride * i, fmt)
             for i in range(min(ends, count))]
    text = "[" + spacing.join(parts)
    if count > 2 * ends:
        text += spacing + "..."
    for i in range(max(ends, count - ends), count):
        text += spacing + _summarize_dim(flat, shape, dim + 1, ends, offset + stride * i, fmt)
    return text + "]"


def _summarize_irregular(ndims, limit, max_entries, num_elts):
    """SummarizeValue's fallback for dtypes it cannot print (complex, quantized...)."""
    text = " ".join("?" for _ in range(limit))
    if max_entries < num_elts:
        text += "..."
    return "[" + text + "]" if ndims > 0 else text


def print_format(value, dtype_name, summarize=3):
    """Text ``tf.print`` writes for one dense tensor (``Tensor::SummarizeValue``).

    Floats use C ``%g`` with 6 (float64: 15) significant digits, widened to 9
    (17) when that does not round-trip; bools print as ``1``/``0``; strings are
    C-escaped and double-quoted; complex values print as ``?``.

    Args:
      value: The tensor's data (NumPy array or scalar).
      dtype_name: TF dtype name.
      summarize: First and last entries kept per dimension; ``-1`` keeps all,
        ``None`` means 3.

    Returns:
      E.g. ``'[[1.5 2]\\n [3 4]]'`` or ``'[0 1 2 ... 7 8 9]'``.
    """
    if summarize is None:
        summarize = 3
    arr = _as_numpy(value, dtype_name)
    num_elts = int(arr.size)
    max_entries = num_elts if summarize < 0 else int(summarize)
    limit = min(max_entries, num_elts)
    fmt = _element_formatter(dtype_name)
    if fmt is None:
        return _summarize_irregular(arr.ndim, limit, max_entries, num_elts)
    if dtype_name == "bool" and limit == 0:
        return ""
    flat = arr.reshape(-1)
    if arr.ndim == 0:
        text = " ".join(fmt(flat[i]) for i in range(limit))
        return text + "..." if num_elts > limit else text
    return _summarize_dim(flat, arr.shape, 0, limit, 0, fmt)


def _legacy_element_formatter(dtype_name):
    """C++ ``PrintOneElement(x, print_v2=false)``: absl ``StrCat`` of the element."""
    if dtype_name in _FLOAT32_LIKE or dtype_name == "float64":
        def fmt(x):
            x = float(x)
            if math.isnan(x):
                return "-nan" if math.copysign(1.0, x) < 0 else "nan"
            return f"{x:.6g}"
        return fmt
    if dtype_name == "bool":
        return lambda x: "1" if x else "0"
    if dtype_name == "string":
        return lambda x: _utf8_safe_c_escape(_to_bytes(x))
    if dtype_name.startswith(("int", "uint")):
        return lambda x: str(int(x))
    return None


def _summarize_dim_legacy(flat, shape, dim, limit, pos, fmt, out):
    """C++ ``PrintOneDim``: the first ``limit`` elements in row-major order, bracketed below
    the outermost dimension."""
    if pos[0] >= limit:
        return
    if dim == len(shape) - 1:
        for i in range(shape[dim]):
            if pos[0] >= limit:
                if dim != 0:
                    out.append("...")
                return
            if i > 0:
                out.append(" ")
            out.append(fmt(flat[pos[0]]))
            pos[0] += 1
        return
    for _ in range(shape[dim]):
        opened = pos[0] < limit
        if opened:
            out.append("[")
        _summarize_dim_legacy(flat, shape, dim + 1, limit, pos, fmt, out)
        if pos[0] < limit or opened:
            out.append("]")


def summarize_value(value, dtype_name, summarize=3):
    """``Tensor::SummarizeValue(summarize)`` (print_v2=false): the text graph-mode assertions
    (the ``Assert`` kernel) show for a data tensor, e.g. ``'1 2 3...'`` or ``'[1 2][3 4]'``."""
    arr = _as_numpy(value, dtype_name)
    num_elts = int(arr.size)
    max_entries = num_elts if summarize is None or summarize < 0 else int(summarize)
    limit = min(max_entries, num_elts)
    fmt = _legacy_element_formatter(dtype_name)
    if fmt is None:
        return " ".join("?" for _ in range(limit)) + ("..." if max_entries < num_elts else "")
    flat = arr.reshape(-1)
    if arr.ndim <= 1:
        text = " ".join(fmt(flat[i]) for i in range(limit))
        return text + "..." if num_elts > limit else text
    out = []
    _summarize_dim_legacy(flat, arr.shape, 0, limit, [0], fmt, out)
    return "".join(out) + ("..." if num_elts > limit else "")


def _as_string_element(x, dtype_name):
    """``tf.strings.as_string`` default formatting of one element (ragged printing)."""
    if dtype_name == "string":
        text = _to_bytes(x).decode("utf-8", "surrogateescape")
        return "'" + re.sub(r"(['\\])", r"\\\1", text) + "'"
    if dtype_name == "bool":
        return "true" if x else "false"
    if dtype_name.startswith("complex"):
        return f"({complex(x).real:f},{complex(x).imag:f})"
    if dtype_name.startswith(("int", "uint")):
        return str(int(x))
    return f"{float(x):f}"


def ragged_print_format(rows, dtype_name, summarize=3):
    """Text ``tf.print`` writes for a RaggedTensor (``ragged_tensor_to_string``).

    Args:
      rows: Nested Python lists (``RaggedTensor.to_list()``).
      dtype_name: TF dtype name of the values.
      summarize: First and last rows kept per dimension; ``-1``/``None`` keep all.

    Returns:
      E.g. ``'[[1], [2, 3]]'``.
    """
    if isinstance(rows, (list, tuple)) or (hasattr(rows, "ndim") and rows.ndim > 0):
        pieces = [ragged_print_format(r, dtype_name, summarize) for r in rows]
        if summarize not in (-1, None) and len(pieces) > 2 * summarize:
            pieces = pieces[:summarize] + ["..."] + pieces[len(pieces) - summarize:]
        return "[" + ", ".join(pieces) + "]"
    return _as_string_element(rows, dtype_name)


# ----------------------------------------------------------------------------- tf.print structure


def _default_is_tensor(x):
    """Duck-typed ``tf.is_tensor``: dense tensors/variables, ragged and sparse tensors."""
    if isinstance(x, (type, xp.ndarray, xp.generic)):
        return False
    if _is_sparse(x) or _is_ragged(x):
        return True
    dtype = getattr(x, "dtype", None)
    return callable(getattr(x, "numpy", None)) and hasattr(dtype, "name")


def _is_sparse(x):
    return all(hasattr(x, a) for a in ("indices", "values", "dense_shape"))


def _is_ragged(x):
    return hasattr(x, "flat_values") and callable(getattr(x, "to_list", None))


def _default_format_tensor(x, summarize):
    """Formats one tensor-like leaf for ``tf.print`` (``StringFormat`` semantics)."""
    if _is_ragged(x):
        return ragged_print_format(x.to_list(), x.dtype.name, summarize)
    return print_format(x.numpy(), x.dtype.name, summarize)


def _placeholder_for(text, default="{}"):
    """A placeholder absent from ``text`` (TF's ``_generate_placeholder_string``)."""
    placeholder = default
    rng = random.Random(5)
    while placeholder in text:
        placeholder = placeholder + str(rng.randint(0, 9))
    return placeholder


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError:
        return list(mapping)


def _substitute(obj, leaf_fn):
    """Rebuilds ``obj`` (nest semantics: dicts by sorted key) with leaves mapped."""
    if isinstance(obj, dict):
        items = [(k, _substitute(obj[k], leaf_fn)) for k in _sorted_keys(obj)]
        if isinstance(obj, collections.OrderedDict):
            return collections.OrderedDict(items)
        return dict(items)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*[_substitute(v, leaf_fn) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_substitute(v, leaf_fn) for v in obj)
    return leaf_fn(obj)


def _template_for(input_, placeholder, tensors, is_tensor):
    """Template text for one ``tf.print`` input; appends its tensors in order."""
    def leaf(x):
        if is_tensor(x) and _is_sparse(x):
            tensors.extend([x.indices, x.values, x.dense_shape])
            ph = placeholder
            return f"SparseTensor(indices={ph}, values={ph}, shape={ph})"
        if is_tensor(x):
            tensors.append(x)
            return placeholder
        return x
    packed = _substitute(input_, leaf)
    return input_ if isinstance(input_, str) else pprint.pformat(packed)


def _is_string_scalar(x, is_tensor):
    if not is_tensor(x) or _is_sparse(x) or _is_ragged(x):
        return False
    return getattr(x.dtype, "name", None) == "string" and len(tuple(x.shape)) == 0


def format_print_inputs(inputs, summarize=3, sep=" ", is_tensor=None, format_tensor=None):
    """Builds the string ``tf.print(*inputs)`` writes (without ``end``).

    Args:
      inputs: The positional arguments given to ``tf.print``.
      summarize: Entries kept at both ends of every dimension (``-1``: all).
      sep: Separator between inputs.
      is_tensor: Predicate telling tensor leaves apart; defaults to duck typing
        on ``.numpy()`` and ``.dtype.name`` (plus ragged/sparse attributes).
      format_tensor: ``f(tensor, summarize) -> str``; defaults to
        ``print_format(t.numpy(), t.dtype.name, summarize)``.

    Returns:
      The formatted text.
    """
    is_tensor = is_tensor or _default_is_tensor
    format_tensor = format_tensor or _default_format_tensor
    if len(inputs) == 1 and _is_string_scalar(inputs[0], is_tensor):
        return _to_bytes(inputs[0].numpy()).decode("utf-8", "surrogateescape")
    free = [_substitute(x, lambda v: "" if is_tensor(v) else v) for x in inputs]
    placeholder = _placeholder_for(" ".join(pprint.pformat(x) for x in free))
    tensors = []
    templates = [_template_for(x, placeholder, tensors, is_tensor) for x in inputs]
    template = sep.join(templates).replace("'" + placeholder + "'", placeholder)
    pieces = template.split(placeholder)
    out = [pieces[0]]
    for tensor, piece in zip(tensors, pieces[1:]):
        out.append(format_tensor(tensor, summarize))
        out.append(piece)
    return "".join(out)


# ----------------------------------------------------------------------------- tf.print output


_LOG_LEVELS = {logging.INFO: logging.INFO, logging.WARNING: logging.WARNING,
               logging.ERROR: logging.ERROR, logging.info: logging.INFO,
               logging.warning: logging.WARNING, logging.warn: logging.WARNING,
               logging.error: logging.ERROR}


def _std_fd(stream):
    """1/2 when ``stream`` is (a replacement of) stdout/stderr, else None."""
    if stream in (sys.stderr, sys.__stderr__):
        return 2
    if stream in (sys.stdout, sys.__stdout__):
        return 1
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, OSError, TypeError):
        return None
    return fd if fd in (1, 2) else None


def _stream_target(output_stream):
    """Maps ``output_stream`` to a file descriptor, a log level or a file path."""
    if output_stream is None:
        return ("fd", 2)
    if isinstance(output_stream, str):
        if output_stream.startswith("file://"):
            return ("file", output_stream[len("file://"):])
    elif _std_fd(output_stream) is not None:
        return ("fd", _std_fd(output_stream))
    try:
        level = _LOG_LEVELS.get(output_stream)
    except TypeError:
        level = None
    if level is not None:
        return ("log", level)
    raise ValueError(
        "Unsupported output stream, logging level, or file." + str(output_stream) +
        ". Supported streams are sys.stdout, sys.stderr, tf.logging.info, "
        "tf.logging.warning, tf.logging.error. File needs to be in the form of "
        "'file://<filepath>'.")


def _encode(text):
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


def _write_fd(fd, data):
    """Writes to the process-level descriptor, like TF's C++ ``std::cerr``."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):
            pass
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        stream = sys.stderr if fd == 2 else sys.stdout
        stream.write(data.decode("utf-8", "replace"))
        stream.flush()


@tf_export("print")
def tf_print(*inputs, output_stream=None, summarize=3, sep=" ", end=os.linesep, name=None):
    """Core of ``tf.print``: formats the inputs and writes them out.

    Like TF's ``PrintV2`` kernel, ``sys.stderr``/``sys.stdout`` output goes
    straight to file descriptor 2/1 (a Python-level ``redirect_stderr`` does not
    see it, ``capfd``-style capture does). ``'file://path'`` appends to a file
    and ``logging.INFO``/``WARNING``/``ERROR`` log to the ``tensorflow`` logger.

    Args:
      *inputs: Tensors, Python objects and nested structures to print.
      output_stream: ``sys.stderr`` (default, also for ``None``), ``sys.stdout``,
        a logging level (``logging.INFO``...) or ``'file://<path>'``.
      summarize: Entries kept at both ends of every dimension (``-1``: all).
      sep: Separator between inputs.
      end: Text appended at the end.
      name: Unused (op name in TF).

    Raises:
      ValueError: If ``output_stream`` is not supported.
    """
    del name
    from tensorlet.framework.context import state
    if state.graph is not None:  # tracing: a stateful PrintV2 node that prints on every call
        from tensorlet.function import graph_ops
        return graph_ops.print_v2(inputs, dict(output_stream=output_stream, summarize=summarize,
                                               sep=sep, end=end))
    kind, target = _stream_target(output_stream)
    text = format_print_inputs(inputs, summarize=summarize, sep=sep)
    if kind == "fd":
        _write_fd(target, _encode(text + end))
    elif kind == "file":
        with open(target, "ab") as f:
            f.write(_encode(text + end))
    else:
        logging.getLogger("tensorflow").log(target, "%s", text + end)
