"""Transformations driven by a user function: map, filter, flat_map, interleave, scan,
take_while, and ``Dataset.reduce``."""

from tensorlet.data_ops import options as options_lib
from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import DatasetV2, UnaryDataset, num_cpus
from tensorlet.data_ops.functions import StructuredFunction
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_spec import TensorSpec

# ------------------------------------------------------------------------------------ map


class _MapDataset(UnaryDataset):
    """``map`` without ``num_parallel_calls``."""

    def __init__(self, input_dataset, map_func, output_spec=None):
        super().__init__(input_dataset)
        self._fn = StructuredFunction(map_func, self._input_spec, name="map_func")
        self._declared = output_spec

    def _compute_spec(self, peek):
        if self._declared is not None and not self._fn.traced:
            return self._declared
        return self._fn.output_spec(self._peek if peek else None)

    def _peek(self):
        return peek_spec(self)

    def _iterator(self):
        return map(self._fn, self._input._iterator())


class _ParallelMapDataset(_MapDataset):
    """``map`` with ``num_parallel_calls`` (elements are still computed in order, one by one)."""


def map_dataset(input_dataset, map_func, num_parallel_calls=None, output_spec=None):
    """``map``; ``output_spec`` (internal, e.g. Keras' ``set_shape`` on loaded images) is the
    element spec when the function cannot be traced."""
    if num_parallel_calls is None:
        return _MapDataset(input_dataset, map_func, output_spec)
    n = int(num_parallel_calls)
    if n != options_lib.AUTOTUNE and n <= 0:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "ParallelMapDatasetV2",
            "num_parallel_calls must be greater than zero.",
        )
    return _ParallelMapDataset(input_dataset, map_func, output_spec)


_PEEKING = [0]  # > 0 while an element is computed only to learn the element spec


def peek_spec(dataset):
    """The spec of ``dataset``'s first element with dimensions relaxed to ``None``.

    Seeded random datasets do not advance their seed generators during a peek, so iterating
    afterwards gives the same order as without the peek.
    """
    _PEEKING[0] += 1
    try:
        it = dataset._iterator()
        try:
            first = next(it)
        except StopIteration:
            return TensorSpec(None, dtypes.float32)
    finally:
        _PEEKING[0] -= 1
    return structure.relax(structure.spec_of(first))


def peeking():
    return _PEEKING[0] > 0


# ---------------------------------------------------------------------------------- filter


class _FilterDataset(UnaryDataset):
    """``filter(predicate)``: the elements for which the predicate returns True."""

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = StructuredFunction(predicate, self._input_spec, name="predicate")
        if self._fn.traced:
            _check_predicate(self._fn.output_spec())

    def _cardinality(self):
        n = self._input._cardinality()
        return (
            options_lib.INFINITE
            if n == options_lib.INFINITE
            else (0 if n == 0 else options_lib.UNKNOWN)
        )

    def _compute_spec(self, peek):
        return self._input_spec(peek)

    def _iterator(self):
        fn = self._fn
        for el in self._input._iterator():
            keep = fn(el)
            if (
                not isinstance(keep, EagerTensor)
                or keep._dtype is not dtypes.bool
                or (keep._value.ndim != 0)
            ):
                _check_predicate(structure.spec_of(keep))
            if keep._value:
                yield el


def _check_predicate(spec):
    if not (
        isinstance(spec, TensorSpec)
        and spec.dtype == dtypes.bool
        and spec.shape.is_compatible_with([])
    ):
        raise ValueError(
            "Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
            f"tensor, but its return type is {spec}."
        )


class _TakeWhileDataset(_FilterDataset):
    """``take_while(predicate)``: stops at the first element failing the predicate."""

    def _cardinality(self):
        n = self._input._cardinality()
        return 0 if n == 0 else options_lib.UNKNOWN

    def _iterator(self):
        fn = self._fn
        for el in self._input._iterator():
            keep = fn(el)
            if not isinstance(keep, EagerTensor) or keep._dtype is not dtypes.bool:
                _check_predicate(structure.spec_of(keep))
            if not keep._value:
                return
            yield el


# ------------------------------------------------------------------- flat_map / interleave


