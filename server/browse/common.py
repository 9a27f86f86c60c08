"""What every browse view shares: the page language, cache validators, alternates and
rendering with the helpers templates need."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, g, make_response, render_template, request

from kg import hubs
from kg import search as srch
from kg import store as st
from kg.describe import Term
from server import urls
from server.db import get_store, store_in_memory, store_is_remote
from server.site import site_lang

HTML = ("text/html", "application/xhtml+xml")
CACHE_CONTROL = "public, max-age=300"


def store_version(app) -> tuple[str, datetime]:
    """(digest, time built) of the served store: the build names each store folder by its
    inputs' digest, so the digest is a strong validator for everything derived from it.

    A remote store has no folder: its version is a digest of the endpoint's URL and the
    size of each of its graphs when the server started, and its time that start; the
    views' figures are computed once per served store, so a server restarts to show
    what changed there.
    """
    if store_is_remote(app):
        with app.app_context():
            sizes = st.graph_sizes(app.extensions["krm.store"])
        key = json.dumps([app.config["STORE"], sorted(sizes.items())]).encode()
        return (hashlib.sha256(key).hexdigest()[:16],
                datetime.now(tz=UTC).replace(microsecond=0))
    path = Path(app.config["STORE"]).resolve()
    built = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC) if path.exists() \
        else datetime.now(tz=UTC).replace(microsecond=0)
    return path.name, built


def hub_index(app):
    """The served store's browse index (:mod:`kg.hubs`), or None: none beside it, or a
    store that takes SPARQL updates, which the index made at build time would not follow.

    Raises:
        OSError, ValueError: the index is there but cannot be read.
    """
    if store_is_remote(app) or app.config.get("SPARQL_UPDATE_TOKEN"):
        return None
    return hubs.load(app.config["STORE"])


def version(app=None) -> tuple[str, datetime]:
    """(digest, time built) of the served store (:func:`store_version`)."""
    app = app or current_app
    if "krm.browse.version" not in app.extensions:  # a remote store, asked once
        app.extensions["krm.browse.version"] = store_version(app)
    return app.extensions["krm.browse.version"]


def page_lang() -> str:
    """The page language (:func:`server.site.site_lang`, the same on every surface)."""
    return site_lang()


def rdf_offers() -> list[tuple[str, st.RdfFormat]]:
    """(media type, format) pairs of the data documents, preferred first."""
    return [(f.media_type, f) for f in st.DOCUMENT_FORMATS]


#: Older names clients still send: rdflib asks ``text/plain`` for N-Triples and
#: ``text/n3`` for N3 (Turtle is N3). A document about one resource is one graph: a
#: client asking for TriG or N-Quads (rdflib's ``format="trig"``) gets Turtle or
#: N-Triples, which are TriG and N-Quads with only a default graph, not the HTML page.
_ALIASES = {"text/plain": st.RdfFormat.N_TRIPLES, "text/n3": st.RdfFormat.TURTLE,
            "text/rdf+n3": st.RdfFormat.TURTLE, "application/json": st.RdfFormat.JSON_LD,
            "application/trig": st.RdfFormat.TURTLE,
            "application/n-quads": st.RdfFormat.N_TRIPLES}


def negotiate() -> str | st.RdfFormat | None:
    """``"html"``, an RDF format, or None when nothing the client accepts is offered."""
    offers = list(HTML) + [m for m, _ in rdf_offers()] + list(_ALIASES)
    if not request.headers.get("Accept", "").strip():
        return "html"  # no Accept header means anything goes (RFC 9110, 12.5.1)
    best = request.accept_mimetypes.best_match(offers)
    if best is None:
        return None
    if best in HTML:
        return "html"
    return _ALIASES.get(best) or st.RdfFormat.from_media_type(best)


def alternates(iri: str, html: bool = True) -> list[dict]:
    """The page and data documents about ``iri``: for Link headers and <link> elements."""
    out = [{"href": urls.page_url(iri), "type": "text/html", "name": "HTML"}] if html else []
    for media, fmt in rdf_offers():
        out.append({"href": urls.data_url(iri, fmt.file_extension), "type": media,
                    "name": fmt.name})
    return out


def link_header(alts: list[dict]) -> str:
    return ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"' for a in alts)


def validated(response, variant: str):
    """Add ETag, Last-Modified and Cache-Control, and answer 304 when the client's copy
    is current (If-None-Match, If-Modified-Since). A store copied into memory lists
    unordered things in another order than on disk, hence its own tag."""
    digest, built = version()
    if store_in_memory():
        variant += ".mem"
    response.set_etag(f"{digest}.{variant}")
    response.last_modified = built
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response.make_conditional(request)


def search_index() -> list[srch.Entry]:
    """The label index of the served store, built on first use (the store is read-only)."""
    ext = current_app.extensions
    if "krm.browse.index" not in ext:
        ext["krm.browse.index"] = srch.load_index(get_store())
    return ext["krm.browse.index"]


def render(template: str, status: int = 200, alts: list[dict] | None = None, **context):
    """Render a browse page in the chosen language, with its alternates."""
    lang = g.krm_lang = page_lang()
    context.setdefault("alternates", alts or [])
    html = render_template(f"browse/{template}", lang=lang, urls=urls, Term=Term,
                           **context)
    response = make_response(html, status)
    response.headers["Content-Language"] = lang
    response.vary.update(("Accept", "Accept-Language", "Cookie"))
    if alts:
        response.headers["Link"] = link_header(alts)
    return response  # a ?lang= choice is kept as a cookie by server.site
