"""Every triple of the facts graph has a source, found by the one documented query
(queries/evidence/triple.rq); for the paper, with the claim and its quote."""

from __future__ import annotations

import pyoxigraph as ox
from conftest import ROOT, collapse

from kg import store as st
from kg.namespace import GRAPH_FACTS, PAPER

TRIPLE = (ROOT / "queries" / "evidence" / "triple.rq").read_text(encoding="utf-8")
ID = "https://w3id.org/krm/id/"
#: The walk covers the facts graph (the data graph's 600,000 observation triples take their
#: source from their data set, which tests/test_cube.py and the ingest tests check).
IN_FACTS = {ox.Variable("graph"): ox.NamedNode(GRAPH_FACTS)}


def sources_of(store, subject: str, predicate: str) -> list[dict]:
    subs = {ox.Variable("subject"): ox.NamedNode(subject),
            ox.Variable("predicate"): ox.NamedNode(predicate)}
    return list(st.rows(st.query(store, TRIPLE, substitutions=subs)))


def test_every_fact_triple_has_a_source(store):
    """Walk every triple of the facts graph: the query gives each at least one source."""
    sourced = set()
    for solution in st.query(store, TRIPLE, substitutions=IN_FACTS):
        if solution["source"] is not None:
            sourced.add((solution["subject"], solution["predicate"], solution["object"]))
    facts = list(store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_FACTS)))
    assert len(facts) > 4000
    missing = [q for q in facts if (q.subject, q.predicate, q.object) not in sourced]
    assert not missing, f"{len(missing)} triples without a source, e.g. {missing[:5]}"


def test_paper_sources_come_with_claim_and_quote(store, paper_text):
    # The paper's own record (its sections, authors and journal) is read off the paper itself,
    # not claimed by it.
    rows = [r for r in st.rows(st.query(store, TRIPLE, substitutions=IN_FACTS))
            if r["source"] == PAPER
            and r["via"] != PAPER and not r["via"].startswith(
                tuple(ID + part for part in ("paper/section/", "person/", "journal/")))]
    assert rows
    assert all(r["claim"] and r["quote"] for r in rows), "a paper source without its claim"
    assert all(collapse(r["quote"]) in paper_text for r in rows)


def test_strategy_measures_name_their_own_source(store):
    rows = sources_of(store, ID + "strategy/rare-metal-industry-development-2-0",
                      "https://w3id.org/krm/ontology#hasMeasure")
    by_measure = {}
    for r in rows:
        by_measure.setdefault(r["object"].rsplit("/", 1)[1], set()).add(r["source"])
    assert by_measure["secure-broaden-resource-channels"] == {PAPER}
    assert by_measure["three-layer-safety-net"] == {"https://kiram.re.kr/info/introduce-strategy"}


def test_a_companys_sector_comes_from_the_paper_not_its_spin_off(store):
    (row,) = sources_of(store, ID + "org/lg-energy-solution",
                        "https://w3id.org/krm/ontology#activeInSector")
    assert row["source"] == PAPER and row["claim"].endswith("korea-battery-capacity-share")


def test_a_wikidata_identity_comes_from_wikidata_not_periodictable(store):
    rows = sources_of(store, ID + "element/W", "http://www.w3.org/2002/07/owl#sameAs")
    assert {r["source"] for r in rows} == {"http://www.wikidata.org/entity/Q743"}
    (sym,) = sources_of(store, ID + "element/W", "https://w3id.org/krm/ontology#symbol")
    assert sym["source"] == "https://pypi.org/project/periodictable/"


def test_events_and_survey_figures_reach_the_paper_through_their_claims(store):
    rows = sources_of(store, ID + "event/covid-19-pandemic", "https://w3id.org/krm/ontology#affected")
    assert {r["source"] for r in rows} == {PAPER}
    assert ID + "claim/covid-korea-raw-material-supply" in {r["claim"] for r in rows}
    (row, *_) = sources_of(store, ID + "survey/rare-metal-companies",
                           "https://w3id.org/krm/ontology#smallEnterprisePercent")
    assert row["source"] == PAPER


def test_an_observation_without_its_own_source_takes_its_data_sets(tmp_path):
    """The real-data observations name their data set's release and their file and row."""
    s = ox.Store()
    ex = "https://w3id.org/krm/id/"
    g = ox.NamedNode("https://w3id.org/krm/graph/data/test")
    obs, ds = ox.NamedNode(ex + "observation/x"), ox.NamedNode(ex + "dataset/x")
    doi = ox.NamedNode("https://doi.org/10.0000/example")
    krm = "https://w3id.org/krm/ontology#"
    for t in ((obs, ox.NamedNode("http://purl.org/linked-data/cube#dataSet"), ds),
              (obs, ox.NamedNode(krm + "sourceFile"), ox.Literal("data/x.csv")),
              (obs, ox.NamedNode(krm + "sourceRow"), ox.Literal("7", datatype=ox.NamedNode(
                  "http://www.w3.org/2001/XMLSchema#integer"))),
              (ds, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), doi)):
        s.add(ox.Quad(*t, g))
    rows = list(st.rows(st.query(s, TRIPLE, substitutions={ox.Variable("subject"): obs})))
    assert rows and {(r["source"], r["sourceFile"], r["sourceRow"]) for r in rows} == {
        (doi.value, "data/x.csv", "7")}
