"""Korea's import dependence on each commodity: the figures of the dependency explorer
(``/dependencies``), computed from the rows of the named queries in
``queries/explorer/`` (imports by partner and year, world production, political
stability, the lists naming each commodity).

Pure functions on plain rows (dicts of strings or numbers, as :func:`kg.store.rows`
gives them), so that the page, the CSV and the tests share one computation.

The indicators and their formulas (also shown on the page):

- import concentration: the Herfindahl-Hirschman Index of the partners' shares of
  Korea's import value, ``HHI = sum(s_i^2)`` with shares in percent (0-10,000);
- dependence on China: China's share of the import value, in percent;
- world production concentration: the HHI of the producing countries' shares of the
  world total (USGS; a lower bound, as "other countries" are not split);
- supply risk: the import HHI weighted by the partners' political stability, as the EU's
  criticality method weights production (``HHI_WGI``):
  ``sum((s_i/100)^2 * w_i)`` with ``w_i = 2 * (2.5 - WGI_i)`` clipped to 0-10 (0 the most
  stable, 10 the least), so 0-10; partners without a WGI estimate are left out and
  the share of the value they hold is reported as not covered
  (:func:`kg.network.risk.governance_weighted_hhi`, the analysis' own function).

Production shares follow :mod:`kg.network.dependency`'s rule: of the sum of the rows
other than the world total (countries and "Other countries"), the HHI over countries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.network import risk
from kg.store import is_true

CHINA = "https://w3id.org/krm/id/country/CHN"
WORLD = "https://w3id.org/krm/id/area/world"
FIRST_TREND_YEAR = 1995

#: Which critical-mineral lists count as which filter, by the list IRI's last segment.
LIST_GROUPS = {
    "kr2023": ("korea-critical-minerals-2023",),
    "us": ("us-critical-minerals-",),
    "eu": ("eu-crma-", "eu-critical-raw-materials-"),
    "jp": ("japan-rare-metals-",),
}


def hhi(shares) -> float:
    """The Herfindahl-Hirschman Index of percent shares (:func:`kg.network.risk.hhi`).

    >>> hhi([50, 50]), hhi([])
    (5000.0, 0.0)
    """
    return float(risk.hhi(list(shares)))


def list_groups(list_iris) -> list[str]:
    """The list filters (``kr2023``, ``us``, ``eu``, ``jp``) that the lists fall in.

    >>> list_groups(["https://w3id.org/krm/id/list/us-critical-minerals-2022",
    ...              "https://w3id.org/krm/id/list/japan-rare-metals-34"])
    ['jp', 'us']
    """
    slugs = {iri.rstrip("/").rpartition("/")[2] for iri in list_iris}
    return sorted(g for g, prefixes in LIST_GROUPS.items()
                  if any(s.startswith(p) for s in slugs for p in prefixes))


@dataclass
class Dependency:
    """One row of the explorer: a commodity Korea imports, in one year."""

    commodity: str
    label_en: str
    label_ko: str
    page: str | None
    year: int
    value: float  # thousand US dollars
    tonnes: float | None
    top_partner: str | None
    top_share: float | None
    import_hhi: float
    china_share: float
    production_hhi: float | None = None
    production_year: int | None = None
    production_form: str | None = None
    supply_risk: float | None = None
    risk_coverage: float | None = None  # percent of the value whose partner has a WGI
    trend: list[tuple[int, float]] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)


def _num(x) -> float | None:
    if x is None or x == "":
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _year(x) -> int | None:
    try:
        return int(str(x)[:4])
    except (TypeError, ValueError):
        return None


def imports_by_commodity(rows) -> dict[str, dict[int, dict[str, tuple[float, float | None]]]]:
    """``commodity -> year -> partner -> (value, tonnes)`` from ``explorer/imports`` rows.

    >>> imports_by_commodity([{"commodity": "c", "partner": "p", "year": "2020",
    ...                        "value": "2.5", "tonnes": None}])
    {'c': {2020: {'p': (2.5, None)}}}
    """
    out: dict = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        year, value = _year(r["year"]), _num(r["value"])
        if year is None or value is None:
            continue
        out[r["commodity"]][year][r["partner"]] = (value, _num(r.get("tonnes")))
    return {c: dict(years) for c, years in out.items()}


def production_concentration(rows) -> dict[str, tuple[float, int, str]]:
    """``commodity -> (HHI, year, form)`` of world production, from
    ``explorer/production`` rows: the latest edition's latest year, and of its forms
    the one most countries report; shares of the sum of the rows other than the world
    total, the HHI over the countries (as :mod:`kg.network.dependency` computes them).

    >>> row = {"commodity": "c", "dataset": "d", "form": "f", "year": "2023"}
    >>> production_concentration([{**row, "area": "A", "isCountry": "true", "value": "60"},
    ...   {**row, "area": "O", "isCountry": "false", "value": "40"},
    ...   {**row, "area": WORLD, "isCountry": "false", "value": "100"}])
    {'c': (3600.0, 2023, 'f')}
    """
    return {c: (round(hhi(shares.values()), 1), year, form)
            for c, (year, form, shares) in _production_cells(rows).items()}


def _production_cells(rows) -> dict[str, tuple[int, str, dict[str, float]]]:
    """``commodity -> (year, form, country -> percent share)`` of the chosen cell."""
    by: dict = defaultdict(lambda: defaultdict(dict))
    countries: set[str] = set()
    for r in rows:
        value, year = _num(r["value"]), _year(r["year"])
        if value is None or year is None:
            continue
        if is_true(r.get("isCountry")):
            countries.add(r["area"])
        cell = by[r["commodity"]][(r["dataset"], year, r["form"])]
        cell[r["area"]] = cell.get(r["area"], 0.0) + value
    out = {}
    for commodity, cells in by.items():
        def rank(key, cells=cells):
            return (key[0], key[1], sum(1 for a in cells[key] if a in countries))
        key = max(cells, key=rank)
        parts = {a: v for a, v in cells[key].items() if a != WORLD}
        total = sum(parts.values())
        shares = {a: 100 * v / total for a, v in parts.items() if a in countries} \
            if total > 0 else {}
        if shares:
            out[commodity] = (key[1], key[2], shares)
    return out


def latest_wgi(rows) -> dict[str, dict[int, float]]:
    """``country -> year -> estimate`` from ``explorer/political-stability`` rows."""
    out: dict = defaultdict(dict)
    for r in rows:
        year, est = _year(r["year"]), _num(r["estimate"])
        if year is not None and est is not None:
            out[r["area"]][year] = est
    return dict(out)


def _wgi_at(series: dict[int, float] | None, year: int) -> float | None:
    """The estimate of ``year``, else of the latest year before it, else None."""
    if not series:
        return None
    before = [y for y in series if y <= year]
    return series[max(before)] if before else None


def supply_risk(partners: dict[str, float], wgi: dict[str, dict[int, float]],
                year: int) -> tuple[float | None, float]:
    """(HHI_WGI 0-10, percent of the value covered by a WGI estimate) of one year's
    import values by partner: :func:`kg.network.risk.governance_weighted_hhi` with each
    partner's estimate of that year, else of its latest year before.

    >>> supply_risk({"A": 50, "B": 50}, {"A": {2020: 0.0}, "B": {2019: 2.5}}, 2020)
    (1.25, 100.0)
    >>> supply_risk({"A": 10}, {}, 2020)
    (None, 0.0)
    """
    total = sum(partners.values())
    if not total:
        return None, 0.0
    estimates = {p: e for p in partners if (e := _wgi_at(wgi.get(p), year)) is not None}
    if not estimates:
        return None, 0.0
    r = risk.governance_weighted_hhi(risk.shares(partners, total), estimates)
    return round(r["value"], 2), round(100 - r["uncovered"], 1)


def table(imports_rows, production_rows, wgi_rows, commodity_rows,
          year: int | None = None, derived: dict | None = None) -> list[Dependency]:
    """The explorer's rows, one per commodity Korea imported in ``year`` (default: the
    latest year with imports), largest import value first.

    ``derived`` keeps what every year's table derives from the same rows (imports by
    commodity, production concentration, the latest WGI): pass the same dict for each
    year of the same rows and they are derived once.

    Raises:
        KeyError: a row lacks a column the named queries return.
    """
    derived = {} if derived is None else derived
    if "imports" not in derived:
        derived["imports"] = imports_by_commodity(imports_rows)
    if "production" not in derived:
        derived["production"] = production_concentration(production_rows)
    if "wgi" not in derived:
        derived["wgi"] = latest_wgi(wgi_rows)
    imports, production, wgi = derived["imports"], derived["production"], derived["wgi"]
    names: dict = {}
    for r in commodity_rows:
        entry = names.setdefault(r["commodity"], {"en": None, "ko": None, "page": None,
                                                  "lists": set()})
        entry["en"] = entry["en"] or r.get("labelEn")
        # A commodity has no Korean name of its own: its element's or group's (the
        # match says the commodity is that element; commodities.rq).
        entry["ko"] = entry["ko"] or r.get("labelKo") or r.get("pageKo")
        entry["page"] = entry["page"] or r.get("page")
        if r.get("list"):
            entry["lists"].add(r["list"])
    if year is None:
        year = max((y for years in imports.values() for y in years), default=None)
    out = []
    for commodity, years in imports.items():
        partners = years.get(year)
        if not partners:
            continue
        values = {p: v for p, (v, _t) in partners.items()}
        total = sum(values.values())
        if total <= 0:
            continue
        tonnes = [t for _v, t in partners.values() if t is not None]
        top = max(values, key=values.get)
        shares = [100 * v / total for v in values.values()]
        risk, coverage = supply_risk(values, wgi, year)
        name = names.get(commodity, {"en": None, "ko": None, "page": None, "lists": set()})
        label = name["en"] or commodity.rstrip("/").rpartition("/")[2]
        prod = production.get(commodity)
        out.append(Dependency(
            commodity=commodity, label_en=label, label_ko=name["ko"] or label,
            page=name["page"], year=year, value=round(total, 3),
            tonnes=round(sum(tonnes), 3) if tonnes else None,
            top_partner=top, top_share=round(100 * values[top] / total, 1),
            import_hhi=round(hhi(shares), 1),
            china_share=round(100 * values.get(CHINA, 0.0) / total, 1),
            production_hhi=prod[0] if prod else None,
            production_year=prod[1] if prod else None,
            production_form=prod[2] if prod else None,
            supply_risk=risk, risk_coverage=coverage,
            trend=sorted((y, round(sum(v for v, _t in ps.values()), 3))
                         for y, ps in years.items() if FIRST_TREND_YEAR <= y <= year),
            lists=list_groups(name["lists"])))
    out.sort(key=lambda d: -d.value)
    return out


def years(imports_rows) -> list[int]:
    """The years with imports, latest first.

    >>> years([{"year": "2020"}, {"year": "2022"}, {"year": "2020"}])
    [2022, 2020]
    """
    return sorted({y for r in imports_rows if (y := _year(r["year"])) is not None},
                  reverse=True)


def production_shares(rows, commodity: str) -> dict:
    """Each country's share (percent) of world production of ``commodity``, in the year
    and form :func:`production_concentration` chooses.

    >>> row = {"commodity": "c", "dataset": "d", "form": "f", "year": "2023"}
    >>> production_shares([{**row, "area": "A", "isCountry": "true", "value": "60"},
    ...                    {**row, "area": "O", "isCountry": "false", "value": "40"}], "c")
    {'year': 2023, 'form': 'f', 'shares': {'A': 60.0}}
    """
    cell = _production_cells([r for r in rows if r["commodity"] == commodity]).get(commodity)
    if cell is None:
        return {}
    year, form, shares = cell
    return {"year": year, "form": form, "shares": {a: round(s, 1) for a, s in shares.items()}}
