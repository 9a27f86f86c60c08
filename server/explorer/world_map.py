"""``/map``: for a chosen commodity and year, Korea's import sources as a choropleth with
world production as a second layer, and the same figures as a table (the map is never
the only way to the numbers). ``/map/data.json`` is the map's data."""

from __future__ import annotations

import pycountry
from flask import Response, abort, jsonify, render_template, request, url_for

from kg import dependencies as dep
from server import urls
from server.explorer import bp, data
from server.explorer.fmt import number
from server.site import site_lang


def _choice(figs: data.Figures) -> tuple[str | None, int | None]:
    """The commodity (``?commodity=`` IRI, default the largest import) and ``?year=``.

    Raises:
        werkzeug.exceptions.BadRequest: an unknown commodity or a year without data.
    """
    imports = _imports(figs)
    commodity = request.args.get("commodity") or None
    raw = request.args.get("year") or None
    year = figs.years[0] if figs.years else None
    if raw is not None:
        if not raw.isdigit() or int(raw) not in figs.years:
            abort(400, f"year must be a year with import data, not {raw[:20]!r}")
        year = int(raw)
    if commodity is None:
        table = figs.table(year)
        commodity = table[0].commodity if table else None
    elif commodity not in imports:
        abort(400, "commodity must be the IRI of a commodity Korea imports, "
                   f"not {commodity[:200]!r}")
    return commodity, year


def _imports(figs: data.Figures) -> dict:
    return figs.by_commodity()


def numeric(iso3: str) -> str | None:
    """The ISO 3166-1 numeric code, the id world-atlas gives each country's shape.

    >>> numeric("CHN"), numeric("XXX")
    ('156', None)
    """
    country = pycountry.countries.get(alpha_3=iso3)
    return country.numeric if country else None


def map_data(figs: data.Figures, commodity: str | None, year: int | None) -> dict:
    """The figures the map and its table show: each partner's import value and share,
    and each country's share of world production (latest USGS year, the form most
    countries report)."""
    names = data.labels()
    lang = site_lang()
    partners = (_imports(figs).get(commodity) or {}).get(year) or {}
    total = sum(v for v, _t in partners.values())
    rows = []
    for iri, (value, tonnes) in sorted(partners.items(), key=lambda kv: -kv[1][0]):
        en, ko = names.of(iri)
        rows.append({"iri": iri, "id": numeric(iri.rpartition("/")[2]),
                     "name": (ko or en) if lang == "ko" else (en or ko),
                     "href": urls.page_url(iri), "value": value, "tonnes": tonnes,
                     "share": round(100 * value / total, 1) if total else None})
    production = dep.production_shares(figs.production, commodity) if commodity else {}
    prod_rows = []
    for iri, share in sorted(production.get("shares", {}).items(), key=lambda kv: -kv[1]):
        en, ko = names.of(iri)
        prod_rows.append({"iri": iri, "id": numeric(iri.rpartition("/")[2]),
                          "name": (ko or en) if lang == "ko" else (en or ko),
                          "share": share})
    return {"commodity": commodity, "label": data.commodity_name(figs, commodity, lang),
            "year": year, "unit": "thousand USD", "total": total, "imports": rows,
            "production": {"year": production.get("year"), "form": production.get("form"),
                           "rows": prod_rows}}


@bp.get("/map/data.json")
def map_json():
    figs = data.figures()
    commodity, year = _choice(figs)
    return jsonify(map_data(figs, commodity, year))


@bp.get("/map")
def world_map():
    figs = data.figures()
    commodity, year = _choice(figs)
    lang = site_lang()
    options = [(c, data.commodity_name(figs, c, lang)) for c in _imports(figs)]
    options.sort(key=lambda o: o[1].lower())
    payload = map_data(figs, commodity, year)
    html = render_template(
        "explorer/map.html", lang=lang, commodity=commodity, year=year, years=figs.years,
        options=options, d=payload, number=number,
        data_url=url_for("explorer.map_json", commodity=commodity, year=year),
        query_url=data.query_link("imports"))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Language"] = lang
    response.vary.update(("Accept-Language", "Cookie"))
    return response
