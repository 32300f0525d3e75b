"""``tf.summary``: TensorBoard event files written without TensorFlow or protobuf.

- ``event_pb``: the ``Event`` / ``Summary`` / ``SummaryMetadata`` / ``TensorProto`` messages
  (``tf.compat.v1.Event`` & co.) and ``tf.make_ndarray``;
- ``event_file``: the event file writer (TFRecord framing) and ``summary_iterator``;
- ``summary_ops``: writers, recording state (``record_if``, steps) and the stateful
  ``WriteSummary`` ops, which also run inside ``tf.function``;
- ``plugins``: ``scalar``, ``histogram``, ``image``, ``text``, ``audio`` (TensorBoard's
  ``summary_v2``); ``audio_ops``: ``tf.audio.encode_wav``.
"""
