"""Exposure: what each sector and company depends on, country by country.

A sector's or company's exposure to a supplier country runs through everything upstream
of it (elements, groups, materials) that the country produces; a dependency is a country
holding more than a threshold of one of them.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from collections.abc import Container, Iterable
from itertools import chain

import networkx as nx

from kg.network.datasets import shares as chosen_shares
from kg.network.graph import FLOW_KINDS, collector_paused

#: Default share (%) above which one country is a dependency.
THRESHOLD = 50.0


def upstream(g: nx.DiGraph, node: str, memo: dict | None = None) -> dict[str, list[str]]:
    """Everything ``node`` depends on along flow edges, each with a shortest path from it
    to ``node``. With ``memo`` (node -> what :func:`_reach` found for it), a node whose
    predecessors are all in it is answered by merging theirs, which keeps exposure of many
    companies cheap.

    >>> g = nx.DiGraph([("W", "metal"), ("metal", "chips")])
    >>> nx.set_edge_attributes(g, "requires", "kind")
    >>> upstream(g, "chips")["W"]
    ['W', 'metal', 'chips']
    """
    found = _reach(g, node, memo)
    return {x: _path(memo, found, node, x) for x in found}


def _reach(g: nx.DiGraph, node: str, memo: dict | None,
           keep: Container[str] | None = None) -> dict[str, tuple]:
    """What :func:`upstream` finds (of it, only the nodes in ``keep`` when given), in the
    same order, as ``{x: (length of the path, how to make it)}``: paths are made by
    :func:`_path` only for the few an answer shows. A ``memo`` is only reused with the
    same ``keep``."""
    pred = g._pred   # networkx's own dicts: a view costs two calls per lookup
    preds = [u for u, d in pred[node].items() if d.get("kind") in FLOW_KINDS]
    if memo is not None and preds and all(u in memo for u in preds):
        # x's path is a predecessor's path to x and then node: the shortest, the first
        # predecessor's among equals. A predecessor itself is (2, None): [u, node].
        found = {u: (2, None) for u in preds if keep is None or u in keep}
        for u in preds:
            for x, (length, _) in memo[u].items():
                if x != node:
                    old = found.get(x)
                    if old is None or length + 1 < old[0]:
                        found[x] = (length + 1, u)
    else:
        paths = {node: [node]}
        queue = deque([node])
        while queue:
            n = queue.popleft()
            for u, d in pred[n].items():
                if d.get("kind") in FLOW_KINDS and u not in paths:
                    paths[u] = [u, *paths[n]]
                    queue.append(u)
        del paths[node]
        found = {x: (len(p), p) for x, p in paths.items() if keep is None or x in keep}
    if memo is not None:
        memo[node] = found
    return found


def _path(memo: dict | None, found: dict[str, tuple], node: str, x: str) -> list[str]:
    """The path from ``x`` to ``node`` of what :func:`_reach` found for ``node``."""
    _, via = found[x]
    if via is None:
        return [x, node]
    if isinstance(via, list):
        return via
    return [*_path(memo, memo[via], via, x), node]


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
    found = _reach(g, node, memo, table)
    # A country's figure is its largest share of a commodity upstream, the one nearest
    # among equal shares, the first found among equally near ones. Taking every
    # commodity's producers in that order (largest share first, a heap merging the
    # commodities' lists) meets each country first at its figure, and the ``top``
    # countries are met first: the rest need not be looked at.
    heap = []
    for pos, (commodity, (length, _)) in enumerate(found.items()):
        heap.append((-table[commodity][0][0][1], length, pos, 0, commodity))
    heapq.heapify(heap)
    best: dict[str, tuple] = {}
    last = None   # (share, length) of the top-th country met: ties with it may rank first
    while heap:
        negative, length, pos, i, commodity = heap[0]
        if last is not None and (negative, length) > last:
            break
        producers = table[commodity][0]
        country, share, obs = producers[i]
        if country not in best:
            best[country] = (share, length, commodity, obs)
            if len(best) == top:
                last = (negative, length)
        if i + 1 < len(producers):
            heapq.heapreplace(heap, (-producers[i + 1][1], length, pos, i + 1, commodity))
        else:
            heapq.heappop(heap)
    count = Counter(chain.from_iterable(table[c][2] for c in found))

    nodes = g.nodes

    def item(country, commodity, obs) -> dict:
        return {
            "country": country, "label": nodes[country].get("label", country),
            "commodity": commodity,
            "commodity_label": nodes[commodity].get("label", commodity),
            "share": obs["share"], "sources": obs["sources"], "year": obs["year"],
            "claim": obs["claim"], "path": [country, *_path(memo, found, node, commodity)],
        }

    ranked = sorted(best.items(), key=lambda cb: (-cb[1][0], cb[1][1], cb[0], cb[1][2]))
    items = [{**item(c, b[2], b[3]), "commodities": count[c]}
             for c, b in (ranked if top is None else ranked[:top])]
    # Dependencies ranked by share, then path length, country and commodity.
    deps = sorted((-share, found[commodity][0], country, commodity, obs)
                  for commodity in found for country, share, obs in table[commodity][1])
    return {
        "node": node, "label": g.nodes[node].get("label", node),
        "type": g.nodes[node].get("type"), "threshold": threshold,
        "countries": len(count),
        "exposure": items,
        "dependencies": [item(c, m, o) for _, _, c, m, o in deps],
    }


def producer_table(shares: dict[str, dict], threshold: float) -> dict[str, tuple]:
    """Per commodity, its producers as (country, share, observation), largest share
    first; those above ``threshold``; and the producing countries: the shape
    :func:`exposure` reads fastest."""
    out = {}
    for commodity, obs in shares.items():
        rows = sorted(((country, o["share"], o) for country, o in obs.items()),
                      key=lambda r: r[1], reverse=True)
        if rows:
            out[commodity] = (rows, [r for r in rows if r[1] > threshold],
                              [r[0] for r in rows])
    return out


@collector_paused()
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
