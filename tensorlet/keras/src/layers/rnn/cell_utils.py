"""What the SimpleRNN / LSTM / GRU cells and layers share: the kernel / recurrent kernel / bias
arguments (initializers, regularizers, constraints), their config, the checks of ``units``, and
the layer properties that read the cell's settings."""

from tensorlet.keras.src import activations, initializers
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib

_PARTS = ("kernel", "recurrent", "bias")


def check_units(units):
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(
            "Received an invalid value for argument `units`, "
            f"expected a positive integer, got {units}."
        )


def clip_rate(rate):
    return min(1.0, max(0.0, rate))


def set_weight_args(cell, kwargs):
    """Stores ``<part>_initializer / _regularizer / _constraint`` for kernel, recurrent, bias."""
    for part in _PARTS:
        cell.__setattr__(f"{part}_initializer", initializers.get(kwargs[f"{part}_initializer"]))
        cell.__setattr__(
            f"{part}_regularizer", get_optional("regularizers", kwargs[f"{part}_regularizer"])
        )
        cell.__setattr__(
            f"{part}_constraint", get_optional("constraints", kwargs[f"{part}_constraint"])
        )


def weight_args_config(obj):
    """The config entries of the weight arguments (for a cell or the layer around it)."""
    config = {}
    for part in _PARTS:
        config[f"{part}_initializer"] = initializers.serialize(getattr(obj, f"{part}_initializer"))
        for kind in ("regularizer", "constraint"):
            value = getattr(obj, f"{part}_{kind}")
            config[f"{part}_{kind}"] = serialization_lib.serialize_keras_object(value)
    return config


def cell_weight(cell, part, name, shape, initializer=None):
    """``add_weight`` with the cell's initializer / regularizer / constraint of ``part``."""
    return cell.add_weight(
        shape=shape,
        name=name,
        initializer=initializer or getattr(cell, f"{part}_initializer"),
        regularizer=getattr(cell, f"{part}_regularizer"),
        constraint=getattr(cell, f"{part}_constraint"),
    )


def layer_config(layer, *extra):
    """The config of an RNN layer built around one cell (SimpleRNN, LSTM, GRU)."""
    cell = layer.cell
    config = {
        "units": cell.units,
        "activation": activations.serialize(cell.activation),
        "use_bias": cell.use_bias,
        **weight_args_config(cell),
        "activity_regularizer": serialization_lib.serialize_keras_object(
            layer.activity_regularizer
        ),
        "dropout": cell.dropout,
        "recurrent_dropout": cell.recurrent_dropout,
    }
    for name in extra:
        value = getattr(cell, name)
        config[name] = activations.serialize(value) if name.endswith("activation") else value
    return config


def forward_to_cell(cls, names):
    """Adds read-only properties ``cls.<name>`` returning ``self.cell.<name>``."""
    for name in names:
        setattr(cls, name, property(lambda self, n=name: getattr(self.cell, n)))
    return cls


CELL_PROPERTIES = (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
)
