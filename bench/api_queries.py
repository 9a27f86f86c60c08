"""Time every published query through the API of a running server.

Usage: python bench/api_queries.py [BASE_URL] [REPEATS]   (default http://127.0.0.1:8000, 20)
Prints, per query, the median and 95th-percentile time of a GET with default parameters,
and the row count; then the total. Start the server first (``make run`` or ``krm serve``).
"""

from __future__ import annotations

import statistics
import sys
import time

import requests


def main(base: str = "http://127.0.0.1:8000", repeats: int = 20) -> None:
    library = requests.get(base + "/api/queries", timeout=30).json()["queries"]
    total = 0.0
    print(f"{'query':45} {'median ms':>10} {'p95 ms':>8} {'rows':>6}")
    for q in library:
        times, rows = [], 0
        for _ in range(repeats):
            start = time.perf_counter()
            r = requests.get(base + q["url"], timeout=30)
            times.append((time.perf_counter() - start) * 1000)
            r.raise_for_status()
            rows = len(r.json())
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        total += statistics.median(times)
        print(f"{q['name']:45} {statistics.median(times):10.1f} {p95:8.1f} {rows:6d}")
    print(f"{len(library)} queries, sum of medians {total:.0f} ms")


if __name__ == "__main__":
    main(*(sys.argv[1:2] or []), *([int(sys.argv[2])] if len(sys.argv) > 2 else []))
