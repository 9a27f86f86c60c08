"""Write the supply network out: GraphML, GEXF 1.3 and DOT through networkx's writers (with
attributes flattened to what those formats hold), and Cytoscape.js JSON for the page and
for ``networkx.cytoscape_graph``."""

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
    networkx's converter, which reads it back (``networkx.cytoscape_graph``) with every
    node and edge attribute that has a value; edges get ids ``source -> target``.
    Nodes keep networkx's ``value`` (the node's key, which ``cytoscape_graph`` needs)
    and ``name`` (its label). ``observations=False`` leaves out each production edge's
    list of figures (its displayed share, year, sources and claims stay), which is most
    of the size of a large network.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", kind="member")
    >>> cytoscape(g)["elements"]["edges"][0]["data"]["id"]
    'a -> b'
    >>> back = nx.cytoscape_graph(cytoscape(g))
    >>> sorted(back.edges), back.edges["a", "b"]["kind"]
    ([('a', 'b')], 'member')
    """
    data = nx.cytoscape_data(g, name="label", ident="id")
    data["data"] = {}   # graph-level indexes are for the analysis, not for drawing
    for e in data["elements"]["edges"]:
        e["data"]["id"] = f"{e['data']['source']} -> {e['data']['target']}"
    drop = {None} if observations else {None, "observations"}
    # Unknown values are left out, not null: Cytoscape selectors like [share] test presence.
    for item in data["elements"]["nodes"]:
        item["data"] = {k: v for k, v in item["data"].items() if v is not None}
    for item in data["elements"]["edges"]:
        item["data"] = {k: v for k, v in item["data"].items()
                        if v is not None and k not in drop}
    return data


XSI = "http://www.w3.org/2001/XMLSchema-instance"
GEXF_SCHEMA = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"


def write_gexf(g: nx.DiGraph, out) -> None:
    """Write ``g`` as GEXF 1.3, valid against the GEXF 1.3 schema, through networkx's
    writer: it writes a ``name`` attribute on ``<graph>`` that the schema forbids and
    misspells the XML Schema instance namespace (``http://w3.org/...``), so both are
    put right on its element tree before it is written.

    >>> import io
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", share=2.5)
    >>> buf = io.BytesIO()
    >>> write_gexf(g, buf)
    >>> text = buf.getvalue().decode()
    >>> 'xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text
    True
    >>> 'name=' in text
    False
    """
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(version="1.3")
    for attr in [a for a in writer.xml.attrib if a.startswith("xmlns:xsi")
                 or a.endswith("schemaLocation")]:
        del writer.xml.attrib[attr]
    writer.xml.set("xmlns:xsi", XSI)
    writer.xml.set("xsi:schemaLocation", GEXF_SCHEMA)
    writer.add_graph(flat(g))
    writer.graph_element.attrib.pop("name", None)
    writer.write(out)


def write(g: nx.DiGraph, out, fmt: str) -> None:
    """Write ``g`` to the binary stream ``out`` as graphml, gexf, dot or cytoscape JSON.

    DOT goes through pydot (pure Python, no Graphviz needed to write it).

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "graphml":
        nx.write_graphml(flat(g), out)
    elif fmt == "gexf":
        write_gexf(g, out)
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
