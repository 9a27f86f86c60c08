"""The SPARQL service's backends: run a query under a time limit and stream its result.

Two backends answer the same calls: :class:`~kg.service.pool.ProcessPool` runs queries
against the on-disk store in worker processes that can be killed when a query outlives
its time limit (pyoxigraph cannot be interrupted), and
:class:`~kg.service.remote.RemoteEndpoint` forwards them to any SPARQL 1.1 endpoint.
Both raise the errors below, which the web layer maps to HTTP statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

#: Bytes per piece of a streamed result.
CHUNK = 64 * 1024


class ServiceError(Exception):
    """Base of the errors a backend raises; ``str()`` is a message for a person."""


class QuerySyntaxError(ServiceError):
    """The query or update does not parse (the client's fault)."""


class Unacceptable(ServiceError):
    """No acceptable format for what the query gives (``kind``)."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(f"this query gives {kind}, and no format for {kind} was acceptable")


class TimeLimitExceeded(ServiceError):
    """The query ran past its time limit and was stopped."""


class ResultTooLarge(ServiceError):
    """The result grew past the configured size and was cut."""


class Refused(ServiceError):
    """The request asks for something the configuration forbids (SERVICE, LOAD)."""


class FederationFailed(ServiceError):
    """A SERVICE endpoint failed; what it answered is never passed on."""


class BackendError(ServiceError):
    """The store failed (our fault, logged); the message never carries remote content."""


@dataclass(frozen=True)
class QueryRequest:
    """A query and how its result is wanted.

    ``results_type`` is the media type chosen for SELECT/ASK results and ``rdf_type`` the
    one for CONSTRUCT/DESCRIBE; either is None when no such format was acceptable.
    """

    text: str
    results_type: str | None
    rdf_type: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    federated: bool = False


@dataclass
class Answer:
    """A result being streamed: its kind, media type and the chunks still to come.

    Iterate ``chunks`` within the request; :meth:`close` releases the backend early. A
    result that came whole is a one-item list, so that servers can send it with its
    length at once.
    """

    kind: str
    media_type: str
    chunks: Iterable[bytes] = field(repr=False)

    def close(self) -> None:
        close = getattr(self.chunks, "close", None)
        if close:
            close()


def is_endpoint_url(store: str) -> bool:
    """True when the configured store is a SPARQL endpoint rather than a path.

    >>> is_endpoint_url("https://example.org/sparql"), is_endpoint_url("var/store")
    (True, False)
    """
    return store.startswith(("http://", "https://"))


def raise_error(message: tuple) -> None:
    """Raise the error that a query worker's ``("error", what, detail)`` message names."""
    _, what, detail = message
    if what == "syntax":
        raise QuerySyntaxError(detail)
    if what == "unacceptable":
        raise Unacceptable(detail)
    if what == "too_large":
        raise ResultTooLarge(detail)
    if what == "federation":
        raise FederationFailed(detail)
    raise BackendError(detail)


def answer_from(message: tuple, rest: Callable[[bytes], Iterator[bytes]]) -> Answer:
    """The :class:`Answer` that a query worker's first message announces: the whole
    result, or its first chunk followed by ``rest(first)``.

    Raises:
        ServiceError: the message is an error.
    """
    if message[0] == "error":
        raise_error(message)
    _, kind, media_type, first, finished = message
    return Answer(kind, media_type, [first] if finished else rest(first))


def relay(first: bytes, recv: Callable[[], tuple], release: Callable[[bool], None]
          ) -> Iterator[bytes]:
    """The chunks of a streamed result, from the first through the ``("more", chunk)``
    messages ``recv`` returns until the end; then ``release(done)``, ``done`` being
    False when the stream stopped early (time limit, client gone)."""
    done = False
    try:
        yield first
        while True:
            message = recv()
            if message[0] != "more":
                break
            yield message[1]
        done = True
        if message[0] == "error":
            log.warning("query result cut: %s", message[2])
            raise_error(message)
    finally:
        release(done)
