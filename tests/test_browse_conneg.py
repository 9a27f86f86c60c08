"""Dereferencing by the Cool URIs 303 pattern: each Accept value gets the right status,
Location, Content-Type and Vary; the data documents parse and hold the resource's triples."""

from __future__ import annotations

from decimal import Decimal

import pytest
import rdflib
import requests
from rdflib.namespace import RDF, RDFS

KRM = rdflib.Namespace("https://w3id.org/krm/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
W = rdflib.URIRef("https://w3id.org/krm/id/element/W")
CLAIM = rdflib.URIRef("https://w3id.org/krm/id/claim/china-tungsten-share")

# Accept header -> where /id/element/W must send the client.
MATRIX = [
    ("text/html", "/page/element/W"),
    ("application/xhtml+xml", "/page/element/W"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/page/element/W"),
    ("*/*", "/page/element/W"),
    ("text/turtle", "/data/element/W.ttl"),
    ("application/n-triples", "/data/element/W.nt"),
    ("application/rdf+xml", "/data/element/W.rdf"),
    ("application/ld+json", "/data/element/W.jsonld"),
    ("application/json", "/data/element/W.jsonld"),
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "/data/element/W.rdf"),
    ("text/html;q=0.1, text/turtle", "/data/element/W.ttl"),
]

FORMATS = [("ttl", "text/turtle", "turtle"), ("nt", "application/n-triples", "nt"),
           ("rdf", "application/rdf+xml", "xml"), ("jsonld", "application/ld+json", "json-ld")]


@pytest.mark.parametrize(("accept", "location"), MATRIX)
def test_iri_redirects_by_accept(browse_server, accept, location):
    r = requests.get(browse_server + "/id/element/W", headers={"Accept": accept},
                     allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == location
    assert "Accept" in r.headers["Vary"]
    links = r.headers["Link"]
    for _, media, _ in FORMATS:
        assert f'type="{media}"' in links
    assert 'rel="alternate"' in links


def test_no_accept_header_gets_the_page(browse_server):
    r = requests.get(browse_server + "/id/element/W", headers={"Accept": None},
                     allow_redirects=False)
    assert (r.status_code, r.headers["Location"]) == (303, "/page/element/W")


def test_unacceptable_type_is_406_naming_the_offers(browse_server):
    r = requests.get(browse_server + "/id/element/W", headers={"Accept": "image/png"},
                     allow_redirects=False)
    assert r.status_code == 406
    assert "text/turtle" in r.text and "text/html" in r.text
    assert "Accept" in r.headers["Vary"]


@pytest.mark.parametrize(("ext", "media", "rdflib_format"), FORMATS)
def test_data_documents_parse_and_hold_the_description(browse_server, ext, media,
                                                       rdflib_format):
    r = requests.get(f"{browse_server}/data/claim/china-tungsten-share.{ext}")
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    g = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    assert [o.toPython() for o in g.objects(CLAIM, KRM.sharePercent)] == [Decimal(83)]
    assert (CLAIM, KRM.producer, rdflib.URIRef("https://w3id.org/krm/id/country/CHN")) in g
    # Blank nodes closed: the evidence and its selector's quote come along.
    quotes = {str(q) for q in g.objects(None, OA.exact)}
    assert quotes == {"an even more substantial 83% of tungsten"}
    # Labels of what it links to.
    assert (W, RDFS.label, rdflib.Literal("tungsten", lang="en")) in g


def test_following_the_redirect_gives_turtle_about_the_iri(browse_server):
    r = requests.get(browse_server + "/id/element/W", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.url.endswith("/data/element/W.ttl")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (W, RDF.type, KRM.ChemicalElement) in g
    assert (W, KRM.symbol, rdflib.Literal("W")) in g
    assert (W, RDFS.label, rdflib.Literal("텅스텐", lang="ko")) in g


def test_page_and_data_carry_validators_and_answer_304(browse_server):
    for path in ("/page/element/W", "/data/element/W.ttl"):
        r = requests.get(browse_server + path)
        etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
        again = requests.get(browse_server + path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        since = requests.get(browse_server + path, headers={"If-Modified-Since": modified})
        assert since.status_code == 304
        stale = requests.get(browse_server + path, headers={"If-None-Match": '"other"'})
        assert stale.status_code == 200


def test_etag_differs_per_language_and_format(browse_server):
    en = requests.get(browse_server + "/page/element/W?lang=en").headers["ETag"]
    ko = requests.get(browse_server + "/page/element/W?lang=ko").headers["ETag"]
    ttl = requests.get(browse_server + "/data/element/W.ttl").headers["ETag"]
    nt = requests.get(browse_server + "/data/element/W.nt").headers["ETag"]
    assert len({en, ko, ttl, nt}) == 4


def test_ontology_iri_dereferences(browse_server):
    r = requests.get(browse_server + "/ontology", headers={"Accept": "text/turtle"},
                     allow_redirects=False)
    assert (r.status_code, r.headers["Location"]) == (303, "/data/ontology.ttl")
    g = rdflib.Graph().parse(data=requests.get(browse_server + r.headers["Location"]).text,
                             format="turtle")
    assert (KRM.Claim, RDF.type, rdflib.OWL.Class) in g
    page = requests.get(browse_server + "/ontology", headers={"Accept": "text/html"})
    assert page.url.endswith("/page/ontology") and 'id="Claim"' in page.text


def test_unknown_iri_is_404_with_suggestions(browse_server):
    r = requests.get(browse_server + "/id/element/tungstn", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert "text/html" in r.headers["Content-Type"]
    r = requests.get(browse_server + "/id/org/kitec", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "/page/org/kitech" in r.text
    r = requests.get(browse_server + "/id/nothing/here", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("text/plain")
    assert requests.get(browse_server + "/data/nothing/here.ttl").status_code == 404


def test_unknown_data_format_is_404_naming_the_formats(browse_server):
    r = requests.get(browse_server + "/data/element/W.xls")
    assert r.status_code == 404 and ".ttl" in r.text and ".jsonld" in r.text


def test_iris_do_not_depend_on_the_request_host(browse_server):
    headers = {"Host": "public.example.org", "Accept": "text/turtle"}
    r = requests.get(browse_server + "/id/element/W", headers=headers, allow_redirects=False)
    assert r.headers["Location"] == "/data/element/W.ttl"  # relative: the same on any host
    doc = requests.get(browse_server + "/data/element/W.ttl", headers=headers).text
    assert "public.example.org" not in doc and "127.0.0.1" not in doc
    assert (W, RDF.type, KRM.ChemicalElement) in rdflib.Graph().parse(data=doc, format="turtle")


@pytest.mark.parametrize("fmt", ["nt", "n3", "turtle", "xml", "json-ld"])
def test_rdflib_reads_an_iri_in_every_format(live_server, fmt):
    """rdflib's Graph().parse(iri) asks with its own media types (text/plain for nt,
    text/n3 for n3): each must get data, not the HTML page."""
    import rdflib

    g = rdflib.Graph().parse(live_server + "/id/element/W", format=fmt)
    assert (None, rdflib.URIRef("https://w3id.org/krm/ontology#symbol"),
            rdflib.Literal("W")) in g
