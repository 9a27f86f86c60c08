"""Reading a SPARQL Protocol request: where the query is, and which graphs it may see.

Each mistake becomes a :class:`ProtocolError` with the status the W3C Protocol calls for
and a message saying what to send instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Request
from werkzeug.exceptions import HTTPException

from kg import store as st

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


class ProtocolError(Exception):
    """A request the protocol does not allow; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        self.status, self.message, self.headers = status, message, headers or {}
        super().__init__(message)


@dataclass(frozen=True)
class Operation:
    """The query or update text of a request, with its dataset parameters."""

    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = field(default=())


def _body_text(request: Request) -> str:
    try:
        data = request.get_data(cache=True)
    except HTTPException as e:
        raise ProtocolError(e.code or 400, e.description or str(e)) from None
    charset = request.mimetype_params.get("charset", "utf-8")
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise ProtocolError(400, f"the request body is not valid {charset} text") from None


def _form(request: Request):
    try:
        return request.form
    except HTTPException as e:
        raise ProtocolError(e.code or 400, e.description or str(e)) from None


def _graphs(params, name: str) -> tuple[str, ...]:
    values = tuple(params.getlist(name))
    for value in values:
        if not st.is_iri(value):
            raise ProtocolError(400, f"{name} {value!r} is not an absolute IRI")
    return values


def read(request: Request, name: str = "query") -> Operation | None:
    """The query (``name="query"``) or update (``name="update"``) a request carries, or
    None for a GET without one.

    Raises:
        ProtocolError: 400 for two queries or an empty one, 413 for a body over the
            limit, 415 for an unsupported request media type.
    """
    body_type = QUERY_BODY if name == "query" else UPDATE_BODY
    graph_params = ("default-graph-uri", "named-graph-uri") if name == "query" \
        else ("using-graph-uri", "using-named-graph-uri")
    other = "update" if name == "query" else "query"
    if request.method in ("GET", "HEAD"):
        params = request.args
        texts = params.getlist(name)
    elif request.mimetype == FORM:
        params = _form(request)
        texts = params.getlist(name)
        if request.args.getlist(name):
            texts += request.args.getlist(name)
    elif request.mimetype == body_type:
        params = request.args
        texts = [_body_text(request)] + params.getlist(name)
    else:
        given = request.mimetype or "no Content-Type"
        raise ProtocolError(415, f"cannot read a {name} from {given}: send {FORM} with a "
                                 f"'{name}' field, or the {name} itself as {body_type}")
    if params.getlist(other) and not texts:
        where = "/sparql/update (POST)" if other == "update" else "/sparql"
        raise ProtocolError(400, f"this request carries '{other}': send it to {where}")
    if len(texts) > 1:
        raise ProtocolError(400, f"the request carries {len(texts)} '{name}' parameters; "
                                 "send exactly one")
    if not texts:
        if request.method in ("GET", "HEAD"):
            return None
        raise ProtocolError(400, f"the request carries no '{name}'")
    if not texts[0].strip():
        raise ProtocolError(400, f"the {name} is empty")
    return Operation(texts[0], _graphs(params, graph_params[0]), _graphs(params, graph_params[1]))
