"""Concentration and supply risk: pure functions over shares and governance scores.

Why pure functions: every figure the analysis shows (``kg.network.dependency``) is one of
these applied to rows of the official data, so a test can recompute it by hand from the
CSV files, and a page can show the formula next to the number.

Conventions (README, "Supply risk"):

- Shares are percent (0-100). The Herfindahl-Hirschman index :func:`hhi` is the sum of
  the squared percent shares, 0-10,000 (10,000: one supplier).
- WGI: the World Bank's "Political Stability and Absence of Violence/Terrorism" estimate,
  a standard normal score from about -2.5 (weak) to 2.5 (strong). It is rescaled two ways,
  each clipped to its range:

  * :func:`eu_scale`: 0-10, 10 the least stable, ``(2.5 - estimate) x 2``, the WGI
    weight of the EU criticality method's HHI (Blengini et al. 2017, *Assessment of the
    Methodology for Establishing the EU List of Critical Raw Materials*,
    doi:10.2760/73303; the EU uses more WGI dimensions, here political stability only);
  * :func:`gpr_scale`: 0-1, 1 the least stable, ``(2.5 - estimate) / 5``, the normalised
    political-stability score of the GeoPolRisk method.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The formulas, as each answer quotes them.
FORMULAS = {
    "hhi": "HHI = sum over producers of (share in %)^2, 0-10000",
    "governance_weighted_hhi": (
        "HHI_WGI = sum over producers of (share as a fraction)^2 x WGI_scaled, 0-10, "
        "WGI_scaled = (2.5 - political-stability estimate) x 2 clipped to 0-10 "
        "(EU criticality method, Blengini et al. 2017, doi:10.2760/73303)"),
    "geopolrisk": (
        "GeoPolRisk = (HHI of world production / 10000) x sum over partners of "
        "(share of Korea's imports by quantity, as a fraction) x g, g = (2.5 - "
        "political-stability estimate) / 5 clipped to 0-1, 0.5 without a score "
        "(Gemechu et al. 2016, doi:10.1111/jiec.12279; "
        "geopolrisk-py, JOSS 2025, doi:10.21105/joss.09600)"),
}
REFERENCES = {
    "eu": "Blengini, G. A. et al. (2017), Assessment of the Methodology for Establishing "
          "the EU List of Critical Raw Materials: Background Report, EUR 28654 EN, "
          "doi:10.2760/73303",
    "gemechu": "Gemechu, E. D., Helbig, C., Sonnemann, G., Thorenz, A. and Tuma, A. (2016), "
               "Import-based indicator for the geopolitical supply risk of raw materials "
               "in life cycle sustainability assessments, Journal of Industrial Ecology, "
               "doi:10.1111/jiec.12279",
    "geopolrisk-py": "geopolrisk-py: the GeoPolRisk method in Python, Journal of Open "
                     "Source Software (2025), doi:10.21105/joss.09600",
}


def shares(values: Mapping[str, float], total: float | None = None) -> dict[str, float]:
    """Each key's share of ``total`` (default: the sum of the values), in percent.

    >>> shares({"CHL": 3.0, "ARG": 1.0})
    {'CHL': 75.0, 'ARG': 25.0}
    >>> shares({"COD": 1.0}, total=4.0)
    {'COD': 25.0}

    Raises:
        ValueError: the total is not positive.
    """
    total = sum(values.values()) if total is None else total
    if not total > 0:
        raise ValueError("shares of a total that is not positive")
    return {k: 100.0 * v / total for k, v in values.items()}


def hhi(percent_shares: Mapping[str, float] | list[float]) -> float:
    """Herfindahl-Hirschman index: the sum of the squared shares in percent (0-10,000).

    >>> hhi({"a": 50.0, "b": 50.0})
    5000.0
    >>> hhi([100.0])
    10000.0
    """
    values = percent_shares.values() if isinstance(percent_shares, Mapping) else percent_shares
    return float(sum(s * s for s in values))


def eu_scale(estimate: float) -> float:
    """The WGI estimate on the EU method's 0-10 scale, 10 the least stable.

    >>> eu_scale(2.5), eu_scale(0.0), eu_scale(-2.5), eu_scale(-3.1)
    (0.0, 5.0, 10.0, 10.0)
    """
    return min(10.0, max(0.0, (2.5 - estimate) * 2.0))


def gpr_scale(estimate: float) -> float:
    """The WGI estimate on the GeoPolRisk method's 0-1 scale, 1 the least stable.

    >>> gpr_scale(2.5), gpr_scale(0.0), gpr_scale(-2.5)
    (0.0, 0.5, 1.0)
    """
    return min(1.0, max(0.0, (2.5 - estimate) / 5.0))


def governance_weighted_hhi(percent_shares: Mapping[str, float],
                            estimates: Mapping[str, float]) -> dict:
    """HHI with each producer's squared share (as a fraction) weighted by its WGI score on
    the EU 0-10 scale: 0 to 10. Producers without a score are left out and their share is
    reported as ``uncovered`` (percent), so the value is a lower bound.

    >>> r = governance_weighted_hhi({"COD": 80.0, "AUS": 20.0}, {"COD": -2.0, "AUS": 0.5})
    >>> round(r["value"], 4), r["uncovered"]
    (5.92, 0.0)
    >>> governance_weighted_hhi({"X": 100.0}, {})["uncovered"]
    100.0
    """
    value, uncovered = 0.0, 0.0
    for k, s in percent_shares.items():
        if k in estimates:
            value += (s / 100.0) ** 2 * eu_scale(estimates[k])
        else:
            uncovered += s
    return {"value": value, "uncovered": uncovered,
            "formula": FORMULAS["governance_weighted_hhi"], "reference": REFERENCES["eu"]}


def geopolrisk(production_hhi: float, import_shares: Mapping[str, float],
               estimates: Mapping[str, float]) -> dict:
    """Korea's GeoPolRisk of an import: the world production HHI (0-10,000, divided by
    10,000) times the sum over partners of the partner's share of Korea's imports (as a
    fraction; the method weighs by quantity) times its political-stability score on the
    0-1 scale. A partner without a WGI score counts as 0.5, the middle of the scale, as
    geopolrisk-py does; ``unscored`` lists them. Korea's own production is not in the
    denominator (the trade data has none).

    >>> r = geopolrisk(5000.0, {"CHL": 80.0, "ARG": 20.0}, {"CHL": 0.0, "ARG": 2.5})
    >>> r["value"], r["import_term"], r["unscored"]
    (0.2, 0.4, [])
    >>> geopolrisk(10000.0, {"S19": 100.0}, {})["value"]
    0.5

    Raises:
        ValueError: the HHI is outside 0-10,000.
    """
    if not 0 <= production_hhi <= 10000.0 + 1e-9:
        raise ValueError(f"an HHI is 0-10000, not {production_hhi}")
    term, unscored = 0.0, []
    for k, s in import_shares.items():
        if k in estimates:
            term += s / 100.0 * gpr_scale(estimates[k])
        else:
            term += s / 100.0 * 0.5
            unscored.append(k)
    return {"value": production_hhi / 10000.0 * term, "import_term": term,
            "production_hhi": production_hhi, "unscored": sorted(unscored),
            "formula": FORMULAS["geopolrisk"],
            "references": [REFERENCES["gemechu"], REFERENCES["geopolrisk-py"]]}
