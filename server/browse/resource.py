"""One resource: its IRI (303 by content negotiation), its page and its data documents."""

from __future__ import annotations

from flask import Response, abort, redirect

from kg import describe as ds
from kg import store as st
from kg.search import search
from server import urls
from server.browse import bp
from server.browse.common import (
    alternates,
    link_header,
    negotiate,
    render,
    search_index,
    validated,
    version,
)
from server.browse.ontology import ontology_page
from server.db import get_hub_index, get_store
from server.errors import json_error, wants_json
from server.explorer import panels


def _see_other(iri: str):
    """303 from an IRI to the page or data document the client asked for."""
    chosen = negotiate()
    alts = alternates(iri)
    if chosen is None:
        offered = ", ".join(a["type"] for a in alts)
        response = Response(f"406 Not Acceptable: {iri} is offered as {offered}\n", 406,
                            mimetype="text/plain")
    else:
        target = urls.page_url(iri) if chosen == "html" else urls.data_url(
            iri, chosen.file_extension)
        response = redirect(target, 303)
    response.vary.add("Accept")
    response.headers["Link"] = link_header(alts)
    digest, built = version()
    response.last_modified = built
    return response


@bp.get("/id/<key:key>")
def resource(key: str):
    iri = urls.iri_of(key)
    if not _exists(iri):
        return not_found(iri)
    return _see_other(iri)


@bp.get("/ontology")
def ontology_resource():
    return _see_other(urls.ONTOLOGY_IRI)


@bp.get("/page/<key:key>")
def page(key: str):
    iri = urls.iri_of(key)
    if key == urls.ONTOLOGY_KEY:
        return ontology_page(alternates(iri))
    desc = ds.describe(get_store(), iri, get_hub_index())
    if not desc.exists:
        return not_found(iri)
    response = render("resource.html", alts=alternates(iri), d=desc, title=desc.labels,
                      limits=ds, explorer=panels.for_resource(iri))
    return validated(response, f"html.{response.headers['Content-Language']}")


@bp.get("/data/<key:key>.<ext>")
def data(key: str, ext: str):
    fmt = st.RdfFormat.from_extension(ext)
    if fmt not in st.DOCUMENT_FORMATS:
        offered = ", ".join(f".{f.file_extension}" for f in st.DOCUMENT_FORMATS)
        abort(Response(f"404 Not Found: no data document format '.{ext}'; "
                       f"try {offered}\n", 404, mimetype="text/plain"))
    iri = urls.iri_of(key)
    store = get_store()
    if key == urls.ONTOLOGY_KEY:
        triples = ds.ontology_triples(store)
    else:
        triples = ds.document(store, iri, get_hub_index())
    if not triples:
        return not_found(iri)
    response = Response(st.serialize_triples(triples, fmt), mimetype=fmt.media_type)
    if fmt.media_type.startswith("text/") or fmt == st.RdfFormat.JSON_LD:
        response.charset = "utf-8"
    if fmt != st.RdfFormat.JSON_LD:
        # Not on the JSON-LD document: a JSON-LD processor reads rel="alternate" as where
        # the JSON-LD is, and pyld's loader fails on a header with several of them.
        response.headers["Link"] = link_header(alternates(iri))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return validated(response, fmt.file_extension)


def _exists(iri: str) -> bool:
    return any(True for _ in get_store().quads_for_pattern(st.NamedNode(iri), None, None)) or \
        any(True for _ in get_store().quads_for_pattern(None, None, st.NamedNode(iri)))


def not_found(iri: str):
    """404 page for an IRI the graph does not know, with search suggestions."""
    words = ds.local_name(iri).replace("-", " ").replace("_", " ")
    hits = search(search_index(), words, limit=10) if words else []
    if not hits and " " in words:
        hits = [h for w in words.split() for h in search(search_index(), w, limit=5)][:10]
    if wants_json():
        return json_error(404, f"no resource <{iri}> in the graph")
    if negotiate() != "html":
        return Response(f"404 Not Found: no resource <{iri}> in the graph\n", 404,
                        mimetype="text/plain")
    return render("not_found.html", status=404, iri=iri, hits=hits, query=words)

