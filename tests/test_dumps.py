"""The downloadable dumps as their readers use them: rdflib and pyld read every format,
TriG and N-Quads keep the store's named graphs (however many), the merged formats say
so, and ``sha256sum -c`` accepts the SHA256SUMS file."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import pytest
import rdflib
from click.testing import CliRunner
from pyld import jsonld

from kg import dumps as dmp
from kg import store as st
from kg import void
from kg.cli import main
from server import create_app

EXTRA_GRAPH = "https://w3id.org/krm/graph/extra-data-set"


@pytest.fixture(scope="module")
def client(fixture_link):
    return create_app({"STORE": str(fixture_link)}).test_client()


@pytest.fixture(scope="module")
def store_graphs(fixture_link) -> dict[str, int]:
    return st.graph_sizes(st.open_store(fixture_link))


@pytest.fixture(scope="module")
def files(fixture_link) -> list[dmp.DumpFile]:
    return dmp.read_manifest(fixture_link.parent / "dumps")[1]


def body(client, name: str) -> bytes:
    r = client.get(f"/dumps/{name}")
    assert r.status_code == 200, name
    data = r.get_data()
    return gzip.decompress(data) if name.endswith(".gz") else data


def test_every_format_is_offered_and_says_whether_it_merges(client, files):
    kinds = {f.name: f.graphs for f in files}
    assert kinds == {"krm.ttl": "merged", "krm.nt.gz": "merged", "krm.jsonld": "merged",
                     "krm.trig": "named", "krm.nq.gz": "named"}
    page = client.get("/dumps/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "merge every graph into one default graph" in page and "SHA256SUMS" in page
    for f in files:
        assert f.name in page


def test_trig_and_nquads_keep_each_named_graph(client, store_graphs):
    for name, fmt in (("krm.trig", "trig"), ("krm.nq.gz", "nquads")):
        ds = rdflib.Dataset()
        ds.parse(data=body(client, name), format=fmt)
        sizes = {str(g.identifier): len(g) for g in ds.graphs()
                 if str(g.identifier) != str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)}
        assert sizes == store_graphs, name


def test_merged_formats_hold_every_triple_in_the_default_graph(client):
    merged = rdflib.Graph().parse(data=body(client, "krm.nt.gz"), format="nt")
    assert len(merged) > 0
    for name, fmt in (("krm.ttl", "turtle"), ("krm.jsonld", "json-ld")):
        g = rdflib.Graph().parse(data=body(client, name), format=fmt)
        assert len(g) == len(merged), name
    # pyld, the JSON-LD processor: every quad in the default graph, none lost.
    doc = json.loads(body(client, "krm.jsonld"))
    quads = jsonld.to_rdf(doc)
    assert set(quads) == {"@default"}
    assert len(quads["@default"]) == len(merged)


def test_sha256sum_checks_the_dumps(client, files, tmp_path):
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum (GNU coreutils) is not installed")
    r = client.get("/dumps/SHA256SUMS")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    (tmp_path / "SHA256SUMS").write_bytes(r.get_data())
    for f in files:  # as downloaded: the .gz files compressed
        (tmp_path / f.name).write_bytes(client.get(f"/dumps/{f.name}").get_data())
    ok = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=tmp_path,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count(": OK") == len(files)
    (tmp_path / "krm.ttl").write_bytes(b"# not the dump\n")
    bad = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "krm.ttl: FAILED" in bad.stdout


def test_dumps_and_void_cover_a_fourth_named_graph(fixture_link, tmp_path):
    """A data set loaded into a graph of its own is dumped and described like the rest."""
    source = st.open_store(fixture_link)
    extra = st.NamedNode(EXTRA_GRAPH)
    quads = list(source.quads_for_pattern(None, None, None, None))
    quads += [st.Quad(q.subject, q.predicate, q.object, extra) for q in quads[:25]]
    st.write_store(tmp_path / "store", quads)
    store = st.open_store(tmp_path / "store")
    files = dmp.write_dumps(store, tmp_path / "dumps", "test")
    manifest = json.loads((tmp_path / "dumps" / dmp.MANIFEST).read_text())
    assert EXTRA_GRAPH in manifest["graphs"]
    ds = rdflib.Dataset()
    ds.parse(tmp_path / "dumps" / "krm.trig", format="trig")
    assert len(ds.graph(rdflib.URIRef(EXTRA_GRAPH))) == 25
    stats = void.statistics(store)
    assert stats["graphs"][EXTRA_GRAPH] == 25
    triples = void.description(stats, "test", "2026-01-01T00:00:00Z", files,
                               lambda name: "https://w3id.org/krm/dumps/" + name)
    named = {t.object.value for t in triples
             if t.predicate.value == "http://www.w3.org/ns/sparql-service-description#name"}
    assert named == set(st.graph_sizes(store))
    # krm export gives that graph alone, by its IRI, and names the graphs it holds.
    runner = CliRunner()
    args = ["export", "--store", str(tmp_path / "store"), "--format", "nq"]
    r = runner.invoke(main, [*args, "--graph", EXTRA_GRAPH])
    assert r.exit_code == 0, r.output
    ds = rdflib.Dataset()
    ds.parse(data=r.stdout_bytes, format="nquads")
    assert {str(g.identifier): len(g) for g in ds.graphs() if len(g)} == {EXTRA_GRAPH: 25}
    r = runner.invoke(main, [*args, "--graph", "https://example.org/no-graph"])
    assert r.exit_code == 2 and EXTRA_GRAPH in r.output and "Traceback" not in r.output
