"""Queries against the on-disk store, run in worker processes that this pool supervises.

Client query text is never parsed or evaluated in a process that serves HTTP: each query
runs in one of the pool's worker processes (:mod:`kg.service.worker`), each with the
store open read-only, which streams the serialized result back over a socket in chunks
(bounded memory: the socket blocks while the client is slow). While it waits, the
request's thread watches its worker: a worker that dies (an engine crash), passes the
time limit or grows past the memory limit is killed and replaced, and only that request
hears of it. The pool keeps a few workers started and starts more (up to a bound) for
requests that find them all busy; a request that finds the bound reached waits for a
worker within its own time limit. The worker used last is taken first, so those a burst
added fall idle and end after ``idle`` seconds: a steady load keeps warm workers (their
store caches full) instead of starting a cold one (~0.1 s) for each request. Under
``krm serve`` the server's processes share one such set of workers: a host process
(:mod:`kg.service.host`) keeps them and lends them for one request at a time.

One shortcut, for speed: a query that has already completed in a worker, whole and within
a hundredth of its time limit, is proven safe on this read-only store (it parsed, it did
not crash, it is cheap); the same request is then answered in the serving process, on
the app's own copy of the same store, by the same function the workers run. Nothing
else runs there, and nothing at all when updates are on. The copy in memory is 2-5
times faster for lookups and joins, but slower for some scans (counting every typed
resource of the built graph: 20 ms against 15 ms on disk), so a proven request's next
answers alternate between the serving process and a worker, timed, until each place has
given :data:`TRIALS`; it then stays where its best time was, in the workers for good if
that is where it was faster (best times, as one answer may be slowed by others).

With updates enabled the pool holds one worker with the store open writable (RocksDB
allows one writer per store), which then serves queries and updates in turn.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

from kg.service import (
    CHUNK,
    Answer,
    BackendError,
    FederationFailed,
    MemoryLimitExceeded,
    QueryRequest,
    QuerySyntaxError,
    Refused,
    ResultTooLarge,
    TimeLimitExceeded,
    Unacceptable,
    Unsupported,
    WorkerCrashed,
)
from kg.service.federation import might_fetch
from kg.service.worker import QUERY_THREAD, answer

log = logging.getLogger(__name__)
#: Seconds between two looks at a worker that has not answered yet.
WATCH = 0.05
#: Seconds a worker beyond ``spare`` may stay idle before it ends.
IDLE = 30.0
#: A query that took at most this share of its time limit in a worker, answered whole, is
#: proven cheap and safe: the same text runs in the serving process from then on.
CHEAP = 0.01
#: How many proven query texts are remembered, and the longest text that is.
PROVEN, PROVEN_TEXT = 1024, 4096
#: Answers timed in each place (serving process, worker) before a proven request stays
#: in the faster one.
TRIALS = 3
#: Seconds after which a query is long: its worker's query thread yields the CPU to the
#: others (nice 19), so that cheap queries stay fast while runaways burn out their time;
#: the worker runs its next query on a fresh thread at normal priority.
LONG = 0.25
#: Seconds beyond a request's own time limit that the shared pool's host may take to
#: lend it a worker before the request gives up on it.
HOST_GRACE = 5.0
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_LATE = "the query ran past the time limit and was stopped"
_ERRORS = {"syntax": QuerySyntaxError, "unacceptable": Unacceptable,
           "too_large": ResultTooLarge, "federation": FederationFailed,
           "unsupported": Unsupported, "refused": Refused}


class _Trial:
    """A proven request's best time and number of timed answers, indexed by place: in a
    worker (False, 0) and in the serving process (True, 1)."""

    __slots__ = ("best", "runs")

    def __init__(self, worker_seconds: float):
        self.best = [worker_seconds, float("inf")]
        self.runs = [1, 0]

    def settled(self) -> bool:
        return min(self.runs) >= TRIALS

    def inline_next(self) -> bool:
        """Whether the next answer is the serving process's: in turns until settled,
        then where the best time was."""
        if self.settled():
            return self.best[True] <= self.best[False]
        return self.runs[True] < self.runs[False]

    def record(self, inline: bool, seconds: float) -> None:
        """Count one timed answer; none once settled."""
        if not self.settled():  # races between threads only blur a trial: harmless
            self.best[inline] = min(self.best[inline], seconds)
            self.runs[inline] += 1


def raise_error(message: tuple) -> None:
    """Raise the error that a worker's ``("error", what, detail)`` message names."""
    _, what, detail = message
    raise _ERRORS.get(what, BackendError)(detail)


