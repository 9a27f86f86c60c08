"""The /graph page on Korea's imports (the real graph's default data set) in real
Chromium at 1366x768: the first view is readable (only connected nodes, in columns,
labels at a legible size, all in sight), a click focuses a node's supply paths and the
info box gives labelled figures with units, the what-if on a product hits the sectors
/api/supply/disrupt names and says the year and source of every hit, and the page has
one h1, its language and a text alternative for the drawing, without console errors."""

from __future__ import annotations

import networkx as nx
import pytest
import requests
from browser_helpers import click_node, wait_until

from kg.namespace import iri

#: The smallest label, in CSS pixels on screen, that counts as legible.
LEGIBLE_PX = 9


def open_graph(page, base: str, query: str = "") -> dict:
    """Open /graph, wait for the drawing and the what-if's choices; the page's meta."""
    page.goto(base + "/graph" + query)
    wait_until(page, "window.krmGraph && window.krmGraph.state === 'ready'"
                     " && window.krmGraph.choicesReady")
    return page.evaluate("window.krmGraph.meta")


def view_graph(base: str, meta: dict) -> nx.DiGraph:
    """The view the page drew, from the API, as networkx."""
    data = requests.get(base + "/api/supply", timeout=30, params={
        "year": meta["year"], "scope": meta["scope"], "min_share": meta["min_share"]}).json()
    return nx.cytoscape_graph(data)


def test_the_first_view_is_readable(page, live_server):
    meta = open_graph(page, live_server)
    g = view_graph(live_server, meta)
    drawn = page.evaluate("""() => {
        const cy = window.krmGraph.cy, box = cy.container().getBoundingClientRect();
        const bb = cy.nodes().renderedBoundingBox({ includeLabels: true });
        return { ids: cy.nodes().map(n => n.id()),
                 isolated: cy.nodes().filter(n => n.degree() === 0).length,
                 fonts: cy.nodes().map(n => parseFloat(n.renderedStyle('font-size'))),
                 columns: cy.nodes().map(n => Math.round(n.position('x'))),
                 inside: bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= box.width + 1
                         && bb.y2 <= box.height + 1 };
    }""")
    assert sorted(drawn["ids"]) == sorted(g.nodes)
    assert drawn["isolated"] == 0
    assert min(drawn["fonts"]) >= LEGIBLE_PX
    assert drawn["inside"]
    # Partner -> product -> element -> group/material -> sector -> company: six columns,
    # none holding half the nodes.
    columns = {x: drawn["columns"].count(x) for x in drawn["columns"]}
    assert len(columns) == 6 and max(columns.values()) < len(drawn["ids"]) / 2
    # Every node drawn lies on a path into or out of a Korean sector.
    sectors = [n for n, t in g.nodes(data="type") if t == "sector"]
    on_paths = set(sectors)
    for s in sectors:
        on_paths |= nx.ancestors(g, s) | nx.descendants(g, s)
    assert on_paths == set(g.nodes)
    assert page.locator("h1").count() == 1
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_attribute("#cy", "role") == "img" and page.get_attribute("#cy", "aria-label")
    assert page.locator("img:not([alt])").count() == 0
    assert not page.errors


def test_a_click_focuses_the_neighbourhood(page, live_server):
    meta = open_graph(page, live_server)
    g = view_graph(live_server, meta)
    lithium = iri("id/element/Li")
    click_node(page, lithium)
    page.wait_for_selector("#info:not([hidden])")
    wait_until(page, f"window.krmGraph.focused === {lithium!r}")
    shown = set(page.evaluate(
        "window.krmGraph.cy.nodes().filter(n => !n.hasClass('faded')).map(n => n.id())"))
    assert shown == nx.ancestors(g, lithium) | nx.descendants(g, lithium) | {lithium}
    assert page.text_content("#info-label") == "lithium"
    info = page.text_content("#info-data")
    assert f"Korea's imports of products containing it, {meta['year']}" in info
    assert "US$" in info and "million" in info
    # Click the background: everything is shown again.
    box = page.locator("#cy").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)
    wait_until(page, "window.krmGraph.cy.nodes('.faded').length === 0")
    assert not page.errors


def test_what_if_on_a_product_hits_the_sectors_the_api_names(page, live_server):
    meta = open_graph(page, live_server)
    year = meta["year"]
    choices = requests.get(live_server + "/api/supply/choices", params={"year": year},
                           timeout=30).json()
    china = next(p for p in choices["partners"] if p.get("code") == "CHN")
    # A product China sells Korea whose loss reaches a sector, found through the API.
    for product in china["products"]:
        expected = requests.get(live_server + "/api/supply/disrupt", timeout=30, params={
            "year": year, "partner": china["id"], "product": product}).json()
        if any(h["type"] == "sector" for h in expected["hits"]):
            break
    else:
        pytest.fail("no product from China reaches a sector")
    page.select_option("#w-partner", value=china["id"])
    page.select_option("#w-target", value="product:" + product)
    page.click("#w-run")
    wait_until(page, "document.querySelector('#w-summary').dataset.hits")
    items = page.eval_on_selector_all("#w-hits li", "ls => ls.map(l => [l.dataset.node,"
                                                    " l.dataset.type, l.textContent])")
    assert [n for n, _, _ in items] == [h["node"] for h in expected["hits"]]
    assert ({n for n, t, _ in items if t == "sector"}
            == {h["node"] for h in expected["hits"] if h["type"] == "sector"})
    title = choices["sources"][expected["hits"][0]["figures"][0]["source"]["dataset"]]
    for _, _, text in items:
        assert str(year) in text and title in text
    hit = set(page.evaluate("window.krmGraph.cy.nodes('.hit').map(n => n.id())"))
    drawn = set(page.evaluate("window.krmGraph.cy.nodes().map(n => n.id())"))
    assert hit == {h["node"] for h in expected["hits"]} & drawn
    assert not page.errors


def test_the_what_if_offers_groups_as_groups(page, live_server):
    open_graph(page, live_server)
    groups = page.eval_on_selector_all("#w-target optgroup", "gs => gs.map(g => g.label)")
    assert groups[:1] == ["Metals"] and "Groups of metals" in groups
    labels = page.eval_on_selector_all(
        "#w-target optgroup[label='Groups of metals'] option", "os => os.map(o => o.text)")
    assert labels and all("(group of " in text for text in labels)


def test_korean_page(page, live_server):
    meta = open_graph(page, live_server, "?lang=ko")
    assert page.get_attribute("html", "lang") == "ko"
    assert page.text_content("h1") == "공급망 그래프"
    g = view_graph(live_server, meta)
    lithium = iri("id/element/Li")
    assert page.evaluate(f"window.krmGraph.cy.getElementById({lithium!r}).data('_label')") \
        == g.nodes[lithium]["label_ko"]
    assert not page.errors
