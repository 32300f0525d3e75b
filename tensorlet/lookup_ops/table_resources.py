"""The kernel-side state of lookup tables (TF's ``LookupInterface`` implementations).

TF keeps a table in the resource manager and hands the ops a scalar ``resource`` handle. Here
the handle is a scalar ``resource`` tensor whose value (a 0-d object array) holds one of these
objects; it is a plain eager tensor, so a ``tf.function`` or ``tf.data`` trace captures it as a
constant and the ops of ``table_ops.py`` receive the object as input 0 when they run.

Errors are raised as ``TableError(error class, message)``; the op kernels turn them into TF's
error naming the op. Keys are held as Python values (ints, bytes) in a ``dict``; numeric lookups
are vectorized with ``searchsorted`` over a sorted copy of the keys.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.ops.op_def import _tf_type_word

D = dtypes

# Registered CPU kernels: creation op -> {key dtype: value dtypes} (TF's lookup_table_op.cc).
_F64, _F32, _I32, _I64, _S, _B = D.float64, D.float32, D.int32, D.int64, D.string, D.bool
KERNELS = {
    "HashTableV2": {
        _I32: (_F64, _F32, _I32, _S),
        _I64: (_F64, _F32, _I32, _I64, _S),
        _S: (_B, _F64, _F32, _I32, _I64, _S),
    },
    "MutableHashTableV2": {
        _I32: (_F64, _F32, _I32),
        _I64: (_F64, _F32, _I32, _I64, _S, D.variant),
        _S: (_B, _F64, _F32, _I32, _I64),
    },
    "MutableHashTableOfTensorsV2": {
        _I32: (_F64, _F32, _I32),
        _I64: (_F64, _F32, _I32, _I64, _S),
        _S: (_B, _F64, _F32, _I32, _I64),
    },
    "MutableDenseHashTableV2": {
        _I32: (_F64, _F32, _I32),
        _I64: (_B, _F64, _F32, _I32, _I64, D.variant),
        _S: (_B, _F64, _F32, _I32, _I64, D.resource),
    },
}


class TableError(Exception):
    """A table failure: the op kernel raises ``cls`` with ``message`` naming itself."""

    def __init__(self, cls, message):
        super().__init__(message)
        self.cls = cls
        self.message = message


def invalid(message):
    return TableError(errors.InvalidArgumentError, message)


def check_kernel(op_name, key_dtype, value_dtype):
    """NotFoundError when TF registers no CPU kernel of ``op_name`` for the dtype pair."""
    if value_dtype not in KERNELS[op_name].get(key_dtype, ()):
        raise errors.op_error(
            errors.NotFoundError,
            op_name,
            f"Could not find device for node: {{{{node {op_name}}}}} = {op_name}["
            f"key_dtype=DT_{_tf_type_word(key_dtype).upper()}, "
            f"value_dtype=DT_{_tf_type_word(value_dtype).upper()}]",
        )


def debug_shape(shape):
    """TensorShape::DebugString: ``[2,3]``."""
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


def np_dtype(dtype):
    return dtype._np if dtype._np is not None else object


def zero_value(dtype):
    """``V()``: the value a fresh bucket holds."""
    return b"" if dtype == D.string else xp.zeros((), np_dtype(dtype))[()]


def _text(v):
    """How TF's ``StrCat`` prints a scalar key or value."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "backslashreplace")
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


# ---------------------------------------------------------------- shared checks


