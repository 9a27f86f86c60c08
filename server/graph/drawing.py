"""The supply network of a year as the ``/graph`` page draws it: the part a scope and a
share threshold select (:func:`kg.network.supply.view`), with each node's position in
layered columns (:mod:`kg.network.layout`), and the what-if's choices; each kept per
store and parameters (:func:`server.graph.cache.kept`) as the JSON text sent, since the
served store never changes."""

from __future__ import annotations

import json

from kg.describe import Labels
from kg.network import export, layout, supply
from server.db import get_store
from server.graph import cache

#: The page's default view: what reaches a Korean sector, partners with at least this
#: share (%) of Korea's imports of a product.
DEFAULT_SCOPE, DEFAULT_SHARE = "sectors", 10.0


def body(year: int, scope: str, min_share: float) -> str:
    """``/api/supply``'s Cytoscape.js JSON for the view, positions included.

    Raises:
        ValueError: no imports into Korea in ``year``.
        cache.NoLocalStore: the server answers for a remote endpoint.
    """
    def make() -> str:
        g = supply.view(cache.supply_network(year), scope, min_share)
        data = export.cytoscape(g, False)
        pos = layout.layered(g)
        for item in data["elements"]["nodes"]:
            x, y = pos[item["data"]["id"]]
            item["position"] = {"x": x, "y": y}
        data["meta"] = {
            "year": year, "scope": scope, "min_share": min_share,
            "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
            "note": "Import edges carry value (thousand USD, FOB), quantity (t), share (% of "
                    "Korea's imports of the product), year and source (CEPII BACI file and "
                    "row). Positions: layered columns, partner -> product -> element -> "
                    "group or material -> sector -> company."}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return cache.kept(("supply-drawing", year, scope, min_share), make)


def choices(year: int) -> str:
    """What the what-if can disrupt in ``year``, as JSON: each partner that sells Korea
    something, the products it sells, and per product the elements it contains, per
    element its groups; so that the page offers only what a disruption can hit."""
    def make() -> str:
        g = cache.supply_network(year)
        nodes = g.nodes

        def named(n: str) -> dict:
            d = nodes[n]
            out = {"id": n, "label": d.get("label", n), "type": d["type"]}
            for k in ("label_ko", "code"):
                if d.get(k):
                    out[k] = d[k]
            return out
        partners, products, elements = [], {}, {}
        for p in list(nodes):
            sold = {v: e["value"] for v, e in g._succ[p].items() if e.get("kind") == "imports"}
            if not sold:
                continue
            partners.append({**named(p), "value": sum(sold.values()),
                             "products": sorted(sold, key=sold.get, reverse=True)})
            for v in sold:
                if v not in products:
                    products[v] = {**named(v), "elements": sorted(
                        e for e, k in g._succ[v].items() if k.get("kind") == "contains")}
                    for e in products[v]["elements"]:
                        elements.setdefault(e, {**named(e), "groups": sorted(
                            x for x, k in g._succ[e].items() if k.get("kind") == "member")})
        groups = {x: {**named(x), "members": len(supply.members(g, x))}
                  for e in elements.values() for x in e["groups"]}
        partners.sort(key=lambda x: -x["value"])
        # The data sets' titles, for "source:" beside each figure.
        labels = Labels(get_store())
        sources = {ds: labels.of(ds)[0] or ds for ds in sorted(
            {d["dataset"] for _, _, d in g.edges(data=True) if d.get("kind") == "imports"})}
        return json.dumps({"year": year, "partners": partners, "products": products,
                           "elements": elements, "groups": groups, "sources": sources},
                          ensure_ascii=False,
                          separators=(",", ":"))
    return cache.kept(("supply-choices", year), make)


def warm(year: int) -> None:
    """The network of ``year``, the page's default view and the what-if's choices,
    computed now (``server/warm.py``)."""
    body(year, DEFAULT_SCOPE, DEFAULT_SHARE)
    choices(year)
