"""Positions for drawing a layered network: one column per layer, in the direction
supply flows (partner -> product -> element -> group or material -> sector -> company),
each column ordered to keep edges short and few crossing.

Why here and not in the browser: the ordering (barycentre sweeps, as in Sugiyama's
layered drawing) is a few milliseconds of Python per view, computed once per view and
kept with it, and the page then draws at once with Cytoscape's ``preset`` layout.
"""

from __future__ import annotations

import networkx as nx

#: Pixels between columns and between rows of a column.
COLUMN, ROW = 190, 22


def layered(g: nx.DiGraph, sweeps: int = 4, column: int = COLUMN,
            row: int = ROW) -> dict[str, tuple[float, float]]:
    """``{node: (x, y)}``: column by the node's ``layer`` attribute; within a column, an
    order by the mean position of each node's neighbours in the columns beside it
    (alternating sweeps left-to-right and right-to-left), ties by label; each column is
    centred on y = 0.

    >>> g = nx.DiGraph()
    >>> for n, layer in [("a", 0), ("b", 0), ("x", 1), ("y", 1)]:
    ...     g.add_node(n, layer=layer, label=n)
    >>> g.add_edge("a", "y"); g.add_edge("b", "x")
    >>> pos = layered(g, column=100, row=10)
    >>> pos["a"][0], pos["x"][0]
    (0, 100)
    >>> pos["a"][1] < pos["b"][1], pos["y"][1] < pos["x"][1]   # no crossing
    (True, True)
    """
    layers: dict[int, list[str]] = {}
    for n, d in g.nodes(data=True):
        layers.setdefault(d.get("layer", 0), []).append(n)
    keys = sorted(layers)
    for k in keys:
        layers[k].sort(key=lambda n: str(g.nodes[n].get("label", n)).lower())
    rank = {n: i for k in keys for i, n in enumerate(layers[k])}
    layer_of = {n: d.get("layer", 0) for n, d in g.nodes(data=True)}

    def y(n: str) -> float:   # columns are centred: compare places, not ranks
        return rank[n] - (len(layers[layer_of[n]]) - 1) / 2

    def reorder(k: int, side: set[int]) -> None:
        def centre(n: str) -> float:
            around = [y(m) for m in nx.all_neighbors(g, n) if layer_of[m] in side]
            return sum(around) / len(around) if around else y(n)
        # A column's order is kept where a node has no neighbour beside it.
        layers[k].sort(key=lambda n: (centre(n), rank[n]))
        for i, n in enumerate(layers[k]):
            rank[n] = i

    for sweep in range(sweeps):
        order = keys[1:] if sweep % 2 == 0 else keys[-2::-1]
        for k in order:
            i = keys.index(k)
            beside = keys[i - 1] if sweep % 2 == 0 else keys[i + 1]
            reorder(k, {beside})
    pos = {}
    for c, k in enumerate(keys):
        nodes = layers[k]
        top = -(len(nodes) - 1) * row / 2
        for i, n in enumerate(nodes):
            pos[n] = (c * column, top + i * row)
    return pos