class LookupTable:
    """Base: dtypes and shapes of keys and values plus TF's argument checks."""

    op_name = None

    def __init__(self, key_dtype, value_dtype, key_shape=(), value_shape=()):
        self.key_dtype = key_dtype
        self.value_dtype = value_dtype
        self.key_shape = tuple(key_shape)
        self.value_shape = tuple(value_shape)

    def check_types(self, key_dtype, value_dtype):
        if key_dtype != self.key_dtype:
            raise invalid(
                f"Key must be type {_tf_type_word(self.key_dtype)} but got "
                f"{_tf_type_word(key_dtype)}"
            )
        if value_dtype is not None and value_dtype != self.value_dtype:
            raise invalid(
                f"Value must be type {_tf_type_word(self.value_dtype)} but got "
                f"{_tf_type_word(value_dtype)}"
            )

    def check_key_shape(self, shape):
        k = len(self.key_shape)
        if len(shape) < k or tuple(shape[len(shape) - k :]) != self.key_shape:
            raise invalid(
                f"Input key shape {debug_shape(shape)} must end with the table's key "
                f"shape {debug_shape(self.key_shape)}"
            )

    def value_shape_for(self, key_shape):
        """Keys' shape without the key dims, then the value shape."""
        return tuple(key_shape[: len(key_shape) - len(self.key_shape)]) + self.value_shape

    def check_insert(self, keys, values, key_dtype, value_dtype):
        self.check_types(key_dtype, value_dtype)
        self.check_key_shape(keys.shape)
        want = self.value_shape_for(keys.shape)
        if tuple(values.shape) != want:
            raise invalid(
                f"Expected shape {debug_shape(want)} for value, got {debug_shape(values.shape)}"
            )

    def check_import(self, keys, values, key_dtype, value_dtype):
        self.check_insert(keys, values, key_dtype, value_dtype)

    def check_find(self, keys, default, key_dtype, value_dtype):
        self.check_types(key_dtype, value_dtype)
        self.check_key_shape(keys.shape)
        full = self.value_shape_for(keys.shape)
        if tuple(default.shape) not in (self.value_shape, full):
            raise invalid(
                f"Expected shape {debug_shape(self.value_shape)} or "
                f"{debug_shape(full)} for default value, got "
                f"{debug_shape(default.shape)}"
            )

    def check_remove(self, keys, key_dtype):
        self.check_types(key_dtype, None)
        self.check_key_shape(keys.shape)

    def initialize(self, pairs, total_size):
        raise invalid(f"Table {self.op_name} is not initializable")


# ---------------------------------------------------------------- key index


class KeyIndex:
    """Key -> row of the value store; lookups of many keys at once."""

    def __init__(self, key_dtype):
        self.map = {}
        self._numeric = key_dtype != D.string
        self._np = np_dtype(key_dtype)
        self._sorted = None  # (sorted keys, their rows), rebuilt after a change

    def __len__(self):
        return len(self.map)

    def changed(self):
        self._sorted = None

    def rows(self, flat):
        """Row of each key of the 1-D array ``flat`` (-1 where absent)."""
        m = self.map
        if not m or not flat.size:
            return xp.full(flat.shape, -1, xp.int64)
        if not self._numeric:
            return xp.fromiter((m.get(k, -1) for k in flat.tolist()), xp.int64, flat.size)
        if self._sorted is None:
            ks = xp.fromiter(m.keys(), self._np, len(m))
            rs = xp.fromiter(m.values(), xp.int64, len(m))
            order = xp.argsort(ks, kind="stable")
            self._sorted = ks[order], rs[order]
        ks, rs = self._sorted
        pos = xp.minimum(xp.searchsorted(ks, flat), len(ks) - 1)
        return xp.where(ks[pos] == flat, rs[pos], -1)

    def keys_array(self):
        return xp.array(list(self.map), dtype=self._np).reshape(len(self.map))


def gather_rows(store, rows, default, value_shape):
    """``store[rows]`` with ``default`` (one value, or one per row) where ``rows`` is -1."""
    n = rows.shape[0]
    out = xp.empty((n,) + value_shape, dtype=store.dtype)
    hit = rows >= 0
    out[hit] = store[rows[hit]]
    miss = ~hit
    if miss.any():
        d = default.reshape((-1,) + value_shape)
        out[miss] = d[miss] if d.shape[0] == n and n != 1 else d[0]
    return out


# ---------------------------------------------------------------- HashTableV2


