"""The network of the served store, built once and kept.

The served store is read-only and only replaced with the app (``krm build`` swaps the link,
a restarted server opens the new store), so the network is built on first use and kept
for as long as the same store object is served. Metric views are kept per parameters in
a small LRU, as betweenness on a large graph is the slow part.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict

import networkx as nx
from flask import current_app

from kg.network import graph as ng
from kg.network import metrics
from server.db import get_store

_LOCK = threading.Lock()
_VIEWS = 32


def _state() -> dict:
    store = get_store()
    state = current_app.extensions.get("krm.network")
    if state is None or state["store"] is not store:
        state = {"store": store, "graph": None, "views": OrderedDict()}
        current_app.extensions["krm.network"] = state
    return state


def network() -> nx.DiGraph:
    """The supply network of the served store (do not modify it: it is shared).

    Raises:
        OSError: the store cannot be read.
    """
    with _LOCK:
        state = _state()
        if state["graph"] is None:
            state["graph"] = ng.build_graph(state["store"])
            # The network lives as long as the process: move it out of the cyclic
            # collector's way, or every collection walks its ~10 objects per edge
            # (a third of a large what-if's time; see bench/network_bench.py).
            gc.collect()   # garbage first, so none of it is frozen with the network
            gc.freeze()
        return state["graph"]


def memo(key: tuple, compute):
    """``compute(network)`` for ``key``, kept in the LRU for this store."""
    g = network()
    return kept(key, lambda: compute(g))


def kept(key: tuple, compute):
    """``compute()`` for ``key``, kept in the LRU for this store (for what does not
    read the production network, such as the supply network's views)."""
    with _LOCK:
        views = _state()["views"]
        if key in views:
            views.move_to_end(key)
            return views[key]
    value = compute()
    with _LOCK:
        views[key] = value
        while len(views) > _VIEWS:
            views.popitem(last=False)
    return value


def annotated(source: str | None, year: int | None) -> nx.DiGraph:
    """The network with node metrics for drawing (see :func:`metrics.annotate`)."""
    return memo(("annotated", source, year), lambda g: metrics.annotate(g, source=source,
                                                                         year=year))


def sources() -> set[str]:
    """The sources of the production figures in the network."""
    return memo(("sources",), lambda g: {
        src for _, _, d in g.edges(data=True) if d.get("kind") == "produces"
        for o in d["observations"] for src in o["sources"]})


def store():
    """The served store (on disk, in memory or remote), for the dependency analyses."""
    with _LOCK:
        state = _state()
    return state["store"]


def supply_network(year: int) -> nx.DiGraph:
    """The data-driven supply network of ``year`` (:mod:`kg.network.supply`), built once
    per year and store and kept (do not modify it: it is shared).

    Raises:
        ValueError: no imports into Korea in that year.
    """
    from kg.network import supply

    with _LOCK:
        state = _state()
        years = state.setdefault("supply", {})
        g = years.get(year)
        if g is None:
            g = years[year] = supply.build(state["store"], year)
        return g
