"""``/sparql/update``: SPARQL 1.1 Update, off unless an update token is configured.

With an embedded store, updates go to the one worker process that holds the store open
writable (see :mod:`kg.service.pool`); with a remote store, to its update URL.
"""

from __future__ import annotations

import hmac

from flask import current_app, request

from kg import service
from kg.service import nesting
from server.db import get_backend
from server.sparql import bp, responses
from server.sparql.protocol import ProtocolError, read
from server.sparql.views import endpoint_url


def authorised() -> bool:
    """Whether the request carries the update token (compared in constant time)."""
    token = str(current_app.config.get("SPARQL_UPDATE_TOKEN") or "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                             token.encode())


def refuse_writer():
    """The answer to a write when updates are off (403) or the token is missing (401);
    None when the request may write."""
    if not current_app.config.get("SPARQL_UPDATE_TOKEN"):
        return responses.text(403, "updates are off on this server (the operator enables "
                                   "them by setting SPARQL_UPDATE_TOKEN)")
    if not authorised():
        return responses.text(401, "send the update token as 'Authorization: Bearer <token>'",
                              {"WWW-Authenticate": 'Bearer realm="sparql-update"'})
    return None


@bp.route("/sparql/update", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def update():
    cfg = current_app.config
    if request.method == "OPTIONS":
        return responses.preflight("POST, OPTIONS")
    refused = refuse_writer()
    if refused:
        return refused
    if request.method != "POST":
        return responses.method_not_allowed("POST, OPTIONS")
    try:
        operation = read(request, "update")
    except ProtocolError as e:
        return responses.text(e.status, e.message, e.headers)
    try:
        nesting.check(operation.text, cfg["SPARQL_MAX_NESTING"])
        get_backend().update(operation.text, cfg["SPARQL_TIME_LIMIT"],
                             base_iri=endpoint_url(), using=operation.default_graphs,
                             using_named=operation.named_graphs)
    except service.ServiceError as e:
        return responses.for_error(e, cfg["SPARQL_TIME_LIMIT"])
    return responses.Response(status=204, headers=responses.CORS)
