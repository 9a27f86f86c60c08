"""Queries forwarded to a remote SPARQL 1.1 endpoint (GraphDB, Stardog, Neptune, Virtuoso,
``oxigraph serve``...), so that a deployment can outgrow one machine without code changes.

The result is streamed through as the remote serialised it. Network waits honour the
time limit (the socket timeout is re-armed with what is left before every read), and the
remote store is ours, so its error messages are passed on for syntax errors only.
"""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

from kg import store as st
from kg.service import (
    CHUNK,
    Answer,
    BackendError,
    QueryRequest,
    QuerySyntaxError,
    Refused,
    TimeLimitExceeded,
    Unacceptable,
)
from kg.service.federation import check, might_fetch

log = logging.getLogger(__name__)


class RemoteEndpoint:
    """A remote SPARQL endpoint at ``query_url`` (and ``update_url`` for updates)."""

    def __init__(self, query_url: str, update_url: str | None = None,
                 service_allow: list[str] | tuple[str, ...] = (),
                 load_hosts: list[str] | tuple[str, ...] = ()):
        self.query_url, self.update_url = query_url, update_url
        self.service_allow, self.load_hosts = list(service_allow), list(load_hosts)

    def _guard(self, text: str, update: bool = False) -> None:
        """The remote store would fetch what SERVICE and LOAD name, from its own network.
        This process serves HTTP and parses no client text, so without an allow-list any
        text naming either word is refused; with one, the text guard reads it here."""
        if not might_fetch(text):
            return
        if not self.service_allow and not (update and self.load_hosts):
            raise Refused("SERVICE and LOAD are not forwarded to the store from this "
                          "endpoint")
        check(text, self.service_allow, self.load_hosts, update=update)

    def _post(self, url: str, form: list[tuple[str, str]], accept: str, deadline: float):
        parts = urlsplit(url)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeLimitExceeded("the query ran past the time limit and was stopped")
        conn = cls(parts.hostname, parts.port, timeout=remaining)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            conn.request("POST", path, body=urlencode(form).encode(), headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
            response = conn.getresponse()
        except TimeoutError:
            conn.close()
            raise TimeLimitExceeded("the query ran past the time limit and was stopped") from None
        except OSError as e:
            conn.close()
            log.error("store endpoint %s: %s", url, e)
            raise BackendError("the store endpoint cannot be reached; see the server log") from None
        return conn, response

    def _check(self, conn, response, kind_hint: str | None = None) -> None:
        if response.status < 300:
            return
        body = response.read(8192).decode("utf-8", "replace")
        conn.close()
        if response.status == 400:
            raise QuerySyntaxError(body.strip())
        if response.status == 406:
            raise Unacceptable(kind_hint or "results")
        log.error("store endpoint answered %s: %s", response.status, body[:2000])
        raise BackendError(f"the store endpoint failed (status {response.status}); "
                           "see the server log")

    def run(self, req: QueryRequest, timeout: float) -> Answer:
        """Forward a query; returns once the remote has answered with its headers.

        Raises:
            QuerySyntaxError, Unacceptable, TimeLimitExceeded, BackendError.
        """
        self._guard(req.text)
        deadline = time.monotonic() + timeout
        accept = ", ".join(t for t in (req.results_type, req.rdf_type) if t)
        form = [("query", req.text)]
        form += [("default-graph-uri", g) for g in req.default_graphs]
        form += [("named-graph-uri", g) for g in req.named_graphs]
        conn, response = self._post(self.query_url, form, accept, deadline)
        self._check(conn, response,
                    st.TRIPLES if req.results_type is None else None)
        media_type = response.getheader("Content-Type", "")
        if st.results_media_type(media_type.split(";")[0].strip()):
            kind = st.SOLUTIONS
        elif st.rdf_media_type(media_type.split(";")[0].strip()):
            kind = st.TRIPLES
        else:
            conn.close()
            raise BackendError(f"the store endpoint answered in {media_type!r}")
        return Answer(kind, media_type, self._stream(conn, response, deadline),
                      on_close=conn.close)

    def _stream(self, conn, response, deadline: float) -> Iterator[bytes]:
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeLimitExceeded("the query ran past the time limit and was stopped")
                if conn.sock is not None:
                    conn.sock.settimeout(remaining)
                try:
                    data = response.read1(CHUNK)
                except TimeoutError:
                    raise TimeLimitExceeded(
                        "the query ran past the time limit and was stopped") from None
                if not data:
                    return
                yield data
        finally:
            conn.close()

    def update(self, text: str, timeout: float, base_iri: str | None = None,
               using: tuple[str, ...] = (), using_named: tuple[str, ...] = ()) -> None:
        """Forward a SPARQL Update to the update URL with its ``using-graph-uri`` and
        ``using-named-graph-uri`` (the remote store resolves relative IRIs against its own
        base; ``base_iri`` is not sent).

        Raises:
            QuerySyntaxError, TimeLimitExceeded, BackendError.
        """
        if not self.update_url:
            raise BackendError("no update URL is configured for the store endpoint")
        self._guard(text, update=True)
        deadline = time.monotonic() + timeout
        fields = [("update", text)] + [("using-graph-uri", g) for g in using] \
            + [("using-named-graph-uri", g) for g in using_named]
        conn, response = self._post(self.update_url, fields, "*/*", deadline)
        self._check(conn, response)
        response.read()
        conn.close()

    def write_graph(self, mode: str, graph: str | None, data: bytes | None,
                    media_type: str | None, timeout: float, base_iri: str | None = None
                    ) -> bool:
        """Not forwarded: write to the remote store's own Graph Store endpoint."""
        raise BackendError("graph writes are not forwarded to a remote store; use its own "
                           "Graph Store endpoint")

    def close(self) -> None:
        """Nothing is held between requests."""
