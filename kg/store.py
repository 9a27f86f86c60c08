"""The storage boundary: the only module that imports pyoxigraph.

Everything that parses, stores, queries or serialises RDF goes through here, so the rest
of the code deals in plain Python values and this module's small vocabulary.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg import seal
from kg.namespace import BASE, PREFIXES

Quad = ox.Quad
NamedNode = ox.NamedNode
Literal = ox.Literal
Variable = ox.Variable
DefaultGraph = ox.DefaultGraph
RdfFormat = ox.RdfFormat
QueryResultsFormat = ox.QueryResultsFormat
QuerySolutions = ox.QuerySolutions
QueryBoolean = ox.QueryBoolean
QueryTriples = ox.QueryTriples
Store = ox.Store
BlankNode = ox.BlankNode
Triple = ox.Triple

#: The formats data documents and dumps are offered in, most preferred first.
DOCUMENT_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
                    ox.RdfFormat.JSON_LD)


class TurtleError(ValueError):
    """A Turtle file that does not parse: names the file, line and column."""

    def __init__(self, path: Path | str, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = f"{path}:{line}:{column}" if line else str(path)
        super().__init__(f"{where}: {message}")


def parse_turtle(path: Path, graph: str, base_iri: str = BASE) -> list[ox.Quad]:
    """Parse one Turtle file into quads of ``graph``.

    Raises:
        TurtleError: the file does not parse; the message names file and line.
        OSError: the file cannot be read.
    """
    data = Path(path).read_bytes()
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri))
    except SyntaxError as e:
        message = str(e.msg if hasattr(e, "msg") else e)
        # pyoxigraph prefixes its own position; the TurtleError carries it separately.
        message = message.split(": ", 1)[1] if message.startswith("Parser error at") else message
        raise TurtleError(path, e.lineno, e.offset, message) from None
    return _in_graph(triples, graph)


def _in_graph(quads: Iterable[ox.Quad], graph: str) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]


def to_ntriples(quads: Iterable[ox.Quad]) -> bytes:
    """Triples of ``quads`` as N-Triples, the format handed to rdflib."""
    out = io.BytesIO()
    ox.serialize((q.triple for q in quads), out, ox.RdfFormat.N_TRIPLES)
    return out.getvalue()


def parse_ntriples(data: bytes, graph: str) -> list[ox.Quad]:
    """Quads of ``graph`` from N-Triples (what rdflib hands back)."""
    return _in_graph(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), graph)


def write_store(path: Path, quads: Iterable[ox.Quad], nquads: bytes = b"") -> None:
    """Create a new on-disk store at ``path`` holding ``quads`` and the quads of the
    N-Quads text ``nquads`` (the data graph, parsed by the store's own bulk loader).

    Raises:
        OSError: the directory cannot be written.
        SyntaxError: ``nquads`` does not parse.
    """
    store = ox.Store(str(path))
    quads = list(quads)
    store.bulk_extend(quads)
    if nquads:
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        # One graph per triple: pyoxigraph 0.5's union default graph yields a triple once
        # per graph that holds it (oxigraph#1919), so a triple of ``quads`` leaves the
        # graphs ``nquads`` adds.
        home = {q.triple: q.graph_name for q in quads}
        for q in [o for t, g in home.items()
                  for o in store.quads_for_pattern(t.subject, t.predicate, t.object)
                  if o.graph_name != g]:
            store.remove(q)
    store.optimize()
    store.flush()
    del store


def open_store(path: Path | str, read_only: bool = True) -> ox.Store:
    """Open an on-disk store; read-only by default, as a served store must be. A store
    that ``krm build`` sealed must match its seal (:mod:`kg.seal`); opened for writing,
    its seal stops promising the files' sizes.

    Raises:
        seal.StoreDamaged: a file is missing or cut short, or the store will not open
            (an ``OSError``; the message is one line that names the problem).
        OSError: no store there, or it cannot be read.
    """
    path = Path(path).resolve()
    if not path.is_dir():
        raise OSError(f"no store at {path}: run 'krm build' first")
    seal.check(path)
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except RuntimeError as e:  # RocksDB's "Corruption: ...", several lines
        first = " ".join(str(e).split())[:300]
        raise seal.StoreDamaged(f"the store at {path} will not open ({first}): "
                                "run 'krm build' to build it again") from None
    if not read_only:
        seal.mark_written(path)
    return store


#: Bytes of memory a store copied into memory takes per quad (measured on the bench's
#: 1M-triple graph: 630 MB).
MEMORY_PER_QUAD = 650


def memory_available() -> int:
    """Bytes of memory this process may use: the container's limit (cgroup v2) when it
    has one, else the machine's."""
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        return total
    return min(total, int(limit)) if limit.isdigit() else total


def memory_quota() -> int:
    """Quads a served store may have to be copied into memory by default: as many as fit
    in an eighth of the memory available (a quarter for two server processes)."""
    return memory_available() // 8 // MEMORY_PER_QUAD


def in_memory(store: ox.Store, up_to: int) -> ox.Store | None:
    """A copy of ``store`` held in memory, blank nodes and graphs included, or None if
    the store holds more than ``up_to`` quads (counted no further than that).

    The engine reads the copy without RocksDB's lookups: queries run 2-5 times faster,
    for about :data:`MEMORY_PER_QUAD` bytes per quad.

    >>> disk = ox.Store()
    >>> disk.add(ox.Quad(ox.BlankNode("b1"), ox.NamedNode("http://x/p"), ox.Literal("1")))
    >>> list(in_memory(disk, 1)) == list(disk), in_memory(disk, 0)
    (True, None)
    """
    if sum(1 for _ in itertools.islice(store, up_to + 1)) > up_to:
        return None
    copy = ox.Store()
    copy.bulk_extend(store)
    return copy


def query(store: ox.Store, sparql: str, substitutions: dict | None = None, **kwargs):
    """Run a SPARQL query over the union of the store's graphs.

    The store keeps ontology, facts and inferences in named graphs; a query's default
    graph is their union unless ``default_graph`` is given.

    Raises:
        SyntaxError: the query does not parse.
        OSError: the store cannot be read.
    """
    if "default_graph" not in kwargs:
        kwargs["use_default_graph_as_union"] = True
    return store.query(sparql, substitutions=substitutions, prefixes=PREFIXES, **kwargs)


def rows(results: ox.QuerySolutions) -> Iterator[dict[str, str | None]]:
    """SELECT solutions as dicts of plain strings (IRI, literal value or blank node id)."""
    names = [v.value for v in results.variables]
    for values in value_lists(results):
        yield dict(zip(names, values, strict=True))


def value_lists(results: ox.QuerySolutions) -> Iterator[list[str | None]]:
    """SELECT solutions as lists of plain strings in the order of ``results.variables``:
    no dict per solution, for results of many rows."""
    # A solution iterates its terms in the variables' order: faster than lookup by name.
    return ([None if t is None else t.value for t in solution] for solution in results)


def write_results(results, out, fmt_name: str) -> None:
    """Serialise query results to the binary stream ``out`` in a format named by its
    file extension (json, xml, csv, tsv for solutions; ttl, nt, rdf, jsonld for triples).

    Raises:
        ValueError: the format does not fit the result kind.
    """
    if isinstance(results, ox.QueryTriples):
        fmt = ox.RdfFormat.from_extension(fmt_name)
        if fmt is None:
            raise ValueError(f"unknown RDF format {fmt_name!r}")
        results.serialize(out, fmt)
        return
    fmt = ox.QueryResultsFormat.from_extension(fmt_name)
    if fmt is None:
        raise ValueError(f"unknown results format {fmt_name!r}")
    results.serialize(out, fmt)


#: Dataset formats that keep the named graphs apart when the whole store is dumped. JSON-LD
#: could too, but most JSON-LD readers (rdflib's ``Graph().parse``) then read nothing.
GRAPH_KEEPING = frozenset(("trig", "nq"))


def dump(store: ox.Store, out, fmt_name: str, graph: str | None = None) -> None:
    """Write the store (or one graph of it) to ``out`` in the format named by extension.

    TriG and N-Quads keep the named graphs apart; every other format (Turtle,
    N-Triples, RDF/XML, JSON-LD) merges them into one default graph.

    Raises:
        ValueError: an unknown format.
    """
    fmt = ox.RdfFormat.from_extension(fmt_name)
    if fmt is None:
        raise ValueError(f"unknown RDF format {fmt_name!r}")
    if graph is not None:
        if fmt.supports_datasets and fmt_name in GRAPH_KEEPING:
            ox.serialize(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), out,
                         fmt, prefixes=PREFIXES)
        else:
            store.dump(out, fmt, from_graph=ox.NamedNode(graph), prefixes=PREFIXES)
    elif fmt_name in GRAPH_KEEPING:
        store.dump(out, fmt, prefixes=PREFIXES)
    else:
        # Every graph merged into one default graph.
        ox.serialize(
            (q.triple for q in store.quads_for_pattern(None, None, None, None)),
            out,
            fmt,
            prefixes=PREFIXES,
        )


