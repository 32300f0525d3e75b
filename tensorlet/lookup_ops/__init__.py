"""``tf.lookup``: hash tables and their initializers.

Layout (bottom up):
  table_resources.py     the kernel-side state behind a table's ``resource`` handle (TF's
                         ``LookupInterface``): the static ``HashTable`` and ``MutableHashTable``
  dense_table_resource   ``MutableDenseHashTable``: TF's open-addressing bucket layout
  text_file.py           reading a vocabulary file (the InitializeTableFromTextFileV2 kernel)
  table_ops.py           the ops (``LookupTableFindV2``, ``...InsertV2``, ...) over a handle
  initializers.py        ``KeyValueTensorInitializer``, ``TextFileInitializer``, ``TextFileIndex``
  static_tables.py       ``StaticHashTable`` (and the lookup interface the tables share)
  vocabulary_tables.py   ``StaticVocabularyTable`` (Fingerprint64 out-of-vocabulary buckets)
  mutable_tables.py      ``experimental.MutableHashTable`` / ``experimental.DenseHashTable``
  dataset_initializer.py ``tf.data.experimental.DatasetInitializer`` / ``table_from_dataset``
"""
