"""The ``krm`` command line: build, validate, query and export the graph."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from kg import build as builder
from kg import queries
from kg import store as st
from kg.ingest import IngestError
from kg.namespace import GRAPH_FACTS, GRAPH_INFERENCES, GRAPH_ONTOLOGY, GRAPHS

STORE_OPTION = click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    default=builder.DEFAULT_STORE,
    show_default=True,
    envvar="KRM_STORE",
    help="The store link that 'krm build' maintains.",
)


class Commands(click.Group):
    """The command group: an ``OSError`` (a store that is missing or damaged, a folder
    that cannot be written, a full disk) is one line and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as e:
            if e.errno == errno.EPIPE:  # stdout closed early (| head): click's to handle
                raise
            raise click.ClickException(_one_line(e)) from None


def _one_line(e: OSError) -> str:
    return " ".join(str(e).split()) or type(e).__name__


@click.group(cls=Commands)
def main() -> None:
    """Korea Rare Metals Knowledge Graph."""


FACTS_OPTION = click.option(
    "--facts",
    "facts_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=builder.FACTS,
    help="Folder of fact files (default: the package's kg/facts).",
)
DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=builder.DATA,
    help="Folder of data files, laid out as kg/sources (default: the package's kg/sources).",
)
NO_DATA_OPTION = click.option(
    "--no-data", is_flag=True,
    help="Leave the data files out: the ontology and facts only (small test graphs).")


@main.command()
@STORE_OPTION
@FACTS_OPTION
@DATA_OPTION
@NO_DATA_OPTION
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
def build(store_path: Path, facts_dir: Path, data_dir: Path, no_data: bool, force: bool) -> None:
    """Parse, ingest the data, infer, validate and write a new store, then swap it in."""
    try:
        report = builder.build(store_path, force=force, facts_dir=facts_dir,
                               data_dir=None if no_data else data_dir)
    except st.TurtleError as e:
        raise click.ClickException(f"Turtle syntax error: {e}") from None
    except IngestError as e:
        raise click.ClickException(f"bad data: {e}; the previous store is unchanged") from None
    except builder.CubeCheckFailed as e:
        raise click.ClickException(f"{e}; the previous store is unchanged") from None
    except builder.ValidationFailed as e:
        for v in e.violations:
            click.echo(str(v), err=True)
        raise click.ClickException(f"{e}; the previous store is unchanged") from None
    except OSError as e:  # a full disk, a folder that cannot be made
        raise click.ClickException(f"could not write the new store: {_one_line(e)}; "
                                   "the previous store is unchanged") from None
    if not report.built:
        click.echo(f"Nothing changed: store {report.digest} is current ({report.seconds:.2f} s).")
        return
    click.echo(f"Built store {report.digest} in {report.seconds:.1f} s:")
    for graph, n in report.triples.items():
        click.echo(f"  {n:7d} triples  <{graph}>")
    if report.data is not None:
        click.echo("Data ingested (kg/sources/):")
        for line in report.data.lines():
            click.echo(line)
    _summary(st.open_store(store_path))


@main.command()
@FACTS_OPTION
@DATA_OPTION
def validate(facts_dir: Path, data_dir: Path) -> None:
    """SHACL report on the graph as it would be built; exit 1 on a violation."""
    try:
        graphs = builder.load_graphs(facts_dir)
        violations = builder.check(graphs, builder.load_data(graphs, data_dir))
    except st.TurtleError as e:
        raise click.ClickException(f"Turtle syntax error: {e}") from None
    except IngestError as e:
        raise click.ClickException(f"bad data: {e}") from None
    for v in violations:
        click.echo(str(v))
    if violations:
        click.echo(f"{len(violations)} violation(s).", err=True)
        sys.exit(1)
    click.echo("Conforms.")


@main.command()
@STORE_OPTION
def stats(store_path: Path) -> None:
    """Counts by class and triples per named graph."""
    _summary(st.open_store(store_path))


def _summary(store) -> None:
    sizes = st.graph_sizes(store)
    for graph in GRAPHS:
        click.echo(f"  {sizes.get(graph, 0):6d} triples in <{graph}>")
    click.echo("Instances by class:")
    for row in st.rows(st.query(store, _read_query("stats/counts-by-class.rq"))):
        click.echo(f"  {int(row['n']):5d}  {row['label'] or row['class']}")


