"""Benchmark of the data-driven supply network (issue 12) on the real built store: build
and metrics of one year's network (target < 2 s), a what-if (target < 200 ms), and the
dependency analyses. Prints the median and the worst of a few rounds.

    python bench/supply_bench.py [--store var/store] [--year 2024] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from kg import store as st
from kg.network import dependency, supply

K = "https://w3id.org/krm/id/"


def timed(fn, rounds: int) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(rounds):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default="var/store")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    store = st.open_store(a.store)
    supply.build(store, a.year)   # warm the store's caches once

    def line(what: str, target: float | None, med: float, worst: float) -> None:
        ok = "" if target is None else ("  ok" if med < target else "  OVER TARGET")
        goal = "" if target is None else f"  (target < {target * 1000:.0f} ms)"
        print(f"{what:<52} median {med * 1000:8.1f} ms  worst {worst * 1000:8.1f} ms"
              f"{goal}{ok}")

    med, worst, g = timed(lambda: supply.build(store, a.year), a.rounds)
    line(f"build the {a.year} network ({g.number_of_nodes()} nodes, "
         f"{g.number_of_edges()} edges)", None, med, worst)
    build_med, build_worst = med, worst
    med, worst, _ = timed(lambda: supply.metrics(g), a.rounds)
    line("metrics", None, med, worst)
    line("build + metrics", 2.0, build_med + med, build_worst + worst)
    cases = [("CHN, everything", dict(partner=K + "country/CHN")),
             ("CHN, neodymium's products", dict(partner=K + "country/CHN",
                                                element=K + "element/Nd")),
             ("CHL, lithium carbonate, half", dict(partner=K + "country/CHL",
                                                   product=K + "product/hs92/283691",
                                                   fraction=0.5))]
    for name, kw in cases:
        med, worst, _ = timed(lambda kw=kw: supply.disrupt(g, **kw), a.rounds * 4)
        line(f"what-if: {name}", 0.2, med, worst)
    for name, fn in [
        ("imports of lithium carbonate, 2024", lambda: dependency.import_profile(
            store, 2024, product="283691")),
        ("imports of lithium carbonate, 1995-2024", lambda: dependency.import_series(
            store, product="283691")),
        ("cobalt production concentration, 2022", lambda: dependency.production_concentration(
            store, "cobalt", 2022)),
        ("GeoPolRisk, cobalt oxides, 2022", lambda: dependency.supply_risk(
            store, "282200", "cobalt", 2022)),
    ]:
        med, worst, _ = timed(fn, a.rounds)
        line(name, None, med, worst)


if __name__ == "__main__":
    main()
