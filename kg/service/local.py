"""Queries run in this process under a time limit: the fast path, no hop to another process.

pyoxigraph releases the GIL while it evaluates, so the request thread can wait for a
query running on another thread, with a timeout; what nothing can do is stop a query that
outlives the limit. Then the request is answered 503 as usual and ``on_runaway`` is
called: in the server it makes this process finish its other requests and exit, and the
server starts a fresh process in its place, so the runaway dies with its process (see
:func:`server.sparql.recycle`).

The query thread speaks the worker processes' protocol (:func:`kg.service.worker.answer`)
over a queue a few chunks deep, so results stream in bounded memory: it waits while the
client is slow, and gives up as soon as the request does.

A query of one triple pattern (:func:`kg.service.shape.one_pattern`) skips the thread:
the engine hands it output at every match, so the request thread runs it and checks the
time at each chunk of output. Only a result that fits one chunk is answered this way; a
bigger one is started again on a thread, to stream.

So does a query that has run before, on a thread, within a hundredth of its time limit
(:data:`CHEAP`): the store does not change while it is served, so the same query does
the same work again, and the hand-over to a thread would cost more than the query.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from kg.service import (
    CHUNK,
    Answer,
    BackendError,
    QueryRequest,
    TimeLimitExceeded,
    answer_from,
    relay,
)
from kg.service.shape import one_pattern
from kg.service.worker import answer

log = logging.getLogger(__name__)
#: Seconds a query thread gets to notice that its request gave up (it checks when it
#: writes); one that does not is inside the engine, a runaway.
NOTICE = 0.25
#: Chunks a query thread may run ahead of its client.
AHEAD = 4
#: A query that last took at most this share of its time limit runs on the request's
#: thread next time (it cannot be stopped there, but it cannot come near the limit).
CHEAP = 0.01
#: Queries whose cost is remembered; queries longer than :data:`KEPT_TEXT` are not.
KEPT, KEPT_TEXT = 1024, 4096
_LATE = "the query ran past the time limit and was stopped"


class _Cancelled(Exception):
    """The request gave up on the result (time limit or client gone)."""


class _Channel:
    """The protocol's messages from a query thread to its request, a few chunks ahead."""

    def __init__(self):
        self.messages: queue.SimpleQueue = queue.SimpleQueue()
        self.credits = threading.Semaphore(AHEAD)
        self.cancelled = False
        self.sent = 0
        self.finished = threading.Event()  # set by the query thread when it is done

    def send(self, message) -> None:
        while not self.cancelled:
            if self.credits.acquire(timeout=NOTICE / 2):
                self.sent += 1
                self.messages.put(message)
                return
        raise _Cancelled

    def recv(self, deadline: float):
        try:
            message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeLimitExceeded(_LATE) from None
        self.credits.release()
        return message


class _TooBig(Exception):
    """The result needs more than one chunk: run it again where it can stream."""


