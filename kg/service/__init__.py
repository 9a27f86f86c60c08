"""The SPARQL service's backends: run a query under a time limit and stream its result.

One interface (:class:`Backend`), two backends: :class:`~kg.service.pool.ProcessPool`
runs queries against the on-disk store in supervised worker processes, which are killed
and replaced when a query crashes the engine or passes its time or memory limit, and
:class:`~kg.service.remote.RemoteEndpoint` forwards them to any SPARQL 1.1 endpoint.
Both raise the errors below, which the web layer maps to HTTP statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

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


class Unsupported(ServiceError):
    """The query parses but uses something the engine does not evaluate (a function)."""


class MemoryLimitExceeded(ServiceError):
    """The query's worker grew past the memory limit and was stopped."""


class WorkerCrashed(ServiceError):
    """The query's worker process died while running it (our fault; it was replaced)."""


class Refused(ServiceError):
    """The request asks for something the configuration forbids (SERVICE, LOAD)."""


class FederationFailed(ServiceError):
    """A SERVICE endpoint failed; what it answered is never passed on."""


class BackendError(ServiceError):
    """The store failed (our fault, logged); the message never carries remote content."""


class StoreUnavailable(OSError):
    """A remote store did not answer a page's or the API's query (unreachable, failed, or
    past the time limit): an ``OSError``, as a store that cannot be read, which the web
    layer answers 503."""


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
    base_iri: str | None = None


@dataclass
class Answer:
    """A result being streamed: its kind, media type and the chunks still to come.

    Iterate ``chunks`` within the request; :meth:`close` releases the backend, whether
    or not the chunks were read (a HEAD request reads none). A result that came whole is
    a one-item list, so that servers can send it with its length at once.
    """

    kind: str
    media_type: str
    chunks: Iterable[bytes] = field(repr=False)
    on_close: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        close = getattr(self.chunks, "close", None)
        if close:
            close()
        if self.on_close:
            self.on_close()
            self.on_close = None


class Backend(Protocol):
    """What the web layer asks of a backend."""

    def run(self, req: QueryRequest, timeout: float) -> Answer:
        """Start a query; return once its first chunk (or whole result) is ready.

        Raises:
            ServiceError: any of the subclasses above.
        """

    def update(self, text: str, timeout: float, base_iri: str | None = None,
               using: tuple[str, ...] = (), using_named: tuple[str, ...] = ()) -> None:
        """Apply a SPARQL Update; ``using``/``using_named`` are the protocol's
        ``using-graph-uri``/``using-named-graph-uri``.

        Raises:
            ServiceError: any of the subclasses above.
        """

    def write_graph(self, mode: str, graph: str | None, data: bytes | None,
                    media_type: str | None, timeout: float, base_iri: str | None = None
                    ) -> bool:
        """A Graph Store Protocol write; returns whether the graph held triples before.

        Raises:
            ServiceError: any of the subclasses above.
        """

    def close(self) -> None:
        """Release processes and connections."""


def is_endpoint_url(store: str) -> bool:
    """True when the configured store is a SPARQL endpoint rather than a path.

    >>> is_endpoint_url("https://example.org/sparql"), is_endpoint_url("var/store")
    (True, False)
    """
    return store.startswith(("http://", "https://"))
