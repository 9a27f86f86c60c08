"""Every query of the library: its header parses, its text parses (with pyoxigraph and,
independently, rdflib), it runs on the real graph, and it returns the variables it
declares; a published query also returns rows with its default parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from kg import queries
from kg import store as st
from kg.namespace import PREFIXES

FILES = sorted(queries.QUERIES.rglob("*.rq"))


def test_the_library_covers_the_papers_questions():
    published = queries.published()
    assert len(published) >= 25
    areas = {name.split("/")[0] for name in published}
    assert {"production", "lists", "law", "strategy", "supply", "circular",
            "evidence"} <= areas


# A value to run an internal query with when its header gives none.
STAND_IN = {"iri": "id:country/KOR", "literal": "Korea", "language": "en", "number": "1",
            "integer": "1", "year": "2022"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(queries.QUERIES).as_posix())
def test_each_query_parses_runs_and_returns_its_declared_variables(path: Path, store):
    q = queries.load(path)
    assert q.summary and len(q.summary) < 100, "a one-line summary"
    published = q.name in queries.published()
    if published:
        assert q.description, "a published query says what it answers"
    parsed = prepareQuery(q.text, initNs=PREFIXES)
    declared = [str(v) for v in parsed.algebra["PV"]] if q.form == "SELECT" else []
    assert declared == list(q.variables)
    values = {}
    for p in q.params:
        if p.default is None and (p.example or p.required):
            assert p.example or not published, (
                f"{q.name}: give {p.name!r} a default or an example, or mark the query "
                "'internal: true'")
            values[p.name] = p.example or (p.enum[0] if p.enum else STAND_IN[p.type])
    results = q.run(store, values)
    if q.form != "SELECT":
        return
    assert [v.value for v in results.variables] == declared
    rows = st.plain_rows(results)
    if published:
        assert rows, f"{q.name} returns nothing on the real graph with its defaults"
        assert all(set(row) == set(declared) for row in rows)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(queries.QUERIES).as_posix())
def test_each_parameter_is_documented(path: Path):
    q = queries.load(path)
    if q.name not in queries.published():
        return
    for p in q.params:
        assert p.description, f"{q.name}: parameter {p.name!r} needs a description"


# Queries whose IRI parameters widen on purpose (a union of two lists).
UNIONS = {"lists/compare"}


@pytest.mark.parametrize("name", sorted(set(queries.published()) - UNIONS))
def test_an_iri_that_names_nothing_matches_nothing(name: str, store):
    """Each IRI parameter restricts the rows: a parameter left in an OPTIONAL block, or
    tested with BOUND(), would let every row through."""
    q = queries.published()[name]
    for p in q.params:
        if p.type == "iri":
            rows = st.plain_rows(q.run(store, {p.name: "https://w3id.org/krm/id/none"}))
            assert rows == [], f"{name}: {p.name} does not restrict the rows"
