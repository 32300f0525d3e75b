"""tf.function: tracing Python functions into graphs (tracing lands with the tf.function issue)."""