class _Process:
    """What the pool reads and changes of a worker process, by its pid."""

    pid: int
    yielded = False

    def yield_cpu(self) -> None:
        """Lower the priority of the process's query thread: on Linux a nice value is a
        thread's, and the thread that runs queries is not the process's main thread."""
        self.yielded = True
        pid = self.pid
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return  # gone, or no /proc
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/comm", "rb") as f:
                    if f.read().strip() != QUERY_THREAD:
                        continue
                os.setpriority(os.PRIO_PROCESS, int(tid), 19)
            except OSError:
                pass  # the thread or process ended meanwhile

    def memory(self) -> int:
        """Resident bytes of the process (0 when it cannot be read)."""
        try:
            with open(f"/proc/{self.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0


class _Worker(_Process):
    """One worker process and our end of its socket."""

    def __init__(self, store_path: str, writable: bool, limit: int, chunk: int,
                 service_allow: list[str], load_hosts: list[str]):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.service.worker", str(theirs.fileno()), store_path,
             "1" if writable else "0", str(limit), str(chunk), json.dumps(service_allow),
             json.dumps(load_hosts)],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        self.pid = self.process.pid
        self.conn = Connection(ours.detach())
        self.writable = writable
        self.killed = False
        self.ready = False
        self.network_denied = False
        self.busy_since = 0.0
        self.idle_since = 0.0
        self.yielded = False

    def kill(self) -> None:
        """SIGKILL. A reader is not waited for: a process that holds gigabytes can take
        seconds to end, so a thread reaps it while the request is answered. The writer is
        waited for, as its successor cannot open the store until it has let go of it."""
        try:
            self.process.kill()
        except OSError:
            pass
        self.conn.close()
        if self.writable:
            self.process.wait()
        else:
            threading.Thread(target=self.process.wait, name="krm-reap", daemon=True).start()

    def why_dead(self) -> str:
        """How the process ended (waits a second for it).

        Raises:
            subprocess.TimeoutExpired: it has not ended.
        """
        code = self.process.wait(1)
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"


class _Lease(_Process):
    """A worker of the shared pool (:mod:`kg.service.host`), lent to this process for one
    request over ``link``, a connection to the host that is held until it goes back."""

    writable, ready, killed = False, True, False

    def __init__(self, host: _Host, link: socket.socket, fd: int, pid: int, denied: bool):
        self.host, self.link, self.pid, self.network_denied = host, link, pid, denied
        self.conn = Connection(fd)
        self.busy_since = self.idle_since = 0.0

    def _end(self, message: dict) -> dict:
        """Close our end of the worker's socket and tell the host what became of it."""
        self.killed = True
        self.conn.close()
        return self.host.done(self.link, message)

    def give_back(self) -> None:
        self._end({"back": True})

    def kill(self) -> None:
        """The host kills the worker and puts a fresh one in its place."""
        if not self.killed:
            self._end({"kill": True})

    def why_dead(self) -> str:
        """How the worker ended, as the host (its parent) saw it; it is replaced."""
        return self._end({"dead": True}).get("why") or "it closed its connection"


