"""The explorer's fixture store: tests/data/explorer/explorer.ttl (made-up figures in the
official-data model) written into a store, without the build's SHACL run, so that the
pages are tested on the shape of the data whatever the data branch's shapes demand."""

from __future__ import annotations

from pathlib import Path

from kg import store as st
from kg.namespace import BASE

TTL = Path(__file__).parent / "data" / "explorer" / "explorer.ttl"


def write_explorer_store(folder: Path) -> Path:
    """The fixture's store under ``folder`` (a folder named like a build's digest)."""
    path = folder / "stores" / "explorer-fixture"
    path.parent.mkdir(parents=True, exist_ok=True)
    st.write_store(path, st.parse_turtle(TTL, BASE + "graph/data"))
    return path
