"""Where :class:`kg.service.local.LocalStore` runs a query: on a query thread, where the
request can give up on it at the time limit, unless it is known to be cheap."""

from __future__ import annotations

import pytest

from kg import store as st
from kg.service import QueryRequest, TimeLimitExceeded
from kg.service.local import LocalStore

JSON = "application/sparql-results+json"
TWO_PATTERNS = ("SELECT ?s { ?s a <https://w3id.org/krm/ontology#ChemicalElement> ; "
                "<https://w3id.org/krm/ontology#symbol> ?symbol }")
EVERYTHING = "SELECT * { ?s a ?c . ?s ?p ?o }"


@pytest.fixture(scope="module")
def copy(store):
    """The built graph copied into memory once (it holds the official data: ~600k quads)."""
    return st.in_memory(store, 5_000_000)


@pytest.fixture
def backend(copy):
    """The built graph's store, with a count of the queries handed to query threads."""
    local = LocalStore(copy)
    local.handed = 0
    dispatch = local._dispatch

    def counting(channel, req):
        local.handed += 1
        dispatch(channel, req)

    local._dispatch = counting
    return local


def answer(backend: LocalStore, text: str, timeout: float = 30) -> bytes:
    return b"".join(backend.run(QueryRequest(text, JSON, None), timeout).chunks)


def test_a_query_seen_to_be_cheap_runs_on_the_request_thread(backend):
    first = answer(backend, TWO_PATTERNS)
    assert backend.handed == 1
    assert answer(backend, TWO_PATTERNS) == first
    assert backend.handed == 1


def test_a_query_cheap_only_against_a_longer_limit_still_goes_to_a_thread(backend):
    answer(backend, TWO_PATTERNS)
    with pytest.raises(TimeLimitExceeded):  # a thread, so the request could give up
        answer(backend, TWO_PATTERNS, timeout=1e-6)
    assert backend.handed == 2


def test_other_requests_are_other_queries(backend):
    answer(backend, TWO_PATTERNS)
    b"".join(backend.run(QueryRequest(TWO_PATTERNS, "text/csv", None), 30).chunks)
    answer(backend, TWO_PATTERNS + " LIMIT 5")
    assert backend.handed == 3


def test_a_result_too_big_for_one_piece_streams_from_a_thread(store):
    backend = LocalStore(store)
    for _ in range(2):
        assert len(answer(backend, EVERYTHING)) > 64 * 1024
    assert not backend._costs  # never answered whole, never taken for cheap
