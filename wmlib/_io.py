"""Atomic writing and safe reading of the files wmlib stores (``.npz`` arrays and JSON; never pickle).

A file is written to a temporary file in the same folder and then renamed over the target, so a crash or an
interrupt never leaves a half-written file, and a reader sees either the old file or the new one.  Reading turns
the many ways a damaged file can fail (a truncated zip, a missing entry, a pickled object) into one ``ValueError``
that names the file.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["atomic_write", "save_npz", "load_npz", "read_json_entry", "write_json", "check_output_folder", "check_path",
           "write_experiments"]


def check_path(owner: str, name: str, value, kind: str | None = None) -> Path:
    """``value`` as a :class:`~pathlib.Path`: a str or path-like object, naming an existing folder if ``kind="dir"``
    or an existing file if ``kind="file"``."""
    if not isinstance(value, (str, os.PathLike)) or (isinstance(value, str) and not value):
        raise TypeError(f"The {name!r} parameter of {owner} must be a path (a str or pathlib.Path). Got {value!r} instead.")
    path = Path(value)
    if kind == "dir" and not path.is_dir():
        raise ValueError(f"The {name!r} parameter of {owner} must be an existing folder. Got {str(path)!r} instead.")
    if kind == "file" and not path.is_file():
        raise FileNotFoundError(f"The {name!r} parameter of {owner} names no file: {str(path)!r}.")
    return path


def atomic_write(path, write) -> Path:
    """Write ``path`` atomically: ``write(f)`` fills a temporary binary file, which is then renamed over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # the permissions of an ordinary new file (mkstemp makes it private)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def save_npz(path, arrays: dict, compressed: bool = False) -> Path:
    """Write a dict of arrays to ``path`` (``.npz``) atomically."""
    save = np.savez_compressed if compressed else np.savez
    return atomic_write(path, lambda f: save(f, **arrays))


def write_json(path, obj, indent: int = 1) -> Path:
    """Write ``obj`` as JSON to ``path`` atomically."""
    text = json.dumps(obj, indent=indent)
    return atomic_write(path, lambda f: f.write(text.encode()))


def load_npz(path, what: str = "file", required=()) -> dict:
    """Every array of the ``.npz`` file at ``path``, as a dict (read completely, then closed).

    Parameters
    ----------
    path : str or Path
    what : str
        What the file is ("checkpoint", "network file"), for error messages.
    required : iterable of str
        Entries that must be present.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        The file is not a readable ``.npz`` archive (truncated, corrupted, pickled content) or lacks a
        required entry; the message names the file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No {what} at {path}.")
    try:
        with np.load(path, allow_pickle=False) as z:
            data = {k: z[k] for k in z.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as err:
        raise ValueError(f"The {what} {path} cannot be read ({type(err).__name__}: {err}); it is truncated or "
                         f"corrupted. Delete it (or restore it) and try again.") from err
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(f"The {what} {path} lacks {missing}: it was not written by this version of wmlib, or it "
                         f"was altered.")
    return data


def read_json_entry(data: dict, key: str, path, what: str):
    """``json.loads`` of the string array ``data[key]``, with an error naming the file."""
    try:
        return json.loads(str(data[key]))
    except (KeyError, json.JSONDecodeError) as err:
        raise ValueError(f"The {what} {path} has no valid {key!r} entry ({err}).") from err


def check_output_folder(path, owner: str) -> Path:
    """Check, before long work starts, that ``path`` is (or can be made) a writable folder; return it.

    Raises ``ValueError`` naming the parameter if ``path`` is a file, or cannot be created or written to.
    """
    path = check_path(owner, "out_dir", path)
    if path.exists() and not path.is_dir():
        raise ValueError(f"The 'out_dir' parameter of {owner} must be a folder. Got {str(path)!r}, which is a file.")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".write-test", suffix=".tmp")
        os.close(fd)
        os.remove(probe)
    except OSError as err:
        raise ValueError(f"The 'out_dir' parameter of {owner} must be a writable folder. Got {str(path)!r} "
                         f"({err.strerror or err}).") from err
    return path


def write_experiments(out_dir, experiments, known, run, force: bool = False, owner: str = "generate") -> Path:
    """Write ``<out_dir>/<name>.npz`` (compressed, atomically) with the arrays ``run(name)`` returns, for each name of
    ``experiments``; a file already there is kept unless ``force``, so an interrupted run resumes.  The folder and the
    names (among ``known``) are checked before any work starts.  Returns the folder."""
    out = check_output_folder(out_dir, owner)
    unknown = [e for e in experiments if e not in known]
    if unknown:
        raise ValueError(f"The 'experiments' parameter of {owner} must name experiments among {tuple(known)}. "
                         f"Got {unknown!r} instead.")
    for name in experiments:
        path = out / f"{name}.npz"
        if path.exists() and not force:
            continue
        save_npz(path, run(name), compressed=True)
    return out

