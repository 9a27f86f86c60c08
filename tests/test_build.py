"""`krm build`, `krm validate`, `krm query` and `krm export` as a user runs them: a good
build swaps a store in, an unchanged one builds nothing, and bad input (a Turtle syntax
error, a SHACL violation) is reported precisely and leaves the serving store alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg.build import FACTS
from kg.namespace import GRAPH_FACTS, GRAPH_INFERENCES, GRAPH_ONTOLOGY

KRM = str(Path(sys.executable).with_name("krm"))


def krm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KRM, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of the facts and a store built from them, as a user's checkout would have."""
    root = tmp_path_factory.mktemp("build")
    facts = root / "facts"
    shutil.copytree(FACTS, facts)
    link = root / "var" / "store"
    result = krm("build", "--store", str(link), "--facts", str(facts))
    assert result.returncode == 0, result.stderr
    return facts, link


def current_target(link: Path) -> Path:
    return link.resolve()


def test_build_writes_three_named_graphs(store):
    graphs = {g.value for g in store.named_graphs()}
    assert {GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERENCES} <= graphs


def test_unchanged_build_builds_nothing(workspace):
    facts, link = workspace
    before = current_target(link)
    result = krm("build", "--store", str(link), "--facts", str(facts))
    assert result.returncode == 0
    assert "Nothing changed" in result.stdout
    assert current_target(link) == before


def test_turtle_syntax_error_names_file_and_line_and_keeps_store(workspace, tmp_path):
    facts, link = workspace
    before = current_target(link)
    broken = tmp_path / "facts"
    shutil.copytree(facts, broken)
    target = broken / "production.ttl"
    lines = target.read_text(encoding="utf-8").splitlines()
    lines.append("<id/element/W> <ontology#symbol> \"W\" ;;; oops")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = krm("build", "--store", str(link), "--facts", str(broken))
    assert result.returncode == 1
    assert f"production.ttl:{len(lines)}:" in result.stderr
    assert current_target(link) == before
    assert krm("stats", "--store", str(link)).returncode == 0


def test_shacl_violation_is_reported_and_nothing_is_swapped_in(workspace, tmp_path):
    facts, link = workspace
    before = current_target(link)
    bad = tmp_path / "facts"
    shutil.copytree(facts, bad)
    (bad / "zz-bad.ttl").write_text(
        "@prefix krm: <ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<id/claim/unsourced> a krm:Claim ; rdfs:label \"an unsourced claim\"@en ;\n"
        "    krm:sharePercent 150.0 .\n",
        encoding="utf-8",
    )
    result = krm("build", "--store", str(link), "--facts", str(bad))
    assert result.returncode == 1
    assert "id/claim/unsourced" in result.stderr
    assert "sharePercent" in result.stderr and "0 to 100" in result.stderr
    assert "wasDerivedFrom" in result.stderr
    assert current_target(link) == before
    validate = krm("validate", "--facts", str(bad))
    assert validate.returncode == 1 and "id/claim/unsourced" in validate.stdout


def test_validate_conforms_on_the_real_facts():
    result = krm("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Conforms" in result.stdout


def test_rare_earth_elements_are_inferred_chemical_elements(store_link):
    result = krm(
        "query", "--store", str(store_link), "--format", "json",
        "SELECT ?e WHERE { GRAPH <" + GRAPH_INFERENCES + "> "
        "{ ?e a krm:ChemicalElement } ?e a krm:RareEarthElement }",
    )
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    found = {b["e"]["value"].rsplit("/", 1)[-1] for b in bindings}
    assert {"Nd", "Dy", "La"} <= found


def test_query_syntax_error_is_reported(store_link):
    result = krm("query", "--store", str(store_link), "SELECT ?x WHERE { ?x ")
    assert result.returncode == 1
    assert "SPARQL syntax error" in result.stderr


def test_export_trig_keeps_the_named_graphs(store_link, tmp_path):
    out = tmp_path / "dump.trig"
    result = krm("export", "--store", str(store_link), "--format", "trig", "-o", str(out))
    assert result.returncode == 0, result.stderr
    ds = rdflib.Dataset()
    ds.parse(out, format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    assert {GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERENCES} <= names


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("nt", "nt"),
                                               ("jsonld", "json-ld")])
def test_export_graph_formats_parse(store_link, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"dump.{fmt}"
    result = krm("export", "--store", str(store_link), "--format", fmt, "--graph", "facts",
                 "-o", str(out))
    assert result.returncode == 0, result.stderr
    g = rdflib.Graph().parse(out, format=rdflib_format)
    assert len(g) > 500
