"""Data sets of production figures, and choosing one.

Figures come per year (USGS figures, relayed by several pages) or undated from one
source (the paper). Each year, and each undated source, is a data set
(:func:`kg.network.graph.dataset`); the analyses use one data set with shares per
commodity: the one asked for (by source and/or year), else the most recent, and say
which. Figures that give only a rank are listed but enter no computation.
"""

from __future__ import annotations

import networkx as nx

from kg.namespace import PAPER
from kg.network.graph import dataset, recency

#: Short names for sources, accepted wherever a source IRI is.
SOURCE_ALIASES = {"paper": PAPER}


def resolve_source(value: str | None) -> str | None:
    """A source IRI from an IRI or a short name.

    >>> resolve_source("paper")
    'https://doi.org/10.31643/2024/6445.27'
    """
    return SOURCE_ALIASES.get(value, value) if value else None


def datasets(g: nx.DiGraph, commodity: str) -> dict[tuple, dict[str, dict]]:
    """The data sets for one commodity: ``{(year, sources): {country: observation}}``.

    >>> g = nx.DiGraph()
    >>> g.add_edge("CHN", "W", kind="produces", observations=[
    ...     {"share": 83.0, "year": None, "sources": ["paper"], "rank": 1, "claim": "c1"},
    ...     {"share": 80.0, "year": 2023, "sources": ["usgs"], "rank": 1, "claim": "c2"}])
    >>> sorted(datasets(g, "W"), key=recency)
    [(None, ('paper',)), (2023, ())]
    """
    out: dict[tuple, dict[str, dict]] = {}
    for country, e in g.pred[commodity].items():
        if e.get("kind") != "produces":
            continue
        for obs in e["observations"]:
            out.setdefault(dataset(obs), {})[country] = obs
    return out


def choose(sets: dict[tuple, dict[str, dict]], source: str | None = None,
           year: int | None = None) -> tuple | None:
    """The data set to use: the most recent with shares among those with a figure from
    ``source`` and for ``year``; None when none matches.

    >>> sets = {(None, ("paper",)): {"CHN": {"share": 83.0, "sources": ["paper"]}},
    ...         (2023, ()): {"CHN": {"share": 80.0, "sources": ["usgs"]}},
    ...         (2024, ()): {"CHN": {"share": None, "sources": ["news"]}}}
    >>> choose(sets), choose(sets, source="paper"), choose(sets, year=2024)
    ((2023, ()), (None, ('paper',)), None)
    """
    keys = [k for k, obs in sets.items()
            if (year is None or k[0] == year)
            and any(o["share"] is not None for o in obs.values())
            and (source is None or any(source in o["sources"] for o in obs.values()))]
    return max(keys, key=recency) if keys else None


def commodities(g: nx.DiGraph) -> list[str]:
    """Nodes with at least one production figure."""
    return sorted({v for _, v, k in g.edges(data="kind") if k == "produces"})


def describe(key: tuple, obs: dict[str, dict]) -> dict:
    """A data set as results name it: its year and all its figures' sources.

    >>> describe((2023, ()), {"CHN": {"sources": ["b", "a"]}, "VNM": {"sources": ["a"]}})
    {'year': 2023, 'sources': ['a', 'b']}
    """
    return {"year": key[0], "sources": sorted({s for o in obs.values() for s in o["sources"]})}


def shares(g: nx.DiGraph, source: str | None, year: int | None) -> dict[str, dict]:
    """{commodity: {country: observation}} in the chosen data set of each commodity,
    figures with a share only."""
    out = {}
    for c in commodities(g):
        sets = datasets(g, c)
        key = choose(sets, source, year)
        if key is not None:
            out[c] = {k: o for k, o in sets[key].items() if o["share"] is not None}
    return out
