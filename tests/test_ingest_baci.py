"""BACI in the graph: for a sample of rows of both files, the observation for that partner,
product, year and flow has the row's value and quantity; every row is one observation;
every HS code is a product with a stage and the elements its description names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from ingest_helpers import DATA, number, rows, select

from kg import store as st
from kg.ingest import IngestError, Report, baci

XSD = "http://www.w3.org/2001/XMLSchema#"
FLOWS = {"import": ("baci_korea_imports_by_partner.csv", "exporter_iso3"),
         "export": ("baci_korea_exports_by_partner.csv", "importer_iso3")}
CELL = """
PREFIX krm: <https://w3id.org/krm/ontology#>
SELECT ?flow ?product ?year ?partner (STR(?v) AS ?value) (STR(?q) AS ?quantity) ?row WHERE {
  ?o krm:flow ?flow ; krm:tradedProduct ?product ; krm:refYear ?year ;
     krm:reporter <https://w3id.org/krm/id/country/KOR> ; krm:partner ?partner ;
     krm:tradeValue ?v ; krm:tradeQuantity ?q ; krm:sourceRow ?row .
}"""


def partner_iri(code: str) -> str:
    aliases = {"S19": "area/other-asia-nes", "ANT": "area/netherlands-antilles",
               "SCG": "area/serbia-and-montenegro", "PUS": "area/us-misc-pacific-islands",
               "R20": "area/europe-efta-nes", "ZA1": "area/southern-african-customs-union"}
    return "https://w3id.org/krm/id/" + aliases.get(code, f"country/{code}")


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_sampled_rows_are_in_the_graph(flow, store):
    name, partner_col = FLOWS[flow]
    table = rows(DATA / "baci-korea" / name)
    header = table[0]
    for line in range(2, len(table) + 1, 397):
        r = dict(zip(header, table[line - 1], strict=True))
        found = select(store, CELL, flow=st.NamedNode(f"https://w3id.org/krm/id/flow/{flow}"),
                       product=st.NamedNode(f"https://w3id.org/krm/id/product/hs92/{r['hs6_hs92']}"),
                       year=st.Literal(r["year"], datatype=st.NamedNode(XSD + "gYear")),
                       partner=st.NamedNode(partner_iri(r[partner_col])))
        assert len(found) == 1, (name, line)
        assert Decimal(found[0]["value"]) == number(r["value_kusd"])
        if r["quantity_t"].strip():
            assert Decimal(found[0]["quantity"]) == number(r["quantity_t"])
        else:
            assert found[0]["quantity"] == "NaN"
        assert found[0]["row"] == line


def test_every_row_is_one_observation(store):
    n_rows = sum(len(rows(DATA / "baci-korea" / name)) - 1 for name, _ in FLOWS.values())
    n = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT (COUNT(?o) AS ?n) WHERE { ?o krm:tradeValue [] }""")[0]["n"]
    assert n == n_rows


def test_lithium_carbonate_imports_2024_by_partner_match_the_file(store):
    name, col = FLOWS["import"]
    table = rows(DATA / "baci-korea" / name)
    header = table[0]
    by_partner = {}
    for r in table[1:]:
        d = dict(zip(header, r, strict=True))
        if d["hs6_hs92"] == "283691" and d["year"] == "2024":
            by_partner[partner_iri(d[col])] = number(d["value_kusd"])
    assert by_partner, "the file has Korea's lithium carbonate imports in 2024"
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT ?partner (STR(?v) AS ?value) WHERE {
          ?o krm:flow <https://w3id.org/krm/id/flow/import> ;
             krm:tradedProduct <https://w3id.org/krm/id/product/hs92/283691> ;
             krm:refYear "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
             krm:partner ?partner ; krm:tradeValue ?v }""")
    assert {r["partner"]: Decimal(r["value"]) for r in found} == by_partner


def test_every_hs_code_is_a_product_with_one_stage(store):
    codes = {r[0] for r in rows(DATA / "baci-korea" / "hs6_codes.csv")[1:]}
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?code (COUNT(?stage) AS ?n) WHERE {
          ?p a krm:Product ; skos:notation ?code ; krm:productStage ?stage } GROUP BY ?code""")
    assert {r["code"] for r in found} == codes
    assert all(r["n"] == 1 for r in found)


@pytest.mark.parametrize("code, elements, stage", [
    ("283691", {"Li"}, "compound"), ("261100", {"W"}, "ore-concentrate"),
    ("720293", {"Fe", "Nb"}, "alloy"), ("250410", {"C"}, "mineral"),
    ("711021", {"Pd"}, "metal")])
def test_products_contain_the_elements_their_description_names(code, elements, stage, store):
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT ?p ?el ?stage WHERE { ?p krm:containsElement ?el ; krm:productStage ?stage }""",
                   p=st.NamedNode(f"https://w3id.org/krm/id/product/hs92/{code}"))
    assert {r["el"].rsplit("/", 1)[-1] for r in found} == elements
    assert {r["stage"].rsplit("/", 1)[-1] for r in found} == {stage}


HEADER = ["year", "exporter_code", "exporter_iso3", "exporter_name", "importer_iso3",
          "hs6_hs92", "hs6_description", "value_kusd", "quantity_t"]


@pytest.mark.parametrize("row, message", [
    (["2024", "1", "XYZ", "X", "KOR", "283691", "d", "1", "1"],
     "baci_korea_imports_by_partner.csv:2: unknown country code 'XYZ'"),
    (["2024", "156", "CHN", "China", "KOR", "283691", "d", "lots", "1"],
     "baci_korea_imports_by_partner.csv:2: not a number: 'lots'"),
    (["2024", "156", "CHN", "China", "KOR", "283691", "d", "1"],
     "baci_korea_imports_by_partner.csv:2: malformed row"),
    (["2024", "156", "CHN", "China", "JPN", "283691", "d", "1", "1"],
     "baci_korea_imports_by_partner.csv:2: reporter 'JPN' is not KOR"),
])
def test_bad_rows_name_the_file_and_row(row, message):
    with pytest.raises(IngestError) as e:
        baci.observations([HEADER, row], "import", Report(), set(), set())
    assert str(e.value).startswith(message)
