"""The explorer's and the supply graph's speed over the real server (issue 14's targets):
``/dependencies`` and element pages p99 under 100 ms, the map's data under 50 ms, and
``/graph`` drawn in under 1 s with a year's full network; and the first request to each,
which used to take 2-3.5 s while a fresh process read its figures.

Starts ``krm serve`` on the store (as users start it: its processes warm at start,
``server/wsgi.py``), times the first request to each page, then ``--rounds`` rounds of
every page in turn, one request at a time, timed by the client over loopback (so an
upper bound of the server's time). Then, in Chromium (Debian's, headless, 1366x768),
opens ``/graph`` with the full network of the latest year (every partner and product:
``scope=connected&min_share=0``) and the default view, and reads when the drawing was
ready (from navigation start) and how long drawing took.

    python bench/explorer_bench.py [--store var/store] [--rounds 10]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import requests

from bench.browse_pages import percentile, serve

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def timed_get(session: requests.Session, url: str) -> float:
    t0 = time.perf_counter()
    r = session.get(url, headers={"Accept": "text/html"})
    r.raise_for_status()
    return (time.perf_counter() - t0) * 1000


def graph_draws(base: str, runs: int) -> dict[str, list[tuple[float, float, int]]]:
    """``{view: [(ready ms since navigation start, draw ms, nodes), ...]}``."""
    from playwright.sync_api import sync_playwright

    views = {"full network": "?scope=connected&min_share=0", "default view": ""}
    out: dict[str, list[tuple[float, float, int]]] = {v: [] for v in views}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for _ in range(runs):
            for name, query in views.items():
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                page = context.new_page()
                page.goto(base + "/graph" + query)
                deadline = time.monotonic() + 30
                while not page.evaluate("window.krmGraph && window.krmGraph.state === 'ready'"):
                    if time.monotonic() > deadline:
                        raise SystemExit(f"/graph{query} did not draw within 30 s")
                    page.wait_for_timeout(20)
                ready, draw, nodes = page.evaluate(
                    "[window.krmGraph.readyAt, window.krmGraph.drawMs,"
                    " window.krmGraph.cy.nodes().length]")
                out[name].append((ready, draw, nodes))
                context.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=Path("var/store"))
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--draws", type=int, default=5, help="Chromium loads of /graph per view")
    args = ap.parse_args()

    started = time.perf_counter()
    proc, base = serve(args.store, args.workers)
    boot = time.perf_counter() - started
    try:
        s = requests.Session()
        # The first request to each page of a fresh server: the figure that was 2-3.5 s.
        first = {"/dependencies": timed_get(s, base + "/dependencies")}
        html = s.get(base + "/dependencies").text
        elements = sorted(set(re.findall(r'href="(/page/(?:element|group)/[^"]+)"', html)))
        first[elements[0]] = timed_get(s, base + elements[0])
        first["/map/data.json"] = timed_get(s, base + "/map/data.json")
        years = sorted(set(re.findall(r'<option value="(\d{4})"', html)))
        commodities = sorted(set(re.findall(r'data-commodity="([^"]+)"', html)))
        groups = {
            "/dependencies (every year)": [f"/dependencies?year={y}" for y in years],
            f"element and group pages ({len(elements)})": elements,
            f"/map/data.json (each of {len(commodities)} commodities)": [
                "/map/data.json?" + requests.compat.urlencode({"commodity": c})
                for c in commodities],
        }
        times: dict[str, list[float]] = {k: [] for k in groups}
        for _ in range(args.rounds):
            for name, urls in groups.items():
                for u in urls:
                    times[name].append(timed_get(s, base + u))
        draws = graph_draws(base, args.draws)
    finally:
        proc.terminate()
        proc.wait(10)

    print(f"server answered /healthz {boot:.1f} s after start ({args.workers} workers, "
          "warmed at start)")
    print("first request to a fresh server:")
    for url, ms in first.items():
        print(f"  {url:<40}{ms:>9.1f} ms")
    print(f"{'pages, ' + str(args.rounds) + ' rounds':<52}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}")
    for name, ts in times.items():
        print(f"{name:<52}{len(ts):>6}{statistics.median(ts):>9.1f}"
              f"{percentile(ts, 99):>9.1f}{max(ts):>9.1f}")
    for name, runs in draws.items():
        ready = [r for r, _, _ in runs]
        draw = [d for _, d, _ in runs]
        print(f"/graph {name} ({runs[0][2]} nodes): ready {statistics.median(ready):.0f} ms "
              f"after navigation (worst {max(ready):.0f}), drawing {statistics.median(draw):.0f}"
              f" ms (worst {max(draw):.0f}), {len(runs)} loads")


if __name__ == "__main__":
    main()
