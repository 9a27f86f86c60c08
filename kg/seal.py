"""The seal of a store folder: a manifest of its files and their sizes, written last by
``krm build``, so a folder with a seal that matches is one the build finished and nothing
has damaged since.

A ``kill -9`` or a full disk part-way through a build leaves a folder without a seal; a
folder that lost or truncated a file no longer matches its seal. ``krm build`` keeps a
store only if it matches (else it builds a new one) and ``krm serve`` refuses one that
does not. A store opened for writing (SPARQL updates) changes its files as it should: the
seal then keeps its digest but drops the sizes (``"written": true``), and only the store's
own check when it opens still applies. A folder that was never sealed (a store made by
other means, such as the benchmarks' generated ones) has nothing to check here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FILE = "krm-store-seal.json"
#: RocksDB's lock and its informational logs: not part of the data, and rewritten freely.
UNSEALED = ("LOCK", "LOG")


class StoreDamaged(OSError):
    """The store folder does not match its seal, or the store refuses to open."""


def seal(folder: Path | str, digest: str) -> Path:
    """Write the seal of a finished store folder: its digest and every file's size.
    Written to a temporary name and renamed, after the files are synced: the seal is
    there only once everything it lists is on disk.

    Raises:
        OSError: the folder cannot be read or written (a full disk).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "000009.sst").write_bytes(b"x" * 5)
    >>> _ = seal(d, "abc"); sealed_digest(d), problem(d)
    ('abc', None)
    """
    folder = Path(folder)
    files = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith(UNSEALED) and p.name != FILE:
            _sync(p)
            files[p.name] = p.stat().st_size
    tmp = folder / f".{FILE}.{os.getpid()}"
    with tmp.open("w", encoding="utf-8") as f:
        json.dump({"digest": digest, "files": files}, f, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / FILE)
    _sync(folder)
    return folder / FILE


def read(folder: Path | str) -> dict | None:
    """The seal of ``folder``, or None if it has none (or an unreadable one)."""
    try:
        data = json.loads((Path(folder) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("digest"), str) else None


def sealed_digest(folder: Path | str) -> str | None:
    """The digest the build sealed ``folder`` with, or None if it has no seal."""
    data = read(folder)
    return data["digest"] if data else None


def problem(folder: Path | str) -> str | None:
    """What is wrong with a sealed folder (a file missing or of another size), or None if
    it matches its seal, was opened for writing since, or has no seal at all.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "000009.sst").write_bytes(b"x" * 5)
    >>> _ = seal(d, "abc"); (d / "000009.sst").unlink(); problem(d)
    'its file 000009.sst is missing'
    """
    folder = Path(folder)
    data = read(folder)
    if data is None or data.get("written"):
        return None
    for name, size in sorted(data.get("files", {}).items()):
        try:
            actual = (folder / name).stat().st_size
        except FileNotFoundError:
            return f"its file {name} is missing"
        if actual != size:
            return f"its file {name} has {actual} bytes, not {size}"
    return None


def check(folder: Path | str) -> None:
    """Raise if ``folder`` does not match its seal.

    Raises:
        StoreDamaged: a file is missing or of another size (names the file).
    """
    why = problem(folder)
    if why is not None:
        raise StoreDamaged(f"the store at {Path(folder)} is damaged ({why}): "
                           "run 'krm build' to build it again")


def mark_written(folder: Path | str) -> None:
    """Note that the store is opened for writing: its files will change as they should,
    so the seal keeps the digest but no longer the sizes.

    Raises:
        OSError: the folder cannot be written.
    """
    data = read(folder)
    if data is None or data.get("written"):
        return
    folder = Path(folder)
    tmp = folder / f".{FILE}.{os.getpid()}"
    tmp.write_text(json.dumps({"digest": data["digest"], "written": True}), encoding="utf-8")
    os.replace(tmp, folder / FILE)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
