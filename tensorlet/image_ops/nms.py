"""Non-max suppression: NonMaxSuppressionV3/V4/V5 (hard and soft), WithOverlaps, Combined, the
padded variant, and ``draw_bounding_boxes``.

IoUs are computed for all pairs at once; the greedy selection walks candidates in score order
(ties: lower index first), as TF's kernels do. Hard suppression needs ``IoU > threshold``.
``non_max_suppression_padded`` follows TF's Python algorithm (``non_max_suppression_padded_v2``):
corners are canonicalised only by looking at the first box, IoU has a 1e-8 epsilon, and a
selected box whose coordinates are all <= 0 counts as unselected.
"""

import heapq

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.image_ops._common import invalid
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop

D = dtypes
F32 = xp.float32
_NEG_INF = float("-inf")


def iou_matrix(boxes):
    """Pairwise IoU of ``[n, 4]`` boxes with min/max corners normalised (0 for empty boxes)."""
    b = boxes.astype(F32)
    ymin, ymax = xp.minimum(b[:, 0], b[:, 2]), xp.maximum(b[:, 0], b[:, 2])
    xmin, xmax = xp.minimum(b[:, 1], b[:, 3]), xp.maximum(b[:, 1], b[:, 3])
    area = (ymax - ymin) * (xmax - xmin)
    ih = xp.maximum(xp.minimum(ymax[:, None], ymax) - xp.maximum(ymin[:, None], ymin), F32(0))
    iw = xp.maximum(xp.minimum(xmax[:, None], xmax) - xp.maximum(xmin[:, None], xmin), F32(0))
    inter = ih * iw
    with xp.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[:, None] + area - inter)
    bad = (area[:, None] <= 0) | (area[None, :] <= 0)
    return xp.where(bad, F32(0), iou).astype(F32)


def _order(scores, threshold):
    idx = xp.nonzero(scores > threshold)[0]
    return idx[xp.argsort(-scores[idx], kind="stable")]


def greedy_nms(sim, scores, max_out, sim_threshold, score_threshold):
    """Hard NMS: indices in selection order."""
    selected = []
    for i in _order(scores, score_threshold):
        if len(selected) >= max_out:
            break
        if not selected or not (sim[i, selected] > sim_threshold).any():
            selected.append(int(i))
    return selected


def soft_nms(sim, scores, max_out, sim_threshold, score_threshold, sigma):
    """TF's DoNonMaxSuppressionOp with a Gaussian score decay (priority queue of candidates)."""
    scale = F32(-0.5 / sigma) if sigma > 0 else F32(0)
    soft = sigma > 0
    heap = [
        (-float(scores[i]), int(i), 0, scores[i])
        for i in range(len(scores))
        if scores[i] > score_threshold
    ]
    heapq.heapify(heap)
    sel, sel_scores = [], []
    while heap and len(sel) < max_out:
        _, i, begin, score = heapq.heappop(heap)
        original = score
        hard = False
        for j in range(len(sel) - 1, begin - 1, -1):
            s = sim[i, sel[j]]
            score = F32(score * (xp.exp(scale * s * s) if soft or s <= sim_threshold else F32(0)))
            if not soft and s > sim_threshold:
                hard = True
                break
            if score <= score_threshold:
                break
        if hard:
            continue
        if score == original:
            sel.append(i)
            sel_scores.append(score)
        elif score > score_threshold:
            heapq.heappush(heap, (-float(score), i, len(sel), score))
    return sel, sel_scores


# ---------------------------------------------------------------- ops


def _check_nms(op, boxes, scores):
    if boxes.shape.rank is not None and boxes.shape.rank != 2:
        raise invalid(op.name, f"boxes must be 2-D{list(boxes.shape)}")
    if boxes.shape.rank == 2 and boxes.shape[1] not in (4, None):
        raise invalid(op.name, f"boxes must have 4 columns{list(boxes.shape)}")
    if scores.shape.rank is not None and scores.shape.rank != 1:
        raise invalid(op.name, f"scores must be 1-D{list(scores.shape)}")


def _nms_v3_fwd(boxes, scores, max_output_size, iou_threshold, score_threshold):
    sel = greedy_nms(
        iou_matrix(boxes), scores.astype(F32), max_output_size, iou_threshold, score_threshold
    )
    return xp.asarray(sel, xp.int32)


def _nms_v3_shape(op, inputs, attrs):
    _check_nms(op, inputs[0], inputs[1])
    return (TensorShape([None]),)


