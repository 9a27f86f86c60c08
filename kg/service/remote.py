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
from collections.abc import Iterator, Sequence
from urllib.parse import urlencode, urlsplit

from kg import store as st
from kg.namespace import GRAPHS
from kg.service import (
    CHUNK,
    Answer,
    BackendError,
    QueryRequest,
    QuerySyntaxError,
    Refused,
    StoreUnavailable,
    TimeLimitExceeded,
    Unacceptable,
)
from kg.service.federation import check, might_fetch

log = logging.getLogger(__name__)


class RemoteEndpoint:
    """A remote SPARQL endpoint at ``query_url`` (and ``update_url`` for updates)."""

    def __init__(self, query_url: str, update_url: str | None = None,
                 service_allow: list[str] | tuple[str, ...] = (),
                 load_hosts: list[str] | tuple[str, ...] = (),
                 graphs: Sequence[str] = GRAPHS):
        self.query_url, self.update_url = query_url, update_url
        self.service_allow, self.load_hosts = list(service_allow), list(load_hosts)
        self.known_graphs, self._held = tuple(graphs), None

    def graphs(self, timeout: float = 30) -> list[str]:
        """The graphs of :data:`kg.namespace.GRAPHS` that the remote store holds (asked
        once): the dataset a query gets when it names none, as the embedded store's
        union of its graphs. A store holds graphs of its own too (Virtuoso's system
        graphs), which must not leak into counts and pages.

        Raises:
            BackendError, TimeLimitExceeded: the endpoint failed or did not answer.
        """
        if self._held is None:
            held = []  # the endpoint's errors, as its queries' (BackendError...)
            for graph in self.known_graphs:
                answer = self.run(st_request(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
                                  timeout, dataset=False)
                if bool(st.read_results(answer.chunks, answer.media_type)):
                    held.append(graph)
            self._held = sorted(held)
        return self._held

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

    def run(self, req: QueryRequest, timeout: float, dataset: bool = True) -> Answer:
        """Forward a query; returns once the remote has answered with its headers. A
        query that names no dataset (no ``FROM``, no graph parameters) gets the store's
        graphs (:meth:`graphs`) as its default graph and its named graphs, as it would
        from the embedded store, whatever the remote's own default.

        Raises:
            QuerySyntaxError, Unacceptable, TimeLimitExceeded, BackendError.
        """
        self._guard(req.text)
        deadline = time.monotonic() + timeout
        default, named = req.default_graphs, req.named_graphs
        if dataset and not default and not named and not st.names_dataset(req.text):
            default = named = self.graphs(timeout)
        accept = ", ".join(t for t in (req.results_type, req.rdf_type) if t)
        form = [("query", req.text)]
        form += [("default-graph-uri", g) for g in default]
        form += [("named-graph-uri", g) for g in named]
        conn, response = self._post(self.query_url, form, accept, deadline)
        retried = False
        if response.status == 406 and req.results_type and req.rdf_type:
            # Virtuoso 7 weighs only the first type offered: a CONSTRUCT offered results
            # formats first is a 406 there. Ask again for triples alone.
            response.read()
            conn.close()
            conn, response = self._post(self.query_url, form, req.rdf_type, deadline)
            retried = True
        self._check(conn, response,
                    st.TRIPLES if req.results_type is None or retried else None)
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


#: The formats asked of the remote for the store's own queries: SPARQL XML results are
#: the format every engine writes to the letter (Virtuoso's JSON says "typed-literal").
_RESULTS = "application/sparql-results+xml"
#: N-Triples, else Turtle: Virtuoso 7 writes no application/n-triples (406).
_TRIPLES = "application/n-triples, text/turtle;q=0.9"


def st_request(text: str) -> QueryRequest:
    return QueryRequest(text, _RESULTS, _TRIPLES)


class RemoteStore:
    """The read side of a pyoxigraph ``Store`` over a remote SPARQL endpoint: what
    ``kg``'s functions ask of the store they are handed (``query`` with substitutions,
    implicit prefixes and the union of the graphs, ``quads_for_pattern``,
    ``named_graphs``), sent as SPARQL 1.1 queries. So pages, the API, the explorer and
    the network run the same named queries over either store.

    Substitutions become a one-row ``VALUES`` block at the start of the query's
    ``WHERE`` group (:func:`kg.store.with_bindings`); results come back as pyoxigraph's
    own result objects (:func:`kg.store.read_results`).
    """

    def __init__(self, endpoint: RemoteEndpoint, timeout: float = 60):
        self.endpoint, self.timeout = endpoint, timeout

    def query(self, sparql: str, substitutions: dict | None = None,
              prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              default_graph=None, named_graphs=None, base_iri: str | None = None):
        """Run a query as pyoxigraph's ``Store.query`` would; the default graph is the
        union of the store's graphs unless ``default_graph`` names some.

        Raises:
            SyntaxError: the query does not parse (here, or at the remote).
            StoreUnavailable: the endpoint failed, or the query ran past the time limit.
        """
        text = st.with_prefixes(st.with_bindings(sparql, substitutions), prefixes)
        if base_iri:
            text = f"BASE <{base_iri}>\n" + text

        def names(given):
            given = given if isinstance(given, (list, tuple)) else [given]
            return tuple(g.value for g in given)

        try:
            graphs = self.endpoint.graphs(self.timeout)
            default = names(default_graph) if default_graph is not None else tuple(graphs)
            named = names(named_graphs) if named_graphs is not None else tuple(graphs)
            req = QueryRequest(text, _RESULTS, _TRIPLES, default, named)
            answer = self.endpoint.run(req, self.timeout)
            return st.read_results(list(answer.chunks), answer.media_type)
        except QuerySyntaxError as e:
            raise SyntaxError(str(e)) from None
        except (BackendError, TimeLimitExceeded, Unacceptable) as e:
            raise StoreUnavailable(str(e)) from None

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None
                          ) -> Iterator:
        """The quads matching a pattern (None matches anything; the graph must be one
        of the store's named graphs, whose union holds every triple)."""
        subs = {st.variable(v): t for v, t in (("s", subject), ("p", predicate),
                                                ("o", obj), ("g", graph)) if t is not None}
        for row in self.query(_PATTERN, substitutions=subs):
            yield st.quad(row["s"], row["p"], row["o"], row["g"])

    def named_graphs(self) -> Iterator:
        """The store's graphs (:meth:`RemoteEndpoint.graphs`).

        Raises:
            StoreUnavailable: the endpoint failed or did not answer.
        """
        try:
            graphs = self.endpoint.graphs(self.timeout)
        except (BackendError, TimeLimitExceeded) as e:
            raise StoreUnavailable(str(e)) from None
        return (st.named_node(g) for g in graphs)

    def __len__(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(res))["n"].value)

    def __iter__(self) -> Iterator:
        return self.quads_for_pattern()


_PATTERN = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
