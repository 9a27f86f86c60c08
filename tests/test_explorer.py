"""The dependency explorer and the map, in-process over the explorer fixture
(tests/data/explorer: made-up figures in the official-data model). The expected figures
are recomputed here from the named query's own rows, not copied from the page."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

import pytest
from explorer_fixture import write_explorer_store

from kg import queries
from kg import store as st
from server import create_app

ID = "https://w3id.org/krm/id/"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = write_explorer_store(tmp_path_factory.mktemp("explorer"))
    return create_app({"STORE": str(path), "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def imports(app):
    """``commodity -> year -> partner -> value`` from the named query, summed here."""
    q = queries.load(queries.QUERIES / "explorer" / "imports.rq")
    out = defaultdict(lambda: defaultdict(dict))
    for r in st.rows(q.run(app.extensions["krm.store"])):
        out[r["commodity"]][int(r["year"][:4])][r["partner"]] = float(r["value"])
    return out


def table_rows(html: str) -> dict[str, list[str]]:
    """The dependency table's rows by commodity IRI: the cells' data-value attributes."""
    rows = {}
    for iri, body in re.findall(r'<tr data-commodity="([^"]+)"(.*?)</tr>', html, re.S):
        rows[iri] = re.findall(r'data-value="([^"]*)"', body)
    return rows


def test_dependencies_lists_the_metals_with_the_query_figures(client, imports):
    html = client.get("/dependencies").get_data(as_text=True)
    rows = table_rows(html)
    for name in ("lithium", "cobalt", "rare-earths"):
        iri = ID + "commodity/" + name
        latest = max(imports[iri])
        partners = imports[iri][latest]
        total = sum(partners.values())
        top = max(partners, key=partners.get)
        cells = rows[iri]
        assert float(cells[1]) == pytest.approx(total)
        assert float(cells[3]) == pytest.approx(100 * partners[top] / total, abs=0.05)
        hhi = sum((100 * v / total) ** 2 for v in partners.values())
        assert float(cells[4]) == pytest.approx(hhi, abs=0.05)
        china = partners.get(ID + "country/CHN", 0.0)
        assert float(cells[5]) == pytest.approx(100 * china / total, abs=0.05)
    assert "<h1>" in html and html.count("<h1") == 1


def test_rows_are_largest_first_and_link_to_the_element_page(client, imports):
    html = client.get("/dependencies").get_data(as_text=True)
    values = [float(c[1]) for c in table_rows(html).values()]
    assert values == sorted(values, reverse=True)
    assert 'href="/page/element/Li"' in html and 'href="/page/group/ree"' in html


def test_year_is_selectable_and_checked(client, imports):
    lithium = ID + "commodity/lithium"
    r = client.get("/dependencies?year=2020")
    cells = table_rows(r.get_data(as_text=True))[lithium]
    assert float(cells[1]) == pytest.approx(sum(imports[lithium][2020].values()))
    bad = client.get("/dependencies?year=1800")
    assert bad.status_code == 400
    assert "year must be a year with import data" in bad.get_data(as_text=True)


def test_csv_download_has_the_table(client, imports):
    r = client.get("/dependencies?year=2024&format=csv")
    assert r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = {row["commodity"]: row for row in csv.DictReader(io.StringIO(r.get_data(as_text=True)))}
    lithium = ID + "commodity/lithium"
    assert float(rows[lithium]["import_value_kusd"]) == pytest.approx(
        sum(imports[lithium][2024].values()))
    assert set(rows[ID + "commodity/cobalt"]["lists"].split()) == {"eu", "jp", "kr2023", "us"}


def test_map_data_for_lithium_2024_is_the_import_partners(client, imports):
    lithium = ID + "commodity/lithium"
    d = client.get(f"/map/data.json?commodity={lithium}&year=2024").get_json()
    assert {r["iri"] for r in d["imports"]} == set(imports[lithium][2024])
    assert all(r["id"] and r["id"].isdigit() for r in d["imports"])  # world-atlas ids
    assert sum(r["share"] for r in d["imports"]) == pytest.approx(100, abs=0.2)
    assert d["production"]["rows"], "world production is the second layer"
    bad = client.get("/map/data.json?commodity=https://example.org/x")
    assert bad.status_code == 400


@pytest.mark.parametrize("path", ["/", "/dependencies", "/map", "/graph", "/query",
                                  "/api/docs", "/page/country/CHN"])
def test_every_page_has_the_menu_and_the_favicon(client, path):
    html = client.get(path).get_data(as_text=True)
    assert html.count('class="site-menu"') == 1, path
    assert 'href="/dependencies"' in html and 'href="/graph"' in html
    assert "site/favicon.svg" in html
    assert re.search(r'<html lang="(en|ko)"', html)


def test_the_language_choice_is_kept(client):
    r = client.get("/dependencies?lang=ko")
    assert '<html lang="ko">' in r.get_data(as_text=True)
    assert "lang=ko" in r.headers["Set-Cookie"]
    later = client.get("/dependencies").get_data(as_text=True)
    assert '<html lang="ko">' in later and "의존도" in later
    graph = client.get("/graph").get_data(as_text=True)
    assert '<nav class="site-menu" lang="ko"' in graph


def test_favicon_is_served(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 301
    svg = client.get(r.headers["Location"])
    assert svg.status_code == 200 and b"<svg" in svg.data


def test_no_inline_scripts_on_explorer_pages(client):
    for path in ("/dependencies", "/map"):
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\son[a-z]+=", html)


def test_element_page_has_the_import_and_production_sections(client, imports):
    html = client.get("/page/element/Li").get_data(as_text=True)
    assert 'id="korea-imports"' in html and 'id="world-production"' in html
    assert 'id="risk"' in html and "HHI_WGI" in html
    assert html.count("<h1") == 1
    assert 'src="/static/explorer/charts.js"' in html


def test_country_page_lists_what_korea_imports_from_it(client, imports):
    html = client.get("/page/country/CHL").get_data(as_text=True)
    assert 'id="korea-imports-from"' in html and "Lithium" in html
    assert '<svg class="spark"' in html  # what it sold Korea since 1995
    assert 'id="political-stability"' in html


def test_typed_literals_read_as_values_and_sources_by_title(client):
    html = client.get("/page/observation/usgs-mcs-2025-world/lithium/production/"
                      "mine-production-lithium-content/AUS/2024").get_data(as_text=True)
    assert "88,000" in html  # "88000.0"^^xsd:double
    assert "^^" not in html and '<span class="dt">double</span>' not in html
    assert "<span>2024</span>" in html  # a gYear as written


def test_element_page_has_the_list_by_status_matrix(client):
    html = client.get("/page/element/Li").get_data(as_text=True)
    section = html[html.index('<section id="named-on">'):]
    section = section[:section.index("</section>")]
    head = re.findall(r'<th scope="col">([^<]*)</th>', section)
    assert head[1:] == ["critical", "strategic"]
    rows = re.findall(r"<tr><th scope=\"row\"><a [^>]*>([^<]*)</a></th>(.*?)</tr>", section, re.S)
    cells = {name: re.findall(r"<td>(.*?)</td>", body, re.S) for name, body in rows}
    assert cells["us-critical-minerals-2022"] == ["✓ Lithium", ""]
    assert cells["eu-crma-2024-annex-i"] == ["", "✓ lithium - battery grade"]
