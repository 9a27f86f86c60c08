"""Throughput and latency of the SPARQL service against its peers, side by side.

Runs a query mix (point lookup, label search, 2-hop join, aggregate, CONSTRUCT, a
100k-row result) with N concurrent clients against ``krm serve``, ``oxigraph serve``
(the same engine in Rust: the practical limit), rdflib-endpoint (the Python peer, when
installed) and bare in-process pyoxigraph (the floor), on the built graph and on a
generated graph. Prints a Markdown table; ``--readme`` also writes it to bench/README.md.

    python bench/sparql_bench.py [--triples 1000000] [--seconds 3] [--rounds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import generate  # noqa: E402
from kg import build as builder  # noqa: E402
from kg import store as st  # noqa: E402
from kg.namespace import GRAPH_FACTS  # noqa: E402

BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench"
TIMEOUT = 10.0
#: The cheap queries also measured while runaways run.
CHEAP = ("1-point-lookup", "5-construct")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def wait_up(url: str, proc, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: server exited")
        try:
            host, port = url.split("//")[1].split("/")[0].split(":")
            conn = http.client.HTTPConnection(host, int(port), timeout=5)
            conn.request("GET", "/" + url.split("/", 3)[3] + "?" + urlencode({"query": "ASK {}"}),
                         headers={"Accept": "application/sparql-results+json"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


class Http:
    """A target reached over HTTP: a process started here and its query URL."""

    def __init__(self, name: str, argv: list[str], path: str, env: dict | None = None):
        self.name, self.port = name, free_port()
        argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.proc = subprocess.Popen(argv, env={**os.environ, **(env or {})},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        self.path = path
        wait_up(f"http://127.0.0.1:{self.port}{path}", self.proc)

    def client(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

        def run(query: str, accept: str) -> int:
            nonlocal conn
            try:
                conn.request("POST", self.path, body=urlencode({"query": query}),
                             headers={"Content-Type": "application/x-www-form-urlencoded",
                                      "Accept": accept})
                r = conn.getresponse()
                n = len(r.read())
                if r.status != 200:
                    raise RuntimeError(f"status {r.status}")
                return n
            except Exception:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                raise
        return run

    def rss(self) -> int:
        return tree_rss(self.proc.pid)

    def close(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


class InProcess:
    """The floor: pyoxigraph in this process, results serialised to a null sink, over the
    store as ``krm serve`` holds it by default (copied into memory when it fits)."""

    name = "pyoxigraph in-process"

    def __init__(self, store_path: Path):
        store = st.open_store(store_path)
        self.store = st.in_memory(store, st.memory_quota()) or store

    def client(self):
        class Sink:
            n = 0

            def write(self, b):
                self.n += len(b)
                return len(b)

            def flush(self):
                pass

        def run(query: str, accept: str) -> int:
            sink = Sink()
            st.serialize_results(st.run_query(self.store, query), sink, accept)
            return sink.n
        return run

    def rss(self) -> int:
        return 0

    def close(self) -> None:
        del self.store


def measure(target, query: str, accept: str, seconds: float, clients: int) -> dict:
    latencies: list[float] = []
    failures = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        run = target.client()
        while time.monotonic() < stop:
            t = time.perf_counter()
            try:
                run(query, accept)
            except Exception:
                with lock:
                    failures[0] += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - t)

    base = target.rss()
    peak = [base]
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak[0] = max(peak[0], target.rss())
        time.sleep(0.05)
    elapsed = time.monotonic() - start
    return {"rps": len(latencies) / elapsed, "latencies": latencies,
            "failures": failures[0], "growth_mb": (peak[0] - base) / 1e6, "rest_mb": base / 1e6}


RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: krm serve's time limit in the bench, so that runaways end and start again.
RUNAWAY_LIMIT = 5


def under_runaways(target, query: str, accept: str, seconds: float, clients: int,
                   runaways: int = 4) -> dict:
    """:func:`measure` while ``runaways`` more clients send runaway queries back to back
    (each stopped at the time limit: 503)."""
    stop = threading.Event()
    answers: list[int] = []

    def runaway():
        conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=RUNAWAY_LIMIT + 30)
        while not stop.is_set():
            try:
                conn.request("POST", target.path, body=urlencode({"query": RUNAWAY}),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
                r = conn.getresponse()
                r.read()
                answers.append(r.status)
            except OSError:
                answers.append(0)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", target.port,
                                                  timeout=RUNAWAY_LIMIT + 30)

    threads = [threading.Thread(target=runaway) for _ in range(runaways)]
    for t in threads:
        t.start()
    time.sleep(1)  # the runaways are running
    result = measure(target, query, accept, seconds, clients)
    stop.set()
    for t in threads:
        t.join()
    result["runaway_answers"] = answers
    return result


def percentile(runs: list[dict], q: float) -> float | None:
    """The q-th percentile latency over all requests of ``runs``, in ms."""
    lat = sorted(x for r in runs for x in r["latencies"])
    return lat[min(len(lat) - 1, int(len(lat) * q / 100))] * 1000 if lat else None


def combine(runs: list[dict], floors: list[dict] | None) -> dict:
    """One cell from several rounds: the median requests/s, the median of the ratios to
    the reference measured in the same rounds (neighbours in time, so a busy spell on a
    shared machine touches both), latency percentiles over all requests and the p99's
    ratio to the reference's."""
    pairs = zip(runs, floors, strict=True) if floors else ()
    ratios = [r["rps"] / f["rps"] for r, f in pairs if f["rps"]]
    p99, ref99 = percentile(runs, 99), percentile(floors, 99) if floors else None
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "ratio": statistics.median(ratios) if ratios else None,
        "p50": percentile(runs, 50),
        "p99": p99,
        "p99_ratio": p99 / ref99 if p99 and ref99 else None,
        "failures": sum(r["failures"] for r in runs),
        "growth_mb": max(r["growth_mb"] for r in runs),
        "rest_mb": min(r["rest_mb"] for r in runs),
    }


