"""Reading a SPARQL Protocol request: where the query is, and which graphs it may see.

Each mistake becomes a :class:`ProtocolError` with the status the W3C Protocol calls for
and a message saying what to send instead.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from flask import Request
from werkzeug.datastructures import MultiDict
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
    params: MultiDict = field(default_factory=MultiDict, compare=False, repr=False)


def _body(request: Request) -> bytes:
    try:
        return request.get_data(cache=True)
    except HTTPException as e:
        raise ProtocolError(e.code or 400, e.description or str(e)) from None


def _body_text(request: Request) -> str:
    """The body as text; the protocol requires UTF-8."""
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower().replace("-", "") != "utf8":
        raise ProtocolError(400, f"the request body is in {charset}: send it in UTF-8, as "
                                 "the SPARQL protocol requires")
    try:
        return _body(request).decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not valid UTF-8 text") from None


def params(raw: bytes, where: str) -> MultiDict:
    """Percent-encoded ``name=value`` pairs, decoded strictly as UTF-8 (werkzeug would
    put U+FFFD in place of a bad byte, and a changed query would run): what
    ``parse_qsl(raw.decode(), keep_blank_values=True, errors="strict")`` gives.

    >>> params(b"query=ASK%20%7B%7D&format=json", "URL")["query"]
    'ASK {}'
    >>> params(b"query=%FF", "URL")
    Traceback (most recent call last):
    ...
    server.sparql.protocol.ProtocolError: the URL's parameters are not percent-encoded UTF-8

    Raises:
        ProtocolError: 400 for bytes that are not UTF-8.
    """
    try:
        pairs = []
        for pair in raw.split(b"&"):
            if pair:
                name, _, value = pair.partition(b"=")
                pairs.append((_unquote(name), _unquote(value)))
        return MultiDict(pairs)
    except ValueError:  # UnicodeDecodeError is one
        raise ProtocolError(400, f"the {where}'s parameters are not percent-encoded "
                                 "UTF-8") from None


def _unquote(raw: bytes) -> str:
    r"""``unquote_plus`` with strict UTF-8. A query carries dozens of escapes, which
    urllib decodes one by one in Python (~20 us); as ``\xHH`` escapes, C decodes them
    (~2 us). Text with a backslash of its own, or a ``%`` not followed by two hex
    digits, takes urllib's way.

    >>> _unquote(b"SELECT+*+%7B%3Fs+%3Fp+%22%ED%95%9C%22%7D"), _unquote(b"100%+a\\b")
    ('SELECT * {?s ?p "한"}', '100% a\\b')
    """
    if b"%" in raw and b"\\" not in raw:
        try:
            return codecs.escape_decode(raw.replace(b"+", b" ").replace(b"%", b"\\x")
                                        )[0].decode("utf-8")
        except ValueError:  # a bad escape: urllib keeps it as it is
            pass
    return unquote_plus(raw.decode("utf-8"), errors="strict")


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
    url = params(request.query_string, "URL")
    if request.method in ("GET", "HEAD"):
        given = url
        texts = given.getlist(name)
    elif request.mimetype == FORM:
        given = params(_body(request), "form")
        texts = given.getlist(name) + url.getlist(name)
        for key, value in url.items(multi=True):
            if key != name:
                given.add(key, value)
    elif request.mimetype == body_type:
        given = url
        texts = [_body_text(request)] + given.getlist(name)
    else:
        given = request.mimetype or "no Content-Type"
        raise ProtocolError(415, f"cannot read a {name} from {given}: send {FORM} with a "
                                 f"'{name}' field, or the {name} itself as {body_type}")
    if given.getlist(other) and not texts:
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
    return Operation(texts[0], _graphs(given, graph_params[0]),
                     _graphs(given, graph_params[1]), given)
