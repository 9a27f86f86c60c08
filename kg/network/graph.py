"""Build the supply network from the store, and write it out in graph formats.

Nodes are the graph's IRIs, each with ``type`` (country, group, element, material,
sector, company, organisation), ``label``, ``iri``, ``code`` (alpha-3 or symbol) and
``layer`` (the column of a layered drawing: producers on the left, companies on the
right). Every edge points the way supply flows and has a ``kind``:

- ``produces``: country -> commodity (element or group). ``observations`` lists every
  production-share figure behind it (share, year, rank, source, claim); ``share``,
  ``year`` and ``source`` are those of the commodity's most recent data set (see
  :func:`dataset_key`).
- ``member``: group -> element. Supply of "rare earths" is supply of each rare earth, so
  a disruption of the group flows on to its members; the reverse (a member's own figure
  standing for the group) is not assumed.
- ``requires``: input -> consumer, for ``krm:requires`` (sector or material needs an
  element, group or material) and ``krm:madeFrom`` (material made from an element);
  ``relation`` says which.
- ``active_in``: sector -> company (``krm:activeInSector``, turned to follow the flow).
- ``supplies``: supplier -> recipient (``krm:SupplyRelation``), with ``commodities``
  and ``dependence`` (import dependence, %) when stated.

Every edge has ``claims``: the IRIs of the claims or observations behind it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

QUERIES = Path(__file__).resolve().parents[2] / "queries" / "network"

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
FLOW_KINDS = ("member", "requires", "active_in", "supplies")


def read_query(name: str) -> str:
    """The text of ``queries/network/<name>.rq``.

    Raises:
        OSError: no such query file.
    """
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def build_graph(store) -> nx.DiGraph:
    """The supply network of a store (a pyoxigraph ``Store``, reached via ``kg.store``).

    Raises:
        OSError: the store cannot be read.
    """
    from kg import store as st

    def run(name: str) -> list[dict]:
        return list(st.rows(st.query(store, read_query(name))))

    return assemble(
        nodes=run("nodes"), production=run("production"), membership=run("membership"),
        inputs=run("inputs"), activity=run("activity"), based_in=run("based-in"),
        supply=run("supply"),
    )


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
    ...                  "source": "https://doi.org/x"}])
    >>> e = g.edges[K + "id/country/CHN", K + "id/element/W"]
    >>> e["kind"], e["share"], e["claims"]
    ('produces', 83.0, ['https://w3id.org/krm/id/claim/w'])
    >>> g.nodes[K + "id/element/W"]["label"], g.nodes[K + "id/country/CHN"]["layer"]
    ('W', 0)
    """
    g = nx.DiGraph()
    for row in nodes:
        _add_typed_node(g, row)
    for row in production:
        _add_production(g, row)
    _choose_displayed_shares(g)
    for row in membership:
        _edge(g, row["group"], row["member"], "member", [])
    for row in inputs:
        e = _edge(g, row["input"], row["consumer"], "requires", _split(row.get("claims")))
        e["relation"] = row.get("relation") or "requires"
    for row in activity:
        _edge(g, row["sector"], row["company"], "active_in", _split(row.get("claims")))
    for row in based_in:
        if row["org"] in g:
            g.nodes[row["org"]]["based_in"] = row["country"]
    for row in supply:
        e = _edge(g, row["supplier"], row["recipient"], "supplies", [row["rel"]])
        if row.get("commodity") and row["commodity"] not in e.setdefault("commodities", []):
            e["commodities"].append(row["commodity"])
        if row.get("dependence") is not None:
            e["dependence"] = float(row["dependence"])
        if row.get("source"):
            e["source"] = row["source"]
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


def _add_production(g: nx.DiGraph, row: dict) -> None:
    obs = {
        "share": float(row["share"]),
        "year": int(row["year"][:4]) if row.get("year") else None,
        "rank": int(row["rank"]) if row.get("rank") else None,
        "source": row.get("source"),
        "claim": row["obs"],
    }
    e = _edge(g, row["producer"], row["commodity"], "produces", [])
    e.setdefault("observations", []).append(obs)
    if obs["claim"] not in e["claims"]:
        e["claims"].append(obs["claim"])


