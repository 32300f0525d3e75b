"""``tf.compat.v1`` graph mode: default graph, placeholders, Session, ConfigProto (on tf.function's IR)."""
