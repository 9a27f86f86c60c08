"""Queries against the on-disk store, run in worker processes that can be killed.

pyoxigraph evaluates a query inside one native call that Python cannot interrupt, so a
runaway query would hold a thread (and a core) for as long as it likes. Here each query
runs in one of a few long-lived worker processes (:mod:`kg.service.worker`), each with
the store open read-only; the worker serialises the result with pyoxigraph's own
serializers and streams it back over a socket in chunks (bounded memory: the socket
blocks while the client is slow). When a query outlives its time limit, its worker is
killed and a fresh one started.

With updates enabled the pool holds one worker with the store open writable (RocksDB
allows one writer per store), which then serves queries and updates in turn.
"""

from __future__ import annotations

import logging
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

from kg.service import (
    CHUNK,
    Answer,
    BackendError,
    QueryRequest,
    TimeLimitExceeded,
    answer_from,
    raise_error,
    relay,
)

log = logging.getLogger(__name__)


class _Worker:
    """One worker process and our end of its socket."""

    def __init__(self, store_path: str, writable: bool, limit: int, chunk: int):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.service.worker", str(theirs.fileno()), store_path,
             "1" if writable else "0", str(limit), str(chunk)],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class ProcessPool:
    """A fixed number of query worker processes over one on-disk store.

    >>> pool = ProcessPool("no/such/store", size=1)
    >>> pool.run(QueryRequest("ASK {}", "application/sparql-results+json", None), 10)
    Traceback (most recent call last):
    ...
    kg.service.BackendError: the store could not be opened: ...
    >>> pool.close()
    """

    def __init__(self, store_path: str, size: int = 2, writable: bool = False,
                 max_result_bytes: int = 0, chunk: int = CHUNK):
        self.store_path, self.writable = store_path, writable
        self.size = 1 if writable else max(1, size)
        self.limit, self.chunk = max_result_bytes, chunk
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_path, self.writable, self.limit, self.chunk)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (mid-query or broken) and put a fresh one in its place."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        self._idle.put(self._spawn())

    def _acquire(self, deadline: float) -> _Worker:
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeLimitExceeded(
                f"all {self.size} query workers stayed busy for the whole time limit; "
                "try again later") from None
        if not worker.ready:
            message = self._recv(worker, deadline)
            if message[0] != "ready":
                self._replace(worker)
                raise BackendError(f"the store could not be opened: {message[1]}")
            worker.ready = True
        return worker

    def _recv(self, worker: _Worker, deadline: float):
        """The worker's next message, or kill it when the deadline passes first."""
        remaining = deadline - time.monotonic()
        try:
            if remaining > 0 and worker.conn.poll(remaining):
                return worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise BackendError("a query worker died; see the server log") from None
        self._replace(worker)
        raise TimeLimitExceeded("the query ran past the time limit and was stopped")

    def _send(self, worker: _Worker, message) -> None:
        try:
            worker.conn.send(message)
        except OSError:
            self._replace(worker)
            raise BackendError("a query worker died; see the server log") from None

    def update(self, text: str, timeout: float) -> None:
        """Apply a SPARQL Update (writable pool only).

        Raises:
            QuerySyntaxError, TimeLimitExceeded, BackendError.
        """
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        self._send(worker, ("update", text))
        message = self._recv(worker, deadline)
        self._idle.put(worker)
        if message[0] == "error":
            raise_error(message)

    def run(self, req: QueryRequest, timeout: float) -> Answer:
        """Start a query; returns once the first chunk (or the whole result) is ready,
        so that errors and timeouts before that are answered with a proper status.

        Raises:
            QuerySyntaxError, Unacceptable, TimeLimitExceeded, BackendError.
        """
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        self._send(worker, ("query", req))
        message = self._recv(worker, deadline)
        if message[0] == "error" or message[4]:  # over: the worker is free again
            self._idle.put(worker)

        def release(done: bool) -> None:
            if done:
                self._idle.put(worker)
            elif worker in self._all:
                # The client went away mid-result: the worker is still writing into the
                # socket, so it cannot take another query; start afresh.
                self._replace(worker)

        return answer_from(message, lambda first: relay(
            first, lambda: self._recv(worker, deadline), release))

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