def dataset_key(obs: dict) -> tuple:
    """Sort key of a (source, year) data set: later years first count as more recent;
    a figure without a year counts as older than any dated one.

    >>> sorted([{"year": None, "source": "b"}, {"year": 2023, "source": "a"}], key=dataset_key)
    [{'year': None, 'source': 'b'}, {'year': 2023, 'source': 'a'}]
    """
    return (obs.get("year") if obs.get("year") is not None else -1, obs.get("source") or "")


def _choose_displayed_shares(g: nx.DiGraph) -> None:
    """Give each produces edge the share of its commodity's most recent data set, or of
    its own most recent figure when the producer is not in that data set."""
    edges = [(c, e, [(dataset_key(o), o) for o in e["observations"]])
             for _, c, e in g.edges(data=True) if e["kind"] == "produces"]
    latest: dict[str, tuple] = {}
    for c, _, keyed in edges:
        best = max(k for k, _ in keyed)
        if c not in latest or best > latest[c]:
            latest[c] = best
    for c, e, keyed in edges:
        chosen = next((o for k, o in keyed if k == latest[c]), None)
        if chosen is None:
            chosen = max(keyed, key=lambda ko: ko[0])[1]
        e.update(share=chosen["share"], year=chosen["year"], source=chosen["source"],
                 rank=chosen["rank"])


def _edge(g: nx.DiGraph, u: str, v: str, kind: str, claims: list[str]) -> dict:
    if g.has_edge(u, v):
        e = g.edges[u, v]
        e["claims"].extend(c for c in claims if c not in e["claims"])
        return e
    g.add_edge(u, v, kind=kind, claims=list(claims))
    return g.edges[u, v]


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


# --- Export -----------------------------------------------------------------------------

def flat(g: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes are all strings or numbers, as GraphML, GEXF and DOT need:
    lists of IRIs become space-separated strings, the observations a JSON array, and
    missing values are dropped.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", claims=["x", "y"], year=None, share=1.5)
    >>> flat(g).edges["a", "b"]
    {'claims': 'x y', 'share': 1.5}
    """
    out = nx.DiGraph()
    for n, d in g.nodes(data=True):
        out.add_node(n, **_flat_attrs(d))
    for u, v, d in g.edges(data=True):
        out.add_edge(u, v, **_flat_attrs(d))
    return out


def _flat_attrs(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        if v is None:
            continue
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            out[k] = " ".join(v)
        elif isinstance(v, list | dict):
            out[k] = json.dumps(v, ensure_ascii=False)
        elif isinstance(v, bool):
            out[k] = str(v).lower()
        else:
            out[k] = v
    return out


def cytoscape(g: nx.DiGraph) -> dict:
    """Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``), through
    networkx's converter; edges get ids ``source -> target``.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", kind="member")
    >>> cytoscape(g)["elements"]["edges"][0]["data"]["id"]
    'a -> b'
    """
    data = nx.cytoscape_data(g, name="label", ident="id")
    for e in data["elements"]["edges"]:
        e["data"]["id"] = f"{e['data']['source']} -> {e['data']['target']}"
    return data


def write(g: nx.DiGraph, out, fmt: str) -> None:
    """Write ``g`` to the binary stream ``out`` as graphml, gexf, dot or cytoscape JSON.

    DOT goes through pydot (pure Python, no Graphviz needed to write it).

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "graphml":
        nx.write_graphml(flat(g), out)
    elif fmt == "gexf":
        nx.write_gexf(flat(g), out)
    elif fmt == "dot":
        from networkx.drawing.nx_pydot import to_pydot

        # IRIs hold ':' (a DOT port separator), so node names go in quoted.
        quoted = nx.relabel_nodes(flat(g), {n: f'"{n}"' for n in g})
        out.write(to_pydot(quoted).to_string().encode("utf-8"))
    elif fmt == "cytoscape":
        out.write(json.dumps(cytoscape(g), ensure_ascii=False).encode("utf-8"))
    else:
        raise ValueError(f"unknown network format {fmt!r}: use one of {', '.join(FORMATS)}")


#: Export formats and their media types.
FORMATS = {
    "cytoscape": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "dot": "text/vnd.graphviz",
}


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
      dropping the producers left without an edge.

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
               if d.get("kind") == "produces" and d.get("share", 0) < threshold]
        out.remove_edges_from(low)
        out.remove_nodes_from([n for n in {u for u, _ in low} if out.degree(n) == 0])
    return out