def _read_query(name: str) -> str:
    return (queries.QUERIES / name).read_text(encoding="utf-8")


RESULT_FORMATS = ["json", "csv", "tsv", "xml", "ttl", "nt", "rdf", "jsonld"]


@main.command()
@click.argument("sparql", required=False)
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS + ["turtle"]),
              default=None, help="Result format (default: tsv for SELECT, ttl for graphs).")
@click.option("--file", "query_file", type=click.File("r"), help="Read the query from a file.")
@click.option("--name", "query_name", metavar="NAME",
              help="Run a named query of the library, e.g. production/shares.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the named query (repeatable).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
def query(sparql: str | None, store_path: Path, fmt: str | None, query_file,
          query_name: str | None, params: tuple[str, ...], list_queries: bool) -> None:
    """Run a SPARQL query (text, --file, or a named query of the library with --name)."""
    if list_queries:
        for q in queries.load_all().values():
            args = " ".join(f"--param {p.name}=" + ("..." if p.required else f"[{p.default}]")
                            for p in q.params)
            click.echo(f"{q.name}: {q.summary}" + (f"\n    {args}" if args else ""))
        return
    if sum(x is not None for x in (sparql, query_file, query_name)) != 1:
        raise click.UsageError("give one of: a query, --file, or --name")
    if params and not query_name:
        raise click.UsageError("--param goes with --name")
    substitutions = None
    if query_name:
        named = queries.load_all().get(query_name)
        if named is None:
            raise click.UsageError(f"no query named {query_name!r}; see 'krm query --list'")
        values = {}
        for item in params:
            key, eq, value = item.partition("=")
            if not eq:
                raise click.UsageError(f"--param {item!r}: write it as key=value")
            values[key] = value
        try:
            substitutions = named.bindings(values)
        except queries.ParamError as e:
            raise click.BadParameter(str(e), param_hint="--param") from None
        text = named.text
    else:
        text = query_file.read() if query_file else sparql
    store = st.open_store(store_path)
    try:
        results = st.query(store, text, substitutions=substitutions)
    except SyntaxError as e:
        raise click.ClickException(f"SPARQL syntax error: {e}") from None
    out = sys.stdout.buffer
    if isinstance(results, st.QueryBoolean):
        fmt = fmt or "json"
    if fmt == "turtle":
        fmt = "ttl"
    try:
        if isinstance(results, st.QueryBoolean):
            if fmt in ("json", "xml", "csv", "tsv"):
                results.serialize(out, st.QueryResultsFormat.from_extension(fmt))
            else:
                click.echo("true" if results else "false")
            return
        default = "ttl" if isinstance(results, st.QueryTriples) else "tsv"
        st.write_results(results, out, fmt or default)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    out.flush()


EXPORT_FORMATS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "trig": "trig", "nq": "nq"}


@main.command()
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="trig",
              show_default=True)
@click.option("--graph", default="all", show_default=True,
              help="all, or one named graph: ontology, facts, inferences, or the IRI of any "
                   "graph the store holds (dataset formats keep the graph's name).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File (default: stdout).")
@click.option("--dumps", "dumps_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write the downloadable dumps (Turtle, N-Triples gzip, JSON-LD, TriG, "
                   "N-Quads gzip), their manifest and SHA256SUMS into this folder instead.")
def export(store_path: Path, fmt: str, graph: str, output: Path | None,
           dumps_dir: Path | None) -> None:
    """Dump the dataset: TriG and N-Quads keep the named graphs; Turtle, N-Triples and
    JSON-LD merge them (or give one with --graph)."""
    if dumps_dir is not None:
        from kg.dumps import write_dumps

        version = Path(store_path).resolve().name
        for f in write_dumps(st.open_store(store_path), dumps_dir, version):
            click.echo(f"{f.bytes:10d}  {f.sha256}  {dumps_dir / f.name}")
        return
    store = st.open_store(store_path)
    graph_iri = None if graph == "all" else {
        "ontology": GRAPH_ONTOLOGY, "facts": GRAPH_FACTS,
        "inferences": GRAPH_INFERENCES}.get(graph, graph)
    if graph_iri is not None and graph_iri not in st.graph_sizes(store):
        raise click.BadParameter(
            f"no graph {graph!r} in the store; it holds: all, ontology, facts, inferences, "
            + ", ".join(sorted(st.graph_sizes(store))), param_hint="--graph")
    if output:
        with output.open("wb") as f:
            st.dump(store, f, EXPORT_FORMATS[fmt], graph_iri)
    else:
        st.dump(store, sys.stdout.buffer, EXPORT_FORMATS[fmt], graph_iri)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int,
              help="Worker processes; they share the on-disk store read-only.")
