"""tf.data: input pipelines (``tf.data.Dataset`` and its transformations, readers, options).

The public namespace ``tf.data`` is generated from the ``@tf_export("data...")`` decorators of
these modules (this package is not named ``data`` because ``tensorlet.data`` is that generated
namespace).
"""
