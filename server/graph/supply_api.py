"""``/api/supply`` and ``/api/dependency``: the data-driven supply network of a year
(partner -> product -> element -> sector -> company), its metrics and what-if, and the
dependency analyses (import and production concentration, supply risk). Every answer
names its inputs (data set, file, year, statistic, unit). Errors are
``{"error": ..., "status": 400}``."""

from __future__ import annotations

import io

from flask import Blueprint, Response, jsonify

from kg.network import dependency, export, supply
from kg.network import graph as ng
from server.errors import ApiError, json_error
from server.graph import cache, drawing, params

bp = Blueprint("supply_api", __name__, url_prefix="/api")

#: The years of the trade data (CEPII BACI, HS 1992).
FIRST, LAST = 1995, 2024


def _year(default: int | None = LAST, low: int = FIRST, high: int = LAST) -> int | None:
    return params.integer("year", low, high, default)


def _in(g, name: str, types: list[str], required: bool = False) -> str | None:
    value = params._one(name)
    if value is None:
        if required:
            raise params.BadParameter(name, f"is required (a {' or '.join(types)})")
        return None
    found = ng.find_node(g, dependency.expand(value, "product" if "product" in types
                                              else types[0]), types) or ng.find_node(
        g, value, types)
    if found is None:
        raise params.BadParameter(name, f"no {' or '.join(types)} {value!r} in the "
                                        f"network of {g.graph.get('year')}")
    return found


def _network(year: int):
    """The year's network; a year without imports is a 404 that says so."""
    try:
        return cache.supply_network(year)
    except ValueError as e:
        raise ApiError(404, str(e)) from None


@bp.get("/supply")
def network():
    """The supply network of a year as Cytoscape.js JSON (with layered positions),
    GraphML, GEXF or DOT; ``scope`` (all, connected, sectors) and ``min_share`` (%)
    choose the part shown."""
    params.only("year", "format", "scope", "min_share")
    year = _year()
    fmt = params.choice("format", list(export.FORMATS), "cytoscape")
    scope = params.choice("scope", list(supply.SCOPES), "all")
    min_share = params.number("min_share", 0, 100, 0.0)
    g = _network(year)
    if fmt == "cytoscape":
        return Response(drawing.body(year, scope, min_share), mimetype="application/json")
    out = io.BytesIO()
    export.write(supply.view(g, scope, min_share), out, fmt)
    return Response(out.getvalue(), mimetype=export.FORMATS[fmt])


@bp.get("/supply/choices")
def choices():
    """What the what-if can disrupt in a year: partners, their products, the elements in
    those and the elements' groups."""
    params.only("year")
    year = _year()
    _network(year)
    return Response(drawing.choices(year), mimetype="application/json")


@bp.get("/supply/metrics")
def metrics():
    """Per product and element: import value, HHI, largest partner, China's share."""
    params.only("year")
    year = _year()
    return jsonify(cache.memo(("supply-metrics", year),
                              lambda _: supply.metrics(cache.supply_network(year))))


@bp.get("/supply/disrupt")
def disrupt():
    """A partner stops supplying a product, an element's (or a group's members')
    products, or everything."""
    params.only("year", "partner", "product", "element", "fraction")
    year = _year()
    g = _network(year)
    partner = _in(g, "partner", ["country", "area"], required=True)
    product = _in(g, "product", ["product"])
    element = _in(g, "element", ["element", "group"])
    if product and element:
        raise params.BadParameter("element", "give a product or an element, not both")
    fraction = params.number("fraction", 0, 1, 1.0, low_open=True)
    return jsonify(supply.disrupt(g, partner, product, element, fraction))


@bp.get("/dependency/imports")
def imports():
    """Korea's imports of a product or an element's products: one year, or the series."""
    params.only("product", "element", "year")
    product, element = params._one("product"), params._one("element")
    if (product is None) == (element is None):
        raise params.BadParameter("product", "give a product or an element")
    year = _year(default=None)
    store = cache.store()
    if year is None:
        return jsonify({"series": dependency.import_series(store, product, element)})
    return jsonify(dependency.import_profile(store, year, product, element))


@bp.get("/dependency/production")
def production():
    """World production (or reserves) concentration of a commodity in a year."""
    params.only("commodity", "year", "statistic")
    commodity = params._one("commodity")
    if commodity is None:
        raise params.BadParameter("commodity", "is required, e.g. cobalt")
    year = _year(default=2022, low=2019, high=2023)
    statistic = params.choice("statistic", ["production", "reserves", "capacity"],
                              "production")
    answers = dependency.production_concentration(
        cache.store(), commodity, year, dependency.ID + f"statistic/{statistic}")
    return jsonify({"answers": answers})


@bp.get("/dependency/risk")
def risk():
    """Korea's GeoPolRisk of a product and the governance-weighted HHI."""
    params.only("product", "commodity", "year")
    product, commodity = params._one("product"), params._one("commodity")
    if product is None or commodity is None:
        raise params.BadParameter("product" if product is None else "commodity",
                                  "is required")
    year = _year(default=2022, low=2019, high=2023)
    try:
        return jsonify(dependency.supply_risk(cache.store(), product, commodity, year))
    except ValueError as e:
        return json_error(404, str(e))