@click.option("--threads", default=16, show_default=True, type=int,
              help="Requests each worker process handles at once (a query's thread mostly "
                   "waits for its query worker process).")
@click.option("--store", "store_path", default=str(builder.DEFAULT_STORE), show_default=True,
              envvar="KRM_STORE",
              help="Store path, or the URL of a SPARQL 1.1 endpoint to front.")
@click.option("--update-url", envvar="KRM_SPARQL_UPDATE_URL", default=None,
              help="With a remote --store: its SPARQL Update endpoint.")
@click.option("--access-log", is_flag=True,
              help="Log every request on stdout (off by default: it costs about a tenth of "
                   "a cheap query's time).")
def serve(host: str, port: int, workers: int, threads: int, store_path: str,
          update_url: str | None, access_log: bool) -> None:
    """Serve the graph over HTTP under granian.

    granian (a WSGI server in Rust) parses HTTP and streams responses at a fraction of a
    pure-Python server's cost. Its processes never parse or run client queries: those go
    to supervised query worker processes that all of them share (``kg/service/pool.py``,
    ``kg/service/host.py``), so a query that crashes or runs away never ends a serving
    process.
    """
    from kg.service import is_endpoint_url

    if not is_endpoint_url(store_path):
        try:  # here, once: a worker that cannot open it would be respawned again and again
            st.open_store(store_path)
        except OSError as e:  # missing, or damaged (kg/seal.py)
            raise click.ClickException(_one_line(e)) from None
        if os.environ.get("KRM_SPARQL_UPDATE_TOKEN") and workers != 1:
            click.echo("Updates are on: serving with one worker, the store's only writer.",
                       err=True)
            workers = 1
    os.environ["KRM_STORE"] = store_path
    if update_url:
        os.environ["KRM_SPARQL_UPDATE_URL"] = update_url
    os.environ.pop("KRM_POOL_SOCKET", None)  # a host of ours, never one inherited
    if not is_endpoint_url(store_path) and workers > 1:
        pool_socket = _start_pool_host()
        if pool_socket:
            os.environ["KRM_POOL_SOCKET"] = pool_socket
    # granian through this interpreter: its script may not be beside it, nor on PATH
    # (a venv used without activating it, ``pip install --user``).
    argv = [sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", host, "--port", str(port), "--workers", str(workers),
            "--blocking-threads", str(threads), "--no-ws",
            "--respawn-failed-workers", "--respawn-interval", "0.1",
            "--workers-kill-timeout", "5", "--access-log" if access_log else "--no-access-log",
            "server.wsgi:app"]
    os.execv(sys.executable, argv)


def _start_pool_host() -> str | None:
    """Start the host of the query workers that the server's processes share
    (``kg/service/host.py``); the path of its socket, or None without one (updates on:
    the store's one writer is the only worker, in the one serving process; or it failed
    to start)."""
    import json
    import shutil
    import subprocess
    import tempfile
    import time

    from server import settings
    from server.db import pool_options

    cfg = settings()
    if cfg.get("SPARQL_UPDATE_TOKEN"):
        return None
    path = os.path.join(tempfile.mkdtemp(prefix="krm-pool-"), "socket")  # only ours (0700)
    # Started by this thread, which granian's main process goes on as: the host dies with
    # the server (its parent-death signal), and its workers with it.
    host = subprocess.Popen([sys.executable, "-m", "kg.service.host", path, str(os.getpid()),
                             json.dumps(pool_options(cfg))], stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not os.path.exists(path):
        if host.poll() is not None or time.monotonic() > deadline:
            host.kill()
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)
            click.echo("The shared pool of query workers did not start: each server process "
                       "starts its own.", err=True)
            return None
        time.sleep(0.02)
    return path


from kg.network.cli import network  # noqa: E402  (its own module; registered here)

main.add_command(network)
