"""Scopes of Keras (de)serialization: safe mode (``lambda`` loading), object sharing
(``shared_object_id``) and the legacy config form of HDF5 files.

The state lives in Keras' global state, as in Keras 3, so nested calls see the mode of the
outermost ``load_model`` / ``save_model``.
"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.backend import global_state


class SafeModeScope:
    """Within this scope, ``safe_mode`` (refuse to load lambdas) is the given value."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self.original_value = in_safe_mode()
        global_state.set_global_attribute("safe_mode_saving", self.safe_mode)

    def __exit__(self, *args, **kwargs):
        global_state.set_global_attribute("safe_mode_saving", self.original_value)


@keras_export("keras.config.enable_unsafe_deserialization")
def enable_unsafe_deserialization():
    """Disables safe mode globally, allowing deserialization of lambdas."""
    global_state.set_global_attribute("safe_mode_saving", False)


def in_safe_mode():
    """The safe mode set by a ``SafeModeScope`` (or globally), None when unset."""
    return global_state.get_global_attribute("safe_mode_saving")


class ObjectSharingScope:
    """Within this scope, objects met twice are written with a ``shared_object_id`` and
    read back as one object."""

    def __enter__(self):
        global_state.set_global_attribute("shared_objects/id_to_obj_map", {})
        global_state.set_global_attribute("shared_objects/id_to_config_map", {})

    def __exit__(self, *args, **kwargs):
        global_state.set_global_attribute("shared_objects/id_to_obj_map", None)
        global_state.set_global_attribute("shared_objects/id_to_config_map", None)


def get_shared_object(obj_id):
    """An object already deserialized under ``obj_id`` in the current sharing scope."""
    id_to_obj_map = global_state.get_global_attribute("shared_objects/id_to_obj_map")
    if id_to_obj_map is not None:
        return id_to_obj_map.get(obj_id, None)
    return None


def record_object_after_serialization(obj, config):
    """Keeps track of ``obj``'s config (marks both configs when ``obj`` comes back)."""
    if config["module"] == "__main__":
        config["module"] = None  # Keras writes no module for classes of the main script
    id_to_config_map = global_state.get_global_attribute("shared_objects/id_to_config_map")
    if id_to_config_map is None:
        return
    obj_id = id(obj)
    if obj_id not in id_to_config_map:
        id_to_config_map[obj_id] = config
    else:
        config["shared_object_id"] = obj_id
        id_to_config_map[obj_id]["shared_object_id"] = obj_id


def record_object_after_deserialization(obj, obj_id):
    id_to_obj_map = global_state.get_global_attribute("shared_objects/id_to_obj_map")
    if id_to_obj_map is not None:
        id_to_obj_map[obj_id] = obj


class LegacyConfigScope:
    """Within this scope, models write their layers in the legacy (HDF5 / Keras 2) form:
    ``{"class_name", "config"}`` without module (``keras_option_scope(use_legacy_config)``)."""

    def __init__(self, use_legacy_config=True):
        self.use_legacy_config = use_legacy_config

    def __enter__(self):
        self.original_value = in_legacy_config()
        global_state.set_global_attribute("use_legacy_config", self.use_legacy_config)

    def __exit__(self, *args, **kwargs):
        global_state.set_global_attribute("use_legacy_config", self.original_value)


def in_legacy_config():
    return bool(global_state.get_global_attribute("use_legacy_config"))
