"""Readers of event files for the tf.summary tests."""

import glob
import os

import tensorlet as tf


def event_file(logdir):
    """The single event file in ``logdir``."""
    (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
    return path


def values(path):
    """[(step, tag, plugin_name, ndarray)] of every summary value of an event file."""
    out = []
    for event in tf.compat.v1.train.summary_iterator(path):
        for v in event.summary.value:
            plugin = v.metadata.plugin_data.plugin_name
            out.append((event.step, v.tag, plugin, tf.make_ndarray(v.tensor)))
    return out
