"""Every JSON API error has one shape, ``{"error": ..., "status": ...}``, whatever raised
it: a bad parameter, an unknown path, a wrong method. Pages keep answering HTML."""

from __future__ import annotations

import pytest
import requests


@pytest.mark.parametrize("method,path,params,status", [
    ("GET", "/api/no-such-thing", {}, 404),
    ("GET", "/api/queries/no/such-query", {}, 404),
    ("POST", "/api/queries", {}, 405),
    ("POST", "/api/network", {}, 405),
    ("DELETE", "/api/openapi.json", {}, 405),
    ("GET", "/api/network", {"threshold": "half"}, 400),
    ("GET", "/api/network/disrupt", {"country": "CHN", "fraction": "2"}, 400),
])
def test_api_errors_share_one_json_shape(live_server, method, path, params, status):
    r = requests.request(method, live_server + path, params=params, timeout=30)
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]


def test_a_bad_parameter_names_itself(live_server):
    r = requests.get(live_server + "/api/network", params={"threshold": "half"}, timeout=30)
    assert r.json()["parameter"] == "threshold"


def test_pages_still_answer_html_errors(live_server):
    r = requests.post(live_server + "/", timeout=30)
    assert r.status_code == 405
    assert r.headers["Content-Type"].startswith("text/html")
