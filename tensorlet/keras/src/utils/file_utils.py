"""``keras.utils.get_file``, offline: files come from the Keras cache (``~/.keras``).

tensorlet never downloads. A file Keras would fetch must already be in the cache, with the
file name Keras uses (``~/.keras/datasets/mnist.npz``); otherwise the error says where to put it.
``KERAS_HOME`` moves the cache as in Keras.
"""

import os
import tarfile
import zipfile

from tensorlet.framework.export import keras_export


def keras_home():
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    return os.path.join(os.path.expanduser("~"), ".keras")


@keras_export("keras.utils.get_file")
def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """The local path of ``fname`` in the Keras cache (extracted when ``extract``).

    Raises:
        FileNotFoundError: the file is not in the cache (tensorlet does not download).
    """
    if fname is None:
        fname = os.path.basename(origin or "")
    base = os.path.expanduser(cache_dir) if cache_dir else keras_home()
    datadir = os.path.join(base, cache_subdir)
    fpath = os.path.join(datadir, fname)
    if untar:
        extract = True
        if fname.endswith(".tar.gz"):
            fpath = fpath[: -len(".tar.gz")]
    extracted = fpath + "_extracted"
    if extract and os.path.isdir(extracted):
        return extracted
    if not os.path.exists(fpath):
        raise FileNotFoundError(
            f"tensorlet does not download files: {fname!r} (Keras fetches it from {origin}) is "
            f"not in the Keras cache. Put it at {fpath} (or set KERAS_HOME)."
        )
    if extract and os.path.isfile(fpath):
        _extract(fpath, extracted)
        return extracted
    return fpath


def _extract(path, target):
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            archive.extractall(target, filter="data")
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            archive.extractall(target)
    else:
        raise ValueError(f"{path} is not a tar or zip archive.")


def cached_path(*candidates, origin=None):
    """The first existing path among ``candidates`` (relative to the cache), else an error."""
    base = keras_home()
    for c in candidates:
        p = os.path.join(base, c)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(
        f"tensorlet does not download datasets: none of {list(candidates)} is in the Keras cache "
        f"{base} (Keras fetches it from {origin}). Put the file at "
        f"{os.path.join(base, candidates[0])} (or set KERAS_HOME)."
    )
