"""Pages link only to http(s) IRIs: a stored ``javascript:`` or ``data:`` IRI (an
``rdfs:seeAlso``, a ``prov:wasDerivedFrom``, an evidence source, a resource's own IRI) is
shown as text on resource, claim, observation, class and search pages. Every response is
``nosniff``; every HTML response sends the Content-Security-Policy, X-Frame-Options and
Referrer-Policy; no page has an inline script or event handler. In-process (Flask test
client) over tests/data/hostile.ttl added to the fixture graph."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from server import create_app

HOSTILE_PAGES = ["/page/org/hostile", "/page/org/hostile?lang=ko", "/page/claim/hostile",
                 "/page/observation/hostile-kor-nd", "/page/element/Nd", "/page/country/KOR",
                 "/class/Company", "/search?q=hostile&go=0", "/search?q=Hostile+IRI+company"]
#: The stored IRIs that are no web address (tests/data/hostile.ttl).
HOSTILE_IRIS = {
    "/page/org/hostile": ["javascript:window.__pwned=3", "javascript:window.__pwned=5",
                          "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD00PC9zY3JpcHQ+"],
    "/page/claim/hostile": ["javascript:window.__pwned=6", "javascript:window.__pwned=7"],
    "/page/observation/hostile-kor-nd": ["javascript:window.__pwned=8"],
    "/page/element/Nd": ["javascript:window.__pwned=8"],
}
HTML_PAGES = ["/", "/page/element/W", "/page/ontology", "/class/Company", "/search?q=tungsten&go=0",
              "/dataset", "/dumps/", "/query", "/graph", "/api/docs", "/sparql",
              "/page/no/such/thing", "/no-such-path", "/page/a%20b"]
DATA = ["/data/element/W.ttl", "/data/element/W.jsonld", "/api/queries", "/api/network",
        "/sparql?query=ASK%7B%7D", "/static/graph/graph.js", "/dataset.ttl", "/healthz",
        "/api/no-such-thing"]
POLICY = ["script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]
BROWSER = {"Accept": "text/html"}


class Markup(HTMLParser):
    """Every link target, script and event-handler attribute of a page."""

    def __init__(self):
        super().__init__()
        self.targets, self.scripts, self.handlers = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action", "formaction"):
            if attrs.get(name) is not None:
                self.targets.append(attrs[name])
        if tag == "script":
            self.scripts.append(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]


def markup(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def client(hostile_link):
    return create_app({"STORE": str(hostile_link)}).test_client()


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_only_http_iris_become_links(client, path):
    r = client.get(path, headers=BROWSER)
    assert r.status_code == 200
    for target in markup(r.get_data(as_text=True)).targets:
        assert target.startswith(("/", "#", "?", "http://", "https://", "data:,")), target


@pytest.mark.parametrize("path, iris", HOSTILE_IRIS.items())
def test_other_iris_are_shown_as_text(client, path, iris):
    html = client.get(path, headers=BROWSER).get_data(as_text=True)
    for iri in iris:
        assert iri in html  # shown: a reader sees what the graph says
        assert f'href="{iri}"' not in html


def test_a_search_never_sends_a_browser_to_a_javascript_iri(client):
    r = client.get("/search?q=Hostile+IRI+company", headers=BROWSER)
    assert r.status_code == 200 and "Location" not in r.headers
    hit = client.get("/search?q=Hostile+IRI+company", headers={"Accept": "application/json"})
    assert [h["page"] for h in hit.get_json()["hits"]
            if h["iri"].startswith("javascript:")] == [None]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_response_sends_the_policy(client, path):
    r = client.get(path, headers=BROWSER)
    assert r.mimetype == "text/html", r.status_code
    csp = r.headers["Content-Security-Policy"]
    for directive in POLICY:
        assert directive in csp.split("; ")
    assert "unsafe-eval" not in csp and "script-src 'self' " not in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", HTML_PAGES + HOSTILE_PAGES)
def test_no_page_has_an_inline_script_or_handler(client, path):
    page = markup(client.get(path, headers=BROWSER).get_data(as_text=True))
    for script in page.scripts:  # a file of ours, or data the page's script reads
        assert script.get("src", "").startswith("/static/") or \
            script.get("type") == "application/json", script
    assert page.handlers == []


@pytest.mark.parametrize("path", DATA)
def test_every_response_is_nosniff(client, path):
    r = client.get(path)
    assert r.headers["X-Content-Type-Options"] == "nosniff", r.status_code


def test_a_post_error_and_a_json_error_are_nosniff_too(client):
    assert client.post("/").headers["X-Content-Type-Options"] == "nosniff"
    r = client.get("/page/a%20b", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.headers["X-Content-Type-Options"] == "nosniff"
