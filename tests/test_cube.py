"""The W3C RDF Data Cube integrity constraints (section 11 of the recommendation), one ASK
query per file in queries/cube/, hold on the whole built graph: the official data and the
paper's own observations. The linear IC-12 finds a duplicate the way the quadratic one would."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import store as st
from kg.queries import QUERIES

CHECKS = sorted((QUERIES / "cube").glob("ic-*.rq"))


def test_all_21_constraints_are_there():
    assert [p.stem for p in CHECKS] == [f"ic-{n:02d}" for n in range(1, 22)]


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.stem)
def test_the_built_graph_meets_the_constraint(path: Path, store):
    assert bool(st.query(store, path.read_text(encoding="utf-8"))) is False


def test_the_graph_has_observations_in_every_structure(store):
    rows = st.plain_rows(st.query(store, """
        PREFIX qb: <http://purl.org/linked-data/cube#>
        SELECT ?dsd (COUNT(?o) AS ?n) WHERE { ?o qb:dataSet/qb:structure ?dsd } GROUP BY ?dsd"""))
    names = {r["dsd"].rsplit("#", 1)[-1] for r in rows if r["n"] > 0}
    assert {"usgsWorldStructure", "tradeStructure", "governanceStructure",
            "productionShareStructure", "capacityShareStructure"} <= names


DUPLICATE = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:ds a qb:DataSet ; qb:structure ex:dsd .
ex:dsd a qb:DataStructureDefinition ;
  qb:component [ qb:componentProperty ex:a ] , [ qb:componentProperty ex:b ] ,
               [ qb:componentProperty ex:v ] .
ex:a a qb:DimensionProperty ; rdfs:range rdfs:Resource .
ex:b a qb:DimensionProperty ; rdfs:range rdfs:Resource .
ex:v a qb:MeasureProperty .
ex:o1 a qb:Observation ; qb:dataSet ex:ds ; ex:a ex:x ; ex:b ex:y ; ex:v 1 .
ex:o2 a qb:Observation ; qb:dataSet ex:ds ; ex:b ex:y ; ex:a ex:x ; ex:v 2 .
ex:o3 a qb:Observation ; qb:dataSet ex:ds ; ex:a ex:x ; ex:b ex:z ; ex:v 3 .
"""


def small_store(turtle: str):
    s = st.Store()
    s.load(turtle.encode(), format=st.RdfFormat.TURTLE)
    return s


def test_ic12_finds_a_duplicate_and_passes_without_it():
    ic12 = (QUERIES / "cube" / "ic-12.rq").read_text(encoding="utf-8")
    assert bool(st.query(small_store(DUPLICATE), ic12)) is True
    unique = DUPLICATE.replace("ex:o2 a qb:Observation ; qb:dataSet ex:ds ; ex:b ex:y ;",
                               "ex:o2 a qb:Observation ; qb:dataSet ex:ds ; ex:b ex:w ;")
    assert bool(st.query(small_store(unique), ic12)) is False


def test_ic14_finds_an_observation_without_its_measure():
    ic14 = (QUERIES / "cube" / "ic-14.rq").read_text(encoding="utf-8")
    missing = DUPLICATE.replace("ex:b ex:z ; ex:v 3 .", "ex:b ex:z .")
    assert bool(st.query(small_store(missing), ic14)) is True
