"""Content negotiation for SPARQL results, by the ``format`` parameter or by Accept.

The offers come from pyoxigraph's formats (:data:`kg.store.RESULTS_MEDIA_TYPES`,
:data:`kg.store.RDF_MEDIA_TYPES`) plus the generic types clients send; werkzeug ranks them
by the Accept header's q-values. SELECT/ASK and CONSTRUCT/DESCRIBE are negotiated apart,
as which one a query is becomes known only once it is parsed.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg import store as st
from server.sparql.protocol import ProtocolError

#: Generic media types clients send, mapped per result kind by pyoxigraph.
_RESULT_ALIASES = ("application/json", "application/xml", "text/xml")
_RDF_ALIASES = ("application/json", "application/xml", "text/xml", "text/plain")
#: Short names accepted by ``format=`` besides file extensions and media types.
_NAMES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "rdfxml": "rdf",
          "rdf-xml": "rdf", "rdf+xml": "rdf", "rdf xml": "rdf", "json-ld": "jsonld",
          "n-quads": "nq", "sparql-results+json": "json", "sparql-results+xml": "xml"}
FORMAT_NAMES = "json, xml, csv, tsv (SELECT/ASK); ttl, nt, rdf, jsonld, n3 (CONSTRUCT/DESCRIBE)"


def _bare(media_type: str) -> str:
    return media_type.split(";")[0].strip()


def _offers(canonical: tuple[str, ...], aliases: tuple[str, ...]) -> list[str]:
    return [_bare(m) for m in canonical] + list(aliases)


def _by_format(name: str) -> tuple[str | None, str | None]:
    name = _NAMES.get(name.lower(), name.lower())
    results = st.results_media_type(name)
    rdf = st.rdf_media_type({"json": "jsonld", "xml": "rdf"}.get(name, name))
    if results is None and rdf is None:
        raise ProtocolError(400, f"unknown format {name!r}: use one of {FORMAT_NAMES}, "
                                 "or a media type")
    return results, rdf


def choose(request: Request, params=None) -> tuple[str | None, str | None]:
    """(media type for SELECT/ASK results, media type for triples); None where nothing
    acceptable exists for that kind.

    Raises:
        ProtocolError: 400 for an unknown ``format``; 406 when neither kind has an
            acceptable format.
    """
    params = params if params is not None else request.values
    # getlist: a MultiDict's get() makes (and drops) an HTTP exception for a missing key
    name = next(iter(params.getlist("format")), None)
    if name:
        return _by_format(name)
    results, rdf = by_accept(request.headers.get("Accept", "").strip())
    if results is None and rdf is None:
        raise ProtocolError(406, unacceptable_message(None))
    return results, rdf


@lru_cache(maxsize=512)
def by_accept(header: str) -> tuple[str | None, str | None]:
    """Negotiated once per distinct Accept header: clients send the same few."""
    if not header:
        return st.RESULTS_MEDIA_TYPES[0], st.RDF_MEDIA_TYPES[0]
    # Parameters other than q (charset=utf-8 ...) describe what we send anyway; werkzeug
    # would refuse to match an offer without them.
    accept = MIMEAccept([(_bare(value), q) for value, q in parse_accept_header(header)])
    results = accept.best_match(_offers(st.RESULTS_MEDIA_TYPES, _RESULT_ALIASES))
    rdf = accept.best_match(_offers(st.RDF_MEDIA_TYPES, _RDF_ALIASES))
    return (st.results_media_type(results) if results else None,
            st.rdf_media_type(rdf) if rdf else None)


def unacceptable_message(kind: str | None) -> str:
    """What to put in Accept instead, for one result kind or both."""
    results = ", ".join(_bare(m) for m in st.RESULTS_MEDIA_TYPES)
    rdf = ", ".join(_bare(m) for m in st.RDF_MEDIA_TYPES)
    if kind == st.TRIPLES:
        return f"no acceptable format for this CONSTRUCT/DESCRIBE result; accept one of {rdf}"
    if kind in (st.SOLUTIONS, st.BOOLEAN):
        return f"no acceptable format for this SELECT/ASK result; accept one of {results}"
    return (f"none of the Accept header's media types can be served; accept one of {results} "
            f"for SELECT/ASK, {rdf} for CONSTRUCT/DESCRIBE, or give format=")


def choose_rdf(request: Request) -> str:
    """The media type for an RDF graph (Graph Store Protocol).

    Raises:
        ProtocolError: 400 for an unknown ``format``, 406 when no RDF format is acceptable.
    """
    _, rdf = choose(request, request.args)
    if rdf is None:
        raise ProtocolError(406, unacceptable_message(st.TRIPLES))
    return rdf
