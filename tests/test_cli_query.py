"""``krm query --name``: the library from the command line, on the real graph."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from kg.cli import main


def krm(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_named_query_runs_with_parameters(store_link):
    r = krm("query", "--store", str(store_link), "--name", "production/shares",
            "--param", "commodity=id:element/W", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert ("China", "83", "true") in {(row["producerLabel"], row["share"], row["fromPaper"])
                                       for row in rows}


def test_a_bad_parameter_is_a_usage_error_naming_it(store_link):
    r = krm("query", "--store", str(store_link), "--name", "production/shares",
            "--param", 'commodity="} UNION { ?s ?p ?o')
    assert r.exit_code == 2
    assert "parameter 'commodity' expects an IRI" in r.output


def test_an_unknown_query_and_a_malformed_param_are_usage_errors(store_link):
    r = krm("query", "--store", str(store_link), "--name", "nope/nothing")
    assert r.exit_code == 2 and "no query named 'nope/nothing'" in r.output
    r = krm("query", "--store", str(store_link), "--name", "production/shares",
            "--param", "commodity")
    assert r.exit_code == 2 and "key=value" in r.output


def test_text_and_name_are_exclusive(store_link):
    r = krm("query", "--store", str(store_link), "--name", "production/shares",
            "SELECT * WHERE { ?s ?p ?o }")
    assert r.exit_code == 2


def test_the_library_is_listed():
    r = krm("query", "--list")
    assert r.exit_code == 0
    assert "production/shares: Production shares of a commodity" in r.output
    assert "--param commodity=" in r.output


def test_serve_without_a_store_says_so_and_stops(tmp_path):
    result = krm("serve", "--port", "9", "--store", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert "no store at" in result.output and "krm build" in result.output
