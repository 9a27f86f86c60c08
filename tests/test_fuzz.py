"""Property-based fuzzing of every public surface, in process: generated queries, nesting,
parameters, paths and headers against /sparql, /sparql/update (with the token), the graph
store, the page routes and /api. No answer may be a 5xx other than a time limit's 503,
none may carry a traceback or an internal path, and the app answers afterwards.

Bounded and derandomized (the same examples on every run); ``KRM_FUZZ_EXAMPLES`` raises
the count for a longer hunt.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import create_app

EXAMPLES = int(os.environ.get("KRM_FUZZ_EXAMPLES", "60"))
TOKEN = "fuzz-token"
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
#: Text that must never reach a client: a traceback, or where the code or store lives.
LEAKS = ("Traceback (most recent call last)", str(Path(__file__).resolve().parents[1]),
         "site-packages", sys.prefix)
STATUSES: Counter = Counter()

def _header_value(value: str) -> str:
    """What HTTP can carry in a header: latin-1, no line breaks."""
    value = value.encode("latin-1", "replace").decode("latin-1")
    return "".join(c for c in value if c not in "\r\n\x00")


FRAGMENTS = [
    "SELECT", "*", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]",
    "?s", "?p", "?o", "$x", ".", ";", ",", "a", "<https://w3id.org/krm/id/element/W>",
    "<rel>", "<javascript:alert(1)>", "<http://127.0.0.1:9/x>", "krm:symbol",
    "PREFIX krm: <https://w3id.org/krm/ontology#>", "BASE <http://b/>", "FILTER", "BIND",
    "AS", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "SILENT", "LOAD", "VALUES",
    "COUNT(*)", "GROUP BY", "ORDER BY", "LIMIT 3", "OFFSET 1", "!", "^", "|", "/", "+",
    "1", "-1.5e3", '"W"', '"x"@ko', "'''a\nb'''", '"\\u0053ERVICE"', "\\u0053ERVICE",
    "#", "\r", "\n", " ", "\t", "true", "<http://example/f>(1)", "REGEX(?o, '(a+)+$')",
    "STRLEN", "CONCAT", "FROM <urn:x>", "FROM NAMED <urn:y>", "INSERT DATA", "DELETE",
    "CLEAR ALL", "DROP SILENT GRAPH <urn:g>", "\x00", "\ud7ff", "%FF", "é", "中",
]
fragments = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join)
nested = st.builds(lambda form, opener, n: form + opener * n + ({"{": "}", "(": ")", "[": "]",
                                                                 "!": ""}[opener]) * n,
                   st.sampled_from(["SELECT * ", "ASK ", "SELECT * { FILTER", ""]),
                   st.sampled_from(["{", "(", "[", "!"]), st.integers(0, 6000))
queries = st.one_of(fragments, nested, st.text(max_size=200))
headers = st.fixed_dictionaries({}, optional={
    "Accept": st.one_of(st.sampled_from([
        "*/*", "text/csv", "application/sparql-results+json", "text/turtle;q=0.5, */*;q=0.1",
        "application/ld+json", "text/html", "image/png", "text/turtle; charset=utf-8",
        "application/sparql-results+xml;q=x", ""]), st.text(max_size=40)),
    "Accept-Encoding": st.sampled_from(["gzip", "identity", "br", "*", "gzip;q=0"]),
    "Accept-Language": st.sampled_from(["ko", "en", "xx", "ko-KR,ko;q=0.9", "*"]),
    "If-None-Match": st.text(max_size=20),
    "Content-Type": st.sampled_from([
        "application/sparql-query", "application/sparql-update",
        "application/x-www-form-urlencoded", "text/plain", "application/json",
        "application/sparql-query; charset=latin-1", "multipart/form-data"]),
}).map(lambda h: {k: _header_value(v) for k, v in h.items()})
methods = st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
params = st.dictionaries(
    st.sampled_from(["query", "update", "default-graph-uri", "named-graph-uri", "format",
                     "graph", "default", "lang", "page", "sort", "order", "q", "country",
                     "commodity", "x"]),
    st.one_of(queries, st.text(max_size=30)), max_size=4)


@pytest.fixture(scope="module")
def client(store_link, tmp_path_factory):
    """The app over a copy of the built store, updates on, with a short time limit."""
    copy = tmp_path_factory.mktemp("fuzz") / "store"
    shutil.copytree(store_link.resolve(), copy)
    app = create_app({"STORE": str(copy), "SPARQL_UPDATE_TOKEN": TOKEN,
                      "SPARQL_TIME_LIMIT": 3, "TESTING": False})
    with app.test_client() as client:
        yield client
    from server.db import get_backend

    get_backend(app).close()
    print(f"\nfuzz statuses: {dict(sorted(STATUSES.items()))}")


def check(response) -> None:
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "deflate":
        data = zlib.decompress(data)
    body = data.decode("utf-8", "replace")
    STATUSES[response.status_code] += 1
    assert response.status_code < 500 or (
        response.status_code == 503 and "time limit" in body), (response.status_code, body)
    for leak in LEAKS:
        assert leak not in body, body
    response.close()


@FUZZ
@given(method=methods, query=queries, extra=params, hdrs=headers)
def test_sparql_endpoint(client, method, query, extra, hdrs):
    if method in ("GET", "HEAD"):
        r = client.open("/sparql", method=method, query_string={"query": query, **extra},
                        headers=hdrs)
    elif hdrs.get("Content-Type", "").startswith("application/sparql"):
        r = client.open("/sparql", method=method, data=query.encode("utf-8", "surrogatepass"),
                        query_string=extra, headers=hdrs)
    else:
        hdrs.pop("Content-Type", None)
        r = client.open("/sparql", method=method, data={"query": query, **extra}, headers=hdrs)
    check(r)


@FUZZ
@given(update=queries, extra=params, hdrs=headers, token=st.sampled_from([TOKEN, "", "x"]))
def test_update_endpoint(client, update, extra, hdrs, token):
    hdrs.pop("Content-Type", None)
    r = client.post("/sparql/update", data={"update": update, **extra},
                    headers={**hdrs, "Authorization": f"Bearer {token}"})
    check(r)


@FUZZ
@given(method=methods, extra=params, hdrs=headers)
def test_graph_store(client, method, extra, hdrs):
    check(client.open("/sparql/graph", method=method, query_string=extra, headers=hdrs))


keys = st.one_of(st.sampled_from([
    "element/W", "country/CHN", "a b", "a%20b", "a\\b", "%FF", "a<b", "a%3Cb", "a\"b", "{x}",
    "..", "../../etc/passwd", "element/W.ttl", "x" * 3000]), st.text(max_size=40))


@FUZZ
@given(route=st.sampled_from(["/page/", "/id/", "/data/", "/class/", "/api/queries/",
                              "/search?q=", "/"]),
       key=keys, suffix=st.sampled_from(["", ".ttl", ".jsonld", ".nt", ".rdf", ".html", "/"]),
       method=methods, hdrs=headers)
def test_pages_and_api(client, route, key, suffix, method, hdrs):
    hdrs.pop("Content-Type", None)
    if route.endswith("="):
        r = client.open(route.split("?")[0], method=method, query_string={"q": key},
                        headers=hdrs)
    else:
        r = client.open(route + key + suffix, method=method, headers=hdrs)
    check(r)


def test_the_app_answers_afterwards(client):
    r = client.get("/sparql", query_string={"query": "ASK {}"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.get_json()["boolean"] is True
    assert client.get("/page/element/W").status_code == 200
