"""The Keras 3 ``.keras`` format and ``.weights.h5`` files.

A ``.keras`` file is a zip (stored, not compressed) of ``metadata.json``, ``config.json`` (the
model's ``serialize_keras_object`` config) and ``model.weights.h5``, plus an ``assets/`` folder
when a layer saves assets. The weights file holds one ``vars`` group per saveable object (layer,
optimizer), reached by walking the object's attributes as Keras does:

* a Sequential / Functional model first visits ``layers``, then every public attribute in
  alphabetical order, then the private ones (``_x``), skipping what a plain ``Layer`` has;
* a layer in a list is named after its class (``dense``, ``dense_1``...), a layer held by an
  attribute after the attribute (``cell``, ``forward_layer``), an optimizer ``optimizer``;
* each object is written once (a shared layer under its first path);
* variables are numbered in the order of ``save_own_variables`` (``vars/0``, ``vars/1``...), and
  each ``vars`` group carries the object's name as its ``name`` attribute.
"""

import contextlib
import datetime
import io
import json
import os
import shutil
import tempfile
import warnings
import zipfile

from tensorlet.backend import xp
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.keras.src.utils.naming import to_snake_case
from tensorlet.keras.src.version import __version__ as keras_version

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
VARS_FNAME = "model.weights"  # "model.weights.h5" in the archive
ASSETS_DIRNAME = "assets"


def h5py_module(message="h5py must be installed in order to save a model."):
    """``h5py`` (an optional dependency: ``pip install tensorlet[h5]``), else ImportError."""
    try:
        import h5py
    except ImportError:
        raise ImportError(message) from None
    return h5py


