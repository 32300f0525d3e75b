"""Windowing and grouping: window (elements are datasets), group_by_window and
bucket_by_sequence_length."""

from tensorlet.backend import xp
from tensorlet.data_ops import options as options_lib
from tensorlet.data_ops import structure
from tensorlet.data_ops.batching import _int64
from tensorlet.data_ops.dataset import DatasetV2, UnaryDataset
from tensorlet.data_ops.functions import StructuredFunction
from tensorlet.data_ops.mapping import _probe_dataset_spec, peek_spec
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import as_shape
from tensorlet.framework.tensor_spec import TensorSpec

INF, UNK = options_lib.INFINITE, options_lib.UNKNOWN


# ---------------------------------------------------------------------------------- window


class _VariantDataset(DatasetV2):
    """A dataset over a list of elements already computed (window contents)."""

    def __init__(self, elements, spec):
        self._elements = elements
        self._spec = spec

    def _compute_spec(self, peek):
        return self._spec

    def _cardinality(self):
        return len(self._elements)

    def _iterator(self):
        return iter(self._elements)


class _WindowDataset(UnaryDataset):
    """``window(size, shift, stride, drop_remainder)``: windows as (nested) datasets."""

    def __init__(self, input_dataset, size, shift=None, stride=1, drop_remainder=False):
        super().__init__(input_dataset)
        self._size = _int64(size)
        self._shift = self._size if shift is None else _int64(shift)
        self._stride = _int64(stride)
        for what, v in (("size", self._size), ("shift", self._shift), ("stride", self._stride)):
            if v <= 0:
                raise errors.op_error(
                    errors.InvalidArgumentError,
                    "WindowDataset",
                    f"Window {what} must be greater than zero, but got {v}.",
                )
        self._drop = bool(drop_remainder)

    def _compute_spec(self, peek):
        spec = self._input_spec(peek)
        if spec is None:
            return None
        return structure.map_structure(structure.DatasetSpec, spec)

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (INF, UNK):
            return n
        if self._drop:
            rest = n - ((self._size - 1) * self._stride + 1)
            return 0 if rest < 0 else rest // self._shift + 1
        return n // self._shift + (0 if n % self._shift == 0 else 1)

    def _iterator(self):
        size, shift, stride, drop = self._size, self._shift, self._stride, self._drop
        it = self._input._iterator()
        spec = self._input._spec_or_none()

        def gen():
            buf, base, total, start = [], 0, None, 0
            while True:
                last = start + (size - 1) * stride
                while total is None and base + len(buf) <= last:
                    try:
                        buf.append(next(it))
                    except StopIteration:
                        total = base + len(buf)
                if total is not None and start >= total:
                    return
                window = [
                    buf[i - base]
                    for i in range(start, last + 1, stride)
                    if total is None or i < total
                ]
                if drop and len(window) < size:
                    return
                yield self._window_element(window, spec)
                start += shift
                drop_n = min(start - base, len(buf))
                del buf[:drop_n]
                base += drop_n

        return gen()

    def _window_element(self, window, spec):
        el = window[0]
        leaf_specs = (
            structure.flatten(spec)
            if spec is not None
            else [structure.spec_of_leaf(v) for v in structure.flatten(el)]
        )
        cols = list(zip(*[structure.flatten(e) for e in window]))
        datasets = [_VariantDataset(list(c), s) for c, s in zip(cols, leaf_specs)]
        return structure.pack_sequence_as(el, datasets) if structure.is_nested(el) else datasets[0]


# ---------------------------------------------------------------- group_by_window, buckets