def graph_names(store: ox.Store) -> list[str]:
    """The IRIs of the store's named graphs, sorted (no triple is read).

    >>> s = Store(); s.add(Quad(NamedNode("http://s"), NamedNode("http://p"),
    ...                         NamedNode("http://o"), NamedNode("http://g")))
    >>> graph_names(s)
    ['http://g']
    """
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Number of triples in each named graph."""
    res = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in res}


# --- The SPARQL service's needs (server/sparql through kg/service) ---------------------

SOLUTIONS, BOOLEAN, TRIPLES = "solutions", "boolean", "triples"


#: What can hide a FROM keyword: comments, IRIs, strings; then FROM as a keyword (not
#: part of a prefixed name or a variable).
_SKIP = re.compile(r"""\#[^\n\r]*|<[^<>"{}|^`\\\x00-\x20]*>|'''(?:[^'\\]|\\.|'(?!''))*'''"""
                   r'|"""(?:[^"\\]|\\.|"(?!""))*"""|\'(?:[^\'\\\n\r]|\\.)*\'|"(?:[^"\\\n\r]|\\.)*"')
_FROM = re.compile(r"(?<![\w:?$-])FROM(?![\w:-])", re.IGNORECASE)


def names_dataset(sparql: str) -> bool:
    """Whether a query has a dataset clause (``FROM`` or ``FROM NAMED``), which the
    protocol's default union must then not override.

    >>> names_dataset("SELECT * FROM <http://g> { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT ?from { ?from <http://x/FROM> "FROM" } # FROM')
    False
    """
    return bool(_FROM.search(_SKIP.sub(" ", sparql)))


