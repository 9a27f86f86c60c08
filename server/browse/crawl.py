"""For crawlers: ``/robots.txt`` and the sitemap of every page (``/sitemap.xml``).

Locations are absolute, built from the namespace (which stands for this server's root),
like every IRI-URL mapping (:mod:`server.urls`). A graph with more resources than a
sitemap file holds gets a sitemap index at ``/sitemap.xml`` naming
``/sitemap-1.xml``, ``/sitemap-2.xml``, ...
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app

from kg import sitemap
from kg.namespace import BASE
from server import urls
from server.browse import bp
from server.browse.classes import class_counts
from server.browse.common import validated, version
from server.db import get_store

#: Kept from crawlers: the query services (each query is work, and results have no end)
#: and search (a page per word).
DISALLOW = ("/sparql", "/query", "/api/", "/search")
#: URLs per sitemap file: the protocol's limit.
PER_FILE = sitemap.MAX_URLS


def _pages() -> list[str]:
    """Every page's absolute URL: home, dataset, downloads, ontology, the class pages,
    then every resource's page. Listed once per app: the served store is read-only."""
    ext = current_app.extensions
    if "krm.browse.sitemap" not in ext:
        fixed = ["", "dataset", "dumps/", "page/" + urls.ONTOLOGY_KEY]
        classes = ["class/" + quote(urls.term_name(t.value), safe="")
                   for t, _ in class_counts(get_store()) if urls.term_name(t.value)]
        keys = (urls.key_of(iri) for iri in sitemap.resources(get_store(), urls.ID_PREFIX))
        pages = ["page/" + quote(k, safe=urls.PATH_SAFE) for k in keys if k]
        ext["krm.browse.sitemap"] = [BASE + p for p in fixed + classes + pages]
    return ext["krm.browse.sitemap"]


def _lastmod() -> str:
    return version()[1].isoformat().replace("+00:00", "Z")


def _xml(body: bytes, variant: str):
    response = Response(body, mimetype="application/xml")
    response.charset = "utf-8"
    return validated(response, variant)


@bp.get("/sitemap.xml")
def sitemap_xml():
    files = sitemap.chunks(_pages(), PER_FILE)
    if len(files) == 1:
        return _xml(sitemap.urlset(files[0], _lastmod()), "sitemap")
    return _xml(sitemap.index([f"{BASE}sitemap-{n}.xml" for n in range(1, len(files) + 1)],
                              _lastmod()), "sitemap")


@bp.get("/sitemap-<int:n>.xml")
def sitemap_part(n: int):
    files = sitemap.chunks(_pages(), PER_FILE)
    if len(files) == 1 or not 1 <= n <= len(files):
        return Response(f"404 Not Found: no sitemap part {n}; see /sitemap.xml\n", 404,
                        mimetype="text/plain")
    return _xml(sitemap.urlset(files[n - 1], _lastmod()), f"sitemap-{n}")


@bp.get("/robots.txt")
def robots_txt():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW), "Allow: /", "",
             f"Sitemap: {BASE}sitemap.xml", ""]
    return validated(Response("\n".join(lines), mimetype="text/plain"), "robots")
