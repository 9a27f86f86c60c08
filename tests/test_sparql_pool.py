"""The supervised pool of query workers (kg/service/pool.py), on the built store, in
process: crashes, limits and early closes cost only their own request."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import store as st
from kg.service import (
    MemoryLimitExceeded,
    QueryRequest,
    TimeLimitExceeded,
    Unsupported,
    WorkerCrashed,
)
from kg.service.pool import TRIALS, ProcessPool

JSON = "application/sparql-results+json"
ASK = QueryRequest('ASK { ?e <https://w3id.org/krm/ontology#symbol> "W" }', JSON, None)
CROSS = QueryRequest("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", JSON, None)
#: A query that takes a worker for a while, but well within its time limit.
LONG = QueryRequest("SELECT (COUNT(*) AS ?n) { ?s a ?c . ?s ?q ?r }", JSON, None)


@pytest.fixture
def pool(store_link):
    pool = ProcessPool(str(store_link.resolve()), spare=1, most=4,
                       inline_store=st.open_store(store_link))
    yield pool
    pool.close()


def boolean(answer) -> bool:
    return json.loads(b"".join(answer.chunks))["boolean"]


def test_a_crashed_worker_fails_its_request_only(pool):

    def kill_the_busy_one():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            busy = [w for w in pool._all if w.busy_since]
            if busy:
                os.kill(busy[0].process.pid, signal.SIGSEGV)
                return
            time.sleep(0.02)

    import threading

    killer = threading.Thread(target=kill_the_busy_one)
    killer.start()
    with pytest.raises(WorkerCrashed, match="SIGSEGV"):
        pool.run(CROSS, 30)
    killer.join()
    answers = [boolean(pool.run(ASK, 10)) for _ in range(3)]
    assert answers == [True] * 3


def test_time_limit_kills_the_worker(pool):
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        pool.run(CROSS, 1)
    assert time.monotonic() - start < 3
    assert boolean(pool.run(ASK, 10)) is True


def test_memory_limit_stops_a_query(store_link):
    pool = ProcessPool(str(store_link.resolve()), spare=1, most=2,
                       memory_limit=150 * 2**20)
    try:
        sort = QueryRequest("SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", JSON, None)
        with pytest.raises(MemoryLimitExceeded):
            pool.run(sort, 60)
        assert boolean(pool.run(ASK, 10)) is True
    finally:
        pool.close()


def test_unknown_function_keeps_the_worker(pool):
    worker_pids = {w.process.pid for w in pool._all}
    with pytest.raises(Unsupported, match="<http://example/f>"):
        pool.run(QueryRequest("SELECT (<http://example/f>(1) AS ?x) {}", JSON, None), 10)
    assert worker_pids <= {w.process.pid for w in pool._all}  # none was replaced


def test_a_stream_closed_unread_gives_its_worker_back(pool):
    everything = QueryRequest("SELECT * { ?s ?p ?o }", "text/tab-separated-values", None)
    for _ in range(6):  # more than the pool holds: each close must free its worker
        answer = pool.run(everything, 10)
        answer.close()
    assert boolean(pool.run(ASK, 10)) is True


def test_only_proven_queries_run_in_the_serving_process(pool):
    assert boolean(pool.run(ASK, 30)) is True  # in a worker: cheap, so now proven
    for worker in list(pool._all):  # no worker can answer any more
        os.kill(worker.process.pid, signal.SIGSTOP)
    try:
        assert boolean(pool.run(ASK, 30)) is True  # the proven text, in process
        other = QueryRequest("ASK { ?s ?p ?s }", JSON, None)
        with pytest.raises(TimeLimitExceeded):
            pool.run(other, 1)  # never seen: it must wait for a worker
    finally:
        for worker in list(pool._all):
            os.kill(worker.process.pid, signal.SIGCONT)


def count(answer) -> int:
    return int(json.loads(b"".join(answer.chunks))["results"]["bindings"][0]["n"]["value"])


def test_a_proven_query_slower_in_process_goes_back_to_the_workers(store_link):
    """The serving process's store is a copy, faster for most queries but not all: here a
    copy that (unlike the store) holds 300,000 resources of a type the query counts, so
    the answer says where it was computed, and counting them in process is much slower
    than the worker's empty count."""
    slow_copy = ox.Store()
    kind = ox.NamedNode("urn:krm-test:Filler")
    slow_copy.extend(ox.Quad(ox.NamedNode(f"urn:krm-test:{i}"), ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), kind) for i in range(300_000))
    pool = ProcessPool(str(store_link.resolve()), spare=1, most=2, inline_store=slow_copy)
    try:
        counting = QueryRequest("SELECT (COUNT(*) AS ?n) { ?s a <urn:krm-test:Filler> }",
                                JSON, None)
        answers = [count(pool.run(counting, 30)) for _ in range(2 * TRIALS + 2)]
        # in a worker (proven), then in turns in process and in a worker, timed, until
        # each has given TRIALS answers; then in the workers for good
        assert answers == [0, 300_000] * TRIALS + [0, 0]
    finally:
        pool.close()


def test_a_proven_query_faster_in_process_stays_there(pool):
    for _ in range(2 * TRIALS + 1):  # proven, then the trials in turns, then in process
        assert boolean(pool.run(ASK, 30)) is True
    for worker in list(pool._all):  # no worker can answer any more
        os.kill(worker.process.pid, signal.SIGSTOP)
    try:
        assert boolean(pool.run(ASK, 30)) is True
    finally:
        for worker in list(pool._all):
            os.kill(worker.process.pid, signal.SIGCONT)