class _Inline:
    """Takes the protocol's messages in the request thread: the first, whole, result."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.message = None

    def send(self, message) -> None:
        if time.monotonic() > self.deadline:
            raise TimeLimitExceeded(_LATE)
        if message[0] == "result" and not message[4]:
            raise _TooBig
        self.message = message


class _QueryThread(threading.Thread):
    """A kept thread that runs one query after another for a :class:`LocalStore`
    (starting a thread costs more than a cheap query)."""

    def __init__(self, backend: LocalStore):
        super().__init__(daemon=True, name="sparql-query")
        self.backend = backend
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()

    def run(self) -> None:
        while True:
            channel, req = self.inbox.get()
            self.backend._work(channel, req)
            channel.finished.set()
            self.backend._idle.append(self)


class LocalStore:
    """Runs queries in this process over a store opened by the caller, which must not
    change while this serves it.

    >>> from kg import store as st
    >>> backend = LocalStore(st.Store())
    >>> answer = backend.run(QueryRequest("ASK {}", "application/sparql-results+json", None), 5)
    >>> answer.kind, b"".join(answer.chunks)
    ('boolean', b'{"head":{},"boolean":true}')
    """

    def __init__(self, store, max_result_bytes: int = 0, chunk: int = CHUNK,
                 on_runaway: Callable[[], None] | None = None):
        self.store, self.limit, self.chunk = store, max_result_bytes, chunk
        self.on_runaway = on_runaway
        self._idle: list[_QueryThread] = []  # list.pop and append are atomic
        self._costs: dict[QueryRequest, float] = {}  # seconds, of whole answers
        self._costs_lock = threading.Lock()

    def run(self, req: QueryRequest, timeout: float) -> Answer:
        """Start a query; returns once the first chunk (or the whole result) is ready,
        so that errors and timeouts before that are answered with a proper status.

        Raises:
            QuerySyntaxError, Unacceptable, TimeLimitExceeded, ResultTooLarge,
            FederationFailed, BackendError.
        """
        deadline = time.monotonic() + timeout
        if not req.federated and (one_pattern(req.text) or self._cheap(req, timeout)):
            inline = _Inline(deadline)
            try:
                answer(inline, self.store, req, self.limit, self.chunk)
            except _TooBig:
                pass
            else:
                return self._answer(inline.message, None, deadline)
        channel = _Channel()
        self._dispatch(channel, req)
        try:
            message = channel.recv(deadline)
        except TimeLimitExceeded:
            self._give_up(channel, deadline)
            raise
        return self._answer(message, channel, deadline)

    def _answer(self, message, channel: _Channel | None, deadline: float) -> Answer:
        def release(done: bool) -> None:
            if not done:  # time limit, or the client went away mid-result
                self._give_up(channel, deadline)

        return answer_from(message, lambda first: relay(
            first, lambda: channel.recv(deadline), release))

    def _dispatch(self, channel: _Channel, req: QueryRequest) -> None:
        """Hand the query to an idle query thread, or to a new one."""
        try:
            thread = self._idle.pop()
        except IndexError:
            thread = _QueryThread(self)
            thread.start()
        thread.inbox.put((channel, req))

    def _cheap(self, req: QueryRequest, timeout: float) -> bool:
        cost = self._costs.get(req)
        return cost is not None and cost <= timeout * CHEAP

    def _cost(self, req: QueryRequest, seconds: float) -> None:
        """Remember how long a query took to answer whole (in one message)."""
        if req.federated or len(req.text) > KEPT_TEXT:
            return
        with self._costs_lock:
            if req not in self._costs and len(self._costs) >= KEPT:
                del self._costs[next(iter(self._costs))]  # the oldest
            self._costs[req] = seconds

    def _work(self, channel: _Channel, req: QueryRequest) -> None:
        start = time.monotonic()
        try:
            answer(channel, self.store, req, self.limit, self.chunk)
            if channel.sent == 1:
                self._cost(req, time.monotonic() - start)
        except _Cancelled:
            pass
        except Exception as e:  # noqa: BLE001  (the request must hear of it, not hang)
            log.exception("query thread failed")
            try:
                channel.send(("error", "backend", f"the query failed: {type(e).__name__}"))
            except _Cancelled:
                pass

    def _give_up(self, channel: _Channel, deadline: float) -> None:
        """Tell the query thread to stop; if it is inside the engine it cannot hear, so
        hand it to ``on_runaway`` once the time limit has passed."""
        channel.cancelled = True
        if channel.finished.wait(NOTICE):
            return
        wait = deadline - time.monotonic()
        if wait > 0:  # the client left early: the query still has time to finish
            timer = threading.Timer(wait, self._check, (channel,))
            timer.daemon = True
            timer.start()
        else:
            self._check(channel)

    def _check(self, channel: _Channel) -> None:
        if not channel.finished.is_set():
            log.error("a query outlived its time limit inside the engine")
            if self.on_runaway:
                self.on_runaway()

    def update(self, text: str, timeout: float) -> None:
        raise BackendError("updates need the store's writer process; this backend only reads")

    def close(self) -> None:
        """Nothing to release: the store belongs to the caller."""
