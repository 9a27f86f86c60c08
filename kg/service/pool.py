"""Queries against the on-disk store, run in worker processes that can be killed.

pyoxigraph evaluates a query inside one native call that Python cannot interrupt, so a
runaway query would hold a thread (and a core) for as long as it likes. Here each query
runs in one of a few long-lived worker processes, each with the store open read-only; the
worker serialises the result with pyoxigraph's own serializers and streams it back over
a pipe in chunks (bounded memory: the pipe blocks while the client is slow). When a
query outlives its time limit, its worker is killed and a fresh one started.

With updates enabled the pool holds one worker with the store open writable (RocksDB
allows one writer per store), which then serves queries and updates in turn.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Iterator

from kg.service import (
    Answer,
    BackendError,
    QueryRequest,
    QuerySyntaxError,
    ResultTooLarge,
    TimeLimitExceeded,
    Unacceptable,
)

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
_GENERIC_FEDERATION_ERROR = "a federated (SERVICE) part of the query failed"


class _Pipe:
    """A write-only binary stream that sends CHUNK-sized pieces over a connection."""

    def __init__(self, conn, limit: int, chunk: int):
        self.conn, self.limit, self.chunk = conn, limit, chunk
        self.buffer = bytearray()
        self.sent = 0

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= self.chunk:
            self._send()
        return len(data)

    def _send(self) -> None:
        self.sent += len(self.buffer)
        if self.limit and self.sent > self.limit:
            raise ResultTooLarge(f"the result is larger than {self.limit} bytes")
        self.conn.send(("data", bytes(self.buffer)))
        self.buffer.clear()

    def flush(self) -> None:
        """Called by the serializers; sending waits for CHUNK bytes or the end."""

    def close(self) -> None:
        if self.buffer:
            self._send()


def _worker(conn, store_path: str, writable: bool, limit: int, chunk: int) -> None:
    """Worker process: open the store, then answer ("query"|"update", request) messages."""
    from kg import store as st

    try:
        store = st.open_store(store_path, read_only=not writable)
    except OSError as e:
        conn.send(("failed", str(e)))
        return
    conn.send(("ready",))
    while True:
        try:
            op, payload = conn.recv()
        except (EOFError, OSError):
            return
        if op == "update":
            try:
                st.run_update(store, payload)
                conn.send(("end",))
            except SyntaxError as e:
                conn.send(("error", "syntax", str(e)))
            except OSError as e:
                conn.send(("error", "os", str(e)))
            continue
        _answer(conn, st, store, payload, limit, chunk)


def _answer(conn, st, store, req: QueryRequest, limit: int, chunk: int) -> None:
    try:
        results = st.run_query(store, req.text, req.default_graphs, req.named_graphs)
    except SyntaxError as e:
        conn.send(("error", "syntax", str(e)))
        return
    except ValueError as e:
        conn.send(("error", "syntax", str(e)))
        return
    except OSError as e:
        conn.send(("error", "os", _GENERIC_FEDERATION_ERROR if req.federated else str(e)))
        return
    kind = st.result_kind(results)
    media_type = req.rdf_type if kind == st.TRIPLES else req.results_type
    if media_type is None:
        conn.send(("error", "unacceptable", kind))
        return
    conn.send(("head", kind, media_type))
    out = _Pipe(conn, limit, chunk)
    try:
        st.serialize_results(results, out, media_type)
        out.close()
    except ResultTooLarge as e:
        conn.send(("error", "too_large", str(e)))
        return
    except (OSError, SyntaxError, ValueError) as e:
        conn.send(("error", "os", _GENERIC_FEDERATION_ERROR if req.federated else str(e)))
        return
    conn.send(("end",))


class _Worker:
    def __init__(self, ctx, store_path: str, writable: bool, limit: int, chunk: int):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker, args=(child, store_path, writable, limit,
                                                         chunk), daemon=True,
                                   name="krm-query-worker")
        self.process.start()
        child.close()
        self.ready = False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(2)
        self.conn.close()


class ProcessPool:
    """A fixed number of query worker processes over one on-disk store.

    >>> pool = ProcessPool("no/such/store", size=1)
    >>> pool.run(QueryRequest("ASK {}", "application/sparql-results+json", None), 5)
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
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.store_path, self.writable, self.limit, self.chunk)
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

    def update(self, text: str, timeout: float) -> None:
        """Apply a SPARQL Update (writable pool only).

        Raises:
            QuerySyntaxError, TimeLimitExceeded, BackendError.
        """
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        worker.conn.send(("update", text))
        message = self._recv(worker, deadline)
        self._idle.put(worker)
        if message[0] == "error":
            if message[1] == "syntax":
                raise QuerySyntaxError(message[2])
            raise BackendError(message[2])

    def run(self, req: QueryRequest, timeout: float) -> Answer:
        """Start a query; returns once the first chunk (or the whole result) is ready,
        so that errors and timeouts before that are answered with a proper status.

        Raises:
            QuerySyntaxError, Unacceptable, TimeLimitExceeded, BackendError.
        """
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        try:
            worker.conn.send(("query", req))
        except OSError:
            self._replace(worker)
            raise BackendError("a query worker died; see the server log") from None
        message = self._recv(worker, deadline)
        if message[0] == "error":
            self._idle.put(worker)
            _raise(message)
        _, kind, media_type = message
        first = self._recv(worker, deadline)
        if first[0] == "error":
            self._idle.put(worker)
            _raise(first)
        return Answer(kind, media_type, self._stream(worker, first, deadline))

    def _stream(self, worker: _Worker, message, deadline: float) -> Iterator[bytes]:
        done = False
        try:
            while message[0] == "data":
                yield message[1]
                message = self._recv(worker, deadline)
            done = True
            if message[0] == "error":
                log.warning("query result cut: %s", message[2])
                _raise(message)
        finally:
            if done:
                self._idle.put(worker)
            elif worker.process.is_alive():
                # The client went away mid-result: the worker is still writing into the
                # pipe, so it cannot take another query; start afresh.
                self._replace(worker)

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


def _raise(message) -> None:
    _, what, detail = message
    if what == "syntax":
        raise QuerySyntaxError(detail)
    if what == "unacceptable":
        raise Unacceptable(detail)
    if what == "too_large":
        raise ResultTooLarge(detail)
    raise BackendError(detail)
