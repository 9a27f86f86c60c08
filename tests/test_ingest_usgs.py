"""USGS world files in the graph: for a sample of rows of every file, each value cell is an
observation whose value is the cell (or, for W, NA, XX and words, a status with the cell as
printed); totals and residual rows are areas, not countries; the counts add up."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from ingest_helpers import DATA, number, rows, select

from kg import store as st
from kg.ingest import IngestError, Report, usgs

FILES = sorted((DATA / "usgs-mcs").glob("*/world/*_world.csv"))
VALUE_COLUMN = re.compile(r"^(Prod|Cap|Reserves)_(?!notes?$)", re.I)

ROW_VALUES = """
PREFIX krm: <https://w3id.org/krm/ontology#>
SELECT ?file ?row ?statistic ?year (STR(?v) AS ?value) ?raw ?area ?estimated WHERE {
  ?o krm:sourceFile ?file ; krm:sourceRow ?row ; krm:obsValue ?v ; krm:refYear ?year ;
     krm:statistic ?statistic ; krm:refArea ?area ; krm:estimated ?estimated .
  OPTIONAL { ?o krm:sourceValue ?raw }
}"""


def sample(table: list[list[str]]) -> list[int]:
    """First, middle and last data rows (1-based lines) that have a country."""
    lines = [i for i, r in enumerate(table[1:], start=2) if len(r) > 1 and r[1].strip(" \xa0")]
    return sorted({lines[0], lines[len(lines) // 2], lines[-1]}) if lines else []


def expected(table: list[list[str]], line: int, edition: str) -> Counter:
    """(statistic, year, value) of the row's non-blank value cells, read from the CSV."""
    header, row = table[0], table[line - 1]
    out = Counter()
    for h, cell in zip(header, row, strict=True):
        if not VALUE_COLUMN.match(h.strip()) or not cell.replace("\xa0", " ").strip():
            continue
        kind = {"prod": "production", "cap": "capacity", "reserves": "reserves"}[
            h.split("_")[0].lower()]
        year = h.strip().rsplit("_", 1)[-1]
        year = year if year.isdigit() else str(int(edition) - 1)
        n = number(cell)
        clean = " ".join(cell.replace("\xa0", " ").split())
        out[(kind, year, n if n is not None else clean)] += 1
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_sampled_cells_are_observations_with_the_cells_value(path, store):
    table = rows(path)
    edition = path.parts[-3]
    for line in sample(table):
        got = Counter()
        for r in select(store, ROW_VALUES, file=st.Literal(path.name),
                        row=st.Literal(str(line), datatype=st.NamedNode(
                            "http://www.w3.org/2001/XMLSchema#integer"))):
            kind = r["statistic"].rsplit("/", 1)[-1]
            value = r["raw"] if r["value"] == "NaN" else Decimal(r["value"])
            got[(kind, str(r["year"])[:4], value)] += 1
        assert got == expected(table, line, edition), f"{path.name} row {line}"


def test_every_value_cell_of_every_file_is_one_observation(store):
    cells = 0
    for path in FILES:
        table = rows(path)
        header = table[0]
        cols = [i for i, h in enumerate(header) if i > 2 and VALUE_COLUMN.match(h.strip())]
        for r in table[1:]:
            if len(r) > 1 and r[1].strip(" \xa0"):
                cells += sum(1 for i in cols if r[i].replace("\xa0", " ").strip())
    n = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        SELECT (COUNT(?o) AS ?n) WHERE { ?o qb:dataSet ?ds ; krm:obsValue [] .
          ?ds qb:structure krm:usgsWorldStructure }""")[0]["n"]
    assert n == cells


def test_world_total_and_other_countries_are_areas_not_countries(store):
    found = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT DISTINCT ?area ?isCountry WHERE {
          ?o krm:sourceFile "mcs2024-lithi_world.csv" ; krm:refArea ?area .
          BIND(EXISTS { ?area a krm:Country } AS ?isCountry) }""")
    areas = {r["area"].rsplit("/", 2)[-2] + "/" + r["area"].rsplit("/", 1)[-1]: r["isCountry"]
             for r in found}
    assert areas["area/world"] is False and areas["area/other-countries"] is False
    assert areas["country/CHN"] is True


