"""``/api/network``: the supply network as Cytoscape.js JSON, GraphML, GEXF or DOT, its
metrics, and what-if disruptions. Errors are ``{"error": ..., "status": 400}``."""

from __future__ import annotations

import io

from flask import Blueprint, Response, jsonify, request, url_for

from kg.network import export, metrics, whatif
from kg.network import graph as ng
from server.graph import cache, params

bp = Blueprint("network_api", __name__, url_prefix="/api/network")

COMMODITY = ["element", "group", "material"]


def _format() -> str:
    if "format" in request.args:
        return params.choice("format", list(export.FORMATS), "cytoscape")
    # No format parameter: let the Accept header choose, JSON unless it asks otherwise.
    types = {media: name for name, media in export.FORMATS.items()}
    best = request.accept_mimetypes.best_match(list(types), default="application/json")
    return types.get(best, "cytoscape")


@bp.get("")
def network():
    """The network, filtered by element, country, sector and share threshold."""
    params.only("format", "element", "country", "sector", "threshold", "source", "year",
                "observations")
    fmt = _format()
    observations = params.choice("observations", ["true", "false"], "true") == "true"
    element = params.node("element", COMMODITY)
    country = params.node("country", ["country"])
    sector = params.node("sector", ["sector"])
    threshold = params.number("threshold", 0, 100)
    source = params.source()
    year = params.integer("year", 0, 9999)
    g = ng.view(cache.annotated(source, year), element, country, sector, threshold)
    if fmt == "cytoscape":
        body = export.cytoscape(g, observations)
        body["meta"] = {
            "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
            "filters": {"element": element, "country": country, "sector": sector,
                        "threshold": threshold, "source": source, "year": year},
            "note": "Production edges show the share of their commodity's most recent data "
                    "set unless source/year choose one; see /api/network/metrics.",
        }
        return jsonify(body)
    out = io.BytesIO()
    export.write(g, out, fmt)
    ext = {"graphml": "graphml", "gexf": "gexf", "dot": "gv"}[fmt]
    return Response(out.getvalue(), mimetype=export.FORMATS[fmt], headers={
        "Content-Disposition": f'inline; filename="krm-network.{ext}"'})


@bp.get("/metrics")
def network_metrics():
    """HHI bounds per commodity, exposure per sector and company, chokepoints."""
    params.only("threshold", "source", "year", "top")
    threshold = params.number("threshold", 0, 100, metrics.THRESHOLD)
    source = params.source()
    year = params.integer("year", 0, 9999)
    top = params.integer("top", 1, 1000, 10)
    body = cache.memo(("metrics", threshold, source, year, top),
                      lambda g: metrics.summary(g, threshold, source, year, top))
    return jsonify({**body, "network": url_for("network_api.network")})


@bp.get("/disrupt")
def disrupt():
    """What a supplier's disruption reaches, worst first, with the path to each."""
    params.only("country", "element", "fraction", "source", "year")
    country = params.node("country", ["country"], required=True)
    element = params.node("element", COMMODITY)
    fraction = params.number("fraction", 0, 1, 1.0, low_open=True)
    source = params.source()
    year = params.integer("year", 0, 9999)
    return jsonify(whatif.disrupt(cache.network(), country, element, fraction, source, year))
