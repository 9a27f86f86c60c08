"""``/sparql``: the SPARQL 1.1 Protocol's query operation, and the Service Description."""

from __future__ import annotations

from flask import current_app, render_template, request

from kg import service
from kg import store as st
from kg.service import nesting
from server.db import get_backend
from server.sparql import bp, conneg, responses
from server.sparql.protocol import ProtocolError, read

ALLOW = "GET, POST, OPTIONS"


def run(text: str, results_type, rdf_type, default_graphs=(), named_graphs=()):
    """Start a query on the backend: the one way every request reaches it. Nothing here
    parses the text; only an absurd nesting is refused before it leaves this process.

    Raises:
        kg.service.ServiceError: see :func:`server.sparql.responses.for_error`.
    """
    cfg = current_app.config
    nesting.check(text, cfg["SPARQL_MAX_NESTING"])
    req = service.QueryRequest(text, results_type, rdf_type, tuple(default_graphs),
                               tuple(named_graphs), base_iri=endpoint_url())
    return get_backend().run(req, cfg["SPARQL_TIME_LIMIT"])


def endpoint_url() -> str:
    """The service's URL: the base IRI of queries and updates, as the protocol expects."""
    # As request.url_root would give it, without turning the URL into an IRI (~40 us).
    return current_app.config.get("SPARQL_ENDPOINT_URL") or \
        f"{request.scheme}://{request.host}{request.script_root}/sparql"


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def endpoint():
    if request.method == "OPTIONS":
        return responses.preflight()
    if request.method not in ("GET", "POST", "HEAD"):
        return responses.method_not_allowed(ALLOW)
    try:
        operation = read(request, "query")
        if operation is None:
            return description()
        results_type, rdf_type = conneg.choose(request, operation.params)
    except ProtocolError as e:
        return responses.text(e.status, e.message, e.headers)
    try:
        answer = run(operation.text, results_type, rdf_type, operation.default_graphs,
                     operation.named_graphs)
    except service.ServiceError as e:
        return responses.for_error(e)
    return responses.streamed(answer)


# Turtle first, so that curl's */* gets RDF; browsers ask for text/html by name.
_DESCRIPTION_TYPES = [st.RDF_MEDIA_TYPES[0], "text/html", *st.RDF_MEDIA_TYPES[1:]]


def description():
    """The SPARQL 1.1 Service Description: HTML for a browser, else RDF."""
    cfg = current_app.config
    service_url = endpoint_url()
    accept = request.accept_mimetypes
    chosen = accept.best_match(_DESCRIPTION_TYPES) if request.headers.get("Accept") \
        else "text/turtle"
    if request.args.get("format"):
        name = request.args["format"]
        chosen = "text/html" if name == "html" else st.rdf_media_type(name)
        if chosen is None:
            return responses.text(400, f"unknown format {name!r} for the service "
                                       "description: use html, ttl, nt, rdf, jsonld or n3")
    if chosen is None:
        return responses.text(406, "the service description is available as "
                                   + ", ".join(_DESCRIPTION_TYPES))
    context = {
        "endpoint": service_url,
        "update": bool(cfg.get("SPARQL_UPDATE_TOKEN")),
        "federated": bool(cfg["SPARQL_SERVICE_ALLOW"]),
        "result_formats": [st.format_iri(m) for m in st.RESULTS_MEDIA_TYPES + st.RDF_MEDIA_TYPES],
        "graphs": _graph_names(),
        "time_limit": cfg["SPARQL_TIME_LIMIT"],
    }
    turtle = render_template("sparql/description.ttl", **context)
    if chosen == "text/html":
        html = render_template("sparql/description.html", turtle=turtle,
                               rdf_types=st.RDF_MEDIA_TYPES, **context)
        response = responses.Response(html, mimetype="text/html")
        response.headers["Link"] = ", ".join(
            f'<{request.base_url}?format={st.format_extension(m)}>; rel="alternate"; type="{m}"'
            for m in st.RDF_MEDIA_TYPES)
    else:
        body = st.convert_rdf(turtle.encode(), "ttl", chosen, base_iri=service_url)
        response = responses.Response(body, content_type=chosen)
    response.headers["Vary"] = "Accept"
    response.headers.update(responses.CORS)
    return response


def _graph_names() -> list[str]:
    """The named graphs the store holds (for a remote store, those of the build's graphs
    it holds)."""
    from server.db import get_store

    return st.graph_names(get_store())
