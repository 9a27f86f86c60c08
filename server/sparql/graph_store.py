"""``/sparql/graph``: the SPARQL 1.1 Graph Store Protocol, with indirect (``?default`` or
``?graph=IRI``) and direct (``/sparql/graph/<name>``) graph identification, in every RDF
triple format. Reads are open; writes (PUT, POST, DELETE) need the update token, as
SPARQL Update does, and go to the store's one writer process.

The default graph is, as for queries, the union of the named graphs. Each read is a
fixed CONSTRUCT run through the same backend (so under the same time limit), with the
graph chosen by the protocol's dataset parameter rather than written into the text.
"""

from __future__ import annotations

import json
import uuid

from flask import current_app, request

from kg import service
from kg import store as st
from server.db import get_backend
from server.sparql import bp, conneg, responses
from server.sparql.protocol import ProtocolError
from server.sparql.update import refuse_writer
from server.sparql.views import endpoint_url, run

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


def _run(text: str, results_type, rdf_type, graphs=()) -> service.Answer:
    return run(get_backend(), current_app.config, text, results_type, rdf_type, graphs,
               base_iri=endpoint_url())


def _exists(graph: str) -> bool:
    answer = _run(ANY_TRIPLE, JSON, None, (graph,))
    return json.loads(b"".join(answer.chunks))["boolean"]


READ = "GET, HEAD, OPTIONS"
WRITE = "GET, HEAD, PUT, POST, DELETE, OPTIONS"


@bp.route("/sparql/graph", methods=["GET", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"])
@bp.route("/sparql/graph/<path:name>", methods=["GET", "OPTIONS", "POST", "PUT", "DELETE",
                                                "PATCH"])
def graph_store(name: str | None = None):
    writable = bool(current_app.config.get("SPARQL_UPDATE_TOKEN"))
    allow = WRITE if writable else READ
    if request.method == "OPTIONS":
        return responses.preflight(allow)
    if request.method in ("PUT", "POST", "DELETE"):
        return write(name)
    if request.method not in ("GET", "HEAD"):
        return responses.method_not_allowed(allow)
    try:
        graph = request.base_url if name else _graph()
        media_type = conneg.choose_rdf(request)
    except ProtocolError as e:
        return responses.text(e.status, e.message, e.headers)
    try:
        if graph is not None and not _exists(graph):
            return responses.text(404, f"no graph <{graph}> here (or it is empty); the "
                                       "service description lists the named graphs")
        answer = _run(ALL_TRIPLES, None, media_type, (graph,) if graph else ())
    except service.ServiceError as e:
        return responses.for_error(e, current_app.config["SPARQL_TIME_LIMIT"])
    return responses.streamed(answer)


def write(name: str | None):
    """PUT, POST and DELETE, behind the update token: direct identification (the
    request's URL names the graph), indirect (``?graph=``, ``?default``), or a POST to
    the store itself, which makes a new graph (201 and its Location)."""
    refused = refuse_writer()
    if refused:
        return refused
    cfg = current_app.config
    new = name is None and not request.args
    try:
        if new and request.method != "POST":
            raise ProtocolError(400, "name a graph: ?default, ?graph=<IRI>, or its URL")
        graph = request.base_url if name else (
            f"{request.url_root}sparql/graph/{uuid.uuid4().hex}" if new else _graph())
        parts = _payload() if request.method != "DELETE" else [(None, None)]
    except ProtocolError as e:
        return responses.text(e.status, e.message, e.headers)
    mode = {"PUT": "put", "POST": "post", "DELETE": "delete"}[request.method]
    existed = False
    try:
        for i, (data, media_type) in enumerate(parts):
            existed |= get_backend().write_graph(
                "post" if i else mode, graph, data, media_type, cfg["SPARQL_TIME_LIMIT"],
                base_iri=graph or endpoint_url())
    except service.ServiceError as e:
        return responses.for_error(e, cfg["SPARQL_TIME_LIMIT"])
    if mode == "delete" and not existed:
        return responses.text(404, f"no graph <{graph}> here (or it was empty)")
    if new:
        location = graph
    elif not existed and mode != "delete":
        location = request.url
    else:
        return responses.Response(status=204, headers=responses.CORS)
    return responses.Response(status=201, headers={**responses.CORS, "Location": location})


def _payload() -> list[tuple[bytes, str]]:
    """(data, media type) of the body, or of each file of a multipart/form-data body.

    Raises:
        ProtocolError: 415 for a type that is not an RDF triple format, 400 for none.
    """
    if request.mimetype == "multipart/form-data":
        files = [f for f in request.files.values() if f.filename or f.mimetype]
        if not files:
            raise ProtocolError(400, "the multipart body holds no file")
        return [(f.read(), _rdf_type(f.mimetype)) for f in files]
    return [(request.get_data(), _rdf_type(request.mimetype))]


def _rdf_type(media_type: str) -> str:
    found = st.rdf_media_type(media_type) if media_type else None
    if found is None:
        raise ProtocolError(415, f"cannot read a graph from {media_type or 'no Content-Type'}"
                                 ": send Turtle, N-Triples, RDF/XML, JSON-LD or N3")
    return found
