"""What-if: what a supplier's disruption reaches, and how hard.

A disruption removes ``fraction`` of a country's output of everything it produces (or of
one commodity). Its **severity** at a commodity is the share of world supply lost, in
percent: ``fraction x the country's share`` (in the commodity's chosen data set); at a
company based in the country that supplies others, ``fraction x 100`` of its own output.
Severity then flows unchanged along supply edges to every element, material, sector and
company downstream: the graph does not say how much of a sector's need one input is, so
a node is as hit as the worst-hit input it depends on (a bottleneck, not a sum).

A supply relation (supplier -> recipient) does not say which part of the recipient's
need that supplier meets, so what is reached only through one is hit with an unknown
severity (None), ranked after every quantified hit. Each hit carries the path that
explains it.
"""

from __future__ import annotations

from collections import deque

import networkx as nx

from kg.network.datasets import choose, datasets
from kg.network.graph import FLOW_KINDS

_QUANTIFIED = FLOW_KINDS - {"supplies"}


def _starts(g: nx.DiGraph, country: str, element: str | None, fraction: float,
            source: str | None, year: int | None) -> list[tuple[float | None, list[str]]]:
    """(severity, path) for each node the disruption hits first."""
    starts: list[tuple[float | None, list[str]]] = []
    for c, e in g.succ[country].items():
        kind = e.get("kind")
        if kind == "produces":
            sets = datasets(g, c)
            key = choose(sets, source, year)
            if key is None or (sets[key].get(country) or {}).get("share") is None:
                continue
            loss = fraction * sets[key][country]["share"]
            if element is None or element == c:
                starts.append((loss, [country, c]))
            elif g.succ[c].get(element, {}).get("kind") == "member":
                starts.append((loss, [country, c, element]))   # a member of c, or c's class
            elif g.succ[element].get(c, {}).get("kind") == "member":
                starts.append((loss, [country, c]))            # c is a member of element
        elif kind == "supplies" and _carries(e, element):
            starts.append((None, [country, c]))
    # Companies based in the country lose the same fraction of what they supply.
    index = g.graph.get("based_in")
    orgs = index.get(country, []) if index is not None else [
        n for n, c in g.nodes(data="based_in") if c == country]
    for org in orgs:
        if any(e.get("kind") == "supplies" and _carries(e, element)
               for e in g.succ[org].values()):
            starts.append((fraction * 100.0, [country, org]))
    return starts


def _carries(edge: dict, element: str | None) -> bool:
    return element is None or element in edge.get("commodities", [])


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
    >>> [h["basis"] for h in r["hits"]]
    ['measured', 'worst input', 'worst input', 'worst input']
    >>> [(h["node"], h["basis"]) for h in disrupt(g, "CHN", element="Nd")["hits"][:1]]
    [('Nd', "group's figure")]

    ``basis`` says where a hit's severity comes from: ``"measured"``, the supplier's own
    figure for the node; ``"group's figure"``, a member of a group reached through the
    group's share (not measured for the member); ``"worst input"``, taken from the
    worst-hit input upstream; ``"unknown"``, reached through a supply relation only.

    Raises:
        KeyError: ``country`` or ``element`` is not a node of ``g``.
        ValueError: ``fraction`` is not in (0, 1].
    """
    for name, node in (("country", country), ("element", element)):
        if node is not None and node not in g:
            raise KeyError(f"{name} {node!r} is not in the network")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be greater than 0 and at most 1")

    severity: dict[str, float | None] = {}
    parent: dict[str, str] = {}
    start_path: dict[str, list[str]] = {}
    # networkx's own dicts of successors and node attributes: its views cost a call for
    # every access, a third of a large what-if's time.
    succ = g._succ
    starts = _starts(g, country, element, fraction, source, year)
    # Worst first: severity does not fade along a path, so the first visit is the worst.
    by_loss: dict[float, list[list[str]]] = {}
    unknown = [path for loss, path in starts if loss is None]
    for loss, path in starts:
        if loss is not None:
            by_loss.setdefault(round(loss, 6), []).append(path)
    batches = [(loss, by_loss[loss]) for loss in sorted(by_loss, reverse=True)]
    # Then what only a supply relation reaches, with an unknown severity.
    later: list[tuple[str, str]] = []
    for loss, paths_ in [*batches, (None, unknown)]:
        queue = deque()
        for path in paths_:
            # Only the path's end is hit: disrupting one rare earth (CHN -> ree -> Nd)
            # does not hit the whole group.
            n = path[-1]
            if n not in severity and n != country:
                severity[n], start_path[n] = loss, path
                queue.append(n)
        if loss is None:
            for u, v in later:
                if v not in severity and v != country:
                    severity[v], parent[v] = None, u
                    queue.append(v)
        kinds = FLOW_KINDS if loss is None else _QUANTIFIED
        pop, push = queue.popleft, queue.append
        while queue:
            n = pop()
            for v, d in succ[n].items():
                if v in severity or v == country:
                    continue
                kind = d.get("kind")
                if kind in kinds:
                    severity[v] = loss
                    parent[v] = n
                    push(v)
                elif kind == "supplies" and _carries(d, element if n in start_path else None):
                    later.append((n, v))

    # Discovery order puts every parent before its children, and is already the ranking:
    # batches go worst first, and breadth-first within a batch means nearest first.
    nodes = g._node
    paths: dict[str, list[str]] = {}
    hits = []
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for n, s in severity.items():
        p = start_path.get(n)
        if p is None:
            p = paths[parent[n]] + [n]
        paths[n] = p
        a = nodes[n]
        t = a.get("type")
        label = labels[n] = a.get("label", n)
        counts[t] = counts.get(t, 0) + 1
        basis = ("unknown" if s is None else "worst input" if n not in start_path
                 else "measured" if len(p) == 2 else "group's figure")
        hits.append({"node": n, "label": label, "type": t, "severity": s, "path": p,
                     "basis": basis})
    for x in (country, *(x for p in start_path.values() for x in p)):
        if x not in labels:
            labels[x] = nodes[x].get("label", x)
    return {"country": country, "element": element, "fraction": fraction,
            "source": source, "year": year, "counts": counts, "hits": hits,
            "labels": labels}
