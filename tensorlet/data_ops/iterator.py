"""``iter(dataset)``: ``tf.data.Iterator`` (``get_next``, ``get_next_as_optional``) and the NumPy
iterator of ``as_numpy_iterator``."""

from tensorlet.data_ops import structure
from tensorlet.framework import errors
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export


def _pull(it):
    """The next element, computed eagerly and unrecorded even while a tf.function is traced or
    a GradientTape records (the pipeline is not part of the graph or the tape, as in TF)."""
    st = state
    if st.graph is None and not st.tapes:
        return next(it)
    graph, tapes = st.graph, st.tapes
    st.graph, st.tapes = None, []
    try:
        return next(it)
    finally:
        st.graph, st.tapes = graph, tapes


@tf_export("data.Iterator")
class Iterator:
    """An iterator over the elements of a ``tf.data.Dataset`` (abstract)."""

    @property
    def element_spec(self):
        raise NotImplementedError

    def get_next(self):
        raise NotImplementedError

    def get_next_as_optional(self):
        raise NotImplementedError

    def __iter__(self):
        return self

    def __next__(self):
        raise NotImplementedError


class OwnedIterator(Iterator):
    """The iterator ``iter(dataset)`` returns in eager mode."""

    __slots__ = ("_dataset", "_it")

    def __init__(self, dataset=None, components=None, element_spec=None):
        if dataset is None:
            raise ValueError(
                "Either `dataset` or both `components` and `element_spec` need to be provided."
            )
        self._dataset = dataset
        self._it = dataset._iterator()

    @property
    def element_spec(self):
        return self._dataset.element_spec

    @property
    def _type_spec(self):
        return IteratorSpec(self._dataset.element_spec)

    def __next__(self):
        return _pull(self._it)

    def next(self):
        """The next element (TF1-style name)."""
        try:
            return _pull(self._it)
        except StopIteration:
            raise errors.OutOfRangeError(None, None, "End of sequence") from None

    def get_next(self, name=None):
        """The next element; ``OutOfRangeError`` at the end."""
        return self.next()

    def get_next_as_optional(self):
        """A ``tf.experimental.Optional`` holding the next element, or empty at the end."""
        from tensorlet.data_ops.optional import Optional

        try:
            value = _pull(self._it)
        except StopIteration:
            return Optional.empty(self._dataset.element_spec)
        return Optional.from_value(value)

    def __repr__(self):
        return f"<tensorflow.python.data.ops.iterator_ops.OwnedIterator object at {id(self):#x}>"


@tf_export("data.IteratorSpec")
class IteratorSpec:
    """Type specification of a ``tf.data.Iterator``."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    element_spec = property(lambda self: self._element_spec)

    @property
    def value_type(self):
        return OwnedIterator

    def __eq__(self, other):
        return isinstance(other, IteratorSpec) and other._element_spec == self._element_spec

    def __hash__(self):
        return hash((IteratorSpec, repr(self._element_spec)))

    def __repr__(self):
        return f"IteratorSpec({self._element_spec!r},)"


class NumpyIterator:
    """``Dataset.as_numpy_iterator()``: elements as NumPy values (strings as ``bytes``)."""

    __slots__ = ("_dataset", "_it")

    def __init__(self, dataset):
        spec = dataset._spec_or_none()
        if spec is not None:
            for s in structure.flatten(spec):
                if isinstance(s, structure.DatasetSpec):
                    raise TypeError(
                        "Dataset.as_numpy_iterator() is not supported for datasets that produce "
                        "values of type <class 'tensorflow.python.data.ops.dataset_ops."
                        "DatasetSpec'>"
                    )
        self._dataset = dataset
        self._it = dataset._iterator()

    def __iter__(self):
        return self

    def __next__(self):
        el = _pull(self._it)
        if not structure.is_nested(el):
            return structure.to_numpy(el)
        return structure.pack_sequence_as(
            el, [structure.to_numpy(v) for v in structure.flatten(el)]
        )

    next = __next__

    def __repr__(self):
        return f"<tensorflow.python.data.ops.dataset_ops.NumpyIterator object at {id(self):#x}>"

    def _save(self):
        raise NotImplementedError("NumpyIterator checkpointing is not supported in tensorlet")
