"""``model.summary()``: Keras 3's table, drawn as ``rich`` draws it (box characters, column
widths from the terminal width), without depending on ``rich``."""

import math
import shutil

from tensorlet.keras.src.backend.dtypes import dtype_size


def count_params(weights):
    return int(sum(math.prod(v.shape) for v in weights))


def weight_memory_size(weights):
    """Bytes held by ``weights`` (each counted once)."""
    unique = {id(w): w for w in weights}.values()
    return sum(math.prod(w.shape) * dtype_size(w.dtype) for w in unique) / 8


def readable_memory_size(size):
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def format_layer_shape(layer):
    """``(None, 3)`` from the layer's first symbolic call (or its build shape), else ``?``."""
    if not layer._inbound_nodes and not layer._build_shapes_dict:
        return "?"

    def fmt(shape):
        return "(" + ", ".join(str(d) for d in shape) + ")"

    if layer._inbound_nodes:
        outputs = layer._inbound_nodes[-1].output_tensors
        shapes = [fmt(t.shape) for t in outputs]
    else:
        try:
            out = layer.compute_output_shape(*layer._build_shapes_dict.values())
        except (NotImplementedError, TypeError, ValueError):
            return "?"
        shapes = [fmt(out)] if _is_shape(out) else [fmt(s) for s in out]
    if len(shapes) == 1:
        return shapes[0]
    return "[" + ", ".join(shapes) + "]"


def _is_shape(s):
    return isinstance(s, tuple) and all(d is None or isinstance(d, int) for d in s)


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Prints (or passes to ``print_fn``) the summary table of a Sequential-like model."""
    header = ["Layer (type)", "Output Shape", "Param #"]
    alignment = ["left", "left", "right"]
    default_length = 88
    positions = positions or [0.45, 0.80, 1.0]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    default_length = min(default_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_length
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    widths, current = [], 0
    for pos in positions:
        width = pos - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width

    rows = []
    layers = model.layers
    lo, hi = _layer_range(layers, layer_range)
    for layer in layers[lo:hi]:
        rows.extend(_layer_rows(layer, 0, expand_nested, show_trainable))

    trainable = count_params(model.trainable_weights)
    non_trainable = count_params(model.non_trainable_weights)
    t_mem = weight_memory_size(model.trainable_weights)
    n_mem = weight_memory_size(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    opt_count = opt_mem = 0
    opt_built = bool(
        getattr(model, "compiled", False)
        and optimizer is not None
        and getattr(optimizer, "built", False)
    )
    if opt_built:
        opt_count = count_params(optimizer.variables)
        opt_mem = weight_memory_size(optimizer.variables)

    lines = [f'Model: "{model.name}"']
    lines += render_table(header, rows, widths, alignment, line_length)
    lines.append(
        f" Total params: {trainable + non_trainable + opt_count:,} "
        f"({readable_memory_size(t_mem + n_mem + opt_mem)})"
    )
    lines.append(f" Trainable params: {trainable:,} ({readable_memory_size(t_mem)})")
    lines.append(f" Non-trainable params: {non_trainable:,} ({readable_memory_size(n_mem)})")
    if opt_built:
        lines.append(f" Optimizer params: {opt_count:,} ({readable_memory_size(opt_mem)})")
    text = "".join(line + "\n" for line in lines)
    if print_fn is None:
        print(text, end="")
    else:
        print_fn(text)


def _layer_rows(layer, level, expand_nested, show_trainable):
    prefix = "   " * level + "└ " if level else ""
    name = f"{prefix}{layer.name} ({layer.__class__.__name__})"
    if not hasattr(layer, "built"):
        params = "0"
    elif not layer.built:
        params = "0 (unbuilt)"
    else:
        params = f"{layer.count_params():,}"
    row = [name, format_layer_shape(layer), params]
    if show_trainable:
        row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
    rows = [row]
    if expand_nested and getattr(layer, "layers", None):
        for sub in layer.layers:
            rows.extend(_layer_rows(sub, level + 1, expand_nested, show_trainable))
    return rows


def _layer_range(layers, layer_range):
    import re

    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be a list or tuple of length 2. Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}"
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


# ------------------------------------------------------------------ rich-style table
def render_table(header, rows, widths, alignment, table_width):
    """rich's ``Table(show_lines=True, box=HEAVY_HEAD)`` with fixed column widths.

    Columns are padded by one space on each side; when the requested widths plus padding and
    borders exceed ``table_width``, each column gives up an equal share (rich's ratio_reduce).
    """
    padded = [w + 2 for w in widths]
    available = table_width - (len(widths) + 1)
    if sum(padded) > available:
        padded = _ratio_reduce(sum(padded) - available, padded)
    inner = [max(w - 2, 1) for w in padded]
    out = ["┏" + "┳".join("━" * w for w in padded) + "┓"]
    out += _row_lines(header, inner, alignment, "┃")
    out.append("┡" + "╇".join("━" * w for w in padded) + "┩")
    for i, row in enumerate(rows):
        if i:
            out.append("├" + "┼".join("─" * w for w in padded) + "┤")
        out += _row_lines(row, inner, alignment, "│")
    out.append("└" + "┴".join("─" * w for w in padded) + "┘")
    return out


def _ratio_reduce(total, values):
    result, remaining, ratio = [], total, len(values)
    for v in values:
        distributed = min(v, round(remaining / ratio))
        result.append(v - distributed)
        remaining -= distributed
        ratio -= 1
    return result


def _row_lines(cells, widths, alignment, bar):
    wrapped = [_wrap(str(c), w) for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    lines = []
    for i in range(height):
        parts = []
        for lines_of_cell, w, align in zip(wrapped, widths, alignment):
            text = lines_of_cell[i] if i < len(lines_of_cell) else ""
            if align == "right":
                text = text.rjust(w)
            elif align == "center":
                text = text.center(w)
            else:
                text = text.ljust(w)
            parts.append(" " + text + " ")
        lines.append(bar + bar.join(parts) + bar)
    return lines


def _wrap(text, width):
    """Word wrap as rich does: break at spaces, split words longer than the width."""
    lines, line = [], ""
    for word in text.split(" "):
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines
