"""Writes tf_compat_v1_names.txt: the public names under tf.compat.v1 in TensorFlow 2.21
(module paths relative to tf.compat.v1, one per line), read from a TensorFlow install.

Run with a TensorFlow virtualenv (never imported by tensorlet or its tests):
    /tmp/tfvenv/bin/python tools/reference/gen_tf_compat_v1_names.py
tools/gen_api.py uses the list to mirror tensorlet's TF 2 implementations under tf.compat.v1
where TF 1's name is the same function (and tensorlet has no explicit v1 export).
"""

import os
import types

import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf_compat_v1_names.txt")


def walk(module, prefix, seen, names):
    if id(module) in seen:
        return
    seen.add(id(module))
    for attr in dir(module):
        if attr.startswith("_"):
            continue
        try:
            value = getattr(module, attr)
        except Exception:  # noqa: BLE001 (lazy modules that fail to load)
            continue
        path = prefix + attr
        try:
            is_module = isinstance(value, types.ModuleType)
        except Exception:  # noqa: BLE001 (lazy loaders)
            continue
        if is_module:
            if path.split(".")[0] in ("keras", "estimator", "lite", "contrib", "compat"):
                continue  # Keras and removed packages: not mirrored
            try:
                walk(value, path + ".", seen, names)
            except Exception:  # noqa: BLE001
                continue
        else:
            names.add(path)


def main():
    names = set()
    walk(tf.compat.v1, "", set(), names)
    with open(OUT, "w") as f:
        f.write("# tf.compat.v1 public names in TensorFlow %s (tools/reference/gen_tf_compat_v1_names.py)\n"
                % tf.__version__)
        for n in sorted(names):
            f.write(n + "\n")
    print(len(names), "names ->", OUT)


if __name__ == "__main__":
    main()
