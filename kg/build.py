"""Build the graph: parse, add reference data, infer, validate, and swap in a new store.

The build never writes to the store being served. It writes a new store into
``stores/<digest>`` next to the ``store`` link, with its browse index (``kg/hubs.py``)
inside, and then atomically repoints the link, so a failed build (bad Turtle, a SHACL
violation) leaves the previous store in place, and an unchanged input (same digest)
builds nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from kg import hubs, inference, reference, store
from kg.files import FACTS, ONTOLOGY, QUERIES, SHAPES
from kg.namespace import BASE, GRAPH_FACTS, GRAPH_INFERENCES, GRAPH_ONTOLOGY
from kg.validate import Violation, validate

#: Where ``krm build`` writes and ``krm serve`` reads without ``--store``: relative to the
#: working directory, never inside the installed package.
DEFAULT_STORE = Path("var") / "store"
#: The queries the browse index is computed with (kg/hubs.py): a change rebuilds it.
HUB_QUERIES = tuple(QUERIES / "browse" / f"{name}.rq" for name in (
    "share-counts", "link-predicates", "fact-predicates"))
KEEP_STORES = 2  # the current store and the one before it, which may still be serving


class ValidationFailed(Exception):
    """The graph violates its SHACL shapes; nothing was swapped in."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} SHACL violation(s)")


@dataclass
class BuildReport:
    store: Path
    digest: str
    built: bool
    seconds: float
    triples: dict[str, int] = field(default_factory=dict)


def sources(facts_dir: Path = FACTS) -> list[Path]:
    """The Turtle files the graph is built from, in a stable order."""
    return [ONTOLOGY, SHAPES, *sorted(Path(facts_dir).glob("*.ttl"))]


def digest(paths: list[Path]) -> str:
    """Hash of everything a build depends on: inputs, namespace, code and package versions."""
    h = hashlib.sha256()
    h.update(BASE.encode())
    for pkg in ("krm-kg", "pyoxigraph", "owlrl", "periodictable", "pycountry"):
        h.update(f"{pkg}={version(pkg)}".encode())
    for module in (inference, reference, store, hubs, Path(__file__), *HUB_QUERIES):
        h.update(Path(getattr(module, "__file__", module)).read_bytes())
    for p in paths:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def load_graphs(facts_dir: Path = FACTS) -> dict[str, list]:
    """Parse ontology and facts, add reference data, and infer: quads per named graph.

    Raises:
        store.TurtleError: a file does not parse (names file and line).
    """
    onto = store.parse_turtle(ONTOLOGY, GRAPH_ONTOLOGY)
    files = sorted(Path(facts_dir).glob("*.ttl"))
    facts = [q for f in files for q in store.parse_turtle(f, GRAPH_FACTS)]
    facts += list(reference.reference_quads(facts, GRAPH_FACTS))
    inferred_nt = inference.infer(store.to_ntriples(onto), store.to_ntriples(facts))
    inferred = store.parse_ntriples(inferred_nt, GRAPH_INFERENCES)
    return {GRAPH_ONTOLOGY: onto, GRAPH_FACTS: facts, GRAPH_INFERENCES: inferred}


def check(graphs: dict[str, list]) -> list[Violation]:
    """SHACL violations of the graph (warnings are not failures)."""
    everything = [q for qs in graphs.values() for q in qs]
    return [v for v in validate(store.to_ntriples(everything), SHAPES) if v.severity == "Violation"]


def build(link: Path = DEFAULT_STORE, force: bool = False, facts_dir: Path = FACTS) -> BuildReport:
    """Build the store behind ``link`` unless its inputs are unchanged.

    Raises:
        store.TurtleError: a file does not parse; the store in place is untouched.
        ValidationFailed: SHACL violations; the store in place is untouched.
    """
    start = time.perf_counter()
    link = Path(link)
    key = digest(sources(facts_dir))
    stores = link.parent / "stores"
    target = stores / key
    if not force and link.is_symlink() and link.resolve() == target.resolve() and target.is_dir():
        return BuildReport(link, key, False, time.perf_counter() - start)

    graphs = load_graphs(facts_dir)
    violations = check(graphs)
    if violations:
        raise ValidationFailed(violations)

    stores.mkdir(parents=True, exist_ok=True)
    tmp = stores / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    store.write_store(tmp, (q for qs in graphs.values() for q in qs))
    write_index(tmp)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    _swap_link(link, target)
    _prune(stores, keep={target.name})
    counts = {g: len(qs) for g, qs in graphs.items()}
    return BuildReport(link, key, True, time.perf_counter() - start, counts)


def write_index(store_path: Path) -> None:
    """Write the browse index (:mod:`kg.hubs`) into a new store's folder, before it is
    served: what pages of hub resources would otherwise work out on every view.

    Raises:
        OSError: the store cannot be read or its folder written.
    """
    built = store.open_store(store_path)
    try:
        index = hubs.compute(built)
    finally:
        del built  # the store's lock goes with the last reference
    hubs.write(store_path, index)


def _swap_link(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` atomically (rename over the old link)."""
    if link.exists() and not link.is_symlink():
        raise OSError(f"{link} exists and is not a link made by 'krm build'; move it away")
    tmp_link = link.with_name(f".{link.name}.{os.getpid()}.link")
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(os.path.relpath(target, link.parent))
    os.replace(tmp_link, link)


def _prune(stores: Path, keep: set[str]) -> None:
    """Remove old stores, keeping the newest few: a server may still hold the previous."""
    old = sorted(
        (p for p in stores.iterdir() if p.is_dir() and p.name not in keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for p in old[KEEP_STORES - 1:]:
        shutil.rmtree(p, ignore_errors=True)
