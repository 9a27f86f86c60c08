"""Result formats of the API: plain JSON rows, or any SPARQL results format pyoxigraph
writes, chosen by ``format`` or by the Accept header (werkzeug's negotiation)."""

from __future__ import annotations

import io
import json

from flask import Response, request

from kg import store as st

PLAIN_JSON = "application/json"
#: ``format`` values: ``json`` is plain rows; the others are pyoxigraph's extensions.
FORMATS = ("json", "csv", "tsv", "srj", "srx")


class NotAcceptable(Exception):
    """Neither ``format`` nor Accept names a format the API writes."""


def _sparql_format(name: str):
    return st.QueryResultsFormat.from_extension(name)


def media_types() -> list[str]:
    """The media types offered, plain JSON first (the default)."""
    return [PLAIN_JSON] + [_sparql_format(f).media_type.split(";")[0] for f in FORMATS[1:]]


def choose() -> str:
    """The format to answer in: a ``FORMATS`` name.

    Raises:
        NotAcceptable: an unknown ``format``, or an Accept header nothing offered meets.
    """
    fmt = request.args.get("format")
    if fmt is not None:
        if fmt not in FORMATS:
            raise NotAcceptable(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    if not request.accept_mimetypes:
        return "json"
    best = request.accept_mimetypes.best_match(media_types())
    if best is None:
        raise NotAcceptable("none of the Accept header's media types is offered: use one of "
                            + ", ".join(media_types()) + " (or the format parameter)")
    if best == PLAIN_JSON:
        return "json"
    return st.QueryResultsFormat.from_media_type(best).file_extension


def respond(results, fmt: str) -> Response:
    """Serialise SELECT results, consumed here, within the request."""
    if fmt == "json":
        body = json.dumps(st.plain_rows(results), ensure_ascii=False)
        return Response(body, mimetype=PLAIN_JSON)
    out = io.BytesIO()
    results.serialize(out, _sparql_format(fmt))
    return Response(out.getvalue(), content_type=_sparql_format(fmt).media_type)
