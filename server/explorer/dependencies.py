"""``/dependencies``: every commodity Korea imports, one row each, with its import
value, top partner, concentration, dependence on China, world production
concentration, supply risk and trend since 1995; the table as CSV with ``format=csv``."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request, url_for

from kg import dependencies as dep
from server import urls
from server.explorer import bp, data, svg
from server.explorer.fmt import number
from server.site import site_lang

COLUMNS = (
    ("commodity", "Commodity", "품목"),
    ("value", "Imports (US$ million)", "수입액 (백만 달러)"),
    ("top", "Top partner", "최대 수입국"),
    ("top_share", "Its share (%)", "비중 (%)"),
    ("import_hhi", "Import HHI", "수입 HHI"),
    ("china_share", "From China (%)", "중국 의존도 (%)"),
    ("production_hhi", "World production HHI", "세계 생산 HHI"),
    ("supply_risk", "Supply risk (0-10)", "공급 위험 (0-10)"),
    ("trend", "Imports since 1995", "1995년 이후 수입"),
)
LIST_FILTERS = (("kr2023", "Korea 2023", "한국 2023"), ("us", "US", "미국"),
                ("eu", "EU", "EU"), ("jp", "Japan", "일본"))


def chosen_year(figs: data.Figures) -> int | None:
    """``?year=``, checked against the years with data.

    Raises:
        werkzeug.exceptions.BadRequest: not a year with imports.
    """
    raw = request.args.get("year")
    if raw in (None, ""):
        return figs.years[0] if figs.years else None
    if not raw.isdigit() or int(raw) not in figs.years:
        shown = f"{figs.years[-1]}-{figs.years[0]}" if figs.years else "none"
        abort(400, f"year must be a year with import data ({shown}), not {raw[:20]!r}")
    return int(raw)


def rows_for(table: list[dep.Dependency], lang: str) -> list[dict]:
    """The table's rows with names and display values in ``lang``."""
    names = data.labels()
    out = []
    for d in table:
        partner = names.of(d.top_partner) if d.top_partner else (None, None)
        label = d.label_ko if lang == "ko" else d.label_en
        out.append({
            "d": d, "label": label,
            "href": urls.page_url(d.page or d.commodity),
            "partner": _pick(*partner, lang) or (d.top_partner or "").rpartition("/")[2],
            "partner_href": urls.page_url(d.top_partner) if d.top_partner else None,
            "spark": svg.sparkline(d.trend, _trend_text(d, label, lang)),
        })
    return out


def _pick(en: str | None, ko: str | None, lang: str) -> str | None:
    return (ko or en) if lang == "ko" else (en or ko)


def _trend_text(d: dep.Dependency, label: str, lang: str) -> str:
    if not d.trend:
        return label
    (y0, v0), (y1, v1) = d.trend[0], d.trend[-1]
    unit = "백만 달러" if lang == "ko" else "US$ million"
    return (f"{label}: {y0} {number(v0 / 1000, 1)} → {y1} {number(v1 / 1000, 1)} {unit}")


@bp.get("/dependencies")
def dependencies():
    figs = data.figures()
    year = chosen_year(figs)
    table = figs.table(year)
    lang = site_lang()
    if request.args.get("format") == "csv":
        return _csv(table)
    rows = rows_for(table, lang)
    html = render_template(
        "explorer/dependencies.html", lang=lang, year=year, years=figs.years, rows=rows,
        columns=COLUMNS, list_filters=LIST_FILTERS, number=number,
        sectors=figs.sector_names(lang), sectors_of=figs.sectors_of(),
        list_names={k: (ko if lang == "ko" else en) for k, en, ko in LIST_FILTERS},
        csv_url=url_for("explorer.dependencies", year=year, format="csv"),
        query_url=data.query_link("imports"))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Language"] = lang
    response.headers["Link"] = (f'<{url_for("explorer.dependencies", year=year, format="csv")}>; '
                                'rel="alternate"; type="text/csv"')
    response.vary.update(("Accept-Language", "Cookie"))
    return response


CSV_HEADER = ("commodity", "label", "year", "import_value_kusd", "import_tonnes",
              "top_partner", "top_partner_share_pct", "import_hhi", "china_share_pct",
              "production_hhi", "production_year", "production_form", "supply_risk",
              "supply_risk_coverage_pct", "lists")


def _csv(table: list[dep.Dependency]) -> Response:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for d in table:
        w.writerow((d.commodity, d.label_en, d.year, d.value, d.tonnes, d.top_partner,
                    d.top_share, d.import_hhi, d.china_share, d.production_hhi,
                    d.production_year, d.production_form, d.supply_risk, d.risk_coverage,
                    " ".join(d.lists)))
    name = f"korea-dependencies-{table[0].year if table else 'none'}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
