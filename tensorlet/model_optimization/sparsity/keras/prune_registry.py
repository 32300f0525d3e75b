"""Which built-in Keras layers can be pruned, and which of their weights.

A layer class listed with no weights is accepted (wrapped, nothing pruned). RNN layers are
supported when every cell is a listed cell (or a ``PrunableLayer``); MultiHeadAttention prunes
the kernels of its query/key/value/output projections.
"""

from tensorlet.framework import export
from tensorlet.model_optimization.sparsity.keras import prunable_layer

_LAYER_WEIGHTS = (  # public Keras name -> weight attributes to prune
    ("ELU", ()),
    ("LeakyReLU", ()),
    ("ReLU", ()),
    ("Softmax", ()),
    ("PReLU", ()),
    ("Conv1D", ("kernel",)),
    ("Conv2D", ("kernel",)),
    ("Conv3D", ("kernel",)),
    ("Conv1DTranspose", ("kernel",)),
    ("Conv2DTranspose", ("kernel",)),
    ("Conv3DTranspose", ("kernel",)),
    ("Cropping1D", ()),
    ("Cropping2D", ()),
    ("Cropping3D", ()),
    ("DepthwiseConv1D", ()),
    ("DepthwiseConv2D", ()),
    ("SeparableConv1D", ("pointwise_kernel",)),
    ("SeparableConv2D", ("pointwise_kernel",)),
    ("UpSampling1D", ()),
    ("UpSampling2D", ()),
    ("UpSampling3D", ()),
    ("ZeroPadding1D", ()),
    ("ZeroPadding2D", ()),
    ("ZeroPadding3D", ()),
    ("Activation", ()),
    ("ActivityRegularization", ()),
    ("Dense", ("kernel",)),
    ("EinsumDense", ("kernel",)),
    ("Dropout", ()),
    ("Flatten", ()),
    ("Lambda", ()),
    ("Masking", ()),
    ("Permute", ()),
    ("RepeatVector", ()),
    ("Reshape", ()),
    ("Identity", ()),
    ("SpatialDropout1D", ()),
    ("SpatialDropout2D", ()),
    ("SpatialDropout3D", ()),
    ("Embedding", ("embeddings",)),
    ("Add", ()),
    ("Average", ()),
    ("Concatenate", ()),
    ("Dot", ()),
    ("Maximum", ()),
    ("Minimum", ()),
    ("Multiply", ()),
    ("Subtract", ()),
    ("AlphaDropout", ()),
    ("GaussianDropout", ()),
    ("GaussianNoise", ()),
    ("BatchNormalization", ()),
    ("LayerNormalization", ()),
    ("AveragePooling1D", ()),
    ("AveragePooling2D", ()),
    ("AveragePooling3D", ()),
    ("GlobalAveragePooling1D", ()),
    ("GlobalAveragePooling2D", ()),
    ("GlobalAveragePooling3D", ()),
    ("GlobalMaxPooling1D", ()),
    ("GlobalMaxPooling2D", ()),
    ("GlobalMaxPooling3D", ()),
    ("MaxPooling1D", ()),
    ("MaxPooling2D", ()),
    ("MaxPooling3D", ()),
    ("Rescaling", ()),
    (
        "MultiHeadAttention",
        ("_query_dense.kernel", "_key_dense.kernel", "_value_dense.kernel", "_output_dense.kernel"),
    ),
)
_RNN_CELL_WEIGHTS = (
    ("GRUCell", ("kernel", "recurrent_kernel")),
    ("LSTMCell", ("kernel", "recurrent_kernel")),
    ("SimpleRNNCell", ("kernel", "recurrent_kernel")),
)
_RNN_LAYERS = ("GRU", "LSTM", "RNN", "SimpleRNN")


def _classes(table):
    out = {}
    for name, weights in table:
        cls = export.OBJECTS.get("keras.layers." + name)
        if cls is not None:
            out[cls] = list(weights)
    return out


class PruneRegistry:
    """Registry of the built-in Keras layers ``prune_low_magnitude`` supports."""

    _maps = None

    @classmethod
    def _tables(cls):
        if cls._maps is None:
            import tensorlet.keras  # noqa: F401  (registers the built-in layers)

            rnn = {export.OBJECTS.get("keras.layers." + n) for n in _RNN_LAYERS} - {None}
            cls._maps = (_classes(_LAYER_WEIGHTS), _classes(_RNN_CELL_WEIGHTS), rnn)
        return cls._maps

    @classmethod
    def _get_rnn_cells(cls, rnn_layer):
        cells = getattr(rnn_layer.cell, "cells", None)
        return list(cells) if cells is not None else [rnn_layer.cell]

    @classmethod
    def supports(cls, layer):
        """True if ``layer``'s class (exactly) is a supported built-in layer."""
        layers, cells, rnn = cls._tables()
        if layer.__class__ in layers:
            return True
        if layer.__class__ in rnn:
            return all(
                c.__class__ in cells or isinstance(c, prunable_layer.PrunableLayer)
                for c in cls._get_rnn_cells(layer)
            )
        return False

    @classmethod
    def _weight_names(cls, layer):
        return cls._tables()[0][layer.__class__]

    @classmethod
    def make_prunable(cls, layer):
        """Gives ``layer`` a ``get_prunable_weights()`` method; returns the layer."""
        if not cls.supports(layer):
            raise ValueError("Layer " + str(layer.__class__) + " is not supported.")
        _, cells, rnn = cls._tables()

        def get_prunable_weights():
            return [_get_attr_path(layer, name) for name in cls._weight_names(layer)]

        def get_prunable_weights_rnn():
            weights = []
            for cell in cls._get_rnn_cells(layer):
                if cell.__class__ in cells:
                    weights.extend(getattr(cell, w) for w in cells[cell.__class__])
                elif isinstance(cell, prunable_layer.PrunableLayer):
                    weights.extend(cell.get_prunable_weights())
                else:
                    raise ValueError(
                        f"RNN Layer {layer.__class__} contains cell type {cell.__class__} which "
                        "is either not supported or doesnot inherit PrunableLayer. The cell "
                        f"must be one of {list(cells)}, or implement PrunableLayer."
                    )
            return weights

        fn = get_prunable_weights_rnn if layer.__class__ in rnn else get_prunable_weights
        object.__setattr__(layer, "get_prunable_weights", fn)
        return layer


def _get_attr_path(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj
