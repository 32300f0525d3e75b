"""Datasets that read no other dataset: from_tensors, from_tensor_slices, range, counter,
random, from_generator."""

from tensorlet.backend import xp
from tensorlet.data_ops import options as options_lib
from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.ops import random_kernels as K
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor, RaggedTensorSpec


class _TensorDataset(DatasetV2):
    """``from_tensors(tensors)``: one element."""

    def __init__(self, element):
        self._element = structure.normalize_element(element)

    def _compute_spec(self, peek):
        return structure.spec_of(self._element)

    def _cardinality(self):
        return 1

    def _iterator(self):
        return iter((self._element,))


class _TensorSliceDataset(DatasetV2):
    """``from_tensor_slices(tensors)``: the rows of every component, in step."""

    def __init__(self, element, is_files=False):
        element = structure.normalize_element(element)
        leaves = structure.flatten(element)
        n = None
        for v in leaves:
            if v is None:
                continue
            shape = v.shape
            if shape.rank == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            d = shape[0] if not isinstance(v, RaggedTensor) else v.nrows_int()
            if n is not None and d is not None and d != n:
                raise ValueError(f"Dimensions {n} and {d} are not compatible")
            n = d if n is None else n
        self._element = element
        self._leaves = leaves
        self._n = n or 0
        self._dense = all(isinstance(v, EagerTensor) for v in leaves)

    def _compute_spec(self, peek):
        spec = structure.spec_of(self._element)
        return structure.pack_sequence_as(
            spec, [structure.unbatch_spec_leaf(s) for s in structure.flatten(spec)]
        )

    def _cardinality(self):
        return self._n

    def _rows(self, start, stop, step=1):
        """Elements ``start:stop:step`` (``step`` 0: one row per element)."""
        el, leaves = self._element, self._leaves
        if self._dense:
            arrays = [(xp.asarray(v._value), v._dtype) for v in leaves]
            nested = structure.is_nested(el)
            for i in range(start, stop):
                row = [EagerTensor(a[i, ...], d) for a, d in arrays]
                yield structure.pack_sequence_as(el, row) if nested else row[0]
            return
        cols = [structure.unbatch_leaf(v) for v in leaves]
        for i in range(start, stop):
            yield structure.pack_sequence_as(el, [None if c is None else c[i] for c in cols])

    def _iterator(self):
        return self._rows(0, self._n)

    def _batches(self, batch_size, drop_remainder):
        """Batched elements sliced directly (the fast path of ``batch``)."""
        el, n = self._element, self._n
        arrays = [(xp.asarray(v._value), v._dtype) for v in self._leaves]
        nested = structure.is_nested(el)
        stop = n - n % batch_size if drop_remainder else n
        for i in range(0, stop, batch_size):
            row = [EagerTensor(a[i : i + batch_size], d) for a, d in arrays]
            yield structure.pack_sequence_as(el, row) if nested else row[0]


