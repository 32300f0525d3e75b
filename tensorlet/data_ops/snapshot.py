"""``Dataset.save`` / ``Dataset.load``: a dataset written to a directory and read back.

tensorlet's own format (TF writes snapshot shards): ``<path>/elements.pkl`` holds the element
spec and every element's components as NumPy arrays; it is written to a temporary file and
renamed, so a reader never sees a partial file.
"""

import os
import pickle

from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor import EagerTensor

_FILE = "elements.pkl"


def save(dataset, path, compression=None):
    path = os.fspath(path)
    rows = []
    for el in dataset._iterator():
        row = []
        for v in structure.flatten(el):
            if v is not None and not isinstance(v, EagerTensor):
                raise TypeError(
                    f"tensorlet's Dataset.save stores dense tensors only; got {type(v).__name__}"
                )
            row.append(None if v is None else (v._dtype.name, v.numpy()))
        rows.append(row)
    os.makedirs(path, exist_ok=True)
    target = os.path.join(path, _FILE)
    with open(target + ".tmp", "wb") as f:
        pickle.dump(
            {"spec": dataset.element_spec, "rows": rows}, f, protocol=pickle.HIGHEST_PROTOCOL
        )
    os.replace(target + ".tmp", target)


class _LoadDataset(DatasetV2):
    """``Dataset.load(path)``."""

    def __init__(self, spec, rows):
        self._spec = spec
        self._rows = rows

    def _compute_spec(self, peek):
        return self._spec

    def _cardinality(self):
        return len(self._rows)

    def _iterator(self):
        spec, nested = self._spec, structure.is_nested(self._spec)
        for row in self._rows:
            flat = [
                None if v is None else EagerTensor(_array(v[1]), dtypes.as_dtype(v[0])) for v in row
            ]
            yield structure.pack_sequence_as(spec, flat) if nested else flat[0]


def _array(v):
    from tensorlet.backend import xp

    return xp.asarray(v, dtype=object) if isinstance(v, bytes) else xp.asarray(v)


def load(path, element_spec=None, compression=None, reader_func=None):
    target = os.path.join(os.fspath(path), _FILE)
    if not os.path.exists(target):
        raise errors.NotFoundError(
            None, None, f"Could not find metadata file [[{os.fspath(path)}]]"
        )
    with open(target, "rb") as f:
        payload = pickle.load(f)
    return _LoadDataset(element_spec or payload["spec"], payload["rows"])