class _FlatMapDataset(UnaryDataset):
    """``flat_map(map_func)``: the concatenation of the datasets ``map_func`` returns."""

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._fn = StructuredFunction(map_func, self._input_spec, trace=False, name="map_func")

    def _cardinality(self):
        n = self._input._cardinality()
        return 0 if n == 0 else options_lib.UNKNOWN

    def _dataset_for(self, element):
        ds = self._fn.call_raw(element)
        if not isinstance(ds, DatasetV2):
            raise TypeError(
                f"The `map_func` argument must return a `Dataset` object. Got {type(ds)!r}."
            )
        return ds

    def _compute_spec(self, peek):
        in_spec = self._input_spec(peek)
        if in_spec is not None:
            spec = _probe_dataset_spec(self._fn._func, in_spec)
            if spec is not None:
                return spec
        return _peek_returned_spec(self) if peek else None

    def _iterator(self):
        for el in self._input._iterator():
            yield from self._dataset_for(el)._iterator()


class _SpecOnlyDataset(DatasetV2):
    """A stand-in dataset with a known spec and no data (probing a function's output spec)."""

    def __init__(self, spec):
        self._spec = spec

    def _compute_spec(self, peek):
        return self._spec

    def _iterator(self):
        raise TypeError("a spec-only dataset has no elements")


def _probe_dataset_spec(func, in_spec):
    """The element spec of the dataset ``func`` builds from placeholders (None if it cannot).

    Tensor arguments are graph placeholders, dataset arguments (``window`` elements) are
    stand-ins that have a spec and no data; building a dataset needs no values, so the spec of
    ``func``'s result is known without running the pipeline.
    """
    leaves = structure.flatten(in_spec)
    if not all(type(s) in (TensorSpec, structure.DatasetSpec) for s in leaves):
        return None
    in_spec = (
        structure.pack_sequence_as(
            in_spec,
            [
                _SpecOnlyDataset(s.element_spec) if type(s) is structure.DatasetSpec else s
                for s in leaves
            ],
        )
        if structure.is_nested(in_spec)
        else (
            _SpecOnlyDataset(in_spec.element_spec)
            if type(in_spec) is structure.DatasetSpec
            else in_spec
        )
    )
    from tensorlet.framework.context import state
    from tensorlet.function import func_graph

    box = []

    def probe(*args):
        box.append(func(*args))

    args = in_spec if type(in_spec) is tuple else (in_spec,)
    saved_graph, saved_tapes = state.graph, state.tapes
    state.graph, state.tapes = None, []
    try:
        func_graph.trace(probe, args, {}, name="probe")
        ds = box[0]
        if not isinstance(ds, DatasetV2):
            return None
        return ds._spec_or_none()
    except Exception:  # noqa: BLE001 - the function needs values: peek instead
        return None
    finally:
        state.graph, state.tapes = saved_graph, saved_tapes


def _peek_returned_spec(dataset):
    """The (relaxed) element spec of the first dataset ``map_func`` returns."""
    _PEEKING[0] += 1
    try:
        for el in dataset._input._iterator():
            return structure.relax(dataset._dataset_for(el).element_spec)
    finally:
        _PEEKING[0] -= 1
    return TensorSpec(None, dtypes.float32)


class _InterleaveDataset(_FlatMapDataset):
    """``interleave``: ``block_length`` elements in turn from ``cycle_length`` open datasets."""

    def __init__(self, input_dataset, map_func, cycle_length, block_length):
        super().__init__(input_dataset, map_func)
        self._cycle_length = cycle_length
        self._block_length = block_length

    def _iterator(self):
        inputs = self._input._iterator()
        return _interleave(inputs, self._dataset_for, self._cycle_length, self._block_length)


class _ParallelInterleaveDataset(_InterleaveDataset):
    """``interleave`` with ``num_parallel_calls`` (same order, computed sequentially)."""


def _interleave(inputs, make_dataset, cycle_length, block_length):
    """TF's InterleaveDataset: a slot is refilled from the input when its dataset ends."""
    slots = [None] * cycle_length
    cycle = block = 0
    open_count = 0
    end_of_input = False
    while not end_of_input or open_count > 0:
        it = slots[cycle]
        if it is not None:
            try:
                el = next(it)
            except StopIteration:
                slots[cycle] = None
                open_count -= 1
                cycle, block = (cycle + 1) % cycle_length, 0
                continue
            block += 1
            if block == block_length:
                cycle, block = (cycle + 1) % cycle_length, 0
            yield el
        elif not end_of_input:
            try:
                el = next(inputs)
            except StopIteration:
                end_of_input = True
                continue
            slots[cycle] = make_dataset(el)._iterator()
            open_count += 1
        else:
            cycle, block = (cycle + 1) % cycle_length, 0