def worker_pids() -> set[int]:
    """This process's query workers still running, as the system lists them."""
    found, me = set(), os.getpid()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == me and b"kg.service.worker" in (proc / "cmdline").read_bytes():
                found.add(int(proc.name))
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return found


def run_watching(threads) -> tuple[set[int], int]:
    """Run ``threads`` to their end, watching this process's query workers: those started
    meanwhile, and the most of them alive at once."""
    before, started, peak = worker_pids(), set(), 0
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        new = worker_pids() - before
        started, peak = started | new, max(peak, len(new))
        time.sleep(0.01)
    return started, peak


def test_workers_started_for_a_burst_end_once_idle(store_link):
    """Three queries at once on a pool of one: two more workers start for them, and the
    pool is back to one worker (and its memory) once they have been idle for ``idle``
    seconds. (Other tests' pools in this process may have workers still ending: only
    this pool's count.)"""
    import threading

    pool = ProcessPool(str(store_link.resolve()), spare=1, most=4, idle=0.5)
    try:
        assert boolean(pool.run(ASK, 10)) is True  # the pool's one worker is started
        answers = []

        def ask() -> None:
            answers.append(json.loads(b"".join(pool.run(LONG, 60).chunks)))

        started, _ = run_watching([threading.Thread(target=ask) for _ in range(3)])
        assert len(answers) == 3 and answers[0] == answers[1] == answers[2]
        assert len(started) == 2
        ours = started | {w.process.pid for w in pool._all}
        deadline = time.monotonic() + 20
        while len(worker_pids() & ours) > 1:  # the one used last stays, the others end
            assert time.monotonic() < deadline, worker_pids() & ours
            time.sleep(0.05)
        assert len(pool._all) == 1
        assert boolean(pool.run(ASK, 10)) is True
        assert len(worker_pids() & ours) == 1
    finally:
        pool.close()


def test_a_steady_load_keeps_its_warm_workers(store_link):
    """Two clients sending queries back to back to a pool of one: the second worker,
    started for the first overlap, serves every later one (no worker started per
    request, each with its store caches empty), and the worker used last is taken first."""
    import threading

    pool = ProcessPool(str(store_link.resolve()), spare=1, most=4)
    try:
        assert boolean(pool.run(ASK, 10)) is True
        answers = []
        go = threading.Barrier(2)

        def client() -> None:
            for _ in range(6):
                go.wait()  # both at once: one of them needs a second worker
                answers.append(json.loads(b"".join(pool.run(LONG, 60).chunks)))

        started, _ = run_watching([threading.Thread(target=client) for _ in range(2)])
        assert len(answers) == 12 and all(a == answers[0] for a in answers)
        assert len(started) == 1, started
        assert len(pool._all) == 2  # the second stays, idle, until pool.idle passes
        last = pool._idle[-1]
        pool.run(ASK, 10)
        assert pool._idle[-1] is last  # taken first, and put back last
    finally:
        pool.close()


def test_a_request_at_the_bound_takes_the_place_of_a_killed_worker(store_link):
    """Both workers of a pool that may grow to two run runaways; a third query waits.
    When the first runaway passes its (short) time limit and its worker is killed, the
    waiting query starts a worker in its place, instead of waiting for the second
    runaway's (long) limit."""
    import threading

    pool = ProcessPool(str(store_link.resolve()), spare=1, most=2)
    try:
        outcomes = {}

        def runaway(name: str, limit: float) -> None:
            try:
                pool.run(CROSS, limit)
            except Exception as e:  # noqa: BLE001  (the long one ends with the pool)
                outcomes[name] = type(e).__name__

        long_one = threading.Thread(target=runaway, args=("long", 60), daemon=True)
        long_one.start()
        short_one = threading.Thread(target=runaway, args=("short", 2))
        short_one.start()
        deadline = time.monotonic() + 20
        while sum(1 for w in list(pool._all) if w.busy_since) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        start = time.monotonic()
        assert boolean(pool.run(ASK, 30)) is True
        short_one.join()
        assert outcomes.get("short") == "TimeLimitExceeded"
        assert time.monotonic() - start < 20  # not the long runaway's 60 s
    finally:
        pool.close()


def test_a_burst_never_starts_more_workers_than_the_bound(store_link):
    """Eight queries at once on a pool of one that may grow to two: never more than one
    worker beyond the first at any moment (each start is counted before it exists), and
    every query is answered, those beyond the bound after waiting for a worker. A worker
    started for one request serves others after that request's thread has ended (it was
    killed with that thread: Linux's parent-death signal follows the thread)."""
    import threading

    pool = ProcessPool(str(store_link.resolve()), spare=1, most=2)
    try:
        assert boolean(pool.run(ASK, 10)) is True
        answers = []
        go = threading.Barrier(8)

        def ask() -> None:
            go.wait()
            answers.append(json.loads(b"".join(pool.run(LONG, 120).chunks)))

        _, peak = run_watching([threading.Thread(target=ask) for _ in range(8)])
        assert len(answers) == 8 and all(a == answers[0] for a in answers)
        assert peak <= 1
    finally:
        pool.close()