def _nms_v5_fwd(
    boxes,
    scores,
    max_output_size,
    iou_threshold,
    score_threshold,
    soft_nms_sigma,
    pad_to_max_output_size,
):
    sel, sc = soft_nms(
        iou_matrix(boxes),
        scores.astype(F32),
        max_output_size,
        iou_threshold,
        score_threshold,
        soft_nms_sigma,
    )
    n = len(sel)
    if pad_to_max_output_size:
        sel = sel + [0] * (max_output_size - n)
        sc = sc + [0.0] * (max_output_size - n)
    return (xp.asarray(sel, xp.int32), xp.asarray(sc, scores.dtype), xp.asarray(n, xp.int32))


def _nms_v5_shape(op, inputs, attrs):
    _check_nms(op, inputs[0], inputs[1])
    n = attrs["max_output_size"] if attrs["pad_to_max_output_size"] else None
    return (TensorShape([n]), TensorShape([n]), TensorShape([]))


def _overlaps_fwd(overlaps, scores, max_output_size, overlap_threshold, score_threshold):
    sel = greedy_nms(
        overlaps.astype(F32),
        scores.astype(F32),
        max_output_size,
        overlap_threshold,
        score_threshold,
    )
    return xp.asarray(sel, xp.int32)


def _padded_v2_fwd(boxes, scores, max_output_size, iou_threshold, score_threshold):
    """TF's non_max_suppression_padded_v2 on ``[batch, n, 4]`` boxes."""
    b = boxes.astype(F32).copy()
    s = scores.astype(F32).copy()
    if score_threshold != _NEG_INF:
        mask = (s > score_threshold).astype(F32)
        s = s * mask
        b = b * mask[..., None]
    if b.shape[1] and b[0, 0, 0] > b[0, 0, 2]:
        b[..., [0, 2]] = b[..., [2, 0]]
    if b.shape[1] and b[0, 0, 1] > b[0, 0, 3]:
        b[..., [1, 3]] = b[..., [3, 1]]
    out = xp.zeros((b.shape[0], max_output_size), xp.int32)
    valid = xp.zeros(b.shape[0], xp.int32)
    for k in range(b.shape[0]):  # one greedy pass per image of the batch
        order = xp.argsort(-s[k], kind="stable")
        bb = b[k, order]
        area = (bb[:, 2] - bb[:, 0]) * (bb[:, 3] - bb[:, 1])
        ih = xp.maximum(
            xp.minimum(bb[:, None, 2], bb[:, 2]) - xp.maximum(bb[:, None, 0], bb[:, 0]), 0
        )
        iw = xp.maximum(
            xp.minimum(bb[:, None, 3], bb[:, 3]) - xp.maximum(bb[:, None, 1], bb[:, 1]), 0
        )
        inter = iw * ih
        iou = inter / (area[:, None] + area - inter + F32(1e-8))
        sel = []
        for i in range(len(order)):
            if sel and (iou[i, sel] > iou_threshold).any():
                continue
            if (bb[i] > 0).any():
                sel.append(i)
        n = len(sel)
        sel = order[sel[:max_output_size]]
        out[k, : len(sel)] = sel
        valid[k] = min(n, max_output_size)
    return out, valid


def _combined_fwd(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold,
    score_threshold,
    pad_per_class,
    clip_boxes,
):
    batch, n, q, _ = boxes.shape
    classes = scores.shape[2]
    total = (
        min(max_total_size, max_output_size_per_class * classes)
        if pad_per_class
        else max_total_size
    )
    ob = xp.zeros((batch, total, 4), F32)
    osc = xp.zeros((batch, total), F32)
    ocl = xp.zeros((batch, total), F32)
    ov = xp.zeros(batch, xp.int32)
    for bi in range(batch):
        found = []  # (score, class, box index)
        for c in range(classes):
            bx = boxes[bi, :, c if q > 1 else 0]
            sc = scores[bi, :, c].astype(F32)
            sel = greedy_nms(
                iou_matrix(bx), sc, max_output_size_per_class, iou_threshold, score_threshold
            )
            found += [(sc[i], c, i) for i in sel]
        found.sort(key=lambda t: -t[0])
        found = found[:total]
        for j, (sc, c, i) in enumerate(found):
            box = boxes[bi, i, c if q > 1 else 0].astype(F32)
            ob[bi, j] = xp.clip(box, 0, 1) if clip_boxes else box
            osc[bi, j], ocl[bi, j] = sc, c
        ov[bi] = len(found)
    return ob, osc, ocl, ov


