"""``/sparql/graph``: the read side of the SPARQL 1.1 Graph Store Protocol, with indirect
graph identification (``?default`` or ``?graph=IRI``), in every RDF triple format.

The default graph is, as for queries, the union of the named graphs. Each read is a
fixed CONSTRUCT run through the same backend (so under the same time limit), with the
graph chosen by the protocol's dataset parameter rather than written into the text.
"""

from __future__ import annotations

import json

from flask import request

from kg import service
from kg import store as st
from server.sparql import bp, conneg, responses
from server.sparql.protocol import ProtocolError
from server.sparql.views import run

ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"
ANY_TRIPLE = "ASK WHERE { ?s ?p ?o }"
JSON = st.RESULTS_MEDIA_TYPES[0]


def _graph() -> str | None:
    """The graph's IRI, or None for the default graph."""
    has_default, graphs = "default" in request.args, request.args.getlist("graph")
    if has_default + len(graphs) != 1:
        raise ProtocolError(400, "name exactly one graph: ?default, or ?graph=<IRI>")
    if graphs and not st.is_iri(graphs[0]):
        raise ProtocolError(400, f"graph {graphs[0]!r} is not an absolute IRI")
    return graphs[0] if graphs else None


def _exists(graph: str) -> bool:
    answer = run(ANY_TRIPLE, JSON, None, (graph,))
    return json.loads(b"".join(answer.chunks))["boolean"]


@bp.route("/sparql/graph", methods=["GET", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"])
def graph_store():
    if request.method == "OPTIONS":
        return responses.preflight("GET, OPTIONS")
    if request.method not in ("GET", "HEAD"):
        return responses.method_not_allowed("GET, HEAD, OPTIONS")
    try:
        graph = _graph()
        media_type = conneg.choose_rdf(request)
    except ProtocolError as e:
        return responses.text(e.status, e.message, e.headers)
    try:
        if graph is not None and not _exists(graph):
            return responses.text(404, f"no graph <{graph}> here (or it is empty); the "
                                       "service description lists the named graphs")
        answer = run(ALL_TRIPLES, None, media_type, (graph,) if graph else ())
    except service.ServiceError as e:
        return responses.for_error(e)
    return responses.streamed(answer)