def test_lithium_2023_china_is_the_files_cell_and_an_estimate(store):
    path = DATA / "usgs-mcs" / "2024" / "world" / "mcs2024-lithi_world.csv"
    table = rows(path)
    header = table[0]
    col = header.index("Prod_t_est_2023")
    line = next(i for i, r in enumerate(table[1:], start=2) if r[1].strip() == "China")
    r = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT (STR(?v) AS ?value) ?estimated ?unit WHERE {
          ?o krm:refArea <https://w3id.org/krm/id/country/CHN> ;
             krm:commodity <https://w3id.org/krm/id/commodity/lithium> ;
             krm:statistic <https://w3id.org/krm/id/statistic/production> ;
             krm:refYear "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
             krm:sourceFile "mcs2024-lithi_world.csv" ; krm:obsValue ?v ; krm:estimated ?estimated ;
             <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?unit }""")
    assert len(r) == 1
    assert Decimal(r[0]["value"]) == number(table[line - 1][col])
    assert r[0]["estimated"] is True and r[0]["unit"] == "http://qudt.org/vocab/unit/TONNE"


def test_withheld_stays_a_status_never_a_number(store):
    r = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT (COUNT(?o) AS ?n) (SUM(IF(STR(?v) = "NaN", 0, 1)) AS ?numbers) WHERE {
          ?o krm:sourceValue "W" ; krm:obsValue ?v ;
             krm:obsStatus <https://w3id.org/krm/id/status/withheld> }""")[0]
    assert r["n"] > 50 and r["numbers"] == 0


def test_kt_columns_carry_their_multiplier(store):
    r = select(store, """PREFIX krm: <https://w3id.org/krm/ontology#>
        SELECT DISTINCT ?mult WHERE { ?o krm:sourceFile "mcs2024-alumi_world.csv" ;
          <http://purl.org/linked-data/sdmx/2009/attribute#unitMult> ?mult }""")
    assert [x["mult"] for x in r] == [3]


def test_a_footnoted_estimated_name_and_a_non_breaking_space_resolve():
    table = [["Source", "Country", "Type", "Prod_t_2022", "Prod_notes"],
             ["MCS2024", "India9", "Mine production", "5", ""],
             ["MCS2024", "United\xa0Statese", "Mine production", "6", ""]]
    t = usgs.observations(table, "2024", "f.csv", usgs.Commodity("x", "X", "https://x.org/"),
                          Report(), set(), set())
    areas = {o for _, p, o in t if p.endswith("#refArea>")}
    assert areas == {"<https://w3id.org/krm/id/country/IND>",
                     "<https://w3id.org/krm/id/country/USA>"}


@pytest.mark.parametrize("table, message", [
    ([["Source", "Country", "Type", "Prod_t_2022"], ["MCS2024", "Narnia", "Mine", "5"]],
     "f.csv:2: unknown country name 'Narnia'"),
    ([["Source", "Country", "Type", "Prod_parsecs_2022"], ["MCS2024", "China", "Mine", "5"]],
     "f.csv:1: unknown unit in column 'Prod_parsecs_2022'"),
    ([["Source", "Country", "Type", "Prod_t_2022"], ["MCS2024", "China", "Mine"]],
     "f.csv:2: malformed row"),
    ([["Source", "Country", "Type", "Prod_t_2022"], ["MCS2024", "China", "Mine", "5"],
      ["MCS2024", "China", "Mine", "6"]], "f.csv:3: a second value for CHN"),
])
def test_bad_rows_name_the_file_and_row(table, message):
    with pytest.raises(IngestError) as e:
        usgs.observations(table, "2024", "f.csv", usgs.Commodity("x", "X", "https://x.org/"),
                          Report(), set(), set())
    assert str(e.value).startswith(message)
