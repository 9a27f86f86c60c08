"""The REST API of named queries, driven over HTTP against the real server."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import requests
from openapi_spec_validator import validate

from kg import queries

SHARES = "/api/queries/production/shares"


def get(base: str, path: str, **kw) -> requests.Response:
    return requests.get(base + path, timeout=30, **kw)


def test_the_library_lists_every_published_query_with_its_parameters(live_server):
    r = get(live_server, "/api/queries")
    assert r.status_code == 200
    listed = {q["name"]: q for q in r.json()["queries"]}
    assert set(listed) == set(queries.published())
    shares = listed["production/shares"]
    assert shares["summary"] == "Production shares of a commodity"
    assert shares["url"] == SHARES
    assert [p["name"] for p in shares["params"]] == ["commodity"]
    assert shares["params"][0]["type"] == "iri"
    assert get(live_server, shares["url"]).status_code == 200
    assert get(live_server, r.json()["openapi"]).status_code == 200


def test_a_query_answers_plain_json_rows_by_default(live_server):
    r = get(live_server, SHARES, params={"commodity": "id:element/W"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    rows = r.json()
    assert isinstance(rows, list) and rows
    paper = [row for row in rows if row["fromPaper"]]
    assert [(row["producerLabel"], row["share"]) for row in paper] == [("China", 83)]


def test_the_same_rows_in_every_format(live_server):
    params = {"commodity": "id:element/W"}
    rows = get(live_server, SHARES, params=params).json()

    as_csv = get(live_server, SHARES, params={**params, "format": "csv"})
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == len(rows)

    srj = get(live_server, SHARES, params=params,
              headers={"Accept": "application/sparql-results+json"})
    assert srj.headers["Content-Type"].startswith("application/sparql-results+json")
    assert len(srj.json()["results"]["bindings"]) == len(rows)

    srx = get(live_server, SHARES, params={**params, "format": "srx"})
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert len(ET.fromstring(srx.content).findall(".//s:result", ns)) == len(rows)

    tsv = get(live_server, SHARES, params=params,
              headers={"Accept": "text/tab-separated-values"})
    assert len(tsv.text.strip().splitlines()) == len(rows) + 1


@pytest.mark.parametrize("accept, expected", [
    ("text/csv;q=0.9, application/json;q=0.5", "text/csv"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/json"),
    ("*/*", "application/json"),
])
def test_the_accept_header_chooses_the_format(live_server, accept, expected):
    r = get(live_server, SHARES, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(expected)


def assert_error(r: requests.Response, status: int, *words: str) -> None:
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error", "status"}
    assert body["status"] == status
    for word in words:
        assert word in body["error"]


def test_an_unknown_query_is_a_404(live_server):
    assert_error(get(live_server, "/api/queries/production/no-such-query"), 404,
                 "production/no-such-query")
    assert_error(get(live_server, "/api/no-such-page"), 404, "/api/queries")


@pytest.mark.parametrize("params, words", [
    ({"commodity": "tungsten"}, ["'commodity'", "expects an IRI"]),
    ({"colour": "red"}, ["unknown parameter 'colour'", "commodity"]),
    ({"format": "pdf"}, ["unknown format 'pdf'"]),
])
def test_a_bad_parameter_is_a_400_that_names_it(live_server, params, words):
    status = 406 if "format" in params else 400
    assert_error(get(live_server, SHARES, params=params), status, *words)


def test_a_number_out_of_range_is_a_400_that_says_the_range(live_server):
    r = get(live_server, "/api/queries/production/dominant-producers",
            params={"min_share": "150"})
    assert_error(r, 400, "'min_share'", "from 0 to 100")


def test_a_parameter_given_twice_is_a_400(live_server):
    r = get(live_server, SHARES + "?commodity=id:element/W&commodity=id:element/Co")
    assert_error(r, 400, "'commodity'", "2 times")


def test_an_unmet_accept_header_is_a_406(live_server):
    assert_error(get(live_server, SHARES, headers={"Accept": "image/png"}), 406, "text/csv")


def test_an_optional_parameter_left_empty_means_all(live_server):
    everything = get(live_server, SHARES).json()
    assert get(live_server, SHARES, params={"commodity": ""}).json() == everything
    assert len({row["commodity"] for row in everything}) > 1


ATTACKS = [
    '"} UNION { ?s ?p ?o',
    "> } ; DROP ALL ; <",
    "id:element/W> } UNION { ?s ?p ?o . <x:y",
    "' OR '1'='1",
    '"""',
    "tungsten\n} UNION { ?s ?p ?o }",
    "W\r\nX-Injected: 1",
    "x" * 3000,
    "x" * 20000,
]


