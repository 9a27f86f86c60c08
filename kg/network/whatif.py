"""What-if: what a supplier's disruption reaches, and how hard.

A disruption removes ``fraction`` of a country's output of everything it produces (or of
one commodity). Its **severity** at a commodity is the share of world supply lost, in
percent: ``fraction x the country's share`` (in the commodity's chosen data set). Supply
relations from the country lose ``fraction x`` the stated import dependence (100 when none
is stated). Severity then flows unchanged along supply edges to every element, material,
sector and company downstream: the graph does not say how much of a sector's need one
input is, so a node is as hit as the worst-hit input it depends on (a bottleneck, not a
sum). Each hit carries the path that explains it.
"""

from __future__ import annotations

from collections import deque

import networkx as nx

from kg.network.graph import FLOW_KINDS
from kg.network.metrics import choose, datasets


def _starts(g: nx.DiGraph, country: str, element: str | None, fraction: float,
            source: str | None, year: int | None) -> list[tuple[float, list[str]]]:
    """(severity, path) for each commodity the disruption hits first."""
    starts = []
    for _, c, e in g.out_edges(country, data=True):
        kind = e.get("kind")
        if kind == "produces":
            sets = datasets(g, c)
            key = choose(sets, source, year)
            if key is None or (sets[key].get(country) or {}).get("share") is None:
                continue
            loss = fraction * sets[key][country]["share"]
            if element is None or element == c:
                starts.append((loss, [country, c]))
            elif g.has_edge(c, element) and g.edges[c, element].get("kind") == "member":
                starts.append((loss, [country, c, element]))
            elif g.has_edge(element, c) and g.edges[element, c].get("kind") == "member":
                starts.append((loss, [country, c]))
        elif kind == "supplies" and (element is None or element in e.get("commodities", [])):
            dependence = e.get("dependence")
            starts.append((fraction * (100.0 if dependence is None else dependence),
                           [country, c]))
    return starts


def disrupt(g: nx.DiGraph, country: str, element: str | None = None,
            fraction: float = 1.0, source: str | None = None,
            year: int | None = None) -> dict:
    """Everything downstream of a disrupted supplier, worst hit first (then nearest
    first), each with the path from the supplier; ``labels`` names every node on a path.

    >>> g = nx.DiGraph()
    >>> g.add_edge("CHN", "ree", kind="produces", observations=[
    ...     {"share": 63.0, "year": None, "sources": ["paper"], "rank": 1, "claim": "c"}])
    >>> g.add_edge("ree", "Nd", kind="member")
    >>> g.add_edge("Nd", "motors", kind="requires")
    >>> g.add_edge("motors", "Kia", kind="active_in")
    >>> r = disrupt(g, "CHN", fraction=0.5)
    >>> [(h["node"], h["severity"]) for h in r["hits"]]
    [('ree', 31.5), ('Nd', 31.5), ('motors', 31.5), ('Kia', 31.5)]
    >>> r["hits"][-1]["path"]
    ['CHN', 'ree', 'Nd', 'motors', 'Kia']

    Raises:
        KeyError: ``country`` or ``element`` is not a node of ``g``.
        ValueError: ``fraction`` is not in (0, 1].
    """
    for name, node in (("country", country), ("element", element)):
        if node is not None and node not in g:
            raise KeyError(f"{name} {node!r} is not in the network")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be greater than 0 and at most 1")

    severity: dict[str, float] = {}
    parent: dict[str, str] = {}
    start_path: dict[str, list[str]] = {}
    succ = g.succ
    # Worst first: severity does not fade along a path, so the first visit is the worst.
    by_loss: dict[float, list[list[str]]] = {}
    for loss, path in _starts(g, country, element, fraction, source, year):
        by_loss.setdefault(round(loss, 6), []).append(path)
    for loss in sorted(by_loss, reverse=True):
        queue = deque()
        for path in by_loss[loss]:
            # Only the path's end is hit: disrupting one rare earth (CHN -> ree -> Nd)
            # does not hit the whole group.
            n = path[-1]
            if n not in severity:
                severity[n], start_path[n] = loss, path
                queue.append(n)
        while queue:
            n = queue.popleft()
            for v, d in succ[n].items():
                if v not in severity and v != country and d.get("kind") in FLOW_KINDS:
                    severity[v], parent[v] = loss, n
                    queue.append(v)

    # Discovery order puts every parent before its children, and is already the ranking:
    # batches go worst first, and breadth-first within a batch means nearest first.
    paths: dict[str, list[str]] = {}
    for n in severity:
        paths[n] = start_path[n] if n in start_path else [*paths[parent[n]], n]
    nodes = g.nodes
    on_paths = {country, *paths, *(x for p in start_path.values() for x in p)}
    labels = {n: nodes[n].get("label", n) for n in on_paths}
    hits = [{"node": n, "label": labels[n], "type": nodes[n].get("type"),
             "severity": severity[n], "path": p} for n, p in paths.items()]
    counts: dict[str, int] = {}
    for h in hits:
        counts[h["type"]] = counts.get(h["type"], 0) + 1
    return {"country": country, "element": element, "fraction": fraction,
            "source": source, "year": year, "counts": counts, "hits": hits,
            "labels": labels}
