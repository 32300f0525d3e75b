"""Preprocessing layers: numeric (Normalization, Discretization, Rescaling), categorical
(CategoryEncoding, Hashing, HashedCrossing, StringLookup, IntegerLookup), text
(TextVectorization) and image (``image_preprocessing``) layers, all usable inside ``tf.data``."""