def _combined_shape(op, inputs, attrs):
    b = inputs[0].shape[0] if inputs[0].shape.rank else None
    classes = inputs[1].shape[2] if inputs[1].shape.rank else None
    total = attrs["max_total_size"]
    if attrs["pad_per_class"] and classes is not None:
        total = min(total, attrs["max_output_size_per_class"] * classes)
    return (
        TensorShape([b, total, 4]),
        TensorShape([b, total]),
        TensorShape([b, total]),
        TensorShape([b]),
    )


non_max_suppression_v3_op = defop(
    "NonMaxSuppressionV3", _nms_v3_fwd, dtype_rule=R.fixed(D.int32), shape_rule=_nms_v3_shape
)
non_max_suppression_v5_op = defop(
    "NonMaxSuppressionV5",
    _nms_v5_fwd,
    dtype_rule=lambda op, inputs, attrs: (D.int32, inputs[1].dtype, D.int32),
    shape_rule=_nms_v5_shape,
    num_outputs=3,
)
non_max_suppression_with_overlaps_op = defop(
    "NonMaxSuppressionWithOverlaps",
    _overlaps_fwd,
    dtype_rule=R.fixed(D.int32),
    shape_rule=lambda op, inputs, attrs: (TensorShape([None]),),
)
non_max_suppression_padded_v2_op = defop(  # TF runs this as Python ops; one kernel here
    "_NonMaxSuppressionPaddedV2",
    _padded_v2_fwd,
    dtype_rule=R.fixed(D.int32, D.int32),
    shape_rule=lambda op, inputs, attrs: (
        TensorShape([inputs[0].shape[0], attrs["max_output_size"]]),
        TensorShape([inputs[0].shape[0]]),
    ),
    num_outputs=2,
)
combined_non_max_suppression_op = defop(
    "CombinedNonMaxSuppression",
    _combined_fwd,
    dtype_rule=R.fixed(D.float32, D.float32, D.float32, D.int32),
    shape_rule=_combined_shape,
    num_outputs=4,
)


def _int(v):
    return int(py_value(v))


def _float(v):
    return float(py_value(v))


@tf_export("image.non_max_suppression")
def non_max_suppression(
    boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=_NEG_INF, name=None
):
    """Greedy NMS: indices of at most ``max_output_size`` boxes, by decreasing score, none
    overlapping a better one by more than ``iou_threshold`` IoU."""
    return apply(
        non_max_suppression_v3_op,
        convert_to_tensor(boxes),
        convert_to_tensor(scores),
        max_output_size=_int(max_output_size),
        iou_threshold=_float(iou_threshold),
        score_threshold=_float(score_threshold),
        name=name,
    )


@tf_export("image.non_max_suppression_with_scores")
def non_max_suppression_with_scores(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=_NEG_INF,
    soft_nms_sigma=0.0,
    name=None,
):
    """NMS returning ``(indices, scores)``; ``soft_nms_sigma > 0`` decays overlapping scores by
    ``exp(-iou**2 / (2 sigma))`` instead of removing them (Soft-NMS)."""
    idx, sc, _ = apply(
        non_max_suppression_v5_op,
        convert_to_tensor(boxes),
        convert_to_tensor(scores),
        max_output_size=_int(max_output_size),
        iou_threshold=_float(iou_threshold),
        score_threshold=_float(score_threshold),
        soft_nms_sigma=_float(soft_nms_sigma),
        pad_to_max_output_size=False,
        name=name,
    )
    return idx, sc


@tf_export("image.non_max_suppression_overlaps")
def non_max_suppression_with_overlaps(
    overlaps, scores, max_output_size, overlap_threshold=0.5, score_threshold=_NEG_INF, name=None
):
    """Greedy NMS with a precomputed ``[n, n]`` overlap matrix."""
    return apply(
        non_max_suppression_with_overlaps_op,
        convert_to_tensor(overlaps),
        convert_to_tensor(scores),
        max_output_size=_int(max_output_size),
        overlap_threshold=_float(overlap_threshold),
        score_threshold=_float(score_threshold),
        name=name,
    )


@tf_export("image.non_max_suppression_padded")
def non_max_suppression_padded(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=_NEG_INF,
    pad_to_max_output_size=False,
    name=None,
    sorted_input=False,
    canonicalized_coordinates=False,
    tile_size=512,
):
    """Batched NMS: ``(indices padded with 0, number valid)``."""
    boxes, scores = convert_to_tensor(boxes), convert_to_tensor(scores)
    rank = boxes.shape.rank
    if not pad_to_max_output_size and rank is not None and rank > 2:
        raise ValueError(
            f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True for batched input"
        )
    from tensorlet.ops import array_ops

    batch_dims = list(boxes.shape[:-2])
    n = boxes.shape[-2]
    b3 = array_ops.reshape(boxes, [-1, n, 4])
    s2 = array_ops.reshape(scores, [-1, n])
    m = _int(max_output_size)
    idx, valid = apply(
        non_max_suppression_padded_v2_op,
        b3,
        s2,
        max_output_size=m,
        iou_threshold=_float(iou_threshold),
        score_threshold=_float(score_threshold),
    )
    if not pad_to_max_output_size:
        return idx[0, : int(valid.numpy()[0])], array_ops.reshape(valid, batch_dims)
    return array_ops.reshape(idx, batch_dims + [m]), array_ops.reshape(valid, batch_dims)


