"""The hot path of ``/sparql``: a plain query request answered without Flask's machinery.

Flask's per-request work (request context, URL adapter, response processing) costs about
0.3 ms, several times what pyoxigraph needs for a point lookup, and most requests a SPARQL
endpoint gets are plain: one ``query`` by GET, form POST or ``application/sparql-query``
POST, with an Accept header. This WSGI layer in front of the app answers exactly those,
with the view's own backend, negotiation, errors and headers. Anything else (other
parameters, a compressed response, HEAD, OPTIONS, the service description, a body it
cannot read) goes on to Flask untouched, which answers it as always.
"""

from __future__ import annotations

import codecs
import io
from urllib.parse import parse_qsl

from flask import Flask

from kg import service
from server.sparql import conneg, responses
from server.sparql.protocol import FORM, QUERY_BODY
from server.sparql.views import run

#: Largest request body the hot path reads; bigger ones go to Flask (413 and all).
MAX_BODY = 64 * 1024


class HotPath:
    """WSGI middleware: plain ``/sparql`` queries here, every other request to ``wsgi_app``."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app, self.app = wsgi_app, app
        self.max_body = min(MAX_BODY, app.config["MAX_CONTENT_LENGTH"] or MAX_BODY)

    def __call__(self, environ, start_response):
        text = _query(environ, self.max_body) if environ.get("PATH_INFO") == "/sparql" else None
        if text is not None:
            chosen = conneg.by_accept(environ.get("HTTP_ACCEPT", "").strip())
            if chosen != (None, None):
                return self._answer(text, *chosen, environ, start_response)
        return self.wsgi_app(environ, start_response)

    def _answer(self, text: str, results_type, rdf_type, environ, start_response):
        try:
            answer = run(text, results_type, rdf_type, app=self.app)
        except service.ServiceError as e:
            with self.app.app_context():
                return responses.for_error(e)(environ, start_response)
        start_response("200 OK", [("Content-Type", answer.media_type), *responses.RESULT_HEADERS])
        return answer.chunks


def _query(environ, max_body: int) -> str | None:
    """The query of a plain request (see the module's docstring), else None."""
    if environ.get("HTTP_ACCEPT_ENCODING", "identity").strip() not in ("", "identity"):
        return None  # Flask compresses
    method = environ.get("REQUEST_METHOD")
    if method == "GET":
        return _only_query(environ.get("QUERY_STRING", ""))
    if method != "POST" or environ.get("QUERY_STRING"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        return None
    if not 0 < length <= max_body:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # still there for Flask if we pass
    content_type = environ.get("CONTENT_TYPE", "")
    if ";" in content_type or len(body) != length:
        return None  # charset and other parameters: Flask reads them
    media_type = content_type.strip().lower()
    try:
        if media_type == FORM:
            return _only_query(body.decode("ascii"))
        if media_type == QUERY_BODY:
            text = body.decode("utf-8")
            return text if text.strip() else None
    except UnicodeDecodeError:
        pass
    return None


def _only_query(params: str) -> str | None:
    """The value of a urlencoded string holding exactly one non-empty ``query``.

    >>> _only_query("query=ASK+%7B%7D"), _only_query("query=ASK{}&format=json")
    ('ASK {}', None)
    >>> _only_query("query=%3Fs%20%E2%86%92"), _only_query("query=%ZZ")
    ('?s →', None)
    """
    if params.startswith("query=") and "&" not in params:
        value = _unquote_plus(params[6:])
    else:
        try:
            pairs = parse_qsl(params, keep_blank_values=True, strict_parsing=True,
                              errors="strict")
        except (ValueError, UnicodeDecodeError):
            return None
        if len(pairs) != 1 or pairs[0][0] != "query":
            return None
        value = pairs[0][1]
    return value if value and value.strip() else None


def _unquote_plus(value: str) -> str | None:
    """``urllib.parse.unquote_plus`` for the common case, ten times faster (a query has
    dozens of escapes, which urllib decodes one by one in Python); None where it is not
    strict percent-encoded UTF-8 ASCII."""
    escaped = value.replace("+", " ").replace("\\", "\\\\").replace("%", "\\x")
    try:
        return codecs.escape_decode(escaped.encode("ascii"))[0].decode("utf-8")
    except (ValueError, UnicodeError):
        return None