def run_query(store: ox.Store, sparql: str, default_graphs=(), named_graphs=(),
              base_iri: str | None = None):
    """Run a query as the SPARQL protocol asks: no implicit prefixes; the dataset is the
    protocol's (``default_graphs``, ``named_graphs``: IRIs) if given, else the query's
    own ``FROM``/``FROM NAMED``, else the union of the store's graphs as default graph.
    Relative IRIs resolve against ``base_iri``.

    Raises:
        SyntaxError: the query does not parse.
        ValueError: a graph IRI is not a valid IRI.
        OSError: the store cannot be read.
    """
    kwargs: dict = {"base_iri": base_iri}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif not named_graphs and not names_dataset(sparql):
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    return store.query(sparql, **kwargs)


def result_kind(results) -> str:
    """``solutions``, ``boolean`` or ``triples``: what a query result holds."""
    if isinstance(results, ox.QueryTriples):
        return TRIPLES
    return BOOLEAN if isinstance(results, ox.QueryBoolean) else SOLUTIONS


def serialize_results(results, out, media_type: str) -> None:
    """Stream ``results`` to ``out`` (any object with ``write(bytes)``) in ``media_type``.

    Raises:
        ValueError: the media type does not fit the result kind.
        OSError: the store cannot be read while evaluating.
    """
    if isinstance(results, ox.QueryTriples):
        fmt = ox.RdfFormat.from_media_type(media_type)
    else:
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"{media_type} does not fit {result_kind(results)}")
    results.serialize(out, fmt)


