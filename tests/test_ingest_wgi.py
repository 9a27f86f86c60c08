"""WGI in the graph: one observation per country and year, with the file's estimate,
standard error and percentile rank; the units say how the indicator is scaled."""

from __future__ import annotations

from decimal import Decimal

import pytest
from ingest_helpers import DATA, rows, select

from kg import store as st
from kg.ingest import IngestError, Report, wgi

PATH = DATA / "wgi" / "wgi_political_stability.csv"
VALUES = """
PREFIX krm: <https://w3id.org/krm/ontology#>
SELECT ?area ?year (STR(?e) AS ?estimate) (STR(?s) AS ?se) (STR(?p) AS ?pct) WHERE {
  ?o krm:refArea ?area ; krm:refYear ?year ;
     krm:wgiEstimate ?e ; krm:wgiStandardError ?s ; krm:wgiPercentileRank ?p }"""


def test_sampled_rows_are_in_the_graph(store):
    table = rows(PATH)
    header = table[0]
    for line in range(2, len(table) + 1, 97):
        r = dict(zip(header, table[line - 1], strict=True))
        found = select(store, VALUES,
                       area=st.NamedNode(f"https://w3id.org/krm/id/country/{r['iso3']}"),
                       year=st.Literal(r["year"], datatype=st.NamedNode(
                           "http://www.w3.org/2001/XMLSchema#gYear")))
        assert len(found) == 1, line
        assert Decimal(found[0]["estimate"]) == Decimal(r["estimate"])
        assert Decimal(found[0]["se"]) == Decimal(r["std_error"])
        assert Decimal(found[0]["pct"]) == Decimal(r["percentile_rank"])


def test_one_observation_per_row_and_the_scale_is_stated(store):
    n = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT (COUNT(?o) AS ?n) WHERE { ?o krm:wgiEstimate [] }""")[0]["n"]
    assert n == len(rows(PATH)) - 1
    units = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT ?m ?u WHERE { VALUES ?m { krm:wgiEstimate krm:wgiPercentileRank }
          ?m <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?u }""")
    assert {r["m"].rsplit("#")[-1]: r["u"].rsplit("/")[-1] for r in units} == {
        "wgiEstimate": "UNITLESS", "wgiPercentileRank": "PERCENT"}


def test_a_value_that_is_not_a_number_names_the_row():
    header = ["iso3", "country", "year", "estimate", "std_error", "num_sources",
              "percentile_rank", "lower", "upper"]
    with pytest.raises(IngestError, match=r"wgi_political_stability.csv:3: estimate: not a"):
        wgi.observations([header, ["KOR", "K", "2022", "0.5", "0.1", "9", "60", "1", "2"],
                          ["KOR", "K", "2023", "high", "0.1", "9", "60", "1", "2"]],
                         Report(), set())
