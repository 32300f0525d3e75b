"""Shared helpers of ZeroPadding1D/2D/3D and Cropping1D/2D/3D: normalising pad/crop widths."""


def standardize_pairs(value, rank, name):
    """``1`` -> ``((1, 1),) * rank``; ``(a, b)`` (rank 1) or per-axis ints / pairs."""
    error = (
        f"`{name}` should be either an int, a tuple of {rank} ints "
        f"({', '.join(f'symmetric_dim{i + 1}_{name}' for i in range(rank))}), "
        f"or a tuple of {rank} tuples of 2 ints. Received: {name}={value}."
    )
    if isinstance(value, int):
        return ((value, value),) * rank
    if not hasattr(value, "__len__") or len(value) != rank:
        raise ValueError(error)
    out = []
    for v in value:
        if isinstance(v, int):
            out.append((v, v))
        elif hasattr(v, "__len__") and len(v) == 2 and all(isinstance(i, int) for i in v):
            out.append(tuple(v))
        else:
            raise ValueError(error)
    for pair in out:
        if min(pair) < 0:
            raise ValueError(
                f"The `{name}` argument must be a tuple of non-negative integers. "
                f"Received: {name}={value}"
            )
    return tuple(out)


def spatial_axes(data_format, rank):
    return (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )
