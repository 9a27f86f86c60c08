"""The pages under their Content-Security-Policy in real Chromium (Playwright): the query
page, the graph page and the API docs still work with no violation and no console error;
and the /graph info box never makes a link of a stored ``javascript:`` IRI."""

from __future__ import annotations

import pytest
import requests
from browser_helpers import wait_until

#: Records what the policy blocked, from before any of the page's own scripts runs.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture()
def page(browser):
    """A page that records console errors, uncaught exceptions and CSP violations; each
    test asserts there were none."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"error: {e}"))
    page.on("response", lambda r: page.problems.append(f"{r.status}: {r.url}")
            if r.status >= 400 else None)
    yield page
    context.close()


def no_problems(page) -> None:
    violations = page.evaluate("window.__violations")
    assert violations == [] and page.problems == [], (violations, page.problems)


def test_the_query_page_runs_a_query_under_the_policy(page, live_server):
    r = page.goto(live_server + "/query")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    page.wait_for_selector(".yasqe .CodeMirror")
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") \
            as response:
        page.select_option("#examples", "competency/china-tungsten-share")
    assert response.value.status == 200
    page.wait_for_selector(".yasr table tbody tr")
    assert page.locator(".yasr table tbody tr").count() > 0
    assert "query=" in page.locator("#permalink").get_attribute("href")  # query.js ran
    assert live_server + "/sparql" in page.locator("#snippet-curl").inner_text()
    no_problems(page)


def test_the_graph_page_draws_under_the_policy(page, live_server):
    r = page.goto(live_server + "/graph")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    wait_until(page, "window.krmGraph && window.krmGraph.state === 'ready'")
    # The real graph opens on Korea's imports: the view the page asked /api/supply for.
    view = page.evaluate("window.krmGraph.meta")
    meta = requests.get(live_server + "/api/supply", timeout=30, params={
        k: view[k] for k in ("year", "scope", "min_share")}).json()["meta"]
    drawn = page.evaluate("[window.krmGraph.cy.nodes().length, window.krmGraph.cy.edges().length]")
    assert drawn == [meta["nodes"], meta["edges"]] and meta["nodes"] > 0
    no_problems(page)


def test_the_api_docs_form_runs_a_query_under_the_policy(page, live_server):
    r = page.goto(live_server + "/api/docs")
    assert r.headers["x-frame-options"] == "DENY"
    form = page.locator("section.op#production\\/shares form")
    with page.expect_navigation() as nav:
        form.get_by_role("button", name="Run").click()
    assert nav.value.status == 200
    assert "/api/queries/production/shares?" in page.url
    assert nav.value.headers["content-type"].startswith("application/json")
    assert nav.value.headers["x-content-type-options"] == "nosniff"


def test_a_page_cannot_be_framed(page, live_server):
    """The policy's frame-ancestors: a page framed by another document stays empty."""
    page.goto(live_server + "/api/docs")
    frame = page.evaluate("""(url) => new Promise((resolve) => {
        const f = document.createElement("iframe");
        f.src = url;
        f.addEventListener("load", () => {
            let body = null;
            try { body = f.contentDocument && f.contentDocument.body.innerText; } catch (e) {}
            resolve(body);
        });
        document.body.append(f);
    })""", live_server + "/page/element/W")
    assert not frame or "tungsten" not in frame


def _tap(page, element_id: str) -> None:
    page.evaluate("(id) => { window.krmGraph.cy.getElementById(id).emit('tap'); }", element_id)
    page.wait_for_selector("#info:not([hidden])")


def test_the_graph_info_box_shows_other_iris_as_text(page, hostile_server):
    network = requests.get(hostile_server + "/api/network", timeout=30).json()
    page.goto(hostile_server + "/graph")
    wait_until(page, "window.krmGraph && window.krmGraph.state === 'ready'")
    hostile_node = next(n["data"] for n in network["elements"]["nodes"]
                        if n["data"]["id"].startswith("javascript:"))
    _tap(page, hostile_node["id"])
    assert page.text_content("#info-label") == "Hostile IRI company"
    assert page.is_hidden("#info-link")
    assert not page.get_attribute("#info-link", "href").lower().startswith("javascript:")

    hostile_edge = next(e["data"] for e in network["elements"]["edges"]
                        if any(s.startswith("javascript:") for s in e["data"].get("sources", [])))
    _tap(page, hostile_edge["id"])
    source = next(s for s in hostile_edge["sources"] if s.startswith("javascript:"))
    assert source in page.text_content("#info-data")  # shown, as text
    hrefs = page.eval_on_selector_all("#info-data a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("/", "http://", "https://")) for h in hrefs), hrefs
    assert page.evaluate("window.__pwned") is None
    no_problems(page)