def _published_params():
    for q in queries.published().values():
        for p in q.params:
            yield q, p


@pytest.mark.parametrize("q, p", list(_published_params()),
                         ids=lambda x: getattr(x, "name", ""))
def test_injection_attempts_are_rejected_or_inert(live_server, store, q, p):
    """An attack either gets a 400 naming the parameter, or runs as a plain value that
    matches no more rows than a value that matches nothing."""
    url = f"/api/queries/{q.name}"
    nothing = {"iri": "https://w3id.org/krm/id/none", "literal": "zz-no-such-text",
               "language": "xx"}.get(p.type)
    baseline = len(get(live_server, url, params={p.name: nothing}).json()) if nothing else 0
    before = store_size(store)
    for attack in ATTACKS:
        r = get(live_server, url, params={p.name: attack})
        if r.status_code == 414:  # the server's request-line limit, before the app
            assert len(attack) > 4000
        elif r.status_code == 400:
            assert f"'{p.name}'" in r.json()["error"]
        else:
            assert r.status_code == 200, (attack, r.text[:200])
            assert len(r.json()) <= baseline, f"{attack!r} widened {q.name}"
    assert store_size(store) == before


def store_size(store) -> int:
    return len(store)


def test_the_openapi_document_validates_and_describes_every_query(live_server):
    doc = get(live_server, "/api/openapi.json").json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    for name, q in queries.published().items():
        op = doc["paths"][f"/api/queries/{name}"]["get"]
        assert op["summary"] == q.summary
        names = [p["name"] for p in op["parameters"]]
        assert names == [p.name for p in q.params] + ["format"]
    dominant = doc["paths"]["/api/queries/production/dominant-producers"]["get"]
    min_share = dominant["parameters"][0]["schema"]
    assert (min_share["type"], min_share["minimum"], min_share["maximum"]) == ("number", 0, 100)


def test_the_docs_page_renders_every_query_and_links_its_data(live_server):
    r = get(live_server, "/api/docs")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert 'rel="alternate"' in r.headers["Link"]
    assert '<link rel="alternate" type="application/openapi+json"' in r.text
    for name, q in queries.published().items():
        assert f'id="{name}"' in r.text
        assert json.dumps(q.summary)[1:-1].replace("'", "&#39;") in r.text


def test_an_empty_optional_parameter_is_documented_as_not_given(live_server):
    """The server reads ?country= as "not given" (an empty form field); the OpenAPI
    document must say so, or schema-driven clients and the server disagree."""
    doc = requests.get(live_server + "/api/openapi.json", timeout=30).json()
    optional = [p for op in doc["paths"].values() for p in op["get"].get("parameters", [])
                if not p["required"] and p["name"] != "format"]
    assert optional and all(p.get("allowEmptyValue") for p in optional)
    path = next(path for path, op in doc["paths"].items()
                if any(not p["required"] and p["name"] != "format"
                       for p in op["get"].get("parameters", [])))
    name = next(p["name"] for p in doc["paths"][path]["get"]["parameters"]
                if not p["required"] and p["name"] != "format")
    full = requests.get(live_server + path, timeout=30)
    empty = requests.get(live_server + path, params={name: ""}, timeout=30)
    assert empty.status_code == full.status_code == 200
    assert empty.json() == full.json()
