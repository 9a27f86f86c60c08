"""The shared pool's host (kg/service/host.py): the server's processes borrow one set of
query workers, and a borrower's time limit, crash or death costs only its own request."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from conftest import start_server, stop_server
from test_sparql_safety import CROSS_JOIN, SIMPLE

from kg.service import QueryRequest, TimeLimitExceeded, WorkerCrashed
from kg.service import host as pool_host
from kg.service.pool import ProcessPool

JSON = "application/sparql-results+json"
ASK = QueryRequest('ASK { ?e <https://w3id.org/krm/ontology#symbol> "W" }', JSON, None)
CROSS = QueryRequest("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", JSON, None)


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def query_workers(pid: int) -> list[int]:
    """The query worker processes under a process, alive now (processes may end while
    they are looked at)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            for task in Path(f"/proc/{parent}/task").iterdir():
                for child in map(int, (task / "children").read_text().split()):
                    todo.append(child)
                    if b"kg.service.worker" in Path(f"/proc/{child}/cmdline").read_bytes() \
                            and alive(child):
                        found.append(child)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


@pytest.fixture
def host(store_link):
    """A host lending the workers of a pool of its own; yields (its pool, its socket)."""
    pool = ProcessPool(str(store_link.resolve()), spare=1, most=3)
    folder = tempfile.mkdtemp(prefix="krm-test-")  # short: a socket path has ~100 bytes
    listener = pool_host.listen(os.path.join(folder, "socket"))
    threading.Thread(target=pool_host.serve, args=(pool, listener), daemon=True).start()
    borrowers = []

    def borrower() -> ProcessPool:
        borrowers.append(ProcessPool(pool.store_path, host=listener.getsockname()))
        return borrowers[-1]

    yield pool, borrower
    for b in borrowers:
        b.close()
    listener.close()
    pool.close()
    shutil.rmtree(folder)


def boolean(answer) -> bool:
    return json.loads(b"".join(answer.chunks))["boolean"]


def lent(pool: ProcessPool) -> set[int]:
    """The host's workers lent out now (ready, and not idle)."""
    with pool._lock:
        return {w.pid for w in pool._all if w.ready} - {w.pid for w in pool._idle}


def test_borrowers_share_the_hosts_warm_workers(host):
    pool, borrower = host
    a, b = borrower(), borrower()
    assert boolean(a.run(ASK, 30)) and boolean(b.run(ASK, 30))
    assert not a._all and not b._all  # no workers of their own
    started = {w.pid for w in pool._all}
    assert len(started) == 1
    for _ in range(3):  # one after the other: the same warm worker each time
        assert boolean(a.run(ASK, 30)) and boolean(b.run(ASK, 30))
    assert {w.pid for w in pool._all} == started


def test_a_lent_worker_past_the_time_limit_is_killed_and_replaced(host):
    pool, borrower = host
    a = borrower()
    assert boolean(a.run(ASK, 30))
    before = {w.pid for w in pool._all}
    with pytest.raises(TimeLimitExceeded):
        a.run(CROSS, 1)
    wait_for(lambda: not any(alive(pid) for pid in before))
    assert boolean(a.run(ASK, 30))  # a fresh worker
    assert not {w.pid for w in pool._all} & before


def test_a_lent_worker_that_crashes_is_named_and_replaced(host):
    pool, borrower = host
    a, outcome = borrower(), {}

    def heavy():
        try:
            a.run(CROSS, 60)
        except WorkerCrashed as e:
            outcome["error"] = str(e)

    thread = threading.Thread(target=heavy)
    thread.start()
    wait_for(lambda: lent(pool))
    os.kill(lent(pool).pop(), signal.SIGSEGV)
    thread.join(30)
    assert "SIGSEGV" in outcome["error"]
    assert boolean(borrower().run(ASK, 30))


def test_a_borrower_gone_mid_query_leaves_no_worker_behind(host):
    """A serving process that dies holding a worker (its links close with it): the host
    kills that worker, whatever it was doing, and goes on lending the others."""
    pool, borrower = host
    a = borrower()
    lease = a._host.lease(time.monotonic() + 30)
    lease.conn.send(("query", CROSS))
    assert lent(pool) == {lease.pid}
    lease.conn.close()
    lease.link.close()  # as the kernel does for a process that died
    wait_for(lambda: not alive(lease.pid))
    assert boolean(borrower().run(ASK, 30))


def test_without_its_host_a_pool_starts_workers_of_its_own(store_link, caplog):
    pool = ProcessPool(str(store_link.resolve()), spare=1, host="/nonexistent/krm/socket")
    try:
        assert boolean(pool.run(ASK, 30))
        assert pool._all  # its own
        assert "cannot be reached" in caplog.text
    finally:
        pool.close()


def test_a_pool_whose_host_died_starts_workers_of_its_own(store_link, caplog):
    """The host as krm serve starts it; killed, its workers die with it, and a serving
    process that borrowed from it answers its next query with workers of its own."""
    folder = tempfile.mkdtemp(prefix="krm-test-")
    path = os.path.join(folder, "socket")
    options = {"store_path": str(store_link.resolve()), "spare": 1}
    host = subprocess.Popen([sys.executable, "-m", "kg.service.host", path, str(os.getpid()),
                             json.dumps(options)])
    pool = None
    try:
        wait_for(lambda: os.path.exists(path))
        pool = ProcessPool(options["store_path"], host=path)
        assert boolean(pool.run(ASK, 30))
        assert not pool._all
        lent = query_workers(host.pid)
        assert lent
        host.kill()
        host.wait()
        wait_for(lambda: not any(alive(pid) for pid in lent))  # they died with it
        assert boolean(pool.run(ASK, 30))
        assert pool._all  # its own now
        assert "cannot be reached" in caplog.text
    finally:
        host.kill()
        host.wait()
        if pool:
            pool.close()
        shutil.rmtree(folder)


def test_the_server_processes_share_one_set_of_query_workers(store_link):
    """Two server processes, two workers kept started between them (not two each), and
    three runaways at once take three workers, wherever their connections landed."""
    proc, base = start_server(str(store_link), workers=2, env={
        "KRM_SPARQL_PROCESSES": "2", "KRM_SPARQL_TIME_LIMIT": "6"})
    url, answers = base + "/sparql", []
    try:
        requests.get(url, params={"query": SIMPLE}, timeout=30)
        at_rest = query_workers(proc.pid)
        parents = {int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                   for pid in at_rest}  # the host
        assert len(at_rest) == 2 and len(parents) == 1

        def runaway():
            answers.append(requests.post(url, data={"query": CROSS_JOIN}, timeout=60)
                           .status_code)

        threads = [threading.Thread(target=runaway) for _ in range(3)]
        for t in threads:
            t.start()
        most = 0
        while any(t.is_alive() for t in threads):
            most = max(most, len(query_workers(proc.pid)))
            time.sleep(0.05)
        assert answers == [503] * 3
        assert most == 3
    finally:
        stop_server(proc)