class _Host:
    """This serving process's connections to the host of the shared pool: one per request
    that holds a worker, kept for the next."""

    def __init__(self, path: str):
        self.path = path
        self._links: list[socket.socket] = []
        self._lock = threading.Lock()

    def lease(self, deadline: float) -> _Lease:
        """A worker, within ``deadline``.

        Raises:
            TimeLimitExceeded, WorkerCrashed, BackendError: as the host's pool raised
                them, or the host did not answer in time (or at all).
            OSError: the host cannot be reached.
        """
        while True:
            link, kept = self._link()
            try:
                link.settimeout(max(0.0, deadline - time.monotonic()) + HOST_GRACE)
                link.send(json.dumps({"take": deadline - time.monotonic()}).encode())
                data, fds, _, _ = socket.recv_fds(link, 4096, 1)
                if not data:
                    raise ConnectionResetError("the connection was closed")
                break
            except TimeoutError:
                link.close()
                raise TimeLimitExceeded("no query worker was free within the time "
                                        "limit; try again later") from None
            except OSError as e:
                link.close()
                if kept:  # kept from before: the host may have been restarted since
                    self.close()
                    continue
                raise BackendError(f"the pool of query workers failed: {e}") from None
        reply = json.loads(data)
        if "error" in reply:
            for fd in fds:
                os.close(fd)
            self._keep(link)
            raise _HOST_ERRORS.get(reply["error"], BackendError)(reply["detail"])
        return _Lease(self, link, fds[0], reply["pid"], reply["denied"])

    def done(self, link: socket.socket, message: dict) -> dict:
        """Send the end of a lease, and wait until the host has done it: its answer."""
        try:
            link.send(json.dumps(message).encode())
            data = link.recv(4096)
            if not data:
                raise ConnectionResetError("the connection was closed")
            reply = json.loads(data)
        except (OSError, ValueError):
            link.close()  # the host is gone: the worker died with it
            return {}
        self._keep(link)
        return reply

    def _link(self) -> tuple[socket.socket, bool]:
        """A connection to the host, and whether it was kept from an earlier request.

        Raises:
            OSError: a new one could not be made: the host is gone.
        """
        with self._lock:
            if self._links:
                return self._links.pop(), True
        link = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            link.connect(self.path)
        except OSError:
            link.close()
            raise
        return link, False

    def _keep(self, link: socket.socket) -> None:
        with self._lock:
            self._links.append(link)

    def close(self) -> None:
        with self._lock:
            links, self._links = self._links, []
        for link in links:
            link.close()


#: The errors a host's pool may raise while it finds a worker, by name.
_HOST_ERRORS = {e.__name__: e for e in (TimeLimitExceeded, WorkerCrashed, BackendError)}


class _Inbox:
    """Takes the one message of a proven query's whole answer, in the serving process."""

    message: tuple = ()

    def send(self, message: tuple) -> None:
        if self.message:  # proven answers come whole; this one did not: a bug, not a crash
            raise BackendError("a proven query's answer came in pieces")
        self.message = message


class _NoFetch:
    services: list[str] = []
    load_hosts: list[str] = []


_NO_FETCH = _NoFetch()


class _Stream:
    """The chunks of a streamed result: the first, then the worker's ``("more", ...)``
    messages; the worker goes back to the pool at the end, and is replaced when the
    stream is closed before its end (client gone, HEAD, time limit)."""

    def __init__(self, pool: ProcessPool, worker: _Worker, first: bytes, deadline: float):
        self.pool, self.worker, self.first, self.deadline = pool, worker, first, deadline
        self.over = False

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        if self.first is not None:
            first, self.first = self.first, None
            return first
        if self.over:
            raise StopIteration
        try:
            message = self.pool._recv(self.worker, self.deadline)
        except BaseException:
            self.over = True  # the worker was replaced
            raise
        if message[0] == "more":
            return message[1]
        self.over = True
        self.pool.release(self.worker)
        if message[0] == "error":
            log.warning("query result cut: %s", message[2])
            raise_error(message)
        raise StopIteration

    def close(self) -> None:
        if not self.over:
            self.over = True
            # The worker is still writing the rest into the socket: start afresh.
            self.pool.replace(self.worker)


