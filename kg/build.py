"""Build the graph: parse, add reference data, infer, validate, and swap in a new store.

The build never writes into, or removes, the store being served (``--force`` included).
It writes each new store into a fresh folder ``stores/.<digest>.<pid>.tmp`` next to the
``store`` link, with its browse index (``kg/hubs.py``) inside, seals it (:mod:`kg.seal`:
the manifest of its files, written last), renames it to a folder of its own under
``stores/`` and then atomically repoints the link. A failed build (bad Turtle, a SHACL
violation, a full disk, a ``kill -9``) leaves the previous store in place and serving;
the next build clears what a killed one left. An unchanged input (same digest) builds
nothing, but only if the store in place still matches its seal: a damaged one is built
again. Old stores are removed only when no link points to them and they are not the one
just replaced (a server may still hold it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from kg import hubs, inference, reference, seal, store
from kg.ingest import Report
from kg.ingest import run as ingest
from kg.namespace import BASE, GRAPH_DATA, GRAPH_FACTS, GRAPH_INFERENCES, GRAPH_ONTOLOGY
from kg.namespace import ONTOLOGY as ONTOLOGY_NS
from kg.validate import Violation, validate

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "krm.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
FACTS = ROOT / "kg" / "facts"
#: The committed data files (kg/sources/); a build with ``data_dir=None`` leaves them out
#: (the small test fixtures).
DATA = ROOT / "kg" / "sources"
DEFAULT_STORE = ROOT / "var" / "store"
#: The queries the browse index is computed with (kg/hubs.py): a change rebuilds it.
HUB_QUERIES = tuple(ROOT / "queries" / "browse" / f"{name}.rq" for name in (
    "share-counts", "link-predicates", "fact-predicates"))
#: The W3C Data Cube integrity constraints the build checks before swapping a store in:
#: those on structures, data sets and slices, which take milliseconds. Those that visit
#: every observation (IC-1, 11-14, 17, 19: minutes on two busy cores) run as tests on the
#: built graph (tests/test_cube.py); the build checks observations by SHACL on a sample.
CUBE_CHECKS = tuple(ROOT / "queries" / "cube" / f"ic-{n:02d}.rq" for n in (
    2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 18, 20, 21))
INGEST_CODE = tuple(sorted((ROOT / "kg" / "ingest").glob("*.py")))


class ValidationFailed(Exception):
    """The graph violates its SHACL shapes; nothing was swapped in."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} SHACL violation(s)")


class CubeCheckFailed(Exception):
    """The data violates a Data Cube integrity constraint; nothing was swapped in."""

    def __init__(self, failed: list[str]):
        self.failed = failed
        super().__init__("Data Cube integrity constraint(s) violated: " + ", ".join(failed))


@dataclass
class BuildReport:
    store: Path
    digest: str
    built: bool
    seconds: float
    triples: dict[str, int] = field(default_factory=dict)
    data: Report | None = None


def sources(facts_dir: Path = FACTS, data_dir: Path | None = DATA) -> list[Path]:
    """The files the graph is built from, in a stable order: the ontology, shapes and facts
    (Turtle), then the data files and rule tables (:func:`kg.ingest.run.source_files`)."""
    data = ingest.source_files(Path(data_dir)) if data_dir is not None else []
    return [ONTOLOGY, SHAPES, *sorted(Path(facts_dir).glob("*.ttl")), *data]


