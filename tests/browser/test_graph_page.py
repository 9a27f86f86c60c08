"""The /graph page in real Chromium (Playwright), against the real server. World
production (the network fixture, and ``?dataset=production`` on the real graph): it draws
what /api/network returns, filters it, opens resource pages, and marks what-if hits.
Korea's imports (the real graph's default): a readable first view at 1366x768, a click
that focuses a node's supply paths, and a what-if whose hits say their year and source."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from browser_helpers import click_node, wait_until

from kg.namespace import iri

CHN = iri("id/country/CHN")


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


def open_graph(page, base: str, query: str = "") -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base + "/graph" + query)
    wait_until(page, "window.krmGraph && window.krmGraph.state === 'ready'")
    # Everything the page needs comes from the project's own server: no CDN.
    assert all(u.startswith(base) for u in requested), requested


def drawn(page) -> tuple[int, int]:
    return tuple(page.evaluate("[window.krmGraph.cy.nodes().length,"
                               " window.krmGraph.cy.edges().length]"))


def wait_redrawn(page) -> None:
    wait_until(page, "window.krmGraph.state === 'ready'")


@pytest.mark.parametrize("server", ["network_server", "live_server"])
def test_page_draws_what_the_api_returns(page, request, server):
    base = request.getfixturevalue(server)
    meta = requests.get(base + "/api/network", timeout=30).json()["meta"]
    # The real graph opens on Korea's imports; world production is the other data set.
    open_graph(page, base, "?dataset=production" if server == "live_server" else "")
    assert drawn(page) == (meta["nodes"], meta["edges"])
    assert page.text_content("#status") == f"{meta['nodes']} nodes, {meta['edges']} edges"
    assert not page.errors


def test_a_filter_changes_the_drawing(page, network_server):
    open_graph(page, network_server)
    before = drawn(page)
    expected = requests.get(network_server + "/api/network",
                            params={"element": "Co"}, timeout=30).json()["meta"]
    with page.expect_response(lambda r: "element=" in r.url):
        page.select_option("#f-element", label="cobalt (Co)")
    wait_redrawn(page)
    assert drawn(page) == (expected["nodes"], expected["edges"]) != before
    page.click("#f-reset")
    wait_until(page, f"window.krmGraph.cy.nodes().length === {before[0]}")


def test_a_click_traces_paths_and_opens_the_resource_page(page, network_server):
    open_graph(page, network_server)
    click_node(page, CHN)
    page.wait_for_selector("#info:not([hidden])")
    assert page.text_content("#info-label") == "China"
    # China's supply paths: what it produces and everything downstream, not Congo's cobalt.
    traced = set(page.evaluate("window.krmGraph.cy.nodes('.path').map(n => n.data('label'))"))
    assert {"China", "tungsten", "Kia"} <= traced and "cobalt" not in traced
    assert page.get_attribute("#info-link", "href") == "/id/country/CHN"
    with page.expect_navigation() as nav:
        page.click("#info-link")
    # The IRI's path answers a browser with its page (303 by content negotiation).
    assert nav.value.ok
    assert urlsplit(page.url).path in ("/id/country/CHN", "/page/country/CHN")
    assert "China" in page.text_content("h1")


def test_a_click_on_an_edge_shows_its_figures_and_claims(page, network_server):
    open_graph(page, network_server)
    edge = f"{CHN} -> {iri('id/element/W')}"
    # A third of the way along: the middle lies under the groups' column.
    x, y = page.evaluate("""(id) => {
        const cy = window.krmGraph.cy, e = cy.getElementById(id);
        const a = e.source().renderedPosition(), b = e.target().renderedPosition();
        const r = cy.container().getBoundingClientRect();
        return [r.left + a.x + (b.x - a.x) / 3, r.top + a.y + (b.y - a.y) / 3];
    }""", edge)
    page.mouse.click(x, y)
    page.wait_for_selector("#info:not([hidden])")
    assert page.text_content("#info-label") == "China → tungsten"
    assert "80" in page.text_content("#info-data")   # the most recent data set's share
    claims = page.eval_on_selector_all("#info-data a", "as => as.map(a => a.pathname)")
    assert "/id/claim/china-tungsten-share" in claims


def test_what_if_marks_the_hit_nodes(page, network_server):
    open_graph(page, network_server)
    expected = requests.get(network_server + "/api/network/disrupt",
                            params={"country": "CHN", "element": "ree"}, timeout=30).json()
    page.select_option("#w-country", value=CHN)
    page.select_option("#w-element", value=iri("id/group/ree"))
    page.click("#w-run")
    wait_until(page, "document.querySelector('#w-summary').dataset.hits")
    hit = set(page.evaluate("window.krmGraph.cy.nodes('.hit').map(n => n.id())"))
    assert hit == {h["node"] for h in expected["hits"]}
    assert iri("id/org/kia") in hit and iri("id/element/W") not in hit
    assert page.locator("#w-hits li").count() == len(expected["hits"])


def test_exports_png_and_svg(page, network_server):
    open_graph(page, network_server)
    with page.expect_download() as png:
        page.click("#x-png")
    assert png.value.suggested_filename == "krm-network.png"
    with open(png.value.path(), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.click("#x-svg")
    with open(svg.value.path(), encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("<svg") and "China" in text


def test_what_if_offers_only_what_the_country_can_hit(page, network_server):
    open_graph(page, network_server)
    page.select_option("#w-country", value=CHN)
    offered = page.eval_on_selector_all("#w-element option", "os => os.map(o => o.value)")
    assert offered[0] == "" and len(offered) > 1
    for value in offered[1:]:
        r = requests.get(network_server + "/api/network/disrupt", timeout=30,
                         params={"country": CHN, "element": value}).json()
        assert r["hits"], value
    groups = page.eval_on_selector_all("#w-element option",
                                       "os => os.filter(o => o.value.includes('/group/'))"
                                       ".map(o => o.text)")
    assert groups and all(text.endswith("(group)") for text in groups)
