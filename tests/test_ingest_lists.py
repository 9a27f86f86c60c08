"""The eight lists in the graph: every row of the lists file is an entry of its list with
the elements it names and its source; non-element entries name a commodity; the list's
members and counts come from the entries, while the paper's own counts stay its claims."""

from __future__ import annotations

import csv
from collections import Counter

from ingest_helpers import DATA, select

from kg import store as st
from kg.ingest import lists

PATH = DATA / "critical-mineral-lists" / "critical_mineral_lists.csv"


def table() -> list[dict]:
    with PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_an_entry_with_its_elements_and_source(store):
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?list ?name ?row (GROUP_CONCAT(DISTINCT STR(?el); separator=" ") AS ?els)
               (COUNT(DISTINCT ?src) AS ?sources) ?confidence WHERE {
          ?m a krm:ListMember ; krm:memberOf ?list ; rdfs:label ?name ; krm:sourceRow ?row ;
             krm:confidence ?confidence ; prov:wasDerivedFrom ?src .
          OPTIONAL { ?m krm:coversElement ?el }
        } GROUP BY ?list ?name ?row ?confidence""")
    by_row = {r["row"]: r for r in found}
    rows = table()
    assert len(by_row) == len(rows)
    for line, r in enumerate(rows, start=2):
        got = by_row[line]
        assert got["list"].rsplit("/", 1)[-1] == lists.LISTS[r["list_id"]][0]
        assert got["name"] == " ".join(r["member_as_listed"].split())
        symbols = {s for s in r["element_symbols"].split(";") if s}
        assert {e.rsplit("/", 1)[-1] for e in (got["els"] or "").split()} == symbols
        assert got["sources"] >= 1 and got["confidence"] == r["confidence"]


def test_list_sizes_are_counted_from_the_entries(store):
    counts = Counter(r["list_id"] for r in table())
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT ?list ?n WHERE { ?s a krm:ListSize ; krm:ofList ?list ; krm:itemCount ?n .
          FILTER(STRENDS(STR(?s), "-size-from-entries")) }""")
    assert {r["list"].rsplit("/", 1)[-1]: r["n"] for r in found} == {
        lists.LISTS[k][0]: n for k, n in counts.items()}


def test_non_element_entries_name_a_commodity(store):
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name ?commodity WHERE { ?m krm:coversCommodity ?commodity ; rdfs:label ?name }""")
    names = {r["name"].lower(): r["commodity"].rsplit("/", 1)[-1] for r in found}
    assert names["feldspar"] == "feldspar-and-nepheline-syenite"
    assert names["electrical steel"] == "electrical-steel"
    assert names["natural graphite"] == "graphite-natural"


def test_the_papers_counts_stay_the_papers_claims(store):
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT ?n WHERE { <https://w3id.org/krm/id/claim/us-critical-minerals-fifty>
          krm:itemCount ?n }""")
    assert [r["n"] for r in found] == [50]


def test_korea_56_members_are_the_elements_of_its_entries(store):
    symbols = {s for r in table() if r["list_id"] == "KR_KIRAM_56"
               for s in r["element_symbols"].split(";") if s}
    found = select(store, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT ?list ?m (COUNT(?el) AS ?n) (GROUP_CONCAT(STR(?el)) AS ?els) WHERE {
          ?list skos:member ?m . ?m skos:member* ?el .
          FILTER(STRSTARTS(STR(?el), "https://w3id.org/krm/id/element/")) } GROUP BY ?list ?m""",
                   list=st.NamedNode("https://w3id.org/krm/id/list/korea-rare-metals"))
    elements = {e.rsplit("/", 1)[-1] for r in found for e in r["els"].split()}
    assert elements == symbols and len(symbols) == 56
    groups = {r["m"].rsplit("/", 1)[-1]: r["n"] for r in found if "/group/" in r["m"]}
    assert groups == {"ree": 17, "pgm": 6}  # the list counts each group as one type
