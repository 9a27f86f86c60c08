"""Every mapping between the graph's IRIs and this server's URLs, in one place.

The namespace (:data:`kg.namespace.BASE`) stands for this server's root: the IRI
``BASE + "id/element/W"`` is served at ``/id/element/W`` on whatever host runs the server,
so the same data serves on localhost and on a public host. IRIs are never built from the
request's host; URLs are built with ``url_for`` so a server mounted under a prefix works.

Per resource there are three URLs (W3C "Cool URIs", 303 pattern):

- ``/id/<key>``: the thing itself; answers 303 to one of
- ``/page/<key>``: the HTML page about it, and
- ``/data/<key>.<ext>``: the data document about it (``ttl``, ``nt``, ``rdf``, ``jsonld``).

The ontology IRI ``BASE + "ontology"`` takes ``ontology`` as its key, and its hash terms
(``ontology#Claim``) are anchors on the ontology page.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import g, url_for
from werkzeug.routing import PathConverter, UnicodeConverter, ValidationError

from kg import store as st
from kg.namespace import BASE, ONTOLOGY

ID_PREFIX = BASE + "id/"
ONTOLOGY_IRI = ONTOLOGY.rstrip("#")
ONTOLOGY_KEY = "ontology"
#: Longer keys are no key of ours: refused before they cost a lookup or a search.
MAX_KEY_LENGTH = 1000


def key_of(iri: str) -> str | None:
    """The key of one of our IRIs (the part after ``id/``), or None for other IRIs.

    >>> key_of("https://w3id.org/krm/id/element/W")
    'element/W'
    >>> key_of("https://w3id.org/krm/ontology")
    'ontology'
    >>> key_of("https://www.wikidata.org/entity/Q148") is None
    True
    """
    if iri.startswith(ID_PREFIX) and len(iri) > len(ID_PREFIX):
        return iri[len(ID_PREFIX):]
    if iri == ONTOLOGY_IRI:
        return ONTOLOGY_KEY
    return None


def iri_of(key: str) -> str:
    """The IRI a key stands for (inverse of :func:`key_of`).

    >>> iri_of("country/CHN")
    'https://w3id.org/krm/id/country/CHN'
    >>> iri_of("ontology")
    'https://w3id.org/krm/ontology'
    """
    return ONTOLOGY_IRI if key == ONTOLOGY_KEY else ID_PREFIX + key


def is_key(key: str) -> bool:
    """Whether ``key`` makes a valid IRI of ours: anything else (a space, ``<``, a
    backslash, a control character, a byte that is not UTF-8) can name nothing in the graph.

    >>> is_key("element/W"), is_key("a b"), is_key("a<b"), is_key("a\\b"), is_key("\ufffd")
    (True, False, False, False, False)
    """
    return 0 < len(key) <= MAX_KEY_LENGTH and st.is_iri(iri_of(key))


def is_term_name(name: str) -> bool:
    """Whether ``name`` makes a valid IRI of an ontology term (``ontology#name``).

    >>> is_term_name("Company"), is_term_name("a b"), is_term_name("a#b")
    (True, False, False)
    """
    return 0 < len(name) <= MAX_KEY_LENGTH and st.is_iri(ONTOLOGY + name)


class KeyConverter(PathConverter):
    """``<key:key>`` in a route: a key of one of our IRIs, slashes included. A key that
    makes no valid IRI does not match the route, so it is the app's 404 (never a 500 from
    the store refusing the IRI)."""

    def to_python(self, value: str) -> str:
        if not is_key(value):
            raise ValidationError()
        return value


class TermConverter(UnicodeConverter):
    """``<term:name>`` in a route: the local name of an ontology term, checked as keys are."""

    def to_python(self, value: str) -> str:
        if not is_term_name(value):
            raise ValidationError()
        return value


#: The converters routes name: registered by the app factory before any blueprint.
CONVERTERS = {"key": KeyConverter, "term": TermConverter}


def term_name(iri: str) -> str | None:
    """Local name of an ontology term (``ontology#Claim`` -> ``Claim``), else None."""
    if iri.startswith(ONTOLOGY) and len(iri) > len(ONTOLOGY):
        return iri[len(ONTOLOGY):]
    return None


WEB_SCHEMES = ("http://", "https://")


def is_web_iri(iri: str) -> bool:
    """Whether a page may link to ``iri`` as it is: only ``http(s)`` IRIs. A stored
    ``javascript:`` or ``data:`` IRI (a source, an ``rdfs:seeAlso``) is shown as text.

    >>> is_web_iri("https://doi.org/10.1/x"), is_web_iri("javascript:alert(1)")
    (True, False)
    >>> is_web_iri("JavaScript:alert(1)"), is_web_iri(" http://x"), is_web_iri("HTTP://X/")
    (False, False, True)
    """
    return iri[:8].lower().startswith(WEB_SCHEMES)


def resource_url(iri: str) -> str | None:
    """``/id/...`` URL of one of our IRIs (what the IRI dereferences to here); another
    ``http(s)`` IRI as it is; None for anything else (no link)."""
    key = key_of(iri)
    if key is None:
        return iri if is_web_iri(iri) else None
    if key == ONTOLOGY_KEY:
        return url_for("browse.ontology_resource")
    return url_for("browse.resource", key=key)


def page_url(iri: str, **params) -> str | None:
    """Where a person reads about ``iri``: our HTML page, or the IRI itself if not ours
    and ``http(s)``; None for any other IRI, which pages show as text, not as a link.

    Ontology terms link to their anchor on the ontology page. Remembered for the request
    without ``params``: a hub's page links the same resources hundreds of times, and
    ``url_for`` costs more than the rest of a link's rendering.
    """
    if params:
        return _page_url(iri, **params)
    known = g.setdefault("krm_page_urls", {})
    if iri not in known:
        known[iri] = _page_url(iri)
    return known[iri]


def _page_url(iri: str, **params) -> str | None:
    name = term_name(iri)
    if name is not None:
        return url_for("browse.page", key=ONTOLOGY_KEY, **params) + "#" + quote(name)
    key = key_of(iri)
    if key is None:
        return iri if is_web_iri(iri) else None
    if params:
        return url_for("browse.page", key=key, **params)
    # url_for once per request, for where pages are mounted; then werkzeug's own quoting
    # of a path (a test checks that this is what url_for builds): a hub's page links
    # some 500 resources, and url_for took a third of its rendering.
    prefix = g.get("krm_page_prefix")
    if prefix is None:
        prefix = g.krm_page_prefix = url_for("browse.page", key="_")[:-1]
    return prefix + quote(key, safe=PATH_SAFE)


#: What werkzeug leaves unquoted in a path converter's value (``BaseConverter.to_url``).
PATH_SAFE = "!$&'()*+,/:;=@"


def data_url(iri: str, ext: str) -> str:
    """URL of the data document about one of our IRIs, in the format with extension ``ext``."""
    key = key_of(iri)
    if key is None:
        raise ValueError(f"not an IRI of this graph: {iri}")
    return url_for("browse.data", key=key, ext=ext)


def class_url(iri: str, **params) -> str | None:
    """URL of the page listing a class's instances, for classes of our ontology."""
    name = term_name(iri)
    return url_for("browse.class_page", name=name, **params) if name else None


def dataset_url(ext: str | None = None) -> str:
    """The dataset description's URL, as a page or in the format with extension ``ext``."""
    return url_for("browse.dataset", ext=ext) if ext else url_for("browse.dataset")
