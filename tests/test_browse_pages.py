"""Pages as a person reads them: evidence, shares, lists, designations, languages, search,
class lists, the dataset description and dumps, and hostile input."""

from __future__ import annotations

import gzip
import hashlib
import re
from html import unescape
from html.parser import HTMLParser

import pytest
import rdflib
import requests

from kg.dumps import read_manifest
from server import create_app

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
KRM = rdflib.Namespace("https://w3id.org/krm/ontology#")


class Outline(HTMLParser):
    """What the accessibility checks need: html lang, h1 texts, img alts, alternates."""

    def __init__(self):
        super().__init__()
        self.lang, self.h1, self.imgs, self.alternates, self._in_h1 = None, [], [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1.append("")
            self._in_h1 = True
        elif tag == "img":
            self.imgs.append(a.get("alt"))
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a.get("type"))

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


def text_of(html: str) -> str:
    """Visible text, whitespace collapsed (what a reader sees, roughly)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def get(base, path, **kw):
    r = requests.get(base + path, **kw)
    assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:200]}"
    return r


def test_element_page_shows_shares_with_year_source_and_quote(browse_server):
    html = get(browse_server, "/page/element/W").text
    o = outline(html)
    assert o.lang == "en" and o.h1 == ["tungsten"]
    text = text_of(html)
    assert "83%" in text and "“an even more substantial 83% of tungsten”" in text
    assert 'href="https://doi.org/10.31643/2024/6445.27"' in html
    assert "1.2 Global Perspective" in text  # the claim's section
    # The USGS figure names its year and its source.
    assert "84.3%" in text and "year: 2022" in text
    assert 'href="https://pubs.usgs.gov/periodicals/mcs2023/mcs2023-tungsten.pdf"' in html
    assert "Korea's rare metals" in text  # lists that include it
    assert 'href="/page/country/CHN"' in html


def test_element_in_a_group_shows_the_list_and_group_share(browse_server):
    text = text_of(get(browse_server, "/page/element/Nd").text)
    assert "Korea's rare metals (through rare earth elements" in text
    assert "63%" in text and "China producing 63% of the world's rare earth metals" in text


def test_country_page_shows_what_it_produces_and_policies(browse_server):
    text = text_of(get(browse_server, "/page/country/CHN").text)
    assert "83% of world tungsten" in text and "63% of world rare earth elements" in text
    assert "Strategy of Rare Metal Industry Development 2.0" in text
    assert "aims to reduce dependence on" in text


def test_law_page_shows_articles_and_what_they_provide_for(browse_server):
    text = text_of(get(browse_server, "/page/law/rare-metal-act").text)
    assert "Article 13 (National Rare Metal Center)" in text
    assert "provides for National Rare Metal Center" in text


def test_organisation_page_shows_designation_with_evidence(browse_server):
    html = get(browse_server, "/page/org/kitech").text
    text = text_of(html)
    assert "MOTIE designates KITECH as the National Rare Metal Center" in text
    assert "designated as National Rare Metal Center" in text
    assert "designated by Ministry of Trade, Industry and Energy" in text
    assert "“officially designates KITECH as the National Rare Metal Center”" in text
    assert "2.4.2 Legal Framework" in text


def test_claim_page_shows_its_own_evidence(browse_server):
    text = text_of(get(browse_server, "/page/claim/china-tungsten-share").text)
    assert "Evidence “an even more substantial 83% of tungsten”" in text


def test_literals_show_language_and_typed_values_as_values(browse_server):
    html = get(browse_server, "/page/element/W").text
    assert '<span lang="ko">텅스텐</span><span class="lang">@ko</span>' in html
    # A number reads as a number: no "^^xsd:integer", no datatype tag beside it.
    assert '<span>74</span></li>' in html
    assert "^^" not in html and '<span class="dt">integer</span>' not in html


def test_language_by_switch_cookie_and_accept_language(browse_server):
    s = requests.Session()
    ko = s.get(browse_server + "/page/country/CHN?lang=ko")
    assert outline(ko.text).lang == "ko" and outline(ko.text).h1 == ["중국"]
    assert "텅스텐" in text_of(ko.text)
    # The switch is remembered for the next page.
    assert outline(s.get(browse_server + "/page/element/W").text).h1 == ["텅스텐"]
    by_header = get(browse_server, "/page/element/W", headers={"Accept-Language": "ko-KR,ko"})
    assert outline(by_header.text).h1 == ["텅스텐"]
    assert "Accept-Language" in by_header.headers["Vary"]
    en = get(browse_server, "/page/element/W", headers={"Accept-Language": "en-GB"})
    assert outline(en.text).h1 == ["tungsten"] and 'href="/page/element/W?lang=ko"' in en.text


@pytest.mark.parametrize("path", [
    "/", "/page/element/W", "/page/country/CHN", "/page/org/kitech", "/page/ontology",
    "/class/ChemicalElement", "/search?q=rare", "/dataset", "/dumps/",
    "/page/law/rare-metal-act-art-13",
])
def test_every_page_has_lang_one_h1_alt_and_search(browse_server, path):
    html = get(browse_server, path).text
    o = outline(html)
    assert o.lang in ("en", "ko")
    assert len(o.h1) == 1 and o.h1[0].strip()
    assert all(alt for alt in o.imgs)
    assert 'action="/search"' in html
    assert "<script" not in html  # the pages need no JavaScript


def test_resource_pages_link_their_data(browse_server):
    r = get(browse_server, "/page/element/W")
    assert set(outline(r.text).alternates) >= {
        "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}
    assert '</data/element/W.ttl>; rel="alternate"; type="text/turtle"' in r.headers["Link"]


def test_home_counts_classes_and_offers_ways_in(browse_server):
    html = get(browse_server, "/").text
    for href in ("/class/ChemicalElement", "/class/Country", "/class/Company", "/class/Act",
                 "/class/Strategy", "/query", "/graph"):
        assert f'href="{href}"' in html
    text = text_of(html)
    assert re.search(r"chemical element \d+", text)


def test_search_ranks_exact_then_prefix_then_substring(browse_server):
    hits = get(browse_server, "/search?q=rare",
               headers={"Accept": "application/json"}).json()["hits"]
    matches = [h["match"] for h in hits]
    assert matches == sorted(matches, key=["exact", "prefix", "substring"].index)
    assert {"prefix", "substring"} <= set(matches)
    by_iri = {h["iri"]: h for h in hits}
    ree = by_iri["https://w3id.org/krm/id/group/ree"]
    assert ree["match"] == "prefix" and ree["types"] == ["https://w3id.org/krm/ontology#ElementGroup"]
    ko = get(browse_server, "/search?q=텅스", headers={"Accept": "application/json"}).json()
    assert ko["hits"][0]["iri"] == "https://w3id.org/krm/id/element/W"
    assert ko["hits"][0]["match"] == "prefix"


def test_search_exact_unique_hit_redirects(browse_server):
    r = requests.get(browse_server + "/search?q=Tungsten", allow_redirects=False)
    assert (r.status_code, r.headers["Location"]) == (303, "/page/element/W")
    r = requests.get(browse_server + "/search?q=kitech", allow_redirects=False)
    assert r.headers["Location"] == "/page/org/kitech"  # by its alternative label
    page = get(browse_server, "/search?q=tung")
    assert "tungsten" in page.text and "chemical element" in text_of(page.text)


def test_search_too_long_is_400(browse_server):
    r = requests.get(browse_server + "/search", params={"q": "x" * 500},
                     headers={"Accept": "application/json"})
    assert r.status_code == 400 and "limit" in r.json()["error"]


def test_class_page_paginates_and_sorts(fixture_link):
    app = create_app({"STORE": str(fixture_link), "BROWSE_PAGE_SIZE": 1})
    c = app.test_client()
    W, Nd = ('title="https://w3id.org/krm/id/element/W"',
             'title="https://w3id.org/krm/id/element/Nd"')
    first = c.get("/class/ChemicalElement").get_data(as_text=True)
    assert "2 instances" in text_of(first) and "page 1 / 2" in text_of(first)
    assert Nd in first and W not in first  # by label: neodymium, then tungsten
    desc = c.get("/class/ChemicalElement?order=desc").get_data(as_text=True)
    assert W in desc and Nd not in desc
    assert Nd in c.get("/class/ChemicalElement?page=2&order=desc").get_data(as_text=True)
    assert c.get("/class/ChemicalElement?page=3").status_code == 400
    assert c.get("/class/ChemicalElement?page=x").status_code == 400
    assert c.get("/class/ChemicalElement?sort=colour").status_code == 400
    assert c.get("/class/NoSuchClass").status_code == 404


def test_void_describes_size_partitions_endpoint_and_dumps(browse_server, fixture_link):
    r = get(browse_server, "/.well-known/void")
    assert r.headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    ds = rdflib.URIRef("https://w3id.org/krm/dataset")
    assert (ds, VOID.sparqlEndpoint, rdflib.URIRef("https://w3id.org/krm/sparql")) in g
    assert int(g.value(ds, VOID.triples)) > 500
    parts = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities))
             for p in g.objects(ds, VOID.classPartition)}
    assert parts[KRM.ChemicalElement] == 2 and parts[KRM.Country] == 2
    props = {g.value(p, VOID.property) for p in g.objects(ds, VOID.propertyPartition)}
    assert KRM.sharePercent in props
    assert g.value(ds, rdflib.DCTERMS.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    assert g.value(ds, rdflib.PROV.wasDerivedFrom) == rdflib.URIRef(
        "https://doi.org/10.31643/2024/6445.27")
    assert g.value(ds, DCAT.version) is not None
    # Every distribution's size and checksum match the file the server sends.
    dists = list(g.objects(ds, DCAT.distribution))
    _, files = read_manifest(fixture_link.parent / "dumps")
    assert len(dists) == len(files) == 5
    for dist in dists:
        url = str(g.value(dist, DCAT.downloadURL))
        assert url.startswith("https://w3id.org/krm/dumps/")
        body = get(browse_server, "/dumps/" + url.rsplit("/", 1)[1]).content
        assert int(g.value(dist, DCAT.byteSize)) == len(body)
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()


def test_dataset_page_and_rdf(browse_server):
    text = text_of(get(browse_server, "/dataset").text)
    assert "CC BY 4.0" in text and "/sparql" in text and "krm.nt.gz" in text
    r = get(browse_server, "/dataset", headers={"Accept": "application/ld+json"})
    g = rdflib.Graph().parse(data=r.text, format="json-ld")
    assert (rdflib.URIRef("https://w3id.org/krm/dataset"), rdflib.RDF.type, DCAT.Dataset) in g


def test_dumps_parse_and_hold_the_graph(browse_server):
    nt = gzip.decompress(get(browse_server, "/dumps/krm.nt.gz").content)
    g = rdflib.Graph().parse(data=nt, format="nt")
    claim = rdflib.URIRef("https://w3id.org/krm/id/claim/china-tungsten-share")
    assert (claim, KRM.producer, rdflib.URIRef("https://w3id.org/krm/id/country/CHN")) in g
    ttl = rdflib.Graph().parse(data=get(browse_server, "/dumps/krm.ttl").text, format="turtle")
    assert len(ttl) == len(g)
    listing = get(browse_server, "/dumps/").text
    assert hashlib.sha256(nt).hexdigest() not in listing  # checksums are of the files sent
    assert hashlib.sha256(get(browse_server, "/dumps/krm.nt.gz").content).hexdigest() in listing


@pytest.mark.parametrize("path", [
    "/dumps/manifest.json", "/dumps/..%2Fstore", "/dumps/%2e%2e/store", "/dumps/../store",
    "/dumps/krm.ttl%00", "/static/..%2F..%2Fkg%2Fstore.py", "/static/../kg/store.py",
    "/data/..%2F..%2Fetc%2Fpasswd.ttl", "/page/../../etc/passwd",
])
def test_no_path_outside_dumps_and_static(browse_server, path):
    r = requests.get(browse_server + path, headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert "import pyoxigraph" not in r.text and "root:" not in r.text


def test_markup_in_literals_is_escaped(hostile_server):
    html = get(hostile_server, "/page/org/hostile").text
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1;" in html
    assert "&lt;b onmouseover=alert(1)&gt;bold?&lt;/b&gt; &amp; &#34;quotes&#34;" in html
    assert outline(html).h1 == ["Hostile <script>window.__pwned = 1; alert('x')</script>"]
    found = get(hostile_server, "/search?q=hostile&go=0").text
    assert "<script>window" not in found and "&lt;script&gt;" in found


def test_sources_are_named_by_their_title(browse_server):
    html = get(browse_server, "/page/element/W").text
    assert "The State of Affairs of &#39;Rare Metal Industry&#39; in Korea</a>" in html \
        or "The State of Affairs of 'Rare Metal Industry' in Korea</a>" in html
    assert ">DOI 10.31643/2024/6445.27<" not in html
