"""Small helpers: lists, directories, JSON files, notebook output."""

import json
import os


def to_list(values):
    if isinstance(values, list):
        return values
    if isinstance(values, tuple):
        return list(values)
    return [values]


def create_directory(path, remove_existing=False):
    if remove_existing and os.path.exists(path):
        import shutil

        shutil.rmtree(path)
    os.makedirs(path, exist_ok=True)


def save_json(path, obj):
    with open(path, "w") as f:
        f.write(json.dumps(obj))
    return str(path)


def load_json(path):
    with open(path) as f:
        return json.loads(f.read())


def try_clear():
    """Clears a notebook's output between trials; in a terminal it prints an empty line."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell":
        from IPython.display import clear_output

        clear_output()
    else:
        print()
