"""robots.txt and the sitemap as a crawler reads them: every page of the graph listed with
an absolute URL under the namespace, in a document the sitemap protocol accepts."""

from __future__ import annotations

from xml.etree import ElementTree as etree

import pytest

from kg import store as st
from kg.namespace import BASE
from server import create_app
from server.browse import crawl

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture()
def client(fixture_link):
    return create_app({"STORE": str(fixture_link)}).test_client()


def locations(xml: bytes, item: str = "url") -> list[str]:
    root = etree.fromstring(xml)
    assert root.tag == SM + ("urlset" if item == "url" else "sitemapindex")
    for child in root:
        assert child.tag == SM + item
        assert [c.tag for c in child][:1] == [SM + "loc"]
        assert {c.tag for c in child} <= {SM + "loc", SM + "lastmod"}
    return [child.find(SM + "loc").text for child in root]


def test_robots_txt_names_the_sitemap(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    lines = r.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {BASE}sitemap.xml" in lines
    assert "Disallow: /sparql" in lines and "Disallow: /api/" in lines
    assert "Disallow: /page/" not in lines


def test_sitemap_lists_every_page_and_each_answers(client, fixture_link):
    r = client.get("/sitemap.xml")
    assert r.status_code == 200 and r.mimetype == "application/xml"
    locs = locations(r.get_data())
    assert len(locs) == len(set(locs)) <= 50_000
    assert all(loc.startswith(BASE) for loc in locs)
    # Every instance of every class (as the class pages list them) has its page listed.
    store = st.open_store(fixture_link)
    instances = set()
    for row in st.query(store, "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) }"):
        iri = row["s"].value
        if iri.startswith(BASE + "id/"):
            instances.add(BASE + "page/" + iri[len(BASE + "id/"):])
    assert instances and instances <= set(locs)
    assert BASE + "page/ontology" in locs and BASE + "class/ChemicalElement" in locs
    for loc in locs:  # each listed page is there, as a crawler would find it
        path = "/" + loc[len(BASE):]
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path


def test_a_large_graph_gets_a_sitemap_index(client, monkeypatch):
    whole = locations(client.get("/sitemap.xml").get_data())
    monkeypatch.setattr(crawl, "PER_FILE", 10)
    parts = locations(client.get("/sitemap.xml").get_data(), "sitemap")
    assert len(parts) == -(-len(whole) // 10) > 1
    listed = []
    for n, part in enumerate(parts, 1):
        assert part == f"{BASE}sitemap-{n}.xml"
        listed += locations(client.get(f"/sitemap-{n}.xml").get_data())
    assert listed == whole
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404
