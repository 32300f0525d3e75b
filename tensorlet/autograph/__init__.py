"""AutoGraph: converts Python control flow on tensors into TensorFlow control flow.

``convert(fn)`` (used by ``tf.function(autograph=True)``) rewrites ``fn``'s source so that
``if``/``while``/``for`` statements, ``break``/``continue``/``return`` inside them and
``and``/``or``/``not`` dispatch at run time: plain Python for Python values, ``tf.cond`` /
``tf.while_loop`` for tensors. ``tf.autograph.to_code(fn)`` shows the generated source.
"""
from tensorlet.autograph.impl import (  # noqa: F401
    ControlStatusCtx,
    ConversionOptions,
    Feature,
    Status,
    control_status_ctx,
    convert,
    converted_call,
    do_not_convert,
    set_loop_options,
    set_verbosity,
    tf_convert,
    to_code,
    to_graph,
    trace,
)
from tensorlet.autograph.transformer import ConversionError  # noqa: F401
