"""Write the supply network out: GraphML, GEXF and DOT through networkx's writers (with
attributes flattened to what those formats hold), and Cytoscape.js JSON for the page."""

from __future__ import annotations

import json

import networkx as nx


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


def cytoscape(g: nx.DiGraph, observations: bool = True) -> dict:
    """Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``), through
    networkx's converter; edges get ids ``source -> target``. ``observations=False``
    leaves out each production edge's list of figures (its displayed share, year,
    sources and claims stay), which is most of the size of a large network.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", kind="member")
    >>> cytoscape(g)["elements"]["edges"][0]["data"]["id"]
    'a -> b'
    """
    data = nx.cytoscape_data(g, name="label", ident="id")
    data["data"] = {}   # graph-level indexes are for the analysis, not for drawing
    for e in data["elements"]["edges"]:
        e["data"]["id"] = f"{e['data']['source']} -> {e['data']['target']}"
    drop = {None} if observations else {None, "observations"}
    # Unknown values are left out, not null: Cytoscape selectors like [share] test
    # presence. networkx's "name" and "value" repeat the label and the id.
    for item in data["elements"]["nodes"]:
        item["data"] = {k: v for k, v in item["data"].items()
                        if v is not None and k not in ("name", "value")}
    for item in data["elements"]["edges"]:
        item["data"] = {k: v for k, v in item["data"].items()
                        if v is not None and k not in drop}
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
