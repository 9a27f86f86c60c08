"""Dumps of the whole graph for download, with their sizes and SHA-256 checksums.

``krm export --dumps DIR`` writes them at build time; the server only lists and sends
the files named in the folder's manifest (and its ``SHA256SUMS``), so nothing else in the
folder can be read.

TriG and N-Quads keep the named graphs (whatever graphs the store holds); Turtle,
N-Triples and JSON-LD merge them into one default graph, which is what readers of those
formats expect (rdflib's ``Graph().parse`` reads no triple from a JSON-LD document whose
triples all sit in named graphs). The manifest says which is which (``graphs``), and
``SHA256SUMS`` lists every dump's checksum for ``sha256sum -c``.
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
CHECKSUMS = "SHA256SUMS"
MERGED, KEPT = "merged", "named"
#: (file name, format extension, compressed): the dumps offered.
DUMPS = (("krm.ttl", "ttl", False), ("krm.nt.gz", "nt", True), ("krm.jsonld", "jsonld", False),
         ("krm.trig", "trig", False), ("krm.nq.gz", "nq", True))


@dataclass(frozen=True)
class DumpFile:
    name: str
    media_type: str
    encoding: str | None
    bytes: int
    sha256: str
    #: "named": the named graphs are kept (TriG, N-Quads); "merged": one default graph.
    graphs: str = MERGED

    @property
    def keeps_graphs(self) -> bool:
        return self.graphs == KEPT


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
                              hashlib.sha256(data).hexdigest(),
                              KEPT if ext in st.GRAPH_KEEPING else MERGED))
    _write(folder, CHECKSUMS, checksums(files))
    manifest = {"version": version, "graphs": sorted(st.graph_sizes(store)),
                "checksums": CHECKSUMS, "files": [asdict(f) for f in files]}
    _write(folder, MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return files


def checksums(files: list[DumpFile]) -> str:
    """The ``SHA256SUMS`` text: one ``<hex>  <name>`` line per dump, as ``sha256sum``
    writes it (two spaces: binary and text mode are the same on POSIX) and ``-c`` reads.

    >>> print(checksums([DumpFile("krm.ttl", "text/turtle", None, 3, "ab" * 32)]), end="")
    abababababababababababababababababababababababababababababababab  krm.ttl
    """
    return "".join(f"{f.sha256}  {f.name}\n" for f in files)


def _write(folder: Path, name: str, text: str) -> None:
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(folder / name)


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

