"""The generated public API is up to date with the export decorators."""
import subprocess
import sys
from pathlib import Path

import tensorlet as tf
from tensorlet.framework import export

ROOT = Path(__file__).resolve().parents[1]


def test_generated_api_is_fresh():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_api.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_exported_name_resolves_to_its_object():
    for public, obj in export.OBJECTS.items():
        target = tf
        for part in public.split("."):
            target = getattr(target, part)
        assert target is obj, public


def test_submodules_import_as_modules():
    import importlib
    m = importlib.import_module("tensorlet.math")
    assert m is tf.math
    assert m.add is tf.add
