"""``krm network``: concentration metrics, what-if disruptions and graph exports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg import build as builder
from kg import store as st
from kg.network import export as exporter
from kg.network import graph as ng
from kg.network import metrics, whatif
from kg.network.datasets import resolve_source

STORE_OPTION = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), default=builder.DEFAULT_STORE,
    show_default=True, envvar="KRM_STORE", help="The store link that 'krm build' maintains.")
SOURCE_OPTION = click.option(
    "--source", default=None,
    help="Use this source's figures (an IRI, or 'paper'); default: the most recent.")
YEAR_OPTION = click.option(
    "--year", type=click.IntRange(1995, 2024), default=None,
    help="Use the supply network built from the official data of this year (Korea's "
         "imports by partner, CEPII BACI) instead of the paper's production figures.")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _supply(store_path: Path, year: int):
    from kg.network import supply

    try:
        return supply.build(st.open_store(store_path), year)
    except (OSError, ValueError) as e:
        raise click.ClickException(str(e)) from None


def _graph(store_path: Path):
    try:
        return ng.build_graph(st.open_store(store_path))
    except OSError as e:
        raise click.ClickException(str(e)) from None


def _node(g, value: str, types: list[str], option: str) -> str:
    node = ng.find_node(g, value, types)
    if node is None:
        raise click.BadParameter(f"no {' or '.join(types)} {value!r} in the network",
                                 param_hint=option)
    return node


@click.group()
def network() -> None:
    """The supply-dependency network: metrics, what-if, export."""


@network.command("metrics")
@STORE_OPTION
@SOURCE_OPTION
@YEAR_OPTION
@click.option("--threshold", type=click.FloatRange(0, 100), default=metrics.THRESHOLD,
              show_default=True, help="Share (%) above which one country is a dependency.")
@JSON_OPTION
def metrics_cmd(store_path: Path, source: str | None, year: int | None, threshold: float,
                as_json: bool) -> None:
    """HHI per commodity, dependencies per sector and company, chokepoints; with --year,
    per product and element of that year's imports."""
    if year is not None:
        from kg.network import supply

        s = supply.metrics(_supply(store_path, year))
        if as_json:
            click.echo(json.dumps(s, indent=2, ensure_ascii=False))
            return
        click.echo(f"Korea's imports in {year} (CEPII BACI; HHI of partners by value, 0-10,000):")
        for kind, key in (("product", "products"), ("element", "elements")):
            for m in s[key][:15]:
                click.echo(f"  {kind:<8} {m['label'][:40]:<40} {m['import_value']:>14,.0f} kUSD"
                           f"  HHI {m['hhi']:7.0f}  top {m['largest_label']}"
                           f" {m['largest_share']:.1f}%  China {m['china_share']:.1f}%")
        return
    g = _graph(store_path)
    s = metrics.summary(g, threshold, resolve_source(source), year)
    if as_json:
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return
    click.echo("Concentration (HHI 0-10,000; bounds for the unknown remainder):")
    for m in s["commodities"]:
        when = f"{m['year']}" if m["year"] else "undated"
        click.echo(f"  {m['label']:<28} HHI {m['hhi_lower']:7.0f} .. {m['hhi_upper']:7.0f}"
                   f"  top {m['top_producer_label']} {m['top_share']:g}%"
                   f"  known {m['known_share']:g}%  [{when}, {' '.join(m['sources'])}"
                   f"{', latest' if m['latest'] else ''}]")
    click.echo(f"Dependencies (one country > {threshold:g}% of a need):")
    for e in s["exposure"]:
        deps = "; ".join(f"{d['label']} {d['share']:g}% of {d['commodity_label']}"
                         for d in e["dependencies"]) or "none"
        click.echo(f"  {e['type']:<8} {e['label']:<28} {deps}")
    click.echo("Chokepoints (betweenness centrality):")
    for c in s["chokepoints"]:
        click.echo(f"  {c['betweenness']:.4f}  {c['type']:<8} {c['label']}")


@network.command()
@STORE_OPTION
@click.option("--country", required=True, help="The supplier: alpha-3 code or IRI.")
@click.option("--element", default=None,
              help="Only this commodity: element symbol, group slug (ree, pgm) or IRI.")
@click.option("--product", default=None,
              help="With --year: only this HS 1992 product (six digits or IRI).")
@click.option("--fraction", type=click.FloatRange(0, 1, min_open=True), default=1.0,
              show_default=True, help="Share of the supplier's output lost.")
@SOURCE_OPTION
@YEAR_OPTION
@JSON_OPTION
def disrupt(store_path: Path, country: str, element: str | None, product: str | None,
            fraction: float, source: str | None, year: int | None, as_json: bool) -> None:
    """What a supplier's disruption reaches, worst hit first, with the path to each.
    With --year: the partner stops supplying Korea (a product, an element's products or
    everything), from that year's imports."""
    if year is not None:
        _supply_disrupt(store_path, year, country, element, product, fraction, as_json)
        return
    if product is not None:
        raise click.BadParameter("needs --year (the trade data)", param_hint="--product")
    g = _graph(store_path)
    c = _node(g, country, ["country"], "--country")
    el = _node(g, element, ["element", "group", "material"], "--element") if element else None
    r = whatif.disrupt(g, c, el, fraction, resolve_source(source), year)
    if as_json:
        click.echo(json.dumps(r, indent=2, ensure_ascii=False))
        return
    if not r["hits"]:
        click.echo("Nothing downstream is hit.")
    for h in r["hits"]:
        severity = "     ? " if h["severity"] is None else f"{h['severity']:6.1f}%"
        click.echo(f"  {severity}  {h['type']:<8} {h['label']:<28} "
                   f"via {' -> '.join(r['labels'][n] for n in h['path'])}")


def _supply_disrupt(store_path: Path, year: int, country: str, element: str | None,
                    product: str | None, fraction: float, as_json: bool) -> None:
    from kg.network import dependency, supply

    g = _supply(store_path, year)
    c = ng.find_node(g, dependency.expand(country, "country"), ["country", "area"]) or _node(
        g, country, ["country", "area"], "--country")
    p = (ng.find_node(g, dependency.expand(product, "product"), ["product"]) or _node(
        g, product, ["product"], "--product")) if product else None
    el = _node(g, element, ["element"], "--element") if element else None
    try:
        r = supply.disrupt(g, c, p, el, fraction)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    if as_json:
        click.echo(json.dumps(r, indent=2, ensure_ascii=False))
        return
    click.echo(f"{r['partner_label']} stops {fraction:.0%} of its supply in {year}: "
               f"{r['lost_value']:,.0f} thousand USD of Korea's imports lost (CEPII BACI)")
    for h in r["hits"]:
        click.echo(f"  {h['severity']:6.1f}%  {h['type']:<8} {h['label'][:40]:<40} "
                   f"via {' -> '.join(g.nodes[n]['label'][:30] for n in h['path'])}")


@network.command()
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(sorted(exporter.FORMATS)), default="graphml",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File (default: stdout).")
@YEAR_OPTION
def export(store_path: Path, fmt: str, output: Path | None, year: int | None) -> None:
    """Write the network as GraphML, GEXF, Cytoscape.js JSON or DOT."""
    g = _graph(store_path) if year is None else _supply(store_path, year)
    if output:
        with output.open("wb") as f:
            exporter.write(g, f, fmt)
    else:
        exporter.write(g, sys.stdout.buffer, fmt)
        sys.stdout.buffer.flush()
