"""The explorer's sections on element, group and country pages: Korea's import partners
over time (a stacked area chart, by value or tonnes), world production by country, the
lists naming the commodity, the risk indicators with their inputs and formulas; for a
country, what Korea imports from it and its political stability over time.

The figures are the explorer's (:mod:`server.explorer.data`); the charts are drawn by
``static/explorer/charts.js`` from JSON in the page, in fixed-size boxes, each with a
table or text beside it and a link to the named query."""

from __future__ import annotations

from kg import dependencies as dep
from kg.network import risk
from server.explorer import data, svg
from server.site import site_lang

TOP = 6  # partners drawn one by one; the rest are summed as "others"
ID = "https://w3id.org/krm/id/"


def _name(names, iri: str, lang: str) -> str:
    en, ko = names.of(iri)
    return ((ko or en) if lang == "ko" else (en or ko)) or iri.rpartition("/")[2]


def for_resource(iri: str) -> dict | None:
    """The sections for the page of ``iri``, or None when the explorer has nothing on it
    (or the graph has no official data)."""
    if not (iri.startswith(ID + "element/") or iri.startswith(ID + "group/")
            or iri.startswith(ID + "country/")):
        return None
    figs = data.figures()
    if not figs.imports:
        return None
    if iri.startswith(ID + "country/"):
        return country(figs, iri)
    commodity = figs.commodity_of_page(iri)
    return element(figs, commodity) if commodity else None


def element(figs: data.Figures, commodity: str) -> dict:
    lang = site_lang()
    names = data.labels()
    years = figs.by_commodity().get(commodity, {})
    totals: dict[str, float] = {}
    for partners in years.values():
        for p, (v, _t) in partners.items():
            totals[p] = totals.get(p, 0.0) + v
    top = sorted(totals, key=totals.get, reverse=True)[:TOP]
    labels = sorted(years)
    series = []
    for p in top:
        series.append({"label": _name(names, p, lang),
                       "value": [round(years[y].get(p, (0, 0))[0]) for y in labels],
                       "tonnes": [round(years[y].get(p, (0, None))[1] or 0) for y in labels]})
    others_v = [round(sum(v for q, (v, _t) in years[y].items() if q not in top)) for y in labels]
    others_t = [round(sum(t or 0 for q, (_v, t) in years[y].items() if q not in top))
                for y in labels]
    if any(others_v):
        series.append({"label": "기타" if lang == "ko" else "Others",
                       "value": others_v, "tonnes": others_t})
    row = next((d for d in figs.table(None) if d.commodity == commodity), None)
    production = dep.production_shares(figs.production, commodity)
    prod_rows = sorted(((_name(names, a, lang), s) for a, s in
                        production.get("shares", {}).items()), key=lambda x: -x[1])
    entries = [r for r in figs.list_entries if r["commodity"] == commodity]
    statuses = sorted({r["status"] for r in entries})
    matrix: dict[str, dict[str, list[str]]] = {}
    for r in entries:
        cell = matrix.setdefault(r["list"], {}).setdefault(r["status"], [])
        label = r.get("entryLabel") or r["entry"].rpartition("/")[2]
        if label not in cell:
            cell.append(label)
    return {
        "kind": "element", "commodity": commodity,
        "commodity_label": data.commodity_name(figs, commodity, lang),
        "imports_chart": {"years": labels, "series": series},
        "row": row, "production": production, "production_rows": prod_rows,
        "production_form": (_name(names, production["form"], lang)
                            if production.get("form") else None),
        "statuses": statuses,
        "matrix": [(iri, _name(names, iri, lang), matrix[iri]) for iri in
                   sorted(matrix, key=lambda i: _name(names, i, lang))],
        "list_query": data.query_link("list-entries"),
        "formulas": risk.FORMULAS,
        "imports_query": data.query_link("imports"),
        "production_query": data.query_link("production"),
    }


def country(figs: data.Figures, iri: str) -> dict | None:
    lang = site_lang()
    mine = figs.by_partner().get(iri)
    wgi = dep.latest_wgi(r for r in figs.wgi if r["area"] == iri).get(iri, {})
    if not mine and not wgi:
        return None
    latest = figs.years[0] if figs.years else None
    rows = []
    for commodity, years in (mine or {}).items():
        value = years.get(latest)
        if not value:
            continue
        total = sum(v for v, _t in figs.by_commodity()[commodity][latest].values())
        label = data.commodity_name(figs, commodity, lang)
        trend = sorted(years.items())
        rows.append({"commodity": commodity, "label": label,
                     "spark": svg.sparkline(trend, f"{label}: {trend[0][0]}-{trend[-1][0]}"),
                     "value": value, "share": round(100 * value / total, 1) if total else None,
                     "trend": sorted(years.items())})
    rows.sort(key=lambda r: -r["value"])
    wgi_years = sorted(wgi)
    return {"kind": "country", "year": latest, "rows": rows,
            "wgi_chart": {"years": wgi_years, "series": [
                {"label": "WGI", "value": [wgi[y] for y in wgi_years]}]},
            "imports_query": data.query_link("imports"),
            "wgi_query": data.query_link("political-stability")}
