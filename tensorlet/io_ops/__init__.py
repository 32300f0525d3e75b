"""``tf.io`` and ``tf.train.Example``: files, TFRecords and serialized protos, with no protobuf
dependency (the wire format is written by hand in ``wire.py``).

- ``file_io``: the ``ReadFile`` / ``WriteFile`` / ``MatchingFiles`` ops;
- ``gfile``: ``tf.io.gfile`` (and ``tf.compat.v1.gfile``);
- ``tfrecord``: ``TFRecordWriter``, ``TFRecordOptions``, ``read_tfrecords`` (masked CRC32C framing);
- ``tensor_proto``: ``serialize_tensor`` / ``parse_tensor`` (TensorProto bytes as TF writes them);
- ``example_pb``: ``tf.train.Example`` and its messages; ``parsing_ops``: ``parse_example`` & co;
- ``decode_ops``: ``decode_raw``, ``decode_csv``, base64 and ``decode_compressed``.

(Named ``io_ops`` because the generated namespace ``tf.io`` is registered as ``tensorlet.io``.)
"""