class HashTable(LookupTable):
    """``StaticHashTable``'s table: initialized once, read-only afterwards."""

    op_name = "HashTableV2"

    def __init__(self, key_dtype, value_dtype):
        super().__init__(key_dtype, value_dtype)
        self.initialized = False
        self._index = KeyIndex(key_dtype)
        self._values = xp.empty((0,), np_dtype(value_dtype))

    def size(self):
        return len(self._index) if self.initialized else 0

    def find(self, keys, default):
        if not self.initialized:
            raise TableError(errors.FailedPreconditionError, "Table not initialized.")
        flat = keys.reshape(-1)
        scalar_default = default.reshape(-1)[:1]  # TF's HashTable reads default_flat(0)
        out = gather_rows(self._values, self._index.rows(flat), scalar_default, ())
        return out.reshape(keys.shape)

    def initialize(self, pairs, total_size):
        """Inserts ``(key, value)`` pairs in order (TF's ``InitializableLookupTable``)."""
        if self.initialized:
            if total_size == self.size():  # TF's AreEntriesSame compares sizes only
                return
            raise TableError(
                errors.FailedPreconditionError, "Table was already initialized with different data."
            )
        index, values = {}, []
        for key, value in pairs:
            row = index.setdefault(key, len(values))
            if row == len(values):
                values.append(value)
            elif values[row] != value:
                raise TableError(
                    errors.FailedPreconditionError,
                    f"HashTable has different value for same key. Key {_text(key)} has "
                    f"{_text(values[row])} and trying to add value {_text(value)}",
                )
        self._index.map = index
        self._index.changed()
        self._values = xp.array(values, dtype=np_dtype(self.value_dtype)).reshape(len(values))
        self.initialized = True

    def import_values(self, keys, values):
        self.initialize(zip(keys.reshape(-1).tolist(), values.reshape(-1).tolist()), keys.size)

    def insert(self, keys, values):
        raise TableError(
            errors.UnimplementedError,
            "Insert not supported by InitializableLookupTable implementations",
        )

    def remove(self, keys):
        raise TableError(
            errors.UnimplementedError,
            "Remove not supported by InitializableLookupTable implementations",
        )

    def export(self):
        if not self.initialized:
            raise TableError(errors.AbortedError, "HashTable is not initialized.")
        return self._index.keys_array(), self._values.copy()


# ---------------------------------------------------------------- MutableHashTable(OfTensors)V2


class MutableHashTable(LookupTable):
    """``MutableHashTable``'s table: scalar values, or vectors (``...OfTensorsV2``)."""

    def __init__(self, key_dtype, value_dtype, value_shape=()):
        super().__init__(key_dtype, value_dtype, (), value_shape)
        self.op_name = "MutableHashTableV2" if not value_shape else "MutableHashTableOfTensorsV2"
        self._index = KeyIndex(key_dtype)
        self._store = xp.empty((0,) + self.value_shape, np_dtype(value_dtype))
        self._used = 0  # rows of _store handed out (removed keys leave dead rows)

    def size(self):
        return len(self._index)

    def find(self, keys, default):
        rows = self._index.rows(keys.reshape(-1))
        out = gather_rows(self._store, rows, default, self.value_shape)
        return out.reshape(tuple(keys.shape) + self.value_shape)

    def insert(self, keys, values):
        m, rows = self._index.map, []
        for key in keys.reshape(-1).tolist():
            row = m.get(key)
            if row is None:
                row = m[key] = self._used
                self._used += 1
            rows.append(row)
        self._index.changed()
        if self._used > self._store.shape[0]:
            grown = xp.empty(
                (max(self._used, 2 * self._store.shape[0]),) + self.value_shape, self._store.dtype
            )
            grown[: self._store.shape[0]] = self._store
            self._store = grown
        if rows:  # in order: the last of repeated keys wins, as TF's InsertOrUpdate
            self._store[xp.asarray(rows)] = values.reshape((-1,) + self.value_shape)

    def remove(self, keys):
        m = self._index.map
        for key in keys.reshape(-1).tolist():
            m.pop(key, None)
        self._index.changed()
        if self._used > 2 * len(m) + 64:  # drop dead rows
            rows = list(m.values())
            self._store = self._store[xp.asarray(rows, dtype=xp.int64)]
            self._index.map = dict(zip(m, range(len(rows))))
            self._used = len(rows)

    def import_values(self, keys, values):
        self._index.map = {}
        self._used = 0
        self.insert(keys, values)

    def export(self):
        rows = xp.fromiter(self._index.map.values(), xp.int64, len(self._index))
        return self._index.keys_array(), self._store[rows]


__all__ = ["KERNELS", "HashTable", "LookupTable", "MutableHashTable", "TableError"]
