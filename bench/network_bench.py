"""Benchmark of the supply network: build + metrics on a generated ~1M-triple store, and
a what-if on a generated 100k-node graph. Prints figures; targets: < 5 s and < 200 ms.

    python bench/network_bench.py [--triples 1000000] [--nodes 100000]

The generated data has the shape of the real graph (countries producing elements and
groups, per source and year; materials made from elements; sectors requiring them;
companies active in sectors), scaled up, with a fixed seed.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time

import networkx as nx

from kg import store as st
from kg.namespace import ONTOLOGY, iri
from kg.network import graph as ng
from kg.network import metrics, whatif

RDF_TYPE = st.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = st.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DERIVED = st.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
MEMBER = st.NamedNode("http://www.w3.org/2004/02/skos/core#member")
XSD = "http://www.w3.org/2001/XMLSchema#"
G = st.NamedNode(iri("graph/facts"))


def K(name: str) -> st.NamedNode:
    return st.NamedNode(ONTOLOGY + name)


def generate_quads(target: int, seed: int = 0) -> list:
    """About ``target`` quads of a scaled-up supply network."""
    rnd = random.Random(seed)
    quads: list = []

    def add(s, p, o):
        quads.append(st.Quad(s, p, o, G))

    def node(kind: str, i: int, cls: str, label: str) -> st.NamedNode:
        n = st.NamedNode(iri(f"id/{kind}/{i}"))
        add(n, RDF_TYPE, K(cls))
        add(n, LABEL, st.Literal(f"{label} {i}", language="en"))
        return n

    # Observations dominate (11 triples each); the rest is sized in proportion.
    observations = target // 11
    n_commodities = max(20, observations // 100)
    countries = [node("country", i, "Country", "country") for i in range(250)]
    commodities = [node("element", i, "ChemicalElement", "element")
                   for i in range(n_commodities)]
    groups = [node("group", i, "ElementGroup", "group") for i in range(n_commodities // 20)]
    for i, c in enumerate(commodities):
        add(groups[i % len(groups)], MEMBER, c)
    materials = [node("material", i, "Material", "material")
                 for i in range(n_commodities // 2)]
    for m in materials:
        for c in rnd.sample(commodities, 3):
            add(m, K("madeFrom"), c)
    sectors = [node("sector", i, "IndustrialSector", "sector")
               for i in range(max(10, n_commodities // 5))]
    for s in sectors:
        for x in rnd.sample(commodities, 4) + rnd.sample(materials, 2):
            add(s, K("requires"), x)
    for i in range(n_commodities * 5):
        company = node("org", i, "Company", "company")
        for s in rnd.sample(sectors, 2):
            add(company, K("activeInSector"), s)
    sources = [st.NamedNode(f"https://example.org/source/{i}") for i in range(3)]
    dataset = K("productionShares")
    sets = [(c, s, y) for c in commodities + groups for s in sources for y in range(2015, 2024)]
    # Each commodity has its own few producers, as in reality; data sets draw from them.
    pools = {c: rnd.sample(countries, 15) for c in commodities + groups}
    i = 0
    for commodity, source, year in rnd.sample(sets, min(len(sets), observations // 10)):
        shares = sorted((rnd.random() for _ in range(10)), reverse=True)
        total = sum(shares) * 1.2
        for rank, (country, share) in enumerate(
                zip(rnd.sample(pools[commodity], 10), shares, strict=True), start=1):
            o = st.NamedNode(iri(f"id/observation/{i}"))
            add(o, RDF_TYPE, K("ProductionShare"))
            add(o, RDF_TYPE, st.NamedNode("http://purl.org/linked-data/cube#Observation"))
            add(o, K("producer"), country)
            add(o, K("commodity"), commodity)
            add(o, K("sharePercent"), st.Literal(f"{100 * share / total:.2f}",
                                                 datatype=st.NamedNode(XSD + "decimal")))
            add(o, K("refYear"), st.Literal(str(year), datatype=st.NamedNode(XSD + "gYear")))
            add(o, K("productionRank"), st.Literal(str(rank),
                                                   datatype=st.NamedNode(XSD + "integer")))
            add(o, DERIVED, source)
            add(o, st.NamedNode("http://purl.org/linked-data/cube#dataSet"), dataset)
            add(o, LABEL, st.Literal(f"observation {i}", language="en"))
            add(o, K("note"), st.Literal("generated"))
            i += 1
    return quads


def generate_graph(nodes: int, seed: int = 0) -> nx.DiGraph:
    """A networkx supply network of about ``nodes`` nodes, built directly."""
    rnd = random.Random(seed)
    g = nx.DiGraph()
    n_countries, n_commodities = 250, nodes // 20
    countries = [f"c{i}" for i in range(n_countries)]
    commodities = [f"e{i}" for i in range(n_commodities)]
    materials = [f"m{i}" for i in range(n_commodities)]
    sectors = [f"s{i}" for i in range(nodes // 50)]
    companies = [f"o{i}" for i in range(nodes - n_countries - 2 * n_commodities - len(sectors))]
    for kind, names in (("country", countries), ("element", commodities),
                        ("material", materials), ("sector", sectors),
                        ("company", companies)):
        g.add_nodes_from(names, type=kind)
    for e in commodities:
        for rank, c in enumerate(rnd.sample(countries, 5), start=1):
            g.add_edge(c, e, kind="produces", observations=[
                {"share": 60.0 / rank, "year": 2023, "source": "s", "rank": rank,
                 "claim": f"{c}-{e}"}])
    for m in materials:
        for e in rnd.sample(commodities, 3):
            g.add_edge(e, m, kind="requires")
    for s in sectors:
        for x in rnd.sample(commodities, 3) + rnd.sample(materials, 3):
            g.add_edge(x, s, kind="requires")
    for o in companies:
        for s in rnd.sample(sectors, 2):
            g.add_edge(s, o, kind="active_in")
    g.graph["based_in"] = {}   # as build_graph makes it: no supplier companies here
    return g


CPU: list[float] = []


def timed(fn, *args, repeat: int = 1, **kwargs):
    """Result and wall-clock times; the CPU times go to CPU (on a shared machine, wall
    time also counts other processes' turns, CPU time only this one's work)."""
    times, result = [], None
    CPU.clear()
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - t)
        CPU.append(time.process_time() - c)
    return result, times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--nodes", type=int, default=100_000)
    args = ap.parse_args()

    quads, t_gen = timed(generate_quads, args.triples)
    store = st.Store()
    store.bulk_extend(quads)
    print(f"store: {len(quads):,} triples generated in {t_gen[0]:.1f} s "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    # The store holds them now; a server has no million Python objects about.
    del quads
    gc.collect()
    cpu = 0.0
    g, t_build = timed(ng.build_graph, store)
    cpu += CPU[0]
    print(f"network build: {t_build[0]:.2f} s ({g.number_of_nodes():,} nodes, "
          f"{g.number_of_edges():,} edges)")
    conc, t_conc = timed(metrics.concentrations, g)
    cpu += CPU[0]
    exp, t_exp = timed(metrics.exposures, g)
    cpu += CPU[0]
    chk, t_chk = timed(metrics.chokepoints, g)
    cpu += CPU[0]
    total = t_build[0] + t_conc[0] + t_exp[0] + t_chk[0]
    print(f"metrics: concentration {t_conc[0]:.2f} s ({len(conc):,} commodities), "
          f"exposure {t_exp[0]:.2f} s ({len(exp):,} sectors and companies), "
          f"chokepoints {t_chk[0]:.2f} s")
    print(f"build + metrics: {total:.2f} s wall, {cpu:.2f} s CPU (target < 5 s)")

    big, t_big = timed(generate_graph, args.nodes)
    print(f"what-if graph: {big.number_of_nodes():,} nodes, {big.number_of_edges():,} edges "
          f"({t_big[0]:.1f} s to generate)")
    r, t_what = timed(whatif.disrupt, big, "c0", repeat=5)
    print(f"what-if (disrupt c0, everything): median {1000 * statistics.median(t_what):.0f} ms "
          f"wall, {1000 * statistics.median(CPU):.0f} ms CPU over 5 runs, "
          f"{len(r['hits']):,} hits (target < 200 ms)")
    gc.freeze()   # as the server does once it has built its network (server/graph/cache.py)
    r, t_frozen = timed(whatif.disrupt, big, "c0", repeat=5)
    print(f"what-if, as served (network frozen out of the collector's way): median "
          f"{1000 * statistics.median(t_frozen):.0f} ms wall, "
          f"{1000 * statistics.median(CPU):.0f} ms CPU (target < 200 ms)")
    one = next(v for _, v, k in big.out_edges("c0", data="kind") if k == "produces")
    r, t_one = timed(whatif.disrupt, big, "c0", one, 0.5, repeat=5)
    print(f"what-if (one commodity, half): median {1000 * statistics.median(t_one):.0f} ms "
          f"wall, {1000 * statistics.median(CPU):.0f} ms CPU, "
          f"{len(r['hits']):,} hits")


if __name__ == "__main__":
    main()
