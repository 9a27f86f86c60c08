"""What the SPARQL service sends back: plain-text errors (SPARQL clients show them as
they are), streamed results, and the CORS headers that let other sites' web apps call."""

from __future__ import annotations

import logging

from werkzeug.wrappers import Response

from kg import service
from server.sparql.conneg import unacceptable_message

log = logging.getLogger(__name__)
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
        "Access-Control-Max-Age": "86400"}
#: Headers of every result: the format was negotiated (and the body may be compressed).
RESULT_HEADERS = [("Vary", "Accept, Accept-Encoding"), *CORS.items()]


def text(status: int, message: str, headers: dict | None = None) -> Response:
    """A plain-text answer (errors, mostly)."""
    response = Response(message.rstrip("\n") + "\n", status=status,
                        mimetype="text/plain", headers=headers or {})
    response.headers.update(CORS)
    return response


def preflight(methods: str = "GET, POST, OPTIONS") -> Response:
    response = Response(status=204, headers=CORS)
    response.headers["Access-Control-Allow-Methods"] = methods
    return response


def method_not_allowed(allow: str) -> Response:
    return text(405, f"this resource answers {allow}", {"Allow": allow})


def streamed(answer: service.Answer) -> Response:
    """The result as it is produced; the backend is released when the response closes,
    whether or not its body was read (HEAD, a client gone)."""
    response = Response(answer.chunks, content_type=answer.media_type, headers=RESULT_HEADERS)
    response.call_on_close(answer.close)
    return response


def for_error(error: service.ServiceError, limit: float) -> Response:
    """The status and message for a backend error; ``limit`` is the time limit (s)."""
    if isinstance(error, service.QuerySyntaxError):
        return text(400, f"SPARQL syntax error: {error}")
    if isinstance(error, service.Unsupported):
        return text(400, f"unsupported: {error}")
    if isinstance(error, service.MemoryLimitExceeded):
        return text(503, f"{error}. Make the query more selective or add a LIMIT.",
                    {"Retry-After": "5"})
    if isinstance(error, service.WorkerCrashed):
        log.error("SPARQL worker crashed: %s", error)
        return text(500, f"the query could not be answered: {error}")
    if isinstance(error, service.Unacceptable):
        return text(406, unacceptable_message(error.kind))
    if isinstance(error, service.TimeLimitExceeded):
        return text(503, f"{error} (time limit: {limit} s). Make the query more selective "
                         "(selective patterns first, fewer cross products) or add a LIMIT.",
                    {"Retry-After": "5"})
    if isinstance(error, service.Refused):
        return text(403, str(error))
    if isinstance(error, service.FederationFailed):
        return text(502, f"{error}; the remote endpoint's answer is not passed on")
    if isinstance(error, service.ResultTooLarge):
        return text(503, f"{error}; add a LIMIT or select fewer variables")
    log.error("SPARQL backend error: %s", error)
    return text(500, f"internal error: {error}")