class _GroupByWindowDataset(UnaryDataset):
    """``group_by_window``: elements grouped by ``key_func``; a full group (``window_size``
    elements) becomes ``reduce_func(key, window_dataset)``, whose elements are output. At the
    end of the input the remaining groups are flushed in increasing key order (TF keeps them in
    a ``std::map``)."""

    def __init__(
        self,
        input_dataset,
        key_func,
        reduce_func,
        window_size=None,
        window_size_func=None,
        trace_key=True,
    ):
        super().__init__(input_dataset)
        if window_size is not None and window_size_func is not None:
            raise ValueError(
                "Either the `window_size` argument or the `window_size_func` "
                "argument can be specified, not both."
            )
        if window_size is None and window_size_func is None:
            raise ValueError(
                "Either the `window_size` argument or the `window_size_func` "
                "argument must be specified."
            )
        if window_size is not None:
            size = _int64(window_size)
            window_size_func = lambda key: size
        self._key_fn = StructuredFunction(
            key_func, self._input_spec, trace=trace_key, name="key_func"
        )
        self._reduce = reduce_func
        self._size_fn = window_size_func

    def _compute_spec(self, peek):
        spec = self._input_spec(peek)
        if spec is not None:
            probed = _probe_dataset_spec(
                lambda key, w: self._reduce(key, w),
                (TensorSpec([], dtypes.int64), structure.DatasetSpec(spec)),
            )
            if probed is not None:
                return probed
        return peek_spec(self) if peek else None

    def _iterator(self):
        key_fn, size_fn, reduce = self._key_fn, self._size_fn, self._reduce
        spec = self._input._spec_or_none()

        def key_of(el):
            k = key_fn(el)
            if not (isinstance(k, EagerTensor) and k._dtype == dtypes.int64 and k._value.ndim == 0):
                raise ValueError(
                    f"`key_func` must return a single tf.int64 scalar tensor. Got "
                    f"{structure.spec_of(k)}."
                )
            return int(k._value)

        def flush(key, group):
            window = _VariantDataset(
                group, spec if spec is not None else structure.spec_of(group[0])
            )
            out = reduce(EagerTensor(xp.array(key, dtype=xp.int64), dtypes.int64), window)
            if not isinstance(out, DatasetV2):
                raise TypeError(f"`reduce_func` must return a `Dataset` object. Got {type(out)}.")
            yield from out._iterator()

        def gen(it):
            groups, sizes = {}, {}
            for el in it:
                key = key_of(el)
                if key not in sizes:
                    size = int(
                        convert_to_tensor(
                            size_fn(EagerTensor(xp.array(key, dtype=xp.int64), dtypes.int64)),
                            dtype=dtypes.int64,
                        )._value
                    )
                    if size <= 0:
                        raise errors.op_error(
                            errors.InvalidArgumentError,
                            "GroupByWindowDataset",
                            f"Window size must be greater than zero, but got {size}.",
                        )
                    sizes[key] = size
                group = groups.setdefault(key, [])
                group.append(el)
                if len(group) == sizes[key]:
                    del groups[key]
                    yield from flush(key, group)
            for key in sorted(groups):
                yield from flush(key, groups[key])

        return gen(self._input._iterator())


def bucket_by_sequence_length(
    dataset,
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    """TF's composition: ``group_by_window`` keyed by the bucket of the element's length, each
    window padded-batched (to the bucket boundary - 1 with ``pad_to_bucket_boundary``)."""
    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(
            f"`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
            f"`len(bucket_batch_sizes)={len(sizes)}` and "
            f"`len(bucket_boundaries)={len(boundaries)}`."
        )
    lo = [-(2**31)] + boundaries
    hi = boundaries + [2**31 - 1]

    def element_to_bucket_id(*args):
        n = element_length_func(*args)
        n = int(xp.asarray(n._value if hasattr(n, "_value") else n))
        for i, (a, b) in enumerate(zip(lo, hi)):
            if a <= n < b:
                return EagerTensor(xp.array(i, dtype=xp.int64), dtypes.int64)
        raise errors.op_error(
            errors.InvalidArgumentError,
            "GroupByWindowDataset",
            f"element length {n} is outside every bucket",
        )

    def window_size_fn(bucket_id):
        return sizes[int(bucket_id._value)]

    def batching_fn(bucket_id, grouped):
        b = int(bucket_id._value)
        size = sizes[b]
        if no_padding:
            return grouped.batch(size, drop_remainder=drop_remainder)
        filler = None
        if pad_to_bucket_boundary:
            if b >= len(sizes) - 1:
                raise errors.InternalError(
                    None,
                    None,
                    (
                        "Got error code INVALID_ARGUMENT and message: {\nassertion failed: [When "
                        "pad_to_bucket_boundary=True, elements must have length < "
                        "max(bucket_boundaries).] [Condition x < y did not hold element-wise:] "
                        f"[x (args_0:0) = ] [{b}] [y (Const_1:0) = ] [{len(sizes) - 1}]\n}}"
                    ),
                )
            filler = boundaries[b] - 1
        shapes = padded_shapes or structure.map_structure(lambda s: s.shape, grouped.element_spec)
        shapes = structure.map_structure(
            lambda s: [filler if d is None else d for d in as_shape(s).as_list()], shapes
        )
        return grouped.padded_batch(size, shapes, padding_values, drop_remainder=drop_remainder)

    return _GroupByWindowDataset(
        dataset, element_to_bucket_id, batching_fn, window_size_func=window_size_fn, trace_key=False
    )
