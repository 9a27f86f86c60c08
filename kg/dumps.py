"""Dumps of the whole graph for download, with their sizes and SHA-256 checksums.

``krm export --dumps DIR`` writes them at build time; the server only lists and sends
the files named in the folder's manifest, so nothing else in the folder can be read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from kg import store as st

MANIFEST = "manifest.json"
#: (file name, format extension, compressed): the dumps offered.
DUMPS = (("krm.ttl", "ttl", False), ("krm.nt.gz", "nt", True), ("krm.jsonld", "jsonld", False))


@dataclass(frozen=True)
class DumpFile:
    name: str
    media_type: str
    encoding: str | None
    bytes: int
    sha256: str


def write_dumps(store, folder: Path, version: str) -> list[DumpFile]:
    """Write every dump of ``store`` and the manifest into ``folder``.

    Files are written under temporary names and renamed, so a reader never sees half a
    dump; gzip output carries no timestamp, so equal graphs give equal checksums.

    Raises:
        OSError: the folder cannot be written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, ext, compressed in DUMPS:
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        with tmp.open("wb") as raw:
            if compressed:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    st.dump(store, gz, ext)
            else:
                st.dump(store, raw, ext)
        data = tmp.read_bytes()
        tmp.replace(folder / name)
        media = st.RdfFormat.from_extension(ext).media_type
        files.append(DumpFile(name, media, "gzip" if compressed else None, len(data),
                              hashlib.sha256(data).hexdigest()))
    manifest = {"version": version, "files": [asdict(f) for f in files]}
    tmp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    tmp.replace(folder / MANIFEST)
    return files


def read_manifest(folder: Path) -> tuple[str | None, list[DumpFile]]:
    """(version, files) from a dumps folder; (None, []) when no dumps were written.

    Raises:
        ValueError: the manifest is not valid JSON of the expected shape.
    """
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None, []
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("version"), [DumpFile(**f) for f in data["files"]]
