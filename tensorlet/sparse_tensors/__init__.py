"""``tf.sparse.SparseTensor`` and the ``tf.sparse`` ops (the package is not named ``sparse``
because ``tensorlet.sparse`` is the generated public namespace).

``sparse_tensor``: the class and ``SparseTensorSpec``; ``sparse_ops``: ``tf.sparse.*``.
"""
