"""Fixtures for the browse tests: a small fixture graph (tests/data/facts) built with its
dumps into a temporary folder, and the real server started on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import build as builder
from kg import store as st
from kg.dumps import write_dumps
from tests.conftest import start_server, stop_server

FIXTURE_FACTS = Path(__file__).resolve().parents[1] / "data" / "facts"


def build_with_dumps(folder: Path, facts_dir: Path) -> Path:
    """Build ``facts_dir`` into ``folder/store`` and write its dumps beside it."""
    link = folder / "store"
    report = builder.build(link, facts_dir=facts_dir)
    write_dumps(st.open_store(link), folder / "dumps", report.digest)
    return link


@pytest.fixture(scope="session")
def fixture_link(tmp_path_factory) -> Path:
    return build_with_dumps(tmp_path_factory.mktemp("fixture"), FIXTURE_FACTS)


@pytest.fixture(scope="session")
def browse_server(fixture_link):
    """Base URL of ``krm serve`` over the fixture graph."""
    proc, base = start_server(str(fixture_link))
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory):
    """The server over the fixture graph plus resources whose literals hold markup."""
    root = tmp_path_factory.mktemp("hostile")
    facts = root / "facts"
    shutil.copytree(FIXTURE_FACTS, facts)
    (facts / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    proc, base = start_server(str(build_with_dumps(root, facts)))
    yield base
    stop_server(proc)


HOSTILE = """\
@prefix krm: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<id/org/hostile> a krm:Company ;
    rdfs:label "Hostile <script>window.__pwned = 1; alert('x')</script>"@en ,
        "적대 <img src=x onerror=\\"window.__pwned = 2\\">"@ko ;
    krm:note "<b onmouseover=alert(1)>bold?</b> & \\"quotes\\"" .
"""