class _RangeDataset(DatasetV2):
    """``range(stop)`` / ``range(start, stop[, step])`` of ``output_type`` (int64)."""

    def __init__(self, *args, output_type=dtypes.int64, name=None):
        if len(args) == 1:
            start, stop, step = 0, args[0], 1
        elif len(args) == 2:
            (start, stop), step = args, 1
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError(
                f"Invalid `args`. The length of `args` should be between 1 and 3 "
                f"but was {len(args)}."
            )
        self._start, self._stop, self._step = (_int64_arg(a) for a in (start, stop, step))
        if self._step == 0:
            raise errors.op_error(
                errors.InvalidArgumentError, "RangeDataset", "step must be a non-zero integer."
            )
        self._dtype = dtypes.as_dtype(output_type)

    def _compute_spec(self, peek):
        return TensorSpec([], self._dtype)

    def _cardinality(self):
        start, stop, step = self._start, self._stop, self._step
        if step > 0:
            return max(0, (stop - start - 1) // step + 1)
        return max(0, (start - stop - 1) // -step + 1)

    def _iterator(self):
        np_t = xp.dtype(self._dtype.as_numpy_dtype)
        d = self._dtype
        start, step, n = self._start, self._step, self._cardinality()
        chunk = 1024
        for base in range(0, n, chunk):
            m = min(chunk, n - base)
            vals = (start + step * (base + xp.arange(m, dtype=xp.int64))).astype(np_t)
            for i in range(m):
                yield EagerTensor(vals[i, ...], d)


def _int64_arg(v):
    t = convert_to_tensor(v, dtype=dtypes.int64)
    if not isinstance(t, EagerTensor):
        raise TypeError(
            f"tensorlet datasets need the values of their arguments: got a symbolic tensor {t}"
        )
    return int(t._value)


def counter(start=0, step=1, dtype=dtypes.int64):
    """TF's counter: ``from_tensors(0).repeat().scan(start, ...)``."""
    start = convert_to_tensor(start, dtype=dtype)
    step = convert_to_tensor(step, dtype=dtype)
    return _TensorDataset(0).repeat().scan(start, lambda state, _: (state + step, state))


# ---------------------------------------------------------------------------------- random


class PhiloxStream:
    """TF's ``SingleSampleAdapter<PhiloxRandom>(seed, seed2)``: uint32 samples one at a time."""

    __slots__ = ("_buf", "_calls", "_counter", "_key", "_pos")

    def __init__(self, seed, seed2):
        self._key, self._counter = K.stateful_key_counter(seed, seed2)
        self._calls = 0
        self._buf = ()
        self._pos = 0

    def __call__(self):
        if self._pos >= len(self._buf):
            n = 256  # Philox calls per refill (4 samples each)
            self._buf = K.philox(self._key, self._counter, n, self._calls).reshape(-1).tolist()
            self._calls += n
            self._pos = 0
        v = self._buf[self._pos]
        self._pos += 1
        return v


def random_seeds(seed, seed2):
    """TF's ``RandomSeeds``: (0, 0) means 'seed non-deterministically'."""
    if seed is None or seed2 is None:
        seed, seed2 = 0, 0
    if (int(seed) | int(seed2)) == 0:
        import secrets

        return secrets.randbits(63), secrets.randbits(63)
    return int(seed), int(seed2)


class SeedGenerator:
    """Seeds for each new iterator: fixed, or drawn from a Philox stream (TF's
    ``FixedSeedGenerator`` / ``RandomSeedGenerator``)."""

    def __init__(self, seed, seed2, reshuffle):
        self._seeds = random_seeds(seed, seed2)
        self._stream = PhiloxStream(*self._seeds) if reshuffle else None
        self._drawn = 0

    def next_seeds(self, advance=True):
        if self._stream is None:
            return self._seeds
        if not advance:  # a spec peek: draw from a copy so the sequence is unchanged
            s = PhiloxStream(*self._seeds)
            for _ in range(self._drawn):
                s()
            return s(), s()
        self._drawn += 2
        return self._stream(), self._stream()


class _RandomDataset(DatasetV2):
    """``Dataset.random(seed)``: uint32 Philox samples as int64, forever."""

    def __init__(self, seed=None, rerandomize_each_iteration=None):
        from tensorlet.ops import random_ops

        s, s2 = random_ops.get_seed(seed)
        self._gen = SeedGenerator(s, s2, bool(rerandomize_each_iteration))

    def _compute_spec(self, peek):
        return TensorSpec([], dtypes.int64)

    def _cardinality(self):
        return options_lib.INFINITE

    def _iterator(self):
        from tensorlet.data_ops.mapping import peeking

        stream = PhiloxStream(*self._gen.next_seeds(advance=not peeking()))
        d = dtypes.int64

        def gen():
            while True:
                yield EagerTensor(xp.array(stream(), dtype=xp.int64), d)

        return gen()


# --------------------------------------------------------------------------- from_generator


def _is_spec(x):
    return (
        isinstance(x, (TensorSpec, RaggedTensorSpec))
        or hasattr(x, "_is_type_spec")
        or (type(x).__name__.endswith("Spec"))
    )


def from_generator(
    generator, output_types=None, output_shapes=None, args=None, output_signature=None
):
    if not callable(generator):
        raise TypeError("`generator` must be a Python callable.")
    if output_signature is not None:
        if output_types is not None:
            raise TypeError(
                "The `output_types` argument can not be used together with the "
                "`output_signature` argument."
            )
        if output_shapes is not None:
            raise TypeError(
                "The `output_shapes` argument can not be used together with the "
                "`output_signature` argument."
            )
        for spec in structure.flatten(output_signature):
            if not _is_spec(spec):
                raise TypeError(
                    f"`output_signature` must contain objects that are subclass of "
                    f"`tf.TypeSpec` but found {type(spec)} which is not."
                )
    else:
        if output_types is None:
            raise TypeError(
                "To specify the output signature you need to provide either the "
                "`output_signature` argument or the `output_types` argument."
            )
        if output_shapes is None:
            output_shapes = structure.map_structure(lambda _: TensorShape(None), output_types)
        else:
            output_shapes = structure.map_structure_up_to(output_types, TensorShape, output_shapes)
        output_signature = structure.map_structure_up_to(
            output_types, lambda s, t: TensorSpec(s, t), output_shapes, output_types
        )
    gen_args = () if args is None else tuple(convert_to_tensor(a) for a in args)
    return _GeneratorDataset(generator, output_signature, gen_args)


class _GeneratorDataset(DatasetV2):
    """``from_generator``: TF builds it as a flat_map over a generator id."""

    def __init__(self, generator, signature, args):
        self._generator = generator
        self._signature = signature
        self._args = args

    def _compute_spec(self, peek):
        return self._signature

    def _iterator(self):
        args = [a.numpy() for a in self._args]
        it = iter(self._generator(*args))
        sig = self._signature
        specs = structure.flatten(sig)

        def gen():
            for values in it:
                try:
                    flat = structure.flatten_up_to(sig, values)
                except (TypeError, ValueError):
                    raise _py_func_error(
                        f"`generator` yielded an element that did not match the expected "
                        f"structure. The expected structure was {_types(sig)}, but the yielded "
                        f"element was {values}."
                    ) from None
                out = [_convert_yielded(v, s) for v, s in zip(flat, specs)]
                yield structure.pack_sequence_as(sig, out) if structure.is_nested(sig) else out[0]

        return gen()


_GeneratorDataset.__name__ = _GeneratorDataset.__qualname__ = "_FlatMapDataset"


def _types(sig):
    return structure.map_structure(lambda s: s.dtype, sig)


def _py_func_error(message):
    return errors.op_error(errors.InvalidArgumentError, "PyFunc", f"TypeError: {message}")


def _convert_yielded(value, spec):
    """A yielded value as a component of ``spec`` (TF's py_func conversion and checks)."""
    if isinstance(spec, RaggedTensorSpec):
        from tensorlet.ragged_tensors import ragged_factory_ops

        if isinstance(value, RaggedTensor):
            return value
        return ragged_factory_ops.constant(value, dtype=spec.dtype, ragged_rank=spec.ragged_rank)
    if not isinstance(spec, TensorSpec):
        return structure.normalize_element(value, spec)
    dtype = spec.dtype
    if isinstance(value, Tensor):
        value = value.numpy()
    try:
        if dtype == dtypes.string:
            arr = xp.asarray(value)
            if arr.dtype.kind == "U":
                arr = xp.vectorize(lambda s: s.encode("utf-8"), otypes=[object])(arr)
            elif arr.dtype.kind == "S":
                arr = arr.astype(object)
            if arr.dtype != object:
                raise TypeError(arr.dtype)
        else:
            arr = xp.asarray(value, dtype=dtype.as_numpy_dtype)
    except (TypeError, ValueError):
        raise _py_func_error(
            f"`generator` yielded an element that could not be converted to the expected type. "
            f"The expected type was {dtype.name}, but the yielded element was {value}."
        ) from None
    if not spec.shape.is_compatible_with(arr.shape):
        raise _py_func_error(
            f"`generator` yielded an element of shape {arr.shape} where an element of shape "
            f"{spec.shape} was expected."
        )
    return EagerTensor(arr, dtype)