def results_media_type(name: str) -> str | None:
    """Canonical media type of a SPARQL results format named by media type or extension
    (``json``, ``xml``, ``csv``, ``tsv``), or None if unknown.

    >>> results_media_type("csv"), results_media_type("application/json")
    ('text/csv; charset=utf-8', 'application/sparql-results+json')
    """
    fmt = ox.QueryResultsFormat.from_media_type(name) or ox.QueryResultsFormat.from_extension(name)
    return fmt.media_type if fmt else None


def rdf_media_type(name: str) -> str | None:
    """Canonical media type of a triple format (Turtle, N-Triples, RDF/XML, JSON-LD, N3)
    named by media type or extension, or None (also for dataset formats like TriG).

    >>> rdf_media_type("ttl"), rdf_media_type("application/json")
    ('text/turtle', 'application/ld+json')
    """
    fmt = ox.RdfFormat.from_media_type(name) or ox.RdfFormat.from_extension(name)
    return fmt.media_type if fmt and fmt not in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS) else None


#: The formats the SPARQL service offers, preferred first.
RESULTS_MEDIA_TYPES = tuple(f.media_type for f in (
    ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV))
RDF_MEDIA_TYPES = tuple(f.media_type for f in (
    ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
    ox.RdfFormat.JSON_LD, ox.RdfFormat.N3))


def convert_rdf(data: bytes, from_ext: str, media_type: str, base_iri: str | None = None) -> bytes:
    """Re-serialise a small RDF document (e.g. the service description).

    Raises:
        SyntaxError: ``data`` does not parse.
        ValueError: unknown format.
    """
    src = ox.RdfFormat.from_extension(from_ext)
    dst = ox.RdfFormat.from_media_type(media_type)
    if src is None or dst is None:
        raise ValueError(f"cannot convert {from_ext} to {media_type}")
    triples = ox.parse(data, format=src, base_iri=base_iri)
    return ox.serialize(triples, format=dst, prefixes=PREFIXES)


def run_update(store: ox.Store, sparql: str, base_iri: str | None = None) -> None:
    """Apply a SPARQL 1.1 Update to a store opened writable, atomically; relative IRIs
    resolve against ``base_iri``.

    Raises:
        SyntaxError: the update does not parse.
        OSError: the store cannot be written, or a LOAD failed.
    """
    store.update(sparql, base_iri=base_iri)
    store.flush()


def write_graph(store: ox.Store, mode: str, graph: str | None, data: bytes | None = None,
                media_type: str | None = None, base_iri: str | None = None) -> bool:
    """The Graph Store Protocol's writes on a store opened writable: ``put`` replaces the
    graph (None: the default graph) with ``data``, ``post`` adds to it, ``delete`` drops
    it. Returns whether the graph held triples before.

    >>> s = Store()
    >>> write_graph(s, "post", "http://g", b"<http://s> <http://p> 1 .", "text/turtle")
    False
    >>> write_graph(s, "put", "http://g", b"<a> <b> 2 .", "text/turtle"), len(s)
    (True, 1)
    >>> write_graph(s, "delete", "http://g"), len(s)
    (True, 0)

    Raises:
        SyntaxError: ``data`` does not parse in ``media_type``.
        ValueError: ``media_type`` is not an RDF format.
        OSError: the store cannot be written.
    """
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    existed = next(iter(store.quads_for_pattern(None, None, None, target)), None) is not None
    quads = []
    if data is not None:
        fmt = ox.RdfFormat.from_media_type(media_type or "")
        if fmt is None:
            raise ValueError(f"{media_type} is not an RDF format")
        quads = [ox.Quad(q.subject, q.predicate, q.object, target)
                 for q in ox.parse(data, fmt, base_iri=base_iri or graph)]
    if mode in ("put", "delete"):
        if graph and mode == "delete":
            store.remove_graph(target)
        else:
            store.clear_graph(target)
    store.extend(quads)
    store.flush()
    return existed