# --------------------------------------------------------------------------- models
def save_model(model, filepath, weights_format="h5"):
    """Writes ``model`` to ``filepath`` (``.keras``); the file appears complete or not at all."""
    h5py_module()
    if not model.built:
        warnings.warn(
            "You are saving a model that has not yet been built. It might not contain any "
            "weights yet. Consider building the model first by calling it on some data.",
            stacklevel=2,
        )
    if isinstance(filepath, io.IOBase):
        _save_model_to_fileobj(model, filepath, weights_format)
        return
    filepath = str(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(
            f"Invalid `filepath` argument: expected a `.keras` extension. Received: "
            f"filepath={filepath}"
        )
    with atomic_write(filepath) as f:
        _save_model_to_fileobj(model, f, weights_format)


def _save_model_to_fileobj(model, fileobj, weights_format):
    with serialization_lib.ObjectSharingScope():
        config = serialization_lib.serialize_keras_object(model)
    config_json = json.dumps(config, default=_json_default)
    metadata_json = json.dumps(
        {
            "keras_version": keras_version,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        }
    )
    if weights_format != "h5":
        raise ValueError(
            "Unknown `weights_format` argument. Expected 'h5'. "
            f"Received: weights_format={weights_format}"
        )
    with zipfile.ZipFile(fileobj, "w") as zf:
        with zf.open(METADATA_FILENAME, "w") as f:
            f.write(metadata_json.encode())
        with zf.open(CONFIG_FILENAME, "w") as f:
            f.write(config_json.encode())
        weights_store = H5IOStore(VARS_FNAME + ".h5", archive=zf, mode="w")
        assets_store = DiskIOStore(ASSETS_DIRNAME, archive=zf, mode="w")
        try:
            save_state(model, weights_store, assets_store, "", set())
        finally:
            weights_store.close()
            assets_store.close()


def _json_default(obj):
    if hasattr(obj, "item") and getattr(obj, "ndim", 1) == 0:
        return obj.item()  # NumPy scalars left in a config
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model of a ``.keras`` file (compiled, with its optimizer state, when ``compile``)."""
    h5py_module()
    if isinstance(filepath, io.IOBase):
        return _load_model_from_fileobj(filepath, custom_objects, compile, safe_mode)
    filepath = str(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(
            f"Invalid filename: expected a `.keras` extension. Received: filepath={filepath}"
        )
    with open(filepath, "rb") as f:
        return _load_model_from_fileobj(f, custom_objects, compile, safe_mode)


def _load_model_from_fileobj(fileobj, custom_objects, compile, safe_mode):
    with zipfile.ZipFile(fileobj, "r") as zf:
        with zf.open(CONFIG_FILENAME, "r") as f:
            config = json.loads(f.read())
        if not compile:
            config["compile_config"] = None
        with serialization_lib.ObjectSharingScope():
            model = serialization_lib.deserialize_keras_object(
                config, custom_objects, safe_mode=safe_mode
            )
        names = zf.namelist()
        if VARS_FNAME + ".h5" not in names:
            raise ValueError(f"Expected a {VARS_FNAME}.h5 or {VARS_FNAME}.npz file.")
        weights_store = H5IOStore(VARS_FNAME + ".h5", archive=zf, mode="r")
        assets_store = DiskIOStore(ASSETS_DIRNAME, archive=zf, mode="r") if len(names) > 3 else None
        failed, errors = set(), {}
        try:
            load_state(model, weights_store, assets_store, "", set(), failed, errors)
        finally:
            weights_store.close()
            if assets_store is not None:
                assets_store.close()
        if failed:
            _raise_loading_failure(errors)
    return model


# --------------------------------------------------------------------------- weights
def save_weights_only(model, filepath, objects_to_skip=None):
    """Writes the weights (and optimizer state) of ``model`` to a ``.weights.h5`` file."""
    filepath = str(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(
            "Invalid `filepath` argument: expected a `.weights.h5` extension. "
            f"Received: filepath={filepath}"
        )
    h5py_module()
    visited = {id(o) for o in objects_to_skip} if objects_to_skip is not None else set()
    with atomic_write(filepath) as f:
        store = H5IOStore(f, mode="w")
        try:
            save_state(model, store, None, "", visited)
        finally:
            store.close()


def load_weights_only(model, filepath, skip_mismatch=False, objects_to_skip=None):
    """Loads weights from a ``.weights.h5`` file or the weights of a ``.keras`` file."""
    h5py_module()
    filepath = str(filepath)
    archive = None
    if filepath.endswith(".weights.h5"):
        store = H5IOStore(filepath, mode="r")
    elif filepath.endswith(".keras"):
        archive = zipfile.ZipFile(filepath, "r")
        store = H5IOStore(VARS_FNAME + ".h5", archive=archive, mode="r")
    else:
        raise NotImplementedError(os.path.splitext(filepath)[1] or filepath)
    visited = {id(o) for o in objects_to_skip} if objects_to_skip is not None else set()
    failed, errors = set(), {}
    try:
        load_state(model, store, None, "", visited, failed, errors, skip_mismatch)
    finally:
        store.close()
        if archive is not None:
            archive.close()
    if failed:
        _raise_loading_failure(errors, warn_only=skip_mismatch)


def _raise_loading_failure(error_msgs, warn_only=False):
    first = next(iter(error_msgs.values()))
    msg = (
        f"A total of {len(error_msgs)} objects could not be loaded. Example error message for "
        f"object {first[0]}:\n\n{first[1]}\n\nList of objects that could not be loaded:\n"
        f"{[x[0] for x in error_msgs.values()]}"
    )
    if warn_only:
        warnings.warn(msg, stacklevel=3)
    else:
        raise ValueError(msg)


# --------------------------------------------------------------------------- walking the state
def _obj_type(obj):
    from tensorlet.keras.src.layers.layer import Layer
    from tensorlet.keras.src.optimizers.optimizer import Optimizer

    if isinstance(obj, Layer):
        names = {klass.__name__ for klass in type(obj).__mro__}
        if "Sequential" in names:
            return "Sequential"
        if "Functional" in names:
            return "Functional"
        return "Layer"
    if isinstance(obj, Optimizer):
        return "Optimizer"
    return None


def _is_saveable(obj):
    return _obj_type(obj) is not None and not isinstance(obj, type)


_SKIPLISTS = {}
# tensorlet's own bookkeeping attributes of models (Keras' models hold these elsewhere)
_EXTRA_SKIPS = {
    "Sequential": ("_functional", "_layers_list", "_symbolic_outputs"),
    "Functional": ("operations", "_operations", "_nodes", "_inputs_struct", "_outputs_struct"),
}


def _skiplist(obj_type):
    """Attributes not walked: those a plain ``Layer`` (or base ``Optimizer``) has."""
    skip = _SKIPLISTS.get(obj_type)
    if skip is not None:
        return skip
    if obj_type == "Optimizer":
        from tensorlet.keras.src.optimizers.optimizer import Optimizer

        skip = set(dir(Optimizer(1.0, name="skiplist_reference"))) - {"variables"}
    else:
        from tensorlet.keras.src.layers.layer import Layer

        skip = set(dir(Layer(name="skiplist_reference"))) | set(_EXTRA_SKIPS.get(obj_type, ()))
    _SKIPLISTS[obj_type] = frozenset(skip)
    return _SKIPLISTS[obj_type]


def _name_key(name):
    return "~" + name if name.startswith("_") else name  # private attributes last


def walk_saveable(saveable):
    """``(attribute name, value)`` pairs in Keras' visiting order."""
    obj_type = _obj_type(saveable)
    skip = _skiplist(obj_type)
    if obj_type in ("Sequential", "Functional"):
        yield "layers", saveable.layers
    for attr in sorted(dir(saveable), key=_name_key):
        if attr.startswith("__") or attr in skip:
            continue
        try:
            child = getattr(saveable, attr)
        except Exception:  # noqa: BLE001, S112 (Keras skips attributes that fail to read)
            continue
        yield attr, child


def _join(path, name):
    return f"{path}/{name}" if path else name


def save_state(saveable, weights_store, assets_store, inner_path, visited):
    if id(saveable) in visited:
        return
    if hasattr(saveable, "save_own_variables") and weights_store is not None:
        saveable.save_own_variables(weights_store.make(inner_path, getattr(saveable, "name", None)))
    if hasattr(saveable, "save_assets") and assets_store is not None:
        saveable.save_assets(assets_store.make(inner_path))
    visited.add(id(saveable))
    for attr, child in walk_saveable(saveable):
        if _is_saveable(child):
            save_state(child, weights_store, assets_store, _join(inner_path, attr), visited)
        elif isinstance(child, (list, dict, tuple, set)):
            for name, item in _container_items(child):
                save_state(
                    item, weights_store, assets_store, _join(_join(inner_path, attr), name), visited
                )


def _container_items(container):
    """The saveables of a list / dict, named after their class (``dense``, ``dense_1``...)."""
    used = {}
    values = list(container.values()) if isinstance(container, dict) else list(container)
    for item in values:
        if not _is_saveable(item):
            continue
        name = to_snake_case(item.__class__.__name__)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        yield name, item


def load_state(
    saveable,
    weights_store,
    assets_store,
    inner_path,
    visited,
    failed,
    errors,
    skip_mismatch=False,
):
    if id(saveable) in visited:
        return
    failure = False
    found = True  # whether this path of the object is in the file
    if hasattr(saveable, "load_own_variables") and weights_store is not None:
        entry = weights_store.get(inner_path)
        found = entry.found
        try:
            saveable.load_own_variables(entry)
        except Exception as e:  # noqa: BLE001 (collected and reported together, as Keras does)
            failed.add(id(saveable))
            errors[id(saveable)] = saveable, e
            failure = True
    if hasattr(saveable, "load_assets") and assets_store is not None:
        try:
            saveable.load_assets(assets_store.get(inner_path))
        except Exception as e:  # noqa: BLE001
            failed.add(id(saveable))
            errors[id(saveable)] = saveable, e
            failure = True
    before = len(failed)
    for attr, child in walk_saveable(saveable):
        path = _join(inner_path, attr)
        if _is_saveable(child):
            load_state(
                child, weights_store, assets_store, path, visited, failed, errors, skip_mismatch
            )
        elif isinstance(child, (list, dict, tuple, set)):
            for name, item in _container_items(child):
                load_state(
                    item,
                    weights_store,
                    assets_store,
                    _join(path, name),
                    visited,
                    failed,
                    errors,
                    skip_mismatch,
                )
    if not failure:
        if len(failed) - before <= 0:
            visited.add(id(saveable))
        # a failure at another path is cleared by a successful load; a path absent from the
        # file (a layer met again through `layers`) proves nothing
        if id(saveable) in failed and found:
            failed.remove(id(saveable))
            errors.pop(id(saveable))


# --------------------------------------------------------------------------- stores
class H5IOStore:
    """The variables of saveables in an HDF5 file (a path, a file object, or a member of an
    open zip ``archive``)."""

    def __init__(self, root_path, archive=None, mode="r"):
        h5py = h5py_module()
        self.root_path = root_path
        self.mode = mode
        self.archive = archive
        self.io_file = None
        if archive is not None:
            self.io_file = io.BytesIO() if mode == "w" else archive.open(root_path, "r")
            self.h5_file = h5py.File(self.io_file, mode=mode)
        else:
            self.h5_file = h5py.File(root_path, mode=mode)

    def make(self, path, name=None):
        return H5Entry(self.h5_file, path, mode="w", name=name)

    def get(self, path):
        return H5Entry(self.h5_file, path, mode="r")

    def close(self):
        self.h5_file.close()
        if self.mode == "w" and self.archive is not None:
            self.archive.writestr(self.root_path, self.io_file.getvalue())
        if self.io_file is not None:
            self.io_file.close()


class H5Entry:
    """The ``vars`` group of one saveable: ``entry["0"] = array`` / ``entry["0"]``."""

    def __init__(self, h5_file, path, mode, name=None):
        self.h5_file = h5_file
        self.path = path
        self.mode = mode
        if mode == "w":
            parent = h5_file.create_group(path) if path else h5_file
            self.group = parent.create_group("vars")
            if name is not None:
                self.group.attrs["name"] = name
            return
        self.group = {}
        self.found = True
        if not path:
            self.group = h5_file.get("vars", {})
        elif path in h5_file and "vars" in h5_file[path]:
            self.group = h5_file[path]["vars"]
        elif "_layer_checkpoint_dependencies" in h5_file:  # files of Keras 2.13
            legacy = path.replace("layers", "_layer_checkpoint_dependencies")
            if legacy in h5_file and "vars" in h5_file[legacy]:
                self.group = h5_file[legacy]["vars"]
        self.found = not isinstance(self.group, dict)

    def __len__(self):
        return len(self.group)

    def keys(self):
        return self.group.keys()

    def items(self):
        return self.group.items()

    def values(self):
        return self.group.values()

    def __contains__(self, key):
        return key in self.group

    def __setitem__(self, key, value):
        if self.mode != "w":
            raise ValueError("Setting a value is only allowed in write mode.")
        value = xp.asarray(value.numpy() if hasattr(value, "numpy") else value)
        if value.dtype.name == "bfloat16":
            dataset = self.group.create_dataset(key, data=value.astype("float32"))
            dataset.attrs["dtype"] = "bfloat16"
        else:
            self.group[key] = value

    def __getitem__(self, key):
        value = self.group[key]
        if "dtype" in value.attrs and value.attrs["dtype"] == "bfloat16":
            import ml_dtypes

            return xp.asarray(value, dtype=ml_dtypes.bfloat16)
        return value[()] if value.shape == () else xp.asarray(value)


class DiskIOStore:
    """Assets of saveables: a folder per object, zipped under ``assets/`` in a ``.keras``."""

    def __init__(self, root_path, archive=None, mode=None):
        self.mode = mode
        self.root_path = root_path
        self.archive = archive
        self.tmp_dir = tempfile.mkdtemp()
        self.working_dir = os.path.join(self.tmp_dir, root_path)
        if mode == "r" and archive is not None:
            for member in archive.namelist():
                if member.startswith(root_path + "/"):
                    archive.extract(member, self.tmp_dir)
        os.makedirs(self.working_dir, exist_ok=True)

    def make(self, path):
        path = os.path.join(self.working_dir, path) if path else self.working_dir
        os.makedirs(path, exist_ok=True)
        return path

    def get(self, path):
        path = os.path.join(self.working_dir, path) if path else self.working_dir
        return path if os.path.exists(path) else None

    def close(self):
        try:
            if self.mode == "w" and self.archive is not None:
                for dirpath, _, filenames in sorted(os.walk(self.working_dir)):
                    for fname in sorted(filenames):
                        full = os.path.join(dirpath, fname)
                        rel = os.path.relpath(full, self.tmp_dir).replace(os.sep, "/")
                        self.archive.write(full, rel)
        finally:
            shutil.rmtree(self.tmp_dir, ignore_errors=True)


# --------------------------------------------------------------------------- files
@contextlib.contextmanager
def atomic_write(filepath):
    """``with atomic_write(path) as f:`` writes a temporary file next to ``path`` and renames
    it over ``path`` on success, so a reader never sees a half-written file."""
    dirname = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(dirname, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(
        prefix="." + os.path.basename(filepath) + ".", suffix=".tmp", dir=dirname
    )
    try:
        with os.fdopen(fd, "w+b") as f:
            yield f
        os.chmod(tmp_path, _file_mode(filepath))
        os.replace(tmp_path, filepath)
    except BaseException:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)
        raise


def _file_mode(filepath):
    """The permissions of the file being replaced, else the default of a new file."""
    if os.path.exists(filepath):
        return os.stat(filepath).st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
