"""Korea's supply dependencies from the official data: world production concentration
(USGS), import partners and concentration (CEPII BACI), supply risk (with WGI).

Each function runs the named queries ``queries/dependency/*`` and ``queries/risk/*`` and
computes the figures from their rows with :mod:`kg.network.risk`, so what the API shows
and what a test recomputes from the CSV files go through the same arithmetic. Every
answer names its inputs: data set, file, year, statistic and unit (``inputs``).

Rules, so that no share mixes two sources:

- Production: shares within one data set (edition), statistic, form (the file's ``Type``)
  and year; the denominator is the sum of the rows other than "World total" (the
  countries and "Other countries": the World total is rounded); the HHI sums the squared
  shares of the country rows only ("Other countries" is many producers, not one).
  Cells that are not numbers (W, NA...) are counted in ``not_numbers`` and left out.
- Imports: shares of Korea's imports of one product (or of all products containing an
  element: by value only, as tonnes of ore and of metal do not add up) in one year;
  quantity shares over the partners with a quantity.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache

from kg.network import risk
from kg.store import is_true

ID = "https://w3id.org/krm/id/"
CHINA = ID + "country/CHN"
KOREA = ID + "country/KOR"
PRODUCTION = ID + "statistic/production"
RESERVES = ID + "statistic/reserves"
VALUE_UNIT = {"unit": "http://qudt.org/vocab/currency/USD", "unit_mult": 3,
              "note": "thousand US dollars, FOB"}
QUANTITY_UNIT = {"unit": "http://qudt.org/vocab/unit/TONNE", "unit_mult": 0}


@cache
def _query(name: str):
    from kg import queries

    return queries.load(queries.QUERIES / f"{name}.rq")


def _rows(store, name: str, **values) -> list[dict]:
    from kg import store as st

    given = {k: str(v) for k, v in values.items() if v is not None}
    return list(st.rows(_query(name).run(store, given)))


def _number(text: str | None) -> float | None:
    """A finite number, or None for NaN (a status code) or nothing.

    >>> _number("1.5"), _number("NaN"), _number(None)
    (1.5, None, None)
    """
    if text is None:
        return None
    x = float(text)
    return x if math.isfinite(x) else None


def expand(value: str, kind: str) -> str:
    """An IRI from a short name: ``283691`` -> product, ``Li`` -> element, ``CHN`` ->
    country, ``cobalt`` -> commodity; an IRI (or ``id:...``) stays.

    >>> expand("283691", "product")
    'https://w3id.org/krm/id/product/hs92/283691'
    >>> expand("id:element/Li", "element")
    'https://w3id.org/krm/id/element/Li'
    >>> expand("chn", "country")
    'https://w3id.org/krm/id/country/CHN'
    """
    if value.startswith(("http://", "https://")):
        return value
    if value.startswith("id:"):
        return ID + value[3:]
    if kind == "product":
        return f"{ID}product/hs92/{value}"
    if kind == "country":
        return f"{ID}country/{value.upper()}"
    return f"{ID}{kind}/{value}"


# --- Production (USGS) -------------------------------------------------------------------

def production_concentration(store, commodity: str, year: int,
                             statistic: str = PRODUCTION) -> list[dict]:
    """World production (or reserves, capacity) concentration of a commodity in a year:
    one answer per data set (edition) and form, newest edition first, each with its
    producers ranked by share, the HHI, Korea's own row and its inputs.
    """
    commodity = expand(commodity, "commodity")
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in _rows(store, "dependency/world-production", commodity=commodity, year=year):
        if r["statistic"] == statistic:
            groups[r["dataset"], r["form"], r["unit"], r.get("unitMult")].append(r)
    out = [_concentration(commodity, year, statistic, key, rows)
           for key, rows in groups.items()]
    out.sort(key=lambda a: (a["inputs"]["dataset"], a["form"]), reverse=True)
    return out


def _concentration(commodity: str, year: int, statistic: str, key: tuple,
                   rows: list[dict]) -> dict:
    dataset, form, unit, mult = key
    values: dict[str, float] = {}
    countries: set[str] = set()
    world, not_numbers, labels, source = None, [], {}, {}
    for r in rows:
        v, area = _number(r["value"]), r["area"]
        labels[area] = r.get("areaLabel") or area.rsplit("/", 1)[-1]
        source[area] = {"file": r["sourceFile"], "row": int(r["sourceRow"]),
                        "estimated": is_true(r.get("estimated"))}
        if area == ID + "area/world":
            world = v
            continue
        if v is None:
            not_numbers.append({"area": area, "status": r.get("status")})
            continue
        values[area] = values.get(area, 0.0) + v
        if is_true(r["isCountry"]):
            countries.add(area)
    total = sum(values.values())
    sh = risk.shares(values, total) if total > 0 else {}
    producers = sorted(({"area": a, "label": labels[a], "value": values[a], "share": sh[a],
                         "is_country": a in countries, **source[a]}
                        for a in values), key=lambda p: -p["value"])
    country_shares = {a: s for a, s in sh.items() if a in countries}
    korea = next((p for p in producers if p["area"] == KOREA), None)
    return {
        "commodity": commodity, "year": year, "statistic": statistic, "form": form,
        "form_label": rows[0].get("formLabel"),
        "total": total, "world_total_row": world,
        "hhi": risk.hhi(country_shares), "hhi_formula": risk.FORMULAS["hhi"],
        "producers": producers, "korea": korea, "not_numbers": not_numbers,
        "other_share": sum(s for a, s in sh.items() if a not in countries),
        "inputs": {"dataset": dataset, "file": rows[0]["sourceFile"], "year": year,
                   "statistic": statistic, "unit": unit,
                   "unit_mult": int(mult) if mult else 0},
    }


# --- Imports (BACI) ----------------------------------------------------------------------

def import_profile(store, year: int, product: str | None = None,
                   element: str | None = None) -> dict:
    """Korea's imports of a product (or of every product containing an element) in a
    year: partners with value, quantity and shares, the HHI by value and by quantity,
    the largest partner's share and China's.

    Raises:
        ValueError: neither or both of ``product`` and ``element`` given.
    """
    rows = _import_rows(store, product, element, year)
    return _profile(rows, year, product, element)


def import_series(store, product: str | None = None, element: str | None = None) -> list[dict]:
    """:func:`import_profile` for every year with imports (1995-2024), oldest first."""
    by_year: dict[int, list[dict]] = defaultdict(list)
    for r in _import_rows(store, product, element, None):
        by_year[int(r["year"][:4])].append(r)
    return [_profile(by_year[y], y, product, element) for y in sorted(by_year)]


def _import_rows(store, product, element, year) -> list[dict]:
    if (product is None) == (element is None):
        raise ValueError("give a product or an element, not both")
    if product is not None:
        return _rows(store, "dependency/imports", product=expand(product, "product"),
                     year=year)
    return _rows(store, "dependency/element-imports", element=expand(element, "element"),
                 year=year)


def _profile(rows: list[dict], year: int, product, element) -> dict:
    value: dict[str, float] = defaultdict(float)
    quantity: dict[str, float] = defaultdict(float)
    labels, sources, products = {}, defaultdict(list), {}
    for r in rows:
        p = r["partner"]
        labels[p] = r.get("partnerLabel") or p.rsplit("/", 1)[-1]
        value[p] += float(r["value"])
        q = _number(r["quantity"])
        if q is not None:
            quantity[p] += q
        sources[p].append(int(r["sourceRow"]))
        products[r["product"]] = r.get("productLabel")
    total_v = sum(value.values())
    total_q = sum(quantity.values())
    vs = risk.shares(value, total_v) if total_v > 0 else {}
    qs = risk.shares(quantity, total_q) if total_q > 0 and element is None else {}
    partners = sorted(({"partner": p, "label": labels[p], "value": value[p],
                        "quantity": quantity.get(p) if element is None else None,
                        "value_share": vs.get(p), "quantity_share": qs.get(p),
                        "source_rows": sorted(sources[p])} for p in value),
                      key=lambda x: (-x["value"], x["partner"]))
    largest = partners[0] if partners else None
    return {
        "product": expand(product, "product") if product else None,
        "element": expand(element, "element") if element else None,
        "products": products, "year": year,
        "total_value": total_v, "total_quantity": total_q if element is None else None,
        "partners": partners,
        "hhi_value": risk.hhi(vs), "hhi_quantity": risk.hhi(qs) if qs else None,
        "largest": {"partner": largest["partner"], "label": largest["label"],
                    "value_share": largest["value_share"]} if largest else None,
        "china_value_share": vs.get(CHINA, 0.0) if vs else None,
        "china_quantity_share": qs.get(CHINA, 0.0) if qs else None,
        "hhi_formula": risk.FORMULAS["hhi"],
        "inputs": {"dataset": rows[0]["dataset"] if rows else None,
                   "file": rows[0]["sourceFile"] if rows else None, "year": year,
                   "statistic": ["trade-value", "trade-quantity"],
                   "value_unit": VALUE_UNIT, "quantity_unit": QUANTITY_UNIT},
    }


# --- Risk ----------------------------------------------------------------------------------

def political_stability(store, year: int) -> tuple[dict[str, float], dict]:
    """Each country's WGI political-stability estimate in a year, and the inputs."""
    rows = _rows(store, "risk/political-stability", year=year)
    est = {r["area"]: float(r["estimate"]) for r in rows}
    inputs = {"dataset": rows[0]["dataset"] if rows else None,
              "file": rows[0]["sourceFile"] if rows else None, "year": year,
              "statistic": "wgi-estimate", "unit": "http://qudt.org/vocab/unit/UNITLESS"}
    return est, inputs


