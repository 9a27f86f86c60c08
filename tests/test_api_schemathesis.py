"""Property-based checks of the API against its own OpenAPI document (schemathesis):
no generated request may get a 5xx, and every answer must match the document. Bounded:
a few examples per operation, so the run takes seconds.

Cases are drawn from each operation's hypothesis strategy rather than through
schemathesis' pytest plugin, whose fixture loader does not run under pytest 9."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kg import queries

PATHS = ["/api/queries"] + [f"/api/queries/{name}" for name in queries.published()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(live_server):
    return schemathesis.openapi.from_url(live_server + "/api/openapi.json")


@pytest.mark.parametrize("path", PATHS)
def test_the_api_meets_its_openapi_document(api_schema, live_server, path):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=5, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(base_url=live_server, checks=CHECKS)

    check()
