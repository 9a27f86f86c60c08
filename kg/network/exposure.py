"""Exposure: what each sector and company depends on, country by country.

A sector's or company's exposure to a supplier country runs through everything upstream
of it (elements, groups, materials) that the country produces; a dependency is a country
holding more than a threshold of one of them.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable

import networkx as nx

from kg.network.datasets import shares as chosen_shares
from kg.network.graph import FLOW_KINDS

#: Default share (%) above which one country is a dependency.
THRESHOLD = 50.0


def upstream(g: nx.DiGraph, node: str, memo: dict | None = None) -> dict[str, list[str]]:
    """Everything ``node`` depends on along flow edges, each with a shortest path from it
    to ``node``. With ``memo`` (node -> its upstream), a node whose predecessors are all
    in it is answered by merging theirs, which keeps exposure of many companies cheap.

    >>> g = nx.DiGraph([("W", "metal"), ("metal", "chips")])
    >>> nx.set_edge_attributes(g, "requires", "kind")
    >>> upstream(g, "chips")["W"]
    ['W', 'metal', 'chips']
    """
    preds = [u for u, d in g.pred[node].items() if d.get("kind") in FLOW_KINDS]
    if memo is not None and preds and all(u in memo for u in preds):
        paths = {u: [u, node] for u in preds}
        for u in preds:
            for x, p in memo[u].items():
                if x != node and (x not in paths or len(p) + 1 < len(paths[x])):
                    paths[x] = [*p, node]
    else:
        paths = {node: [node]}
        queue = deque([node])
        while queue:
            n = queue.popleft()
            for u, d in g.pred[n].items():
                if d.get("kind") in FLOW_KINDS and u not in paths:
                    paths[u] = [u, *paths[n]]
                    queue.append(u)
        del paths[node]
    if memo is not None:
        memo[node] = paths
    return paths


def exposure(g: nx.DiGraph, node: str, threshold: float = THRESHOLD,
             source: str | None = None, year: int | None = None,
             shares: dict | None = None, memo: dict | None = None,
             top: int | None = None, table: dict | None = None) -> dict:
    """A sector's or company's exposure to each supplier country through the commodities
    it needs (per country: its largest share of one of them, and how many it supplies;
    the ``top`` largest when given, ``countries`` saying how many there are), and its
    dependencies: every (country, commodity) where the country holds more than
    ``threshold`` %.

    >>> g = nx.DiGraph()
    >>> g.add_edge("CHN", "W", kind="produces", observations=[
    ...     {"share": 83.0, "year": None, "sources": ["paper"], "rank": 1, "claim": "c1"}])
    >>> g.add_edge("W", "chips", kind="requires")
    >>> e = exposure(g, "chips")
    >>> [(d["country"], d["commodity"], d["share"], d["path"]) for d in e["dependencies"]]
    [('CHN', 'W', 83.0, ['CHN', 'W', 'chips'])]
    """
    if table is None:
        if shares is None:
            shares = chosen_shares(g, source, year)
        table = producer_table(shares, threshold)
    best: dict[str, tuple] = {}
    count: dict[str, int] = {}
    deps = []
    for commodity, path in upstream(g, node, memo).items():
        entry = table.get(commodity)
        if entry is None:
            continue
        producers, above = entry
        dist = len(path)
        for country, share, obs in producers:
            count[country] = count.get(country, 0) + 1
            b = best.get(country)
            if b is None or share > b[0] or (share == b[0] and dist < b[1]):
                best[country] = (share, dist, commodity, path, obs)
        for country, share, obs in above:
            deps.append((share, commodity, path, obs, country))

    nodes = g.nodes

    def item(country, commodity, path, obs) -> dict:
        return {
            "country": country, "label": nodes[country].get("label", country),
            "commodity": commodity,
            "commodity_label": nodes[commodity].get("label", commodity),
            "share": obs["share"], "sources": obs["sources"], "year": obs["year"],
            "claim": obs["claim"], "path": [country, *path],
        }

    def order(i: dict) -> tuple:
        return (-i["share"], len(i["path"]), i["country"], i["commodity"])

    def rank(cb: tuple) -> tuple:
        return (-cb[1][0], cb[1][1], cb[0], cb[1][2])

    ranked = (sorted(best.items(), key=rank) if top is None
              else heapq.nsmallest(top, best.items(), key=rank))
    items = [{**item(c, b[2], b[3], b[4]), "commodities": count[c]} for c, b in ranked]
    return {
        "node": node, "label": g.nodes[node].get("label", node),
        "type": g.nodes[node].get("type"), "threshold": threshold,
        "countries": len(best),
        "exposure": items,
        "dependencies": sorted((item(c, m, p, o) for _, m, p, o, c in deps), key=order),
    }


def producer_table(shares: dict[str, dict], threshold: float) -> dict[str, tuple]:
    """Per commodity, its producers as (country, share, observation), and those above
    ``threshold``: the shape the exposure loop reads fastest."""
    out = {}
    for commodity, obs in shares.items():
        rows = [(country, o["share"], o) for country, o in obs.items()]
        out[commodity] = (rows, [r for r in rows if r[1] > threshold])
    return out


def exposures(g: nx.DiGraph, threshold: float = THRESHOLD, source: str | None = None,
              year: int | None = None, types: Iterable[str] = ("sector", "company"),
              top: int | None = 10) -> list[dict]:
    """:func:`exposure` of every sector and company, the most dependent first; each lists
    its ``top`` supplier countries (all with ``top=None``) and all its dependencies."""
    shares = chosen_shares(g, source, year)
    types = set(types)
    memo: dict = {}
    # Sectors before the companies active in them, so companies reuse their paths.
    targets = sorted((n for n, t in g.nodes(data="type") if t in types),
                     key=lambda n: g.nodes[n].get("layer", 0))
    table = producer_table(shares, threshold)
    out = [exposure(g, n, threshold, memo=memo, top=top, table=table) for n in targets]
    return sorted(out, key=lambda e: (-max((i["share"] for i in e["exposure"]), default=0),
                                      e["label"]))