def supply_risk(store, product: str, commodity: str, year: int,
                form: str | None = None) -> dict:
    """Korea's GeoPolRisk for a product in a year, and the governance-weighted HHI of
    world production of the commodity it comes from. Production: the newest edition
    giving the year, and ``form`` (default: the first mine-production form, else the
    first form). Raises ValueError when USGS or BACI has nothing for that year.
    """
    answers = production_concentration(store, commodity, year)
    if form is not None:
        answers = [a for a in answers if a["form"] == expand(form, "form")]
    if not answers:
        raise ValueError(f"no USGS production of {commodity} in {year}")
    newest = answers[0]["inputs"]["dataset"]
    same = [a for a in answers if a["inputs"]["dataset"] == newest]
    prod = next((a for a in same if "mine-production" in a["form"]), same[0])
    imports = import_profile(store, year, product=product)
    if not imports["partners"]:
        raise ValueError(f"no imports of {product} into Korea in {year}")
    est, wgi_inputs = political_stability(store, year)
    producer_shares = {p["area"]: p["share"] for p in prod["producers"] if p["is_country"]}
    # The method weighs partners by quantity; by value where BACI gives no quantity.
    by = "quantity" if imports["hhi_quantity"] is not None else "value"
    import_shares = {p["partner"]: p[f"{by}_share"] or 0.0 for p in imports["partners"]}
    return {
        "product": imports["product"], "commodity": prod["commodity"], "year": year,
        "geopolrisk": risk.geopolrisk(prod["hhi"], import_shares, est),
        "governance_weighted_hhi": risk.governance_weighted_hhi(producer_shares, est),
        "production_hhi": prod["hhi"], "import_shares_by": by,
        "wgi_scaling": {"eu": "(2.5 - estimate) x 2, clipped to 0-10 (10 least stable)",
                        "geopolrisk": "(2.5 - estimate) / 5, clipped to 0-1 (1 least stable)"},
        "inputs": {"production": prod["inputs"] | {"form": prod["form"]},
                   "imports": imports["inputs"], "wgi": wgi_inputs},
    }
