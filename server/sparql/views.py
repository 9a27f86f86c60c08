"""``/sparql``: the SPARQL 1.1 Protocol's query operation, and the Service Description."""

from __future__ import annotations

from flask import current_app, render_template, request

from kg import service
from kg import store as st
from kg.service import nesting
from server.sparql import bp, responses

ALLOW = "GET, POST, OPTIONS"


def run(backend: service.Backend, cfg, text: str, results_type, rdf_type,
        default_graphs=(), named_graphs=(), base_iri: str | None = None) -> service.Answer:
    """Start a query on the backend: the one way every request reaches it. Nothing here
    parses the text; only an absurd nesting is refused before it leaves this process.

    Raises:
        kg.service.ServiceError: see :func:`server.sparql.responses.for_error`.
    """
    nesting.check(text, cfg["SPARQL_MAX_NESTING"])
    req = service.QueryRequest(text, results_type, rdf_type, tuple(default_graphs),
                               tuple(named_graphs), base_iri=base_iri)
    return backend.run(req, cfg["SPARQL_TIME_LIMIT"])


def endpoint_url(req=None, cfg=None) -> str:
    """The service's URL: the base IRI of queries and updates, as the protocol expects
    (of ``req`` with settings ``cfg``; by default Flask's current ones)."""
    req, cfg = req or request, cfg or current_app.config
    # As request.url_root would give it, without turning the URL into an IRI (~40 us).
    return cfg.get("SPARQL_ENDPOINT_URL") or \
        f"{req.scheme}://{req.host}{req.script_root}/sparql"


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def endpoint():
    """What is not a query at /sparql; queries are answered in front of Flask
    (:mod:`server.sparql.endpoint`), which hands on a GET without one."""
    if request.method == "OPTIONS":
        return responses.preflight()
    if request.method not in ("GET", "HEAD"):
        return responses.method_not_allowed(ALLOW)
    return description()


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
