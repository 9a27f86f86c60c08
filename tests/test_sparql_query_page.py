"""The query page in a real Chromium: YASGUI loads from the project's own assets, runs an
example query against the endpoint, and offers a link and code snippets for the query."""

from __future__ import annotations

import pytest
import requests


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    yield page
    context.close()
    assert outside == [], f"the page fetched from outside the server: {outside}"


def test_page_links_its_machine_readable_twin(live_server):
    r = requests.get(live_server + "/query")
    assert r.status_code == 200
    assert 'rel="alternate"' in r.headers["Link"] and "/sparql?format=ttl" in r.headers["Link"]


def test_assets_are_served_locally(live_server):
    for name in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "chartjs/chart.umd.min.js"):
        r = requests.get(f"{live_server}/static/vendor/{name}")
        assert r.status_code == 200, f"{name}: run 'make assets'"


def test_query_page_runs_an_example(live_server, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    # the graph's prefixes are prefilled in a new query
    editor = page.locator(".CodeMirror").inner_text()
    assert "PREFIX krm: <https://w3id.org/krm/ontology#>" in editor
    name = "competency/china-tungsten-share"  # a named query from queries/
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") \
            as response:
        page.select_option("#examples", name)
    assert response.value.status == 200
    page.wait_for_selector(".yasr table tbody tr")
    assert page.locator(".yasr table tbody tr").count() > 0
    # a result with counts, as a chart (Chart.js, served locally)
    name = "stats/counts-by-class"
    page.select_option("#examples", name)
    page.wait_for_selector(".yasr .select_chart:not(.disabled)")
    page.locator(".yasr .select_chart").click()
    page.wait_for_selector(".yasr canvas")
    assert errors == []

    permalink = page.locator("#permalink").get_attribute("href")
    assert "query=" in permalink
    for snippet in ("#snippet-curl", "#snippet-python", "#snippet-r"):
        text = page.locator(snippet).inner_text()
        assert live_server + "/sparql" in text
    assert "SPARQLWrapper" in page.locator("#snippet-python").inner_text()

    # the link reopens the same query
    page.goto(permalink)
    page.wait_for_selector(".yasqe .CodeMirror")
    editor = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    expected = page.evaluate(
        "name => JSON.parse(document.getElementById('config').textContent)"
        ".examples.find(e => e.name === name).text", name)
    assert editor.strip() == expected.strip()