def digest(paths: list[Path]) -> str:
    """Hash of everything a build depends on: inputs, namespace, code and package versions."""
    h = hashlib.sha256()
    h.update(BASE.encode())
    for pkg in ("krm-kg", "pyoxigraph", "owlrl", "periodictable", "pycountry", "babel"):
        h.update(f"{pkg}={version(pkg)}".encode())
    for module in (inference, reference, store, hubs, Path(__file__), *HUB_QUERIES,
                   *CUBE_CHECKS, *INGEST_CODE):
        h.update(Path(getattr(module, "__file__", module)).read_bytes())
    for p in paths:
        name = p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else p.name
        h.update(name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def load_graphs(facts_dir: Path = FACTS) -> dict[str, list]:
    """Parse ontology and facts, add reference data, and infer: quads per named graph.

    Raises:
        store.TurtleError: a file does not parse (names file and line).
    """
    onto = store.parse_turtle(ONTOLOGY, GRAPH_ONTOLOGY)
    onto += cube_normalisation(onto)
    files = sorted(Path(facts_dir).glob("*.ttl"))
    facts = [q for f in files for q in store.parse_turtle(f, GRAPH_FACTS)]
    facts += list(reference.reference_quads(facts, GRAPH_FACTS))
    inferred_nt = inference.infer(store.to_ntriples(onto), store.to_ntriples(facts))
    inferred = store.parse_ntriples(inferred_nt, GRAPH_INFERENCES)
    return {GRAPH_ONTOLOGY: onto, GRAPH_FACTS: facts, GRAPH_INFERENCES: inferred}


def load_data(graphs: dict[str, list], data_dir: Path | None = DATA) -> ingest.DataGraph:
    """Ingest the data files (:mod:`kg.ingest`), describing only the countries, elements and
    lists the facts do not describe already.

    Raises:
        IngestError: a data file or row that cannot be ingested (names the file and row).
    """
    if data_dir is None:
        return ingest.DataGraph()
    facts = [q for qs in graphs.values() for q in qs]
    known = {q.subject.value for q in facts if isinstance(q.subject, store.NamedNode)}
    group_type = ONTOLOGY_NS + "ElementGroup"
    is_group = {q.subject.value for q in facts if q.object.value == group_type
                and q.predicate.value == _RDF_TYPE}
    groups: dict[str, set] = {}
    for q in facts:
        if q.subject.value in is_group and q.predicate.value == _SKOS_MEMBER:
            groups.setdefault(f"<{q.subject.value}>", set()).add(f"<{q.object.value}>")
    return ingest.load(known, Path(data_dir), {g: frozenset(m) for g, m in groups.items()})


_QB = "http://purl.org/linked-data/cube#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS_MEMBER = "http://www.w3.org/2004/02/skos/core#member"


def cube_normalisation(quads: list) -> list:
    """The Data Cube's normalisation (recommendation, section 10.1, phase 1) of the
    structures: ``qb:componentProperty`` beside each ``qb:dimension``, ``qb:measure`` and
    ``qb:attribute``, which the integrity constraints are written against."""
    short = {_QB + "dimension", _QB + "measure", _QB + "attribute"}
    prop = store.NamedNode(_QB + "componentProperty")
    return [store.Quad(q.subject, prop, q.object, q.graph_name) for q in quads
            if q.predicate.value in short]


def check(graphs: dict[str, list], data: ingest.DataGraph | None = None) -> list[Violation]:
    """SHACL violations of the graph (warnings are not failures). Of the data graph, every
    node but the observations is validated, and a sample of each data set's observations:
    the SPARQL checks of :data:`CUBE_CHECKS` cover all of them."""
    everything = [q for qs in graphs.values() for q in qs]
    nt = store.to_ntriples(everything)
    if data is not None and data.triple_count():
        nt += "".join(f"{s} {p} {o} .\n" for s, p, o in data.sample()).encode("utf-8")
    return [v for v in validate(nt, SHAPES) if v.severity == "Violation"]


def cube_check(store_path: Path) -> list[str]:
    """The Data Cube integrity constraints of :data:`CUBE_CHECKS` a new store violates.

    Raises:
        OSError: the store cannot be read.
    """
    built = store.open_store(store_path)
    try:
        failed = []
        for path in CUBE_CHECKS:
            text = path.read_text(encoding="utf-8")
            if store.query(built, text):
                failed.append(path.stem.upper())
        return failed
    finally:
        del built


def build(link: Path = DEFAULT_STORE, force: bool = False, facts_dir: Path = FACTS,
          data_dir: Path | None = DATA) -> BuildReport:
    """Build the store behind ``link`` unless its inputs are unchanged and the store in
    place is whole.

    Raises:
        store.TurtleError: a file does not parse; the store in place is untouched.
        IngestError: a data file or row that cannot be ingested; the store is untouched.
        ValidationFailed: SHACL violations; the store in place is untouched.
        CubeCheckFailed: a Data Cube integrity constraint fails; the store is untouched.
        OSError: the new store cannot be written (a full disk, a folder that cannot be
            made); the store in place is untouched and the partial one removed.
    """
    start = time.perf_counter()
    link = Path(link)
    if link.exists() and not link.is_symlink():
        raise OSError(f"{link} exists and is not a link made by 'krm build'; move it away")
    key = digest(sources(facts_dir, data_dir))
    stores = link.parent / "stores"
    if stores.is_dir():
        _clear_leftovers(stores)
    served = _served(link)
    if not force and served is not None and is_current(served, key):
        return BuildReport(link, key, False, time.perf_counter() - start)

    graphs = load_graphs(facts_dir)
    data = load_data(graphs, data_dir)
    violations = check(graphs, data)
    if violations:
        raise ValidationFailed(violations)

    target = _write(stores, key, (q for qs in graphs.values() for q in qs),
                    data.nquads() if data.triple_count() else b"")
    _swap_link(link, target)
    previous = served if served is not None and seal.problem(served) is None else None
    _prune(stores, keep={target.name, previous.name if previous else ""} | _linked(link.parent))
    counts = {g: len(qs) for g, qs in graphs.items()}
    if data_dir is not None:
        counts[GRAPH_DATA] = data.triple_count()
    return BuildReport(link, key, True, time.perf_counter() - start, counts,
                       data.report if data_dir is not None else None)


def is_current(folder: Path, key: str) -> bool:
    """Whether ``folder`` holds a finished build of inputs with digest ``key``, whole."""
    return seal.sealed_digest(folder) == key and seal.problem(folder) is None


def _served(link: Path) -> Path | None:
    """The store folder ``link`` points to, if it points to one."""
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def _write(stores: Path, key: str, quads, nquads: bytes = b"") -> Path:
    """Write, check (:data:`CUBE_CHECKS`), index and seal a new store in a fresh temporary
    folder, then rename it to a folder of its own (never one that exists: the served store
    keeps its folder). ``nquads`` is the data graph as N-Quads text.

    Raises:
        OSError: a folder or file cannot be written; nothing is left behind.
        CubeCheckFailed: a Data Cube integrity constraint fails; nothing is left behind.
    """
    stores.mkdir(parents=True, exist_ok=True)
    tmp = stores / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store.write_store(tmp, quads, nquads)
        failed = cube_check(tmp)
        if failed:
            raise CubeCheckFailed(failed)
        write_index(tmp)
        seal.seal(tmp, key)
        target = _fresh(stores, key)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _fresh(stores: Path, key: str) -> Path:
    """``stores/<key>``, or ``stores/<key>.<n>`` when a store of the same digest is there."""
    target, n = stores / key, 1
    while target.exists():
        target, n = stores / f"{key}.{n}", n + 1
    return target


def _clear_leftovers(stores: Path) -> None:
    """Remove what killed builds left: their temporary folders (``.<digest>.<pid>.tmp``)
    and links, unless the process that made them still runs."""
    for p in stores.iterdir():
        if p.name.startswith(".") and p.name.endswith(".tmp") and not _running(p.name):
            shutil.rmtree(p, ignore_errors=True)
    for p in stores.parent.glob(".*.link"):
        if not _running(p.name[:-len(".link")]):
            p.unlink(missing_ok=True)


def _running(name: str) -> bool:
    """Whether the build whose pid ends ``name`` (``.<...>.<pid>.tmp``) is still running."""
    pid = name.removesuffix(".tmp").rpartition(".")[2]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _linked(folder: Path) -> set[str]:
    """Names of the store folders that links in ``folder`` point to: kept."""
    names = set()
    for p in folder.iterdir():
        if p.is_symlink():
            names.add(p.resolve().name)
    return names


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
    """Remove the store folders not in ``keep`` (the new store, the one it replaced, and
    any a link points to)."""
    for p in stores.iterdir():
        if p.is_dir() and not p.name.startswith(".") and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