class ProcessPool:
    """Supervised query worker processes over one on-disk store.

    ``spare`` workers are kept started; a request that finds none idle starts another,
    up to ``most`` at once, which ends once it has been idle for ``idle`` seconds.
    ``memory_limit`` (bytes, 0 for none) bounds each worker's resident memory. Workers
    check each request against ``service_allow`` (exact endpoint URLs) and
    ``load_hosts``; unless ``service_allow`` is set (federation configured) they also
    deny themselves the network (:mod:`kg.service.sandbox`), and where they cannot,
    SERVICE and LOAD are refused.

    With ``host`` (the socket of :mod:`kg.service.host`) the workers are not this
    process's own but the host's, lent for one request at a time, so that the server's
    processes share one set of warm workers; everything else happens here as above. If
    the host cannot be reached, the pool says so in the log and starts workers of its own.

    >>> pool = ProcessPool("no/such/store", spare=1)
    >>> pool.run(QueryRequest("ASK {}", "application/sparql-results+json", None), 10)
    Traceback (most recent call last):
    ...
    kg.service.BackendError: the store could not be opened: ...
    >>> pool.close()
    """

    def __init__(self, store_path: str, spare: int = 2, most: int = 12,
                 writable: bool = False, memory_limit: int = 0, max_result_bytes: int = 0,
                 chunk: int = CHUNK, service_allow: list[str] | tuple[str, ...] = (),
                 load_hosts: list[str] | tuple[str, ...] = (), inline_store=None,
                 idle: float = IDLE, host: str | None = None):
        self.store_path, self.writable = store_path, writable
        self.service_allow, self.load_hosts = list(service_allow), list(load_hosts)
        self.network = bool(self.service_allow)
        self.spare = 1 if writable else max(1, spare)
        self.most = 1 if writable else max(self.spare, most)
        self.memory_limit, self.limit, self.chunk = memory_limit, max_result_bytes, chunk
        self.idle = idle
        self._idle: list[_Worker] = []  # the one used last at the end: taken first
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._freed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._closed = False
        self._warned = False
        self._starting = 0
        self._starter = ThreadPoolExecutor(1, thread_name_prefix="krm-pool-start")
        self.inline_store = None if writable else inline_store
        self._proven: dict[QueryRequest, _Trial] = {}
        self._host = _Host(host) if host and not writable else None
        if self._host is None:
            self._start()

    def _start(self) -> None:
        """Start this process's own workers."""
        for _ in range(self.spare):
            self._put(self._spawn())
        if self.most > self.spare:
            threading.Thread(target=self._end_idle, name="krm-pool-idle", daemon=True).start()

    # --- workers --------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        """Start a worker from the pool's own thread: a worker dies with the thread that
        started it (Linux's parent-death signal follows the thread, not the process), and
        a request's thread may end while the worker serves others."""
        worker = self._starter.submit(
            _Worker, self.store_path, self.writable, self.limit, self.chunk,
            self.service_allow, self.load_hosts).result()
        with self._lock:
            self._all.add(worker)
        return worker

    def replace(self, worker: _Worker | _Lease) -> None:
        """Kill a worker (mid-query or broken) and put a fresh one in its place, if the
        pool is short of spares."""
        if isinstance(worker, _Lease):
            worker.kill()
            return
        with self._lock:
            if worker not in self._all or worker.killed:
                return
            worker.killed = True
        # Counted until it is gone: the writer's successor must not open the store (and
        # take its lock) while the killed writer still holds it.
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self._freed.notify()  # a request waiting at the bound may start one now
        self._top_up()

    def _top_up(self) -> None:
        """Start a worker when fewer than ``spare`` are left (one was killed)."""
        worker = self._start_within(self.spare)
        if worker:
            self._put(worker)

    def _start_within(self, bound: int) -> _Worker | None:
        """A new worker, unless ``bound`` workers exist or are being started. A start is
        counted before its process exists: two requests at once stay within the bound."""
        with self._lock:
            grow = not self._closed and len(self._all) + self._starting < bound
            self._starting += grow
        if not grow:
            return None
        try:
            return self._spawn()
        finally:
            with self._lock:
                self._starting -= 1

    def _put(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._all and not worker.killed:
                worker.idle_since = time.monotonic()
                self._idle.append(worker)
                self._freed.notify()

    def release(self, worker: _Worker | _Lease) -> None:
        """A worker that finished its request goes back to the idle ones."""
        if isinstance(worker, _Lease):
            worker.give_back()
            return
        worker.busy_since, worker.yielded = 0.0, False
        self._put(worker)

    def _end_idle(self) -> None:
        """End the workers beyond ``spare`` that stayed idle ``idle`` seconds, the longest
        idle first (each holds ~40-90 MB)."""
        while not self._stop.wait(max(0.05, self.idle / 4)):
            ended = []
            with self._lock:
                while len(self._all) > self.spare and self._idle and \
                        time.monotonic() - self._idle[0].idle_since > self.idle:
                    worker = self._idle.pop(0)
                    self._all.discard(worker)
                    worker.killed = True
                    ended.append(worker)
            for worker in ended:
                worker.kill()

    def acquire(self, deadline: float) -> _Worker | _Lease:
        """An idle worker for one request, ready, within ``deadline``.

        Raises:
            TimeLimitExceeded, BackendError.
        """
        host = self._host
        if host is not None:
            try:
                return host.lease(deadline)
            except OSError as e:
                with self._lock:
                    lost, self._host = self._host is host, None
                if lost:
                    host.close()
                    log.error("the shared pool of query workers cannot be reached (%s): "
                              "this server process starts its own", e)
                    self._start()
        while True:
            worker = self._take(deadline)
            if worker.process.poll() is not None:  # died while idle
                self.replace(worker)
                continue
            if not worker.ready:
                message = self._recv(worker, deadline)
                if message[0] != "ready":
                    self.replace(worker)
                    raise BackendError(f"the store could not be opened: {message[1]}")
                worker.ready, worker.network_denied = True, message[1]
                if not self.network and not worker.network_denied and not self._warned:
                    self._warned = True
                    log.error("QUERY WORKERS COULD NOT DENY THEMSELVES THE NETWORK; "
                              "SERVICE and LOAD are refused (see docs/SECURITY.md)")
            return worker

    def _take(self, deadline: float) -> _Worker:
        """The idle worker used last, else a new one within ``most``, else the first
        worker freed, or the first place freed by a killed one, before ``deadline``."""
        while True:
            with self._lock:
                if self._idle:
                    return self._idle.pop()
            worker = self._start_within(self.most)
            if worker:
                return worker
            with self._lock:
                if self._idle:
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeLimitExceeded(
                        f"all {self.most} query workers stayed busy for the whole time "
                        "limit; try again later")
                self._freed.wait(remaining)

    def _recv(self, worker: _Worker, deadline: float):
        """The worker's next message, watching it meanwhile: it is killed (and replaced)
        when it dies, outgrows the memory limit or the deadline passes first.

        Raises:
            WorkerCrashed, MemoryLimitExceeded, TimeLimitExceeded.
        """
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.replace(worker)
                raise TimeLimitExceeded(_LATE)
            try:
                if worker.conn.poll(min(remaining, WATCH)):
                    return worker.conn.recv()
            except (EOFError, OSError):
                try:
                    why = worker.why_dead()
                except subprocess.TimeoutExpired:
                    why = "it closed its connection"
                self.replace(worker)
                log.error("a query worker died: %s", why)
                raise WorkerCrashed(f"the query's worker process died ({why}) while "
                                    "running it; it has been replaced") from None
            if worker.busy_since and not worker.yielded and \
                    time.monotonic() - worker.busy_since > LONG:
                worker.yield_cpu()
            if self.memory_limit and worker.memory() > self.memory_limit:
                self.replace(worker)
                raise MemoryLimitExceeded(
                    f"the query needed more than {self.memory_limit // 2**20} MB and was "
                    "stopped")

    def _send(self, worker: _Worker, message) -> None:
        try:
            worker.conn.send(message)
        except OSError:
            self.replace(worker)
            raise WorkerCrashed("a query worker died before the query reached it; it "
                                "has been replaced") from None

    # --- the backend interface ------------------------------------------------------
    def _guard(self, worker: _Worker, text: str) -> None:
        """Refuse what could fetch when the network should be denied but is not."""
        if not self.network and not worker.network_denied and might_fetch(text):
            self.release(worker)
            raise Refused("SERVICE and LOAD are refused: this server could not deny its "
                          "query workers the network")

    def update(self, text: str, timeout: float, base_iri: str | None = None,
               using: tuple[str, ...] = (), using_named: tuple[str, ...] = ()) -> None:
        """Apply a SPARQL Update (writable pool only); ``using``/``using_named`` become
        USING clauses in the worker (:mod:`kg.service.using`).

        Raises:
            QuerySyntaxError, Unsupported, Refused, TimeLimitExceeded, WorkerCrashed,
            MemoryLimitExceeded, BackendError.
        """
        if not self.writable:
            raise BackendError("updates need the store's writer process; this pool only reads")
        deadline = time.monotonic() + timeout
        worker = self.acquire(deadline)
        self._guard(worker, text)
        worker.busy_since = time.monotonic()
        self._send(worker, ("update", text, base_iri, tuple(using), tuple(using_named)))
        message = self._recv(worker, deadline)
        self.release(worker)
        if message[0] == "error":
            raise_error(message)

    def write_graph(self, mode: str, graph: str | None, data: bytes | None,
                    media_type: str | None, timeout: float, base_iri: str | None = None
                    ) -> bool:
        """A Graph Store Protocol write (``put``, ``post``, ``delete``; writable pool
        only); returns whether the graph held triples before.

        Raises:
            QuerySyntaxError (the data does not parse), TimeLimitExceeded, WorkerCrashed,
            MemoryLimitExceeded, BackendError.
        """
        if not self.writable:
            raise BackendError("writes need the store's writer process; this pool only reads")
        deadline = time.monotonic() + timeout
        worker = self.acquire(deadline)
        worker.busy_since = time.monotonic()
        self._send(worker, ("graph", mode, graph, data, media_type, base_iri))
        message = self._recv(worker, deadline)
        self.release(worker)
        if message[0] == "error":
            raise_error(message)
        return message[1]

    def run(self, req: QueryRequest, timeout: float) -> Answer:
        """Start a query; returns once the first chunk (or the whole result) is ready,
        so that errors and timeouts before that are answered with a proper status.

        Raises:
            QuerySyntaxError, Unsupported, Unacceptable, Refused, TimeLimitExceeded,
            WorkerCrashed, MemoryLimitExceeded, ResultTooLarge, FederationFailed,
            BackendError.
        """
        trial = self._proven.get(req)
        if trial is not None and trial.inline_next():
            return self._inline(req, trial)
        deadline = time.monotonic() + timeout
        worker = self.acquire(deadline)
        self._guard(worker, req.text)
        worker.busy_since = start = time.monotonic()
        self._send(worker, ("query", req))
        message = self._recv(worker, deadline)
        if message[0] == "error":
            self.release(worker)
            raise_error(message)
        _, kind, media_type, first, finished = message
        if finished:
            self.release(worker)
            seconds = time.monotonic() - start
            if trial is not None:
                trial.record(False, seconds)
            elif seconds <= timeout * CHEAP:
                self._prove(req, seconds)
            return Answer(kind, media_type, [first])
        stream = _Stream(self, worker, first, deadline)
        return Answer(kind, media_type, stream, on_close=stream.close)

    def _prove(self, req: QueryRequest, seconds: float) -> None:
        if self.inline_store is None or len(req.text) > PROVEN_TEXT or might_fetch(req.text):
            return
        if len(self._proven) >= PROVEN:
            self._proven.pop(next(iter(self._proven)), None)  # the oldest
        self._proven[req] = _Trial(seconds)

    def _inline(self, req: QueryRequest, trial: _Trial) -> Answer:
        """Answer a proven request here, as a worker would (:func:`worker.answer`)."""
        inbox = _Inbox()
        start = time.monotonic()
        answer(inbox, self.inline_store, req, self.limit, self.chunk,
               _NO_FETCH)
        trial.record(True, time.monotonic() - start)
        message = inbox.message
        if message[0] == "error":
            raise_error(message)
        _, kind, media_type, first, _ = message
        return Answer(kind, media_type, [first])

    def close(self) -> None:
        if self._host is not None:
            self._host.close()
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
        self._stop.set()
        self._starter.shutdown(wait=False)
        for worker in workers:
            worker.kill()