def format_iri(media_type: str) -> str | None:
    """The W3C format IRI (``http://www.w3.org/ns/formats/...``) of a results or RDF
    media type, as a service description names it.

    >>> format_iri("text/turtle")
    'http://www.w3.org/ns/formats/Turtle'
    """
    fmt = ox.QueryResultsFormat.from_media_type(media_type) or ox.RdfFormat.from_media_type(
        media_type)
    return fmt.iri if fmt else None


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI pyoxigraph accepts.

    >>> is_iri("https://w3id.org/krm/graph/facts"), is_iri("not an iri")
    (True, False)
    """
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def format_extension(media_type: str) -> str | None:
    """The usual file extension of a results or RDF media type (``ttl``, ``json``...).

    >>> format_extension("application/ld+json")
    'jsonld'
    """
    fmt = ox.QueryResultsFormat.from_media_type(media_type) or ox.RdfFormat.from_media_type(
        media_type)
    return fmt.file_extension if fmt else None


def load_file(store_path: Path | str, path: Path | str, graph: str) -> None:
    """Create a store at ``store_path`` from a large RDF file (format from its
    extension), into named graph ``graph``, without holding it in memory (benchmarks).

    Raises:
        SyntaxError: the file does not parse.
        OSError: a path cannot be read or written.
    """
    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip("."))
    store = ox.Store(str(store_path))
    store.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(graph))
    store.optimize()
    store.flush()
    del store
def serialize_triples(triples: Iterable[ox.Triple], fmt: ox.RdfFormat,
                      extra_prefixes: dict[str, str] | None = None) -> bytes:
    """Triples as bytes in ``fmt``, with the namespace's prefixes where the format has them.

    >>> t = Triple(NamedNode("https://w3id.org/krm/id/element/W"),
    ...            NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("tungsten"))
    >>> serialize_triples([t], RdfFormat.N_TRIPLES).decode().strip()
    '<https://w3id.org/krm/id/element/W> <http://www.w3.org/2000/01/rdf-schema#label> "tungsten" .'

    Raises:
        ValueError: the format is not a triple format.
    """
    triples = list(triples)
    used = {t.predicate.value for t in triples} | {
        term.value for t in triples for term in (t.subject, t.object)
        if isinstance(term, ox.NamedNode)}
    # Only the prefixes the document uses: JSON-LD writes every prefix into its @context.
    candidates = {**PREFIXES, **(extra_prefixes or {})}
    # Not "id": its local names hold slashes, which Turtle would have to escape.
    prefixes = {k: v for k, v in candidates.items()
                if k != "id" and any(u.startswith(v) for u in used)}
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


def quads_of_graph(store: ox.Store, graph: str) -> Iterator[ox.Quad]:
    """Every quad of one named graph."""
    return store.quads_for_pattern(None, None, None, ox.NamedNode(graph))


# Small constructors, so callers bind values without importing pyoxigraph.

XSD = "http://www.w3.org/2001/XMLSchema#"


def named_node(iri: str) -> ox.NamedNode:
    """An IRI term.

    Raises:
        ValueError: ``iri`` is not a valid absolute IRI.

    >>> named_node("https://w3id.org/krm/id/element/W").value
    'https://w3id.org/krm/id/element/W'
    """
    return ox.NamedNode(iri)


def literal(value: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    """A literal term: a plain string, or typed by an XSD local name or full IRI, or tagged.

    Raises:
        ValueError: an invalid language tag.

    >>> literal("83", datatype="decimal").datatype.value
    'http://www.w3.org/2001/XMLSchema#decimal'
    >>> literal("tungsten", language="en").language
    'en'
    """
    if language:
        return ox.Literal(value, language=language)
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(datatype if ":" in datatype
                                                        else XSD + datatype))
    return ox.Literal(value)


def variable(name: str) -> ox.Variable:
    """A query variable, the key of a substitution (``name`` without the ``?``)."""
    return ox.Variable(name)


def check_query(sparql: str, substituted: Iterable[str] = ()) -> tuple[str, list[str]]:
    """Parse ``sparql`` and check that each variable in ``substituted`` can be bound by a
    substitution (pyoxigraph requires it to be projected); returns the query form
    (SELECT, CONSTRUCT or ASK) and the projected variables.

    The check runs the query on an empty in-memory store, so it costs next to nothing.

    Raises:
        SyntaxError: the query does not parse.
        ValueError: a substituted variable is not in the SELECT projection.

    >>> check_query("SELECT ?s ?_o WHERE { ?s ?p ?_o }", ["_o"])
    ('SELECT', ['s', '_o'])
    >>> check_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    ('CONSTRUCT', [])
    """
    subs = {ox.Variable(v): ox.Literal("") for v in substituted}
    try:
        results = ox.Store().query(sparql, substitutions=subs, prefixes=PREFIXES)
    except RuntimeError as e:
        raise ValueError(str(e)) from None
    if isinstance(results, ox.QuerySolutions):
        return "SELECT", [v.value for v in results.variables]
    return ("ASK" if isinstance(results, ox.QueryBoolean) else "CONSTRUCT"), []


_NUMERIC = {XSD + t: int for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                    "positiveInteger", "nonPositiveInteger",
                                    "negativeInteger", "byte", "unsignedInt", "unsignedLong")}
_NUMERIC.update({XSD + t: float for t in ("decimal", "double", "float")})


def plain_rows(results: ox.QuerySolutions) -> list[dict]:
    """SELECT solutions as JSON-ready dicts: numbers and booleans as such, every other
    term as its plain value, unbound as None.

    >>> store = ox.Store()
    >>> plain_rows(store.query('SELECT ?n ?s WHERE { BIND(83.0 AS ?n) BIND("W" AS ?s) }'))
    [{'n': 83.0, 's': 'W'}]
    """
    names = [v.value for v in results.variables]
    return [{name: _plain(solution[name]) for name in names} for solution in results]


def is_true(value: str | None) -> bool:
    """Whether a boolean result reads true: ``true`` or ``1`` (both xsd:boolean's lexical
    forms; Virtuoso, which has no boolean constants, gives ``EXISTS`` and ``true`` as 1).

    >>> is_true("true"), is_true("1"), is_true("false"), is_true(None)
    (True, True, False, False)
    """
    return value in ("true", "1")


def _plain(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        cast = _NUMERIC.get(term.datatype.value)
        if cast is not None:
            try:
                return cast(term.value)
            except ValueError:
                return term.value
        if term.datatype.value == XSD + "boolean":
            return term.value in ("true", "1")
    return term.value


# --- A store reached over the SPARQL protocol (kg/service/remote.py) --------------------

_FORM = re.compile(r"(?<![\w:?$-])(SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:-])", re.IGNORECASE)
_WHERE = re.compile(r"(?<![\w:?$-])WHERE(?![\w:-])", re.IGNORECASE)


def with_prefixes(sparql: str, prefixes: dict[str, str] | None) -> str:
    """``sparql`` preceded by ``PREFIX`` declarations: what pyoxigraph's ``prefixes``
    option gives a query, for an engine reached over the protocol. The query's own
    declarations come later and win.

    >>> print(with_prefixes("ASK { ?s a krm:Element }", {"krm": "https://w3id.org/krm/ontology#"}))
    PREFIX krm: <https://w3id.org/krm/ontology#>
    ASK { ?s a krm:Element }
    """
    if not prefixes:
        return sparql
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items()) + sparql


def with_bindings(sparql: str, substitutions: dict | None) -> str:
    """``sparql`` with each substituted variable bound by a one-row ``VALUES`` block, the
    first thing in its ``WHERE`` group and in that of every subquery: an engine reached
    over the protocol takes no substitutions. A subquery sees only what it projects, so
    it gets the block too, as pyoxigraph substitutes the variable there (a ``DISTINCT``
    over it then collapses as it does in the embedded store). The values are pyoxigraph
    terms written as it serialises them (escaped), never text pasted in.

    >>> print(with_bindings('SELECT ?e ?s { ?e krm:symbol ?s }',
    ...                     {Variable("e"): NamedNode("https://w3id.org/krm/id/element/W")}))
    SELECT ?e ?s { VALUES (?e) { (<https://w3id.org/krm/id/element/W>) }
     ?e krm:symbol ?s }
    >>> print(with_bindings('CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }',
    ...                     {Variable("o"): Literal("a}")}))
    CONSTRUCT { ?s ?p "{" } WHERE { VALUES (?o) { ("a}") }
     ?s ?p ?o }
    >>> print(with_bindings('SELECT * { { SELECT DISTINCT ?o { ?s ?p ?o } } }',
    ...                     {Variable("o"): Literal("1")}))
    SELECT * { VALUES (?o) { ("1") }
     { SELECT DISTINCT ?o { VALUES (?o) { ("1") }
     ?s ?p ?o } } }

    Raises:
        ValueError: a value is a blank node or a variable, or the query has no group.
    """
    if not substitutions:
        return sparql
    for term in substitutions.values():
        if not isinstance(term, (ox.NamedNode, ox.Literal, ox.Triple)):
            raise ValueError(f"cannot bind {term!r} in a VALUES block")
    masked = _SKIP.sub(lambda m: " " * len(m.group()), sparql)
    start = 0
    form = _FORM.search(masked)
    if form and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE"):
        where = _WHERE.search(masked, form.end())
        start = where.end() if where else form.end()
    groups = {masked.find("{", start)}
    groups.update(masked.find("{", m.end()) for m in _FORM.finditer(masked, start)
                  if m.group(1).upper() == "SELECT")
    if -1 in groups:
        raise ValueError("the query has no group to bind values in")
    block = "VALUES ({}) {{ ({}) }}\n".format(
        " ".join(f"?{v.value}" for v in substitutions),
        " ".join(str(t) for t in substitutions.values()))
    for brace in sorted(groups, reverse=True):
        sparql = sparql[:brace + 1] + " " + block + sparql[brace + 1:]
    return sparql


class _Chunks(io.RawIOBase):
    """A binary stream over an iterator of byte chunks, for the streaming parsers."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks, self._left = iter(chunks), b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._left:
            self._left = next(self._chunks, None)
            if self._left is None:
                self._left = b""
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n], self._left = self._left[:n], self._left[n:]
        return n


_VIRTUOSO_BNODE = re.compile(rb"<bnode>nodeID://([A-Za-z0-9_]+)</bnode>")


def read_results(chunks: Iterable[bytes], media_type: str):
    """A query result as pyoxigraph's own objects, read from the serialisation a SPARQL
    endpoint sent: solutions and booleans parsed as they stream in; triples collected
    into a small store and handed out as ``QueryTriples``, so callers deal with one kind
    of result whichever engine answered.

    >>> xml = (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
    ...        b'<variable name="b"/></head><results><result><binding name="b">'
    ...        b'<bnode>nodeID://b1</bnode></binding></result></results></sparql>')
    >>> list(read_results([xml], "application/sparql-results+xml"))[0]["b"]
    <BlankNode value=b1>

    >>> list(read_results([b'{"head":{"vars":["x"]},"results":{"bindings":',
    ...                    b'[{"x":{"type":"literal","value":"1"}}]}}'],
    ...                   "application/sparql-results+json"))[0]["x"].value
    '1'

    Raises:
        ValueError: the media type is neither a results nor a triple format.
        SyntaxError: the data does not parse (when read).
    """
    media_type = media_type.split(";")[0].strip()
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    if fmt == ox.QueryResultsFormat.XML:
        # Virtuoso names blank nodes "nodeID://b10360", which is no blank node label.
        data = _VIRTUOSO_BNODE.sub(rb"<bnode>\1</bnode>", b"".join(chunks))
        return ox.parse_query_results(data, fmt)
    if fmt is not None:
        return ox.parse_query_results(io.BufferedReader(_Chunks(chunks)), fmt)
    rdf = ox.RdfFormat.from_media_type(media_type)
    if rdf is None:
        raise ValueError(f"{media_type!r} is neither a results nor an RDF format")
    held = ox.Store()
    held.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                for t in ox.parse(b"".join(chunks), rdf))
    return held.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def quad(subject, predicate, obj, graph) -> ox.Quad:
    """A quad of terms (``graph`` None: the default graph)."""
    return ox.Quad(subject, predicate, obj, ox.DefaultGraph() if graph is None else graph)
