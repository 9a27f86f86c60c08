"""One error shape for JSON clients: ``{"error": ..., "status": ...}``, plus the
``parameter`` at fault where there is one.

Routing errors (an unknown path, a wrong method, a key that makes no IRI) are raised
before any blueprint is chosen, so the shape is applied here, app-wide: to every path
under ``/api/``, and elsewhere to clients that prefer JSON. Other surfaces keep their own:
``/sparql`` answers plain text as SPARQL clients expect, pages answer HTML to browsers.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from kg.service import StoreUnavailable

API_PREFIX = "/api/"
SPARQL_PREFIX = "/sparql"


class ApiError(Exception):
    """An error a JSON client can act on: its status, message and offending parameter."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        self.status, self.message, self.parameter = status, message, parameter
        super().__init__(message)


def json_error(status: int, message: str, parameter: str | None = None):
    """The one JSON error response."""
    body = {"error": message, "status": status}
    if parameter:
        body["parameter"] = parameter
    return jsonify(body), status


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(StoreUnavailable, _store_unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _internal_error)


def _api_error(e: ApiError):
    return json_error(e.status, e.message, e.parameter)


def wants_json() -> bool:
    """Whether the client prefers JSON to HTML (an ``Accept`` that names JSON first)."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json" and bool(request.headers.get("Accept"))


def _http_error(e: HTTPException):
    if e.response is not None:  # a view made its own answer (abort(Response(...)))
        return e
    if request.path.startswith(API_PREFIX) or (
            wants_json() and not request.path.startswith(SPARQL_PREFIX)):
        response, status = json_error(e.code or 500, e.description or e.name)
        for name, value in e.get_headers():  # Allow on a 405, Retry-After on a 503
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, status
    return e


def _store_unavailable(e: StoreUnavailable):
    # A remote store that failed or did not answer (logged by kg.service.remote).
    return _http_error(ServiceUnavailable(str(e)))


def _internal_error(e: Exception):
    # Ours, not the client's: logged, and never dressed up as a 400.
    current_app.logger.exception("internal error on %s", request.path)
    if request.path.startswith(API_PREFIX):
        message = "the store could not be read" if isinstance(e, OSError) else "internal error"
        return json_error(500, message)
    return InternalServerError(original_exception=e)
