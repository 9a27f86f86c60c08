"""Concentration and chokepoints of the supply network, and all metrics together.

**HHI with an unknown remainder.** The Herfindahl-Hirschman Index is the sum of squared
market shares in percent (0-10,000). Sources name only the largest producers, so the
shares known for a commodity sum to less than 100 and the index is bounded, not known:

- *lower bound*: the sum of the squares of the known shares, as if the remainder were
  spread over infinitely many tiny producers;
- *upper bound*: the remainder concentrated in as few further producers as allowed. When
  the known producers are ranked 1..k, no other producer may exceed the smallest known
  share, so the remainder fills producers of that size and one last one with the rest;
  without ranks, one producer takes the whole remainder.

Each commodity is measured in one data set (:mod:`kg.network.datasets`): the one asked
for, else the most recent, and the result says which. Exposure is in
:mod:`kg.network.exposure`; this module adds chokepoints and puts everything together.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

import networkx as nx

from kg.network.datasets import choose, commodities, datasets, describe
from kg.network.datasets import shares as chosen_shares
from kg.network.exposure import THRESHOLD, exposure, exposures, producer_table
from kg.network.graph import collector_paused, recency

#: Node types that consume supply: the targets of supply paths.
CONSUMERS = ("sector", "company", "organisation")


def hhi_bounds(shares: Iterable[float], ranked: bool = False) -> tuple[float, float]:
    """Lower and upper bound of the HHI (0-10,000) given the known shares in percent.

    ``ranked`` says the known shares are the top producers (ranks 1..k), which caps every
    unknown producer at the smallest known share.

    >>> hhi_bounds([83])          # tungsten, China 83%: 83² .. 83² + 17²
    (6889.0, 7178.0)
    >>> hhi_bounds([30], ranked=True)   # 70% left in producers of at most 30%
    (900.0, 2800.0)
    >>> hhi_bounds([50, 50])
    (5000.0, 5000.0)

    Raises:
        ValueError: a share outside 0-100, or shares summing to more than 100.
    """
    shares = [float(s) for s in shares]
    if any(s < 0 or s > 100 for s in shares):
        raise ValueError("shares are percentages from 0 to 100")
    known = sum(shares)
    if known > 100 + 1e-9:
        raise ValueError(f"shares sum to {known:g}%, more than 100%")
    lower = sum(s * s for s in shares)
    rest = max(0.0, 100.0 - known)
    cap = min(shares) if ranked and shares else rest
    if rest <= 1e-9 or cap <= 0:
        return round(lower, 2), round(lower, 2)
    full = math.floor(rest / cap + 1e-9)
    last = rest - full * cap
    upper = lower + full * cap * cap + last * last
    return round(lower, 2), round(upper, 2)


def concentration(g: nx.DiGraph, commodity: str, source: str | None = None,
                  year: int | None = None) -> dict | None:
    """Concentration of one commodity's production in one data set; None when no data
    set with shares matches.

    >>> g = nx.DiGraph()
    >>> g.add_node("W", label="tungsten")
    >>> g.add_edge("CHN", "W", kind="produces", observations=[
    ...     {"share": 83.0, "year": None, "sources": ["paper"], "rank": 1, "claim": "c1"}])
    >>> m = concentration(g, "W")
    >>> m["hhi_lower"], m["hhi_upper"], m["top_producer"], m["top_share"], m["unknown_share"]
    (6889.0, 7178.0, 'CHN', 83.0, 17.0)
    """
    sets = datasets(g, commodity)
    key = choose(sets, source, year)
    if key is None:
        return None
    obs = sets[key]
    quantified = {c: o for c, o in obs.items() if o["share"] is not None}
    ranks = sorted(o["rank"] for o in quantified.values() if o.get("rank") is not None)
    ranked = ranks == list(range(1, len(quantified) + 1))
    warning = None
    try:
        lower, upper = hhi_bounds([o["share"] for o in quantified.values()], ranked=ranked)
    except ValueError as e:
        # Inconsistent figures in one data set: report them rather than hide the commodity.
        lower = upper = round(sum(o["share"] ** 2 for o in quantified.values()), 2)
        warning = str(e)
    producers = sorted(
        ({"country": c, "label": g.nodes[c].get("label", c), "share": o["share"],
          "rank": o.get("rank"), "sources": o["sources"], "claim": o["claim"]}
         for c, o in obs.items()),
        key=lambda p: (p["share"] is None, -(p["share"] or 0), p["rank"] or 99, p["label"]),
    )
    known = round(sum(o["share"] for o in quantified.values()), 4)
    return {
        "commodity": commodity,
        "label": g.nodes[commodity].get("label", commodity),
        "type": g.nodes[commodity].get("type"),
        **describe(key, obs),
        "latest": key == choose(sets),
        "views": [describe(k, sets[k]) for k in sorted(sets, key=recency, reverse=True)
                  if any(o["share"] is not None for o in sets[k].values())],
        "hhi_lower": lower,
        "hhi_upper": upper,
        "known_share": known,
        "unknown_share": round(max(0.0, 100 - known), 4),
        "top_producer": producers[0]["country"],
        "top_producer_label": producers[0]["label"],
        "top_share": producers[0]["share"],
        "producers": producers,
        "warning": warning,
    }


@collector_paused()
def concentrations(g: nx.DiGraph, source: str | None = None,
                   year: int | None = None) -> list[dict]:
    """:func:`concentration` for every commodity that has a matching data set, the most
    concentrated (by upper bound) first."""
    out = [m for c in commodities(g) if (m := concentration(g, c, source, year))]
    return sorted(out, key=lambda m: (-m["hhi_upper"], m["label"]))


# --- Chokepoints ------------------------------------------------------------------------

@collector_paused()
def betweenness(g: nx.DiGraph, sample: int = 50, seed: int = 0) -> dict[str, float]:
    """Supply betweenness: for every node, the share of shortest supply paths from where
    supply starts (nodes nothing flows into: producers, unproduced inputs) to its
    consumers (sectors, companies, organisations) that pass through it; networkx's
    ``betweenness_centrality_subset``, normalised.

    Betweenness over all pairs would also count paths between two producers' outputs
    or from a company backwards, which mean nothing for supply, and costs O(nm). When
    there are more than ``sample`` start nodes, a seeded sample of them is used and the
    scores scaled up, so large graphs stay fast and results repeatable.

    >>> g = nx.DiGraph([("CHN", "W"), ("VNM", "W"), ("W", "chips"), ("chips", "Samsung")])
    >>> {n: round(b, 3) for n, b in betweenness(g).items() if b}
    {'W': 0.167, 'chips': 0.167}
    """
    roots = sorted(n for n in g if g.in_degree(n) == 0 and g.out_degree(n) > 0)
    sinks = [n for n, t in g.nodes(data="type") if t in CONSUMERS and g.in_degree(n)]
    if not sinks:  # an untyped graph: where supply ends
        sinks = [n for n in g if g.out_degree(n) == 0 and g.in_degree(n) > 0]
    used = random.Random(seed).sample(roots, sample) if len(roots) > sample else roots
    scores = nx.betweenness_centrality_subset(g, used, sinks, normalized=True)
    scale = len(roots) / len(used) if used else 1.0
    return {n: b * scale for n, b in scores.items()}


def chokepoints(g: nx.DiGraph, top: int = 10, scores: dict | None = None) -> list[dict]:
    """The nodes that most supply paths pass through (:func:`betweenness`), highest
    first, leaving out nodes no path passes through.

    >>> g = nx.DiGraph([("CHN", "W"), ("W", "metal"), ("metal", "chips")])
    >>> [c["node"] for c in chokepoints(g)]
    ['W', 'metal']
    """
    scores = betweenness(g) if scores is None else scores
    ranked = sorted((n for n in scores if scores[n] > 0), key=lambda n: (-scores[n], n))
    return [{"node": n, "label": g.nodes[n].get("label", n), "type": g.nodes[n].get("type"),
             "betweenness": round(scores[n], 6)} for n in ranked[:top]]


# --- Everything at once -----------------------------------------------------------------

def summary(g: nx.DiGraph, threshold: float = THRESHOLD, source: str | None = None,
            year: int | None = None, top: int = 10) -> dict:
    """Concentration per commodity, exposure per sector and company, and chokepoints."""
    return {
        "source": source, "year": year, "threshold": threshold,
        "commodities": concentrations(g, source, year),
        "exposure": exposures(g, threshold, source, year, top=top),
        "chokepoints": chokepoints(g, top),
    }


@collector_paused()
def annotate(g: nx.DiGraph, threshold: float = THRESHOLD, source: str | None = None,
             year: int | None = None) -> nx.DiGraph:
    """A copy of ``g`` whose nodes carry the metrics a drawing can size and colour by:
    ``degree``, ``betweenness``; for commodities ``hhi_lower``, ``hhi_upper`` and
    ``top_share``; for sectors and companies ``max_dependency`` (largest single-country
    share of something they need); for countries ``max_share`` (largest share they hold).
    """
    out = g.copy()
    scores = betweenness(g)
    for n, d in out.nodes(data=True):
        d["degree"] = out.degree(n)
        d["betweenness"] = round(scores.get(n, 0.0), 6)
    for m in concentrations(g, source, year):
        d = out.nodes[m["commodity"]]
        d.update(hhi_lower=m["hhi_lower"], hhi_upper=m["hhi_upper"], top_share=m["top_share"])
    chosen = chosen_shares(g, source, year)
    if source is not None or year is not None:
        # Edges show the asked-for data set's figures where it has them.
        for commodity, obs in chosen.items():
            for country, o in obs.items():
                out.edges[country, commodity].update(
                    share=o["share"], year=o["year"], sources=o["sources"], rank=o["rank"])
    memo: dict = {}
    table = producer_table(chosen, threshold)
    for n in sorted(g, key=lambda n: g.nodes[n].get("layer", 0)):
        if g.nodes[n].get("type") in ("sector", "company"):
            items = exposure(g, n, threshold, memo=memo, top=1, table=table)["exposure"]
            out.nodes[n]["max_dependency"] = max((i["share"] for i in items), default=0.0)
    for obs in chosen.values():
        for country, o in obs.items():
            d = out.nodes[country]
            d["max_share"] = max(d.get("max_share", 0.0), o["share"])
    return out