def interleave(
    input_dataset, map_func, cycle_length=None, block_length=None, num_parallel_calls=None
):
    cycle = _resolve(cycle_length, "cycle_length", num_cpus())
    block = _resolve(block_length, "block_length", 1)
    if num_parallel_calls is None:
        return _InterleaveDataset(input_dataset, map_func, cycle, block)
    return _ParallelInterleaveDataset(input_dataset, map_func, cycle, block)


def _resolve(value, what, default):
    if value is None:
        return default
    v = int(value.numpy() if hasattr(value, "numpy") else value)
    if v == options_lib.AUTOTUNE:
        return default
    if v <= 0:
        raise errors.op_error(
            errors.InvalidArgumentError, "InterleaveDataset", f"{what} must be greater than zero."
        )
    return v


# ------------------------------------------------------------------------ scan and reduce


def _state_functions(func, state, input_dataset, what):
    """A StructuredFunction of ``(state, element)`` whose state spec weakens until stable."""
    state = structure.normalize_element(state)
    state_spec = structure.spec_of(state)

    def in_spec(peek):
        el = input_dataset.element_spec if peek else input_dataset._spec_or_none()
        return None if el is None else (state_spec, el)

    fn = StructuredFunction(func, in_spec, name=what)
    for _ in range(10):  # TF retraces with a relaxed state shape until it is a fixed point
        if not fn.traced:
            break
        out = fn.output_spec()
        _check_pair(out, what)
        new_spec = _check_state(state_spec, out[0] if what == "scan_func" else out)
        if new_spec == state_spec:
            break
        state_spec = new_spec
        fn = StructuredFunction(func, in_spec, name=what)
    return state, fn


def _check_pair(out, what):
    if what == "scan_func" and not (isinstance(out, tuple) and len(out) == 2):
        raise TypeError(
            "The scan function must return a pair comprising the new state and the output value."
        )


def _check_state(state_spec, new_spec):
    """The (relaxed) state spec for ``new_spec``; TypeError when structure or dtypes differ."""
    try:
        structure.assert_same_structure(state_spec, new_spec)
    except ValueError:
        raise TypeError(
            f"The element structure for the new state must match the initial state. "
            f"Expected {state_spec}; got {new_spec}."
        ) from None
    old, new = structure.flatten(state_spec), structure.flatten(new_spec)
    if [s.dtype for s in old] != [s.dtype for s in new]:
        raise TypeError(
            f"The element types for the new state must match the initial state. "
            f"Expected {structure.pack_sequence_as(state_spec, [s.dtype for s in old])}"
            f"; got {structure.pack_sequence_as(state_spec, [s.dtype for s in new])}."
        )
    return structure.pack_sequence_as(
        state_spec, [structure.common_supertype(a, b) or a for a, b in zip(old, new)]
    )


class _ScanDataset(UnaryDataset):
    """``scan(initial_state, scan_func)``: outputs ``scan_func(state, x)[1]`` in turn."""

    def __init__(self, input_dataset, initial_state, scan_func):
        super().__init__(input_dataset)
        self._state, self._fn = _state_functions(
            scan_func, initial_state, input_dataset, "scan_func"
        )

    def _compute_spec(self, peek):
        out = self._fn.output_spec()
        if out is not None:
            return out[1]
        return peek_spec(self) if peek else None

    def _iterator(self):
        state, fn = self._state, self._fn
        traced = self._fn.traced
        for el in self._input._iterator():
            out = fn((state, el))
            if not traced:
                _check_pair(out, "scan_func")
            state, value = out
            yield value


def reduce_dataset(dataset, initial_state, reduce_func):
    state, fn = _state_functions(reduce_func, initial_state, dataset, "reduce_func")
    traced = fn.traced
    for el in dataset._iterator():
        new = fn((state, el))
        if not traced:
            _check_state(structure.spec_of(state), structure.spec_of(new))
        state = new
    return state