def datasets(triples: int) -> list[tuple[str, Path, Path]]:
    """(name, store path, N-Triples/N-Quads file) for the built and generated graphs."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = []
    built = builder.DEFAULT_STORE
    if not built.exists():
        builder.build(built)
    built_nq = WORK / "built.nq"
    with built_nq.open("wb") as f:
        st.dump(st.open_store(built), f, "nq")
    out.append(("built graph", built.resolve(), built_nq, "built"))
    if triples:
        nt = WORK / f"generated-{triples}.nt"
        store = WORK / f"generated-{triples}.store"
        if not store.exists():
            n = generate.write(nt, triples)
            print(f"generated {n} triples", file=sys.stderr)
            st.load_file(store, nt, GRAPH_FACTS)
        out.append((f"{triples // 1000}k generated triples", store, nt, "generated"))
    return out


def targets(store: Path, data: Path, skip_rdflib: bool):
    yield lambda: InProcess(store)
    yield lambda: Http("krm serve", [str(BIN / "krm"), "serve", "--port", "{port}",
                                     "--workers", "2", "--store", str(store)], "/sparql",
                       env={"KRM_SPARQL_TIME_LIMIT": str(RUNAWAY_LIMIT)})
    ox_dir = WORK / f"oxigraph-{store.name}"
    if not ox_dir.exists():
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(ox_dir), "--file",
                        str(data)] + (["--format", "nt"] if data.suffix == ".nt" else []),
                       check=True, capture_output=True)
    yield lambda: Http("oxigraph serve", [str(BIN / "oxigraph"), "serve", "--location",
                                          str(ox_dir), "--bind", "127.0.0.1:{port}",
                                          "--union-default-graph"], "/query")
    if not skip_rdflib and (BIN / "rdflib-endpoint").exists():
        yield lambda: Http("rdflib-endpoint", [str(BIN / "rdflib-endpoint"), "serve",
                                               "--host", "127.0.0.1", "--port", "{port}",
                                               str(data)], "/")


def fmt(result: dict) -> str:
    if not result or result["rps"] == 0:
        return f"none finished in {TIMEOUT:.0f} s"
    cell = f"{result['rps']:,.1f}" if result["rps"] < 100 else f"{result['rps']:,.0f}"
    if result["ratio"]:
        cell += f" ({result['ratio']:.2f}x)"
    cell += f"; p50 {result['p50']:.1f} / p99 {result['p99']:.1f} ms"
    if result["p99_ratio"]:
        cell += f" ({result['p99_ratio']:.2f}x)"
    return cell


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000,
                        help="size of the generated graph (0: built graph only)")
    parser.add_argument("--seconds", type=float, default=3, help="per query, round and target")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds, the targets taking turns within each")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--readme", action="store_true", help="write bench/README.md")
    args = parser.parse_args()
    lines = []
    for name, store, data, qdir in datasets(args.triples):
        queries = sorted((ROOT / "bench" / "queries" / qdir).glob("*.rq"))
        table: dict[str, dict[str, dict]] = {}
        stormy: dict[str, tuple] = {}
        cheap: list[tuple] = []
        cold: dict[tuple[str, str], float] = {}  # (target, query) -> growth warming up
        started = []
        try:
            for make in targets(store, data, args.skip_rdflib):
                started.append(make())
            for q in queries:
                text = q.read_text()
                accept = "application/n-triples" if "CONSTRUCT" in text else \
                    "application/sparql-results+json"
                runs: dict[str, list[dict]] = {t.name: [] for t in started}
                for target in started:
                    # Warm up as the rounds run, every client at once: krm serve's query
                    # workers each fill their own store caches (~25 MB each on the 1M
                    # graph's 100k rows) where oxigraph serve's threads share one.
                    warm = measure(target, text, accept, 1, args.clients)
                    cold[target.name, q.stem] = warm["growth_mb"]
                    if warm["failures"] and not warm["latencies"]:
                        print(f"  {target.name} {q.stem}: every request failed",
                              file=sys.stderr)
                for _ in range(args.rounds):
                    for target in started:
                        runs[target.name].append(
                            measure(target, text, accept, args.seconds, args.clients))
                print(f"{name}: {q.stem}", file=sys.stderr)
                reference = runs.get("oxigraph serve")
                table[q.stem] = {
                    n: combine(r, None if n in ("oxigraph serve", "pyoxigraph in-process")
                               else reference)
                    for n, r in runs.items()}
                if q.stem in CHEAP:
                    cheap.append((q.stem, text, accept, runs.get("krm serve")))
            # After every quiet row: a runaway stopped at the time limit takes its worker
            # with it, and the next quiet row would measure krm serve's fresh, cold workers
            # (their store caches empty) against a warm oxigraph serve.
            krm = next((t for t in started if t.name == "krm serve"), None)
            for stem, text, accept, quiet in cheap if krm else ():
                busy = [under_runaways(krm, text, accept, args.seconds, args.clients)
                        for _ in range(args.rounds)]
                stormy[stem] = (combine(quiet, None), combine(busy, None),
                                [a for b in busy for a in b["runaway_answers"]])
        finally:
            for target in started:
                target.close()
        names = list(next(iter(table.values())).keys())
        lines.append(f"\n### {name}, {args.clients} concurrent clients, requests/s "
                     f"(median of {args.rounds} rounds; ratio to oxigraph serve in the same round, "
                     "median); latency over all rounds, and p99's ratio to oxigraph serve's\n")
        lines.append("| query | " + " | ".join(names) + " |")
        lines.append("|---|" + "--:|" * len(names))
        for query, row in table.items():
            cells = [fmt(row[n]) for n in names]
            lines.append(f"| {query} | " + " | ".join(cells) + " |")
        growth = {n: (row[n]["growth_mb"], cold.get((n, query), 0))
                  for query, row in table.items() if "100k" in query
                  for n in names if n != "pyoxigraph in-process"}
        lines.append("\nServer memory growth during the 100k-row query, the most of any "
                     "round (MB; in brackets: while warming up, the first time every client "
                     "asked for it): " + ", ".join(f"{n} {g:.0f} ({c:.0f})"
                                                  for n, (g, c) in growth.items()))
        for query, (quiet, busy, answers) in stormy.items():
            lines.append(
                f"\nkrm serve, {query}, while 4 clients send runaways back to back "
                f"(time limit {RUNAWAY_LIMIT} s): p99 {busy['p99']:.1f} ms against "
                f"{quiet['p99']:.1f} ms quiet ({busy['p99'] / quiet['p99']:.2f}x), "
                f"{busy['rps']:,.0f} requests/s against {quiet['rps']:,.0f}, "
                f"{busy['failures']} failed; runaways answered "
                + ", ".join(f"{code or 'no answer'}: {answers.count(code)}"
                            for code in sorted(set(answers))))
        rest = {n: min(row[n]["rest_mb"] for row in table.values())
                for n in names if n != "pyoxigraph in-process"}
        lines.append("\nServer memory at rest, all processes (MB): " +
                     ", ".join(f"{n} {m:,.0f}" for n, m in rest.items()))
    report = "\n".join(lines)
    print(report)
    if args.readme:
        # The results replace the old ones, up to the next top-level section (the other
        # benchmarks' sections follow).
        readme = ROOT / "bench" / "README.md"
        text = readme.read_text() if readme.exists() else "<!-- results -->\n"
        head, _, tail = text.partition("<!-- results -->\n")
        rest = tail[tail.find("\n## ") + 1:] if "\n## " in tail else ""
        readme.write_text(head + "<!-- results -->\n" + report + "\n\n" + rest)


if __name__ == "__main__":
    main()
