"""Build the supply network from the store (see :mod:`kg.network.export` to write it).

Nodes are the graph's IRIs, each with ``type`` (country, group, element, material,
sector, company, organisation), ``label``, ``iri``, ``code`` (alpha-3 or symbol) and
``layer`` (the column of a layered drawing: producers on the left, companies on the
right). Every edge points the way supply flows and has a ``kind``:

- ``produces``: country -> commodity (element or group). ``observations`` lists every
  production figure behind it (``share`` in % or None when only a rank is known,
  ``year``, ``rank``, ``sources``, ``claim``); ``share``, ``year``, ``rank`` and
  ``sources`` on the edge are those of the commodity's most recent data set with shares
  (see :func:`dataset`).
- ``member``: between a group and its elements, in the direction supply flows. A group
  with production figures of its own (rare earths, platinum group) is a commodity whose
  supply is that of each member: group -> element. A group without (high-melting-point
  metals) is a class that a sector needs through its members: element -> group. So
  China's tungsten reaches a sector that requires high-melting-point metals, and
  China's rare earths reach every rare earth.
- ``requires``: input -> consumer, for ``krm:requires`` (sector or material needs an
  element, group or material) and ``krm:madeFrom`` (material made from an element);
  ``relation`` says which.
- ``active_in``: sector -> company (``krm:activeInSector``, turned to follow the flow).
- ``supplies``: supplier -> recipient (``krm:SupplyRelation``), with ``commodities``,
  ``dependence`` (import dependence, %) and ``sources`` when stated.

Every edge has ``claims``: the IRIs of the claims or observations behind it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from contextlib import contextmanager
from operator import itemgetter

import networkx as nx

from kg.files import QUERIES as LIBRARY

QUERIES = LIBRARY / "network"

#: Node class IRI -> node type, most specific first (a company is also an organisation).
TYPES = {
    "https://w3id.org/krm/ontology#ElementGroup": "group",
    "https://w3id.org/krm/ontology#Material": "material",
    "https://w3id.org/krm/ontology#ChemicalElement": "element",
    "https://w3id.org/krm/ontology#Country": "country",
    "https://w3id.org/krm/ontology#IndustrialSector": "sector",
    "https://w3id.org/krm/ontology#Company": "company",
    "http://www.w3.org/ns/org#Organization": "organisation",
}
_PRIORITY = {t: i for i, t in enumerate(TYPES.values())}
#: Column of each node type in a layered drawing.
LAYERS = {"country": 0, "group": 1, "element": 2, "material": 3, "sector": 4,
          "company": 5, "organisation": 5, "other": 3}
FLOW_KINDS = frozenset({"member", "requires", "active_in", "supplies"})


def read_query(name: str):
    """The named query ``queries/network/<name>.rq``, its header checked by
    :mod:`kg.queries`.

    Raises:
        kg.queries.HeaderError: the file's header or query is malformed.
        OSError: no such query file.
    """
    from kg import queries

    return queries.load(QUERIES / f"{name}.rq")


def build_graph(store) -> nx.DiGraph:
    """The supply network of a store (a pyoxigraph ``Store``, reached via ``kg.store``).

    Raises:
        OSError: the store cannot be read.
    """
    from kg import store as st

    # Rows sorted: the network's node and edge order, and so which of equally good paths
    # a what-if names, then follow the data, not the order a store returned rows in (it
    # differs between a store on disk, its copy in memory and another engine).
    def run(name: str) -> list[dict]:
        return sorted(st.rows(read_query(name).run(store)), key=_row_key)

    # The production figures are most of the rows (a million-triple store has ~100k):
    # read as value lists in PRODUCTION's order, not as a dict each.
    results = read_query("production").run(store)
    names = [v.value for v in results.variables]
    pick = itemgetter(*(names.index(c) for c in PRODUCTION))
    with collector_paused():
        return _assemble(
            nodes=run("nodes"),
            production=sorted(map(pick, st.value_lists(results)), key=_values_key),
            membership=run("membership"), inputs=run("inputs"), activity=run("activity"),
            based_in=run("based-in"), supply=run("supply"),
        )


def _values_key(values) -> tuple:
    return tuple("" if v is None else v for v in values)


def _row_key(row: dict) -> tuple:
    return _values_key(row.values())


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector (also as a decorator). Building a network
    or measuring it allocates many objects and makes no cyclic garbage, but every
    collection of the oldest generation walks all live objects, the whole network with
    them: a fifth of a large build's time, a third of its metrics'."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def assemble(nodes: Iterable[dict], production: Iterable[dict] = (),
             membership: Iterable[dict] = (), inputs: Iterable[dict] = (),
             activity: Iterable[dict] = (), based_in: Iterable[dict] = (),
             supply: Iterable[dict] = ()) -> nx.DiGraph:
    """The network from query rows (dicts of plain strings, as ``kg.store.rows`` gives).

    >>> K = "https://w3id.org/krm/"
    >>> g = assemble(
    ...     nodes=[{"node": K + "id/country/CHN", "class": K + "ontology#Country",
    ...             "label": "China", "code": "CHN"}],
    ...     production=[{"obs": K + "id/claim/w", "producer": K + "id/country/CHN",
    ...                  "commodity": K + "id/element/W", "share": "83.0",
    ...                  "source": "https://doi.org/x"}],
    ...     membership=[{"group": K + "id/group/hmp", "member": K + "id/element/W"}])
    >>> e = g.edges[K + "id/country/CHN", K + "id/element/W"]
    >>> e["kind"], e["share"], e["claims"]
    ('produces', 83.0, ['https://w3id.org/krm/id/claim/w'])
    >>> g.nodes[K + "id/element/W"]["label"], g.nodes[K + "id/country/CHN"]["layer"]
    ('W', 0)
    >>> g.has_edge(K + "id/element/W", K + "id/group/hmp")   # a group without figures
    True
    """
    return _assemble(
        nodes, ((r["obs"], r["producer"], r["commodity"], r.get("share"), r.get("year"),
                 r.get("rank"), r.get("source")) for r in production),
        membership, inputs, activity, based_in, supply)


#: The columns of a production row as :func:`_add_production` reads them.
PRODUCTION = ("obs", "producer", "commodity", "share", "year", "rank", "source")


def _assemble(nodes: Iterable[dict], production: Iterable[tuple],
              membership: Iterable[dict], inputs: Iterable[dict],
              activity: Iterable[dict], based_in: Iterable[dict],
              supply: Iterable[dict]) -> nx.DiGraph:
    g = nx.DiGraph()
    for row in nodes:
        _add_typed_node(g, row)
    _add_production(g, production)
    _orient_memberships(g, membership)
    for row in inputs:
        e = _edge(g, row["input"], row["consumer"], "requires", _split(row.get("claims")))
        e["relation"] = row.get("relation") or "requires"
    for row in activity:
        _edge(g, row["sector"], row["company"], "active_in", _split(row.get("claims")))
    # Who is based where, also as an index (country -> organisations) for the what-if.
    g.graph["based_in"] = {}
    for row in based_in:
        if row["org"] in g:
            g.nodes[row["org"]]["based_in"] = row["country"]
            g.graph["based_in"].setdefault(row["country"], []).append(row["org"])
    for row in supply:
        e = _edge(g, row["supplier"], row["recipient"], "supplies", [row["rel"]])
        if row.get("commodity") and row["commodity"] not in e.setdefault("commodities", []):
            e["commodities"].append(row["commodity"])
        if row.get("dependence") is not None:
            e["dependence"] = float(row["dependence"])
        # "sources", a list as on production edges: an attribute "source" would be taken
        # for the edge's end in Cytoscape JSON (and lost there).
        if row.get("source") and row["source"] not in e.setdefault("sources", []):
            e["sources"].append(row["source"])
    for n, data in g.nodes(data=True):
        data.setdefault("type", "other")
        data.setdefault("label", local_name(n))
        data.setdefault("iri", n)
        data["layer"] = LAYERS[data["type"]]
    return g


def _add_typed_node(g: nx.DiGraph, row: dict) -> None:
    kind = TYPES.get(row["class"])
    if kind is None:
        return
    node = row["node"]
    old = g.nodes[node].get("type") if node in g else None
    if old is not None and _PRIORITY[old] <= _PRIORITY[kind]:
        return
    g.add_node(node, type=kind, iri=node,
               label=row.get("label") or row.get("other") or local_name(node))
    if row.get("code"):
        g.nodes[node]["code"] = row["code"]


def _add_production(g: nx.DiGraph, rows: Iterable[tuple]) -> None:
    """The produces edges, from rows in :data:`PRODUCTION`'s order (one per observation
    and source), each edge showing the figure :func:`_displayed` chooses."""
    observations: dict[str, dict] = {}
    edges: dict[tuple[str, str], list[dict]] = {}
    for obs, producer, commodity, share, year, rank, source in rows:
        o = observations.get(obs)
        if o is None:  # the first row makes the observation
            o = observations[obs] = {
                "share": float(share) if share else None,
                "year": int(year[:4]) if year else None,
                "rank": int(rank) if rank else None,
                "sources": [],
                "claim": obs,
            }
            on_edge = edges.get((producer, commodity))
            if on_edge is None:
                edges[producer, commodity] = [o]
            else:
                on_edge.append(o)
        if source and source not in o["sources"]:
            o["sources"].append(source)
            if len(o["sources"]) > 1:
                o["sources"].sort()
    # recency(dataset(o)) of every figure, inlined: this runs once per observation.
    keys = {id(o): (o["year"], ()) if o["year"] is not None else (-1, tuple(o["sources"]))
            for o in observations.values()}
    latest: dict[str, tuple] = {}
    for (_, c), obs_ in edges.items():
        for o in obs_:
            if o["share"] is not None and (c not in latest or keys[id(o)] > latest[c]):
                latest[c] = keys[id(o)]
    g.add_edges_from(
        (u, v, {"kind": "produces", "claims": [o["claim"] for o in obs_],
                "observations": obs_, **_displayed(obs_, keys, latest.get(v))})
        for (u, v), obs_ in edges.items())


def _displayed(observations: list[dict], keys: dict[int, tuple],
               latest: tuple | None) -> dict:
    """The figure a produces edge shows: its commodity's most recent data set with shares
    (``latest``), else the producer's own most recent figure with a share, else its most
    recent figure (a rank without a share); the first listed among equally recent ones."""
    chosen = None
    if latest is not None:
        chosen = next((o for o in observations
                       if o["share"] is not None and keys[id(o)] == latest), None)
    if chosen is None:
        shared = [o for o in observations if o["share"] is not None]
        # max() keeps the first of equal keys, as a stable sort would.
        chosen = max(shared or observations, key=lambda o: keys[id(o)])
    return {"share": chosen["share"], "year": chosen["year"], "sources": chosen["sources"],
            "rank": chosen["rank"]}


def dataset(obs: dict) -> tuple:
    """The data set a figure belongs to: ``(year, ())`` for a dated figure, as every
    figure for one year is one data set whichever page relays it (they quote the same
    survey); ``(None, sources)`` for an undated one, whose sources are its data set.

    >>> dataset({"year": 2023, "sources": ["https://a.example"]})
    (2023, ())
    >>> dataset({"year": None, "sources": ["https://doi.org/x"]})
    (None, ('https://doi.org/x',))
    """
    year = obs.get("year")
    return (year, ()) if year is not None else (None, tuple(obs.get("sources") or ()))


def recency(key: tuple) -> tuple:
    """Sort key of a data set: later years are more recent; an undated data set counts
    as older than any dated one.

    >>> sorted([(None, ("paper",)), (2023, ()), (2019, ())], key=recency)
    [(None, ('paper',)), (2019, ()), (2023, ())]
    """
    return (key[0] if key[0] is not None else -1, key[1])


def _orient_memberships(g: nx.DiGraph, rows: Iterable[dict]) -> None:
    produced = {c for _, c, k in g.edges(data="kind") if k == "produces"}
    for row in rows:
        group, member = row["group"], row["member"]
        if group in produced:
            _edge(g, group, member, "member", [])
        else:
            _edge(g, member, group, "member", [])


def _edge(g: nx.DiGraph, u: str, v: str, kind: str, claims: list[str]) -> dict:
    try:
        e = g._succ[u][v]   # networkx's own dicts: a view costs two calls per lookup
    except KeyError:
        g.add_edge(u, v, kind=kind, claims=list(claims))
        return g._succ[u][v]
    e["claims"].extend(c for c in claims if c not in e["claims"])
    return e


def _split(value: str | None) -> list[str]:
    return value.split() if value else []


def local_name(iri: str) -> str:
    """The last path segment of an IRI: its slug.

    >>> local_name("https://w3id.org/krm/id/element/W")
    'W'
    """
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def find_node(g: nx.DiGraph, value: str, types: Iterable[str]) -> str | None:
    """The node of one of ``types`` that ``value`` names: its IRI, its code (alpha-3,
    symbol) or its slug, matched without regard to case; None when none matches.

    >>> g = nx.DiGraph()
    >>> g.add_node("https://w3id.org/krm/id/group/ree", type="group", label="rare earths")
    >>> find_node(g, "REE", ["element", "group"])
    'https://w3id.org/krm/id/group/ree'
    >>> find_node(g, "REE", ["country"]) is None
    True
    """
    types = set(types)
    if value in g and g.nodes[value].get("type") in types:
        return value
    wanted = value.strip().casefold()
    for n, d in g.nodes(data=True):
        if d.get("type") in types and wanted in (
            str(d.get("code", "")).casefold(), local_name(n).casefold()
        ):
            return n
    return None


# --- Views ------------------------------------------------------------------------------

def around(g: nx.DiGraph, node: str) -> set[str]:
    """``node`` with everything upstream and downstream of it: its supply paths.

    >>> g = nx.DiGraph([("CHN", "W"), ("W", "chips"), ("COD", "Co")])
    >>> sorted(around(g, "W"))
    ['CHN', 'W', 'chips']
    """
    return {node} | nx.ancestors(g, node) | nx.descendants(g, node)


def view(g: nx.DiGraph, element: str | None = None, country: str | None = None,
         sector: str | None = None, threshold: float | None = None) -> nx.DiGraph:
    """The part of the network a filter asks for (filters combine):

    - ``element``, ``sector``: the supply paths through that node;
    - ``country``: the country and everything downstream of it;
    - ``threshold``: only production edges whose displayed share is at least that (%),
      dropping the producers left without an edge (a rank without a share counts as
      below any threshold).

    >>> g = nx.DiGraph()
    >>> g.add_edge("CHN", "W", kind="produces", share=83.0)
    >>> g.add_edge("VNM", "W", kind="produces", share=4.0)
    >>> g.add_edge("W", "chips", kind="requires")
    >>> sorted(view(g, threshold=50))
    ['CHN', 'W', 'chips']
    >>> sorted(view(g, country="VNM"))
    ['VNM', 'W', 'chips']
    """
    keep = set(g)
    for node in (element, sector):
        if node is not None:
            keep &= around(g, node)
    if country is not None:
        keep &= {country} | nx.descendants(g, country)
    out = g.subgraph(keep).copy()
    if threshold is not None:
        low = [(u, v) for u, v, d in out.edges(data=True)
               if d.get("kind") == "produces" and (d.get("share") or 0) < threshold]
        out.remove_edges_from(low)
        out.remove_nodes_from([n for n in {u for u, _ in low} if out.degree(n) == 0])
    return out
