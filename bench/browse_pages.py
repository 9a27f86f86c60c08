"""Resource page latency: p50 and p99 of ``/page/...`` over the real server.

Starts ``krm serve`` on the given store, fetches every resource page of a sample (after one
warm-up pass) several times, and prints the figures per kind of resource and overall.
With ``--synthetic N`` it first writes a copy of the store grown by about N triples of
generated companies, supply relations and production shares that link to the real
elements and countries, to see how pages scale; like ``krm build``, it writes the
store's browse index (``kg/hubs.py``) beside it.

    python bench/browse_pages.py --store var/store
    python bench/browse_pages.py --store var/store --synthetic 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import requests

from kg import store as st
from kg.build import write_index
from kg.namespace import BASE, GRAPH_FACTS, ONTOLOGY

ID = BASE + "id/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(store: Path, workers: int):
    port = free_port()
    krm = Path(sys.executable).with_name("krm")
    proc = subprocess.Popen([str(krm), "serve", "--port", str(port), "--workers", str(workers),
                             "--store", str(store)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=5).ok:
                return proc, base
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def sample(store, n: int, seed: int) -> list[str]:
    """Up to ``n`` resource IRIs, spread over kinds (element, country, org, claim...)."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    label = st.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for q in store.quads_for_pattern(None, label, None, st.NamedNode(GRAPH_FACTS)):
        iri = q.subject.value
        if iri.startswith(ID):
            kind = iri[len(ID):].split("/", 1)[0]
            if iri not in by_kind[kind]:
                by_kind[kind].append(iri)
    rnd = random.Random(seed)
    out: list[str] = []
    kinds = sorted(by_kind)
    per_kind = max(1, n // max(1, len(kinds)))
    for kind in kinds:
        iris = sorted(by_kind[kind])
        out += rnd.sample(iris, min(per_kind, len(iris)))
    return out


def grow(source: Path, triples: int, seed: int) -> Path:
    """A copy of ``source`` with about ``triples`` synthetic triples added."""
    src = st.open_store(source)
    quads = list(src.quads_for_pattern(None, None, None, None))
    elements = sorted({q.subject.value for q in quads
                       if q.subject.value.startswith(ID + "element/")})
    countries = sorted({q.subject.value for q in quads
                        if q.subject.value.startswith(ID + "country/")})
    g = st.NamedNode(GRAPH_FACTS)
    rdf_type = st.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = st.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    derived = st.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")

    def k(name):
        return st.NamedNode(ONTOLOGY + name)

    rnd = random.Random(seed)
    extra = []
    i = 0
    while len(extra) < triples:
        company = st.NamedNode(f"{ID}org/synthetic-{i}")
        rel = st.NamedNode(f"{ID}supply/synthetic-{i}")
        obs = st.NamedNode(f"{ID}observation/synthetic-{i}")
        extra += [
            st.Quad(company, rdf_type, k("Company"), g),
            st.Quad(company, label, st.Literal(f"Synthetic company {i}", language="en"), g),
            st.Quad(company, label, st.Literal(f"합성 기업 {i}", language="ko"), g),
            st.Quad(company, k("basedIn"), st.NamedNode(rnd.choice(countries)), g),
            st.Quad(rel, rdf_type, k("SupplyRelation"), g),
            st.Quad(rel, k("supplier"), company, g),
            st.Quad(rel, k("recipient"), st.NamedNode(f"{ID}org/synthetic-{i + 1}"), g),
            st.Quad(rel, k("commodity"), st.NamedNode(rnd.choice(elements)), g),
            st.Quad(rel, derived, st.NamedNode("https://example.org/synthetic"), g),
            st.Quad(obs, rdf_type, k("ProductionShare"), g),
            st.Quad(obs, k("producer"), st.NamedNode(rnd.choice(countries)), g),
            st.Quad(obs, k("commodity"), st.NamedNode(rnd.choice(elements)), g),
            st.Quad(obs, k("sharePercent"), st.Literal(f"{rnd.random() * 10:.1f}",
                    datatype=st.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), g),
        ]
        i += 1
    target = Path(tempfile.mkdtemp(prefix="krm-bench-")) / "store"
    st.write_store(target, quads + extra)
    write_index(target)  # as `krm build` does: the pages of hubs need it
    print(f"grown store: {len(quads)} + {len(extra)} quads at {target}")
    return target


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=Path("var/store"))
    ap.add_argument("--pages", type=int, default=60, help="resources sampled")
    ap.add_argument("--rounds", type=int, default=10, help="fetches per resource")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--synthetic", type=int, default=0, help="triples to add first")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    store_path = grow(args.store, args.synthetic, args.seed) if args.synthetic else args.store
    store = st.open_store(store_path)
    total = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    iris = sample(store, args.pages, args.seed)
    del store
    proc, base = serve(store_path, args.workers)
    try:
        session = requests.Session()
        urls = {iri: base + "/page/" + iri[len(ID):] for iri in iris}
        for url in urls.values():  # warm-up: first requests build caches, load pages
            session.get(url).raise_for_status()
        times: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.rounds):
            for iri, url in urls.items():
                t0 = time.perf_counter()
                session.get(url).raise_for_status()
                times[iri[len(ID):].split("/", 1)[0]].append(
                    (time.perf_counter() - t0) * 1000)
    finally:
        proc.terminate()
        proc.wait(10)
        if args.synthetic:
            shutil.rmtree(store_path.parent, ignore_errors=True)  # the grown copy

    every = [t for ts in times.values() for t in ts]
    print(f"graph: {total} triples; {len(iris)} resource pages x {args.rounds} rounds, "
          f"sequential, {args.workers} workers")
    print(f"{'kind':<14}{'pages':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind in sorted(times):
        ts = times[kind]
        n = len(ts) // args.rounds
        print(f"{kind:<14}{n:>6}{statistics.median(ts):>9.1f}{percentile(ts, 99):>9.1f}"
              f"{max(ts):>9.1f}")
    print(f"{'all':<14}{len(iris):>6}{statistics.median(every):>9.1f}"
          f"{percentile(every, 99):>9.1f}{max(every):>9.1f}")


if __name__ == "__main__":
    main()