@tf_export("image.combined_non_max_suppression")
def combined_non_max_suppression(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold=0.5,
    score_threshold=_NEG_INF,
    pad_per_class=False,
    clip_boxes=True,
    name=None,
):
    """Per-class NMS over a batch, merged by score: ``(nmsed_boxes, nmsed_scores,
    nmsed_classes, valid_detections)``."""
    out = apply(
        combined_non_max_suppression_op,
        convert_to_tensor(boxes, D.float32),
        convert_to_tensor(scores, D.float32),
        max_output_size_per_class=_int(max_output_size_per_class),
        max_total_size=_int(max_total_size),
        iou_threshold=_float(iou_threshold),
        score_threshold=_float(score_threshold),
        pad_per_class=bool(pad_per_class),
        clip_boxes=bool(clip_boxes),
    )
    return CombinedNonMaxSuppression(*out)


import collections

CombinedNonMaxSuppression = collections.namedtuple(
    "CombinedNonMaxSuppression",
    ["nmsed_boxes", "nmsed_scores", "nmsed_classes", "valid_detections"],
)


# ---------------------------------------------------------------- draw_bounding_boxes

_DEFAULT_COLORS = [
    [1, 1, 0, 1],
    [0, 0, 1, 1],
    [1, 0, 0, 1],
    [0, 1, 0, 1],
    [0.5, 0, 0.5, 1],
    [0.5, 0.5, 0, 1],
    [0.5, 0, 0, 1],
    [0, 0, 0.5, 1],
    [0, 1, 1, 1],
    [1, 0, 1, 1],
]


def _draw_fwd(images, boxes, colors):
    out = images.copy()
    b, h, w, depth = images.shape
    table = (colors[:, :4] if colors.size else xp.asarray(_DEFAULT_COLORS, F32)).astype(F32).copy()
    if depth == 1:  # gray images: boxes are drawn white
        table[:, 0] = 1
    if table.shape[1] < depth:
        table = xp.pad(table, ((0, 0), (0, depth - table.shape[1])))
    table = table[:, :depth].astype(images.dtype)
    for i in range(b):  # one slice assignment per box edge, never per pixel
        for j in range(boxes.shape[1]):
            c = table[j % len(table)]
            y0, x0, y1, x1 = (
                int(F32(boxes[i, j, k]) * F32(n - 1)) for k, n in ((0, h), (1, w), (2, h), (3, w))
            )
            if y0 > y1 or x0 > x1 or y0 >= h or y1 < 0 or x0 >= w or x1 < 0:
                continue
            ty0, tx0, ty1, tx1 = max(y0, 0), max(x0, 0), min(y1, h - 1), min(x1, w - 1)
            if y0 >= 0:
                out[i, y0, tx0 : tx1 + 1] = c
            if y1 < h:
                out[i, y1, tx0 : tx1 + 1] = c
            if x0 >= 0:
                out[i, ty0 : ty1 + 1, x0] = c
            if x1 < w:
                out[i, ty0 : ty1 + 1, x1] = c
    return out


def _draw_dtype(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in (D.float32, D.float16):
        from tensorlet.ops.op_def import dtype_not_allowed

        raise dtype_not_allowed(op, d, [D.float32, D.float16])
    return (d,)


draw_bounding_boxes_v2_op = defop(
    "DrawBoundingBoxesV2", _draw_fwd, dtype_rule=_draw_dtype, shape_rule=R.unchanged
)


@tf_export("image.draw_bounding_boxes")
def draw_bounding_boxes(images, boxes, colors, name=None):
    """Draws 1-pixel box outlines (``[y_min, x_min, y_max, x_max]`` in [0, 1]) on ``images``."""
    images = convert_to_tensor(images)
    colors = convert_to_tensor(colors if colors is not None else xp.zeros((0, 4), F32), D.float32)
    return apply(
        draw_bounding_boxes_v2_op, images, convert_to_tensor(boxes, D.float32), colors, name=name
    )
