"""``tf.RaggedTensor`` and the ``tf.ragged`` ops (the package is not named ``ragged`` because
``tensorlet.ragged`` is the generated public namespace).

``ragged_tensor``: the class, its factories and ``RaggedTensorSpec``; ``ragged_getitem``:
indexing; ``ragged_ops``: ``tf.ragged.*`` and the elementwise operators;
``ragged_string_ops``: the ``tf.strings`` ops whose results are ragged.
"""

from tensorlet.ragged_tensors import ragged_ops as _ragged_ops  # noqa: F401  (operators)
