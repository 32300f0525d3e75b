"""The monitored-quantity logic shared by EarlyStopping, ReduceLROnPlateau, ModelCheckpoint."""

import warnings

from tensorlet.backend import xp


def resolve_mode(callback_name, mode, monitor):
    """(comparison, initial best) for ``mode`` ``'min'``/``'max'``/``'auto'`` as Keras does
    (``'auto'``: max for accuracy-like names, else min)."""
    if mode not in ("auto", "min", "max"):
        warnings.warn(
            f"{callback_name} mode {mode} is unknown, fallback to auto mode.", stacklevel=3
        )
        mode = "auto"
    if mode == "auto":
        name = monitor.removeprefix("val_")
        mode = "max" if name in ("acc", "accuracy", "auc") or name.endswith("accuracy") else "min"
    if mode == "max":
        return xp.greater, -xp.inf
    return xp.less, xp.inf


def monitor_value(callback_name, monitor, logs):
    value = (logs or {}).get(monitor)
    if value is None:
        warnings.warn(
            f"{callback_name} is conditioned on metric `{monitor}` which is not available. "
            f"Available metrics are: {','.join(list((logs or {}).keys()))}",
            stacklevel=3,
        )
    return value
