"""One error shape for JSON clients: ``{"error": ..., "status": ...}``, plus the
``parameter`` at fault where there is one.

Routing errors (an unknown path, a wrong method) are raised before any blueprint is
chosen, so the shape is applied here, app-wide, to every path under ``/api/``. Other
surfaces keep their own: ``/sparql`` answers plain text as SPARQL clients expect, pages
answer HTML.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

API_PREFIX = "/api/"


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
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _internal_error)


def _api_error(e: ApiError):
    return json_error(e.status, e.message, e.parameter)


def _http_error(e: HTTPException):
    if request.path.startswith(API_PREFIX):
        body, status = json_error(e.code or 500, e.description or e.name)
        # Keep what the exception says beyond its body: Allow for a 405, and the like.
        for name, value in e.get_headers():
            if name.lower() != "content-type":
                body.headers[name] = value
        return body, status
    return e


def _internal_error(e: Exception):
    # Ours, not the client's: logged, and never dressed up as a 400.
    current_app.logger.exception("internal error on %s", request.path)
    if request.path.startswith(API_PREFIX):
        message = "the store could not be read" if isinstance(e, OSError) else "internal error"
        return json_error(500, message)
    return InternalServerError(original_exception=e)
