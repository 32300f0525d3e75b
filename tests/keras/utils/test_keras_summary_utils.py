"""The rich-style table of model.summary()."""

from tensorlet.keras.src.utils import summary_utils


def test_ratio_reduce_like_rich():
    assert summary_utils._ratio_reduce(10, [36, 28, 18]) == [33, 24, 15]


def test_render_table_wraps_and_aligns():
    lines = summary_utils.render_table(
        ["A", "B"], [["a long cell value", "7"]], [8, 4], ["left", "right"], 18
    )
    assert lines[0] == "┏━━━━━━━━━━┳━━━━━┓"
    assert lines[1] == "┃ A        ┃   B ┃"
    assert lines[3] == "│ a long   │   7 │"
    assert lines[4] == "│ cell     │     │"
    assert lines[-1] == "└──────────┴─────┘"


def test_readable_memory_size():
    assert summary_utils.readable_memory_size(92) == "92.00 B"
    assert summary_utils.readable_memory_size(2048) == "2.00 KB"
