"""Keys that make no valid IRI (a space, ``<``, a backslash, a byte that is not UTF-8, a
control character, a key longer than any of ours) are a 404 in the one error shape on
every route that takes a key, never a 500; IRI parameters of the API are a 400 naming
the parameter. In-process, with the Flask test client over the fixture graph."""

from __future__ import annotations

import pytest

from kg import queries
from server import create_app, urls

#: Percent-encoded in the path as a client sends them; each decodes to a character (or a
#: byte) that an IRI cannot hold.
BAD_KEYS = ["a%20b", "a%5Cb", "%FF", "a%3Cb", "a%3Eb", "a%22b", "a%7Bb", "a%7Db", "a%5Eb",
            "a%60b", "a%7Cb", "a%00b", "a%0Ab", "a%09b", "a%7Fb", "element/W%20", "%C2%85",
            "a%25zz", "x" * (urls.MAX_KEY_LENGTH + 1)]
#: Every route that takes a key or a term name, with where the key goes.
ROUTES = ["/page/{}", "/id/{}", "/data/{}.ttl", "/data/{}.jsonld", "/class/{}"]
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def client(fixture_link):
    return create_app({"STORE": str(fixture_link)}).test_client()


def _ids(value: str) -> str:
    return value if len(value) < 20 else f"{value[:5]}...({len(value)})"


@pytest.mark.parametrize("key", BAD_KEYS, ids=_ids)
@pytest.mark.parametrize("route", ROUTES)
def test_a_key_that_makes_no_iri_is_a_404_page_for_browsers(client, route, key):
    r = client.get(route.format(key), headers=BROWSER)
    assert r.status_code == 404
    assert r.content_type.startswith("text/html")
    text = r.get_data(as_text=True)
    assert "Not Found" in text
    assert "Traceback" not in text and "ValueError" not in text


@pytest.mark.parametrize("key", BAD_KEYS, ids=_ids)
@pytest.mark.parametrize("route", ROUTES)
def test_a_key_that_makes_no_iri_is_a_json_404_for_json_clients(client, route, key):
    r = client.get(route.format(key), headers=JSON)
    assert r.status_code == 404
    assert r.content_type.startswith("application/json")
    body = r.get_json()
    assert body["status"] == 404 and body["error"]


@pytest.mark.parametrize("accept", [None, "text/turtle", "*/*"])
def test_any_client_gets_a_404_not_a_500(client, accept):
    for route in ROUTES:
        for key in BAD_KEYS:
            r = client.get(route.format(key), headers={"Accept": accept} if accept else {})
            assert r.status_code == 404, (route, key)


def test_an_unknown_but_valid_key_keeps_its_page_and_answers_json_clients_alike(client):
    page = client.get("/page/org/kitec", headers=BROWSER)
    assert page.status_code == 404 and "/page/org/kitech" in page.get_data(as_text=True)
    r = client.get("/page/org/kitec", headers=JSON)
    assert r.status_code == 404
    assert r.get_json() == {"error": f"no resource <{urls.iri_of('org/kitec')}> in the graph",
                            "status": 404}


def test_valid_keys_still_reach_their_pages(client):
    assert client.get("/page/element/W", headers=BROWSER).status_code == 200
    assert client.get("/id/element/W", headers=BROWSER).status_code == 303
    assert client.get("/data/element/W.ttl").status_code == 200
    assert client.get("/class/Company", headers=BROWSER).status_code == 200
    with client.application.test_request_context():
        assert urls.page_url(urls.iri_of("element/W")) == "/page/element/W"


def test_a_wrong_method_keeps_its_allow_header_for_json_clients(client):
    r = client.post("/page/element/W", headers=JSON)
    assert r.status_code == 405 and r.get_json()["status"] == 405
    assert "GET" in r.headers["Allow"]


def _iri_params():
    for q in queries.published().values():
        for p in q.params:
            if p.type == "iri":
                yield q.name, p.name


@pytest.mark.parametrize("bad", ["id:a b", "id:a<b", "id:a\\b", "id:\ufffd", "<a b>",
                                 "id:a\x00b", "id:" + "x" * 5000], ids=_ids)
@pytest.mark.parametrize("name, param", list(_iri_params()))
def test_api_iri_parameters_refuse_what_makes_no_iri(client, name, param, bad):
    r = client.get(f"/api/queries/{name}", query_string={param: bad})
    assert r.status_code == 400
    body = r.get_json()
    assert body["status"] == 400 and f"'{param}'" in body["error"]
