"""``/sparql``'s query operation: a WSGI layer in front of Flask, the one code that
answers a SPARQL query at that URL.

Why not a Flask view: a cheap query costs the engine about 80 us, and Flask's request
context, routing, after-request hooks and response objects cost more than that again on
every request (a point lookup: 147 us in process here, 251 us as a Flask view). A query
is read here by the same protocol reader (:mod:`server.sparql.protocol`) and content
negotiation (:mod:`server.sparql.conneg`) as the Update and Graph Store views, started
through the same :func:`server.sparql.views.run`, answered with the same messages
(:mod:`server.sparql.responses`) and compressed by flask-compress's own code, with the
app's settings. Flask keeps what is not a query at this URL: the Service Description (a
GET without a query), the CORS preflight and 405 for the other methods.
"""

from __future__ import annotations

from flask import Flask
from flask_compress.flask_compress import _choose_algorithm, _compress_chunks, _format
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import ClosingIterator

from kg import service
from server.db import get_backend
from server.sparql import conneg, responses
from server.sparql.protocol import ProtocolError, read
from server.sparql.views import endpoint_url, run

PATH = "/sparql"
METHODS = ("GET", "POST", "HEAD")


class QueryEndpoint:
    """WSGI middleware: queries at ``/sparql`` are answered here, all else by ``wsgi_app``."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") not in METHODS:
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        request.max_content_length = self.app.config["MAX_CONTENT_LENGTH"]
        try:
            answer = self.answer(request)
        except Exception:  # ours: logged, and the client gets no traceback
            self.app.logger.exception("internal error on %s", PATH)
            answer = responses.text(500, "internal error; it has been logged")
        if answer is None:  # no query: the Service Description, a page of the app
            return self.wsgi_app(environ, start_response)
        if isinstance(answer, Response):  # an error
            return answer(environ, start_response)
        return self.result(request, answer, start_response)

    def answer(self, request: Request) -> service.Answer | Response | None:
        """The query's answer, an error's response, or None for no query."""
        cfg = self.app.config
        try:
            operation = read(request, "query")
            if operation is None:
                return None
            results_type, rdf_type = conneg.choose(request, operation.params)
        except ProtocolError as e:
            return responses.text(e.status, e.message, e.headers)
        try:
            return run(get_backend(self.app), cfg, operation.text, results_type, rdf_type,
                       operation.default_graphs, operation.named_graphs,
                       base_iri=endpoint_url(request, cfg))
        except service.ServiceError as e:
            return responses.for_error(e, cfg["SPARQL_TIME_LIMIT"])

    def result(self, request: Request, answer: service.Answer, start_response):
        """Send a result: whole with its length, or streamed as it is produced; the
        backend is released when the server closes the body, read or not (HEAD, a client
        gone). What werkzeug's Response would send, without building one."""
        headers = [("Content-Type", answer.media_type), *responses.RESULT_HEADERS]
        whole = isinstance(answer.chunks, list)
        chunks = answer.chunks
        algorithm = self.algorithm(request, answer.media_type, whole, chunks)
        if algorithm:
            chunks = _compress_chunks(self.app, chunks, algorithm)
            headers.append(("Content-Encoding", algorithm))
            if whole:
                chunks = [b"".join(chunks)]
        if whole:
            headers.append(("Content-Length", str(sum(map(len, chunks)))))
        start_response("200 OK", headers)
        if whole or request.method == "HEAD":
            # A list, not an iterator: granian sends a list's bytes in one call
            # (response_bytes) and takes any other iterable through its streaming path.
            answer.close()
            return [] if request.method == "HEAD" else chunks
        return ClosingIterator(chunks, answer.close)

    def algorithm(self, request: Request, media_type: str, whole: bool, chunks) -> str | None:
        """How flask-compress, with the app's ``COMPRESS_*`` settings, would compress this
        result for this client (None: not at all)."""
        cfg = self.app.config
        accepted = request.headers.get("Accept-Encoding")
        if not accepted or media_type.partition(";")[0].strip() not in cfg["COMPRESS_MIMETYPES"]:
            return None
        if whole and sum(map(len, chunks)) < cfg["COMPRESS_MIN_SIZE"]:
            return None
        offered = cfg["COMPRESS_ALGORITHM" if whole else "COMPRESS_ALGORITHM_STREAMING"]
        return _choose_algorithm(_format(offered), accepted)


def init_app(app: Flask) -> None:
    """Put the query endpoint in front of the app's Flask views."""
    app.wsgi_app = QueryEndpoint(app, app.wsgi_app)
