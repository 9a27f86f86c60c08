"""The committed data: every folder says where it comes from and under which licence, its
checksums match the files, and the package ships the data and the rule tables so that a
fresh install builds without the shared folder."""

from __future__ import annotations

import hashlib
import tomllib

import pytest
from conftest import ROOT

from kg.build import DATA

FOLDERS = ["usgs-mcs", "baci-korea", "wgi", "critical-mineral-lists"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_source_file_names_publisher_licence_and_matching_checksums(folder):
    source = (DATA / folder / "SOURCE").read_text(encoding="utf-8")
    assert "Publisher:" in source and "Licence:" in source
    if folder != "critical-mineral-lists":  # compiled: each row names its own source URL
        assert "https://" in source or "http://" in source
    listed = {}
    for line in source.splitlines():
        parts = line.split("  ", 1)
        if len(parts) == 2 and len(parts[0]) == 64:
            listed[parts[1]] = parts[0]
    files = {p.relative_to(DATA / folder).as_posix(): p for p in (DATA / folder).rglob("*")
             if p.is_file() and p.name != "SOURCE"}
    assert set(listed) == set(files)
    for name, path in files.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == listed[name], name


def test_the_package_ships_the_data_and_rule_tables():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")  # the package data is there
    assert '"sources/**/*"' in setup and '"ingest/*.csv"' in setup
    assert any(d.startswith("babel") for d in config["project"]["dependencies"])


def test_no_file_of_the_project_points_outside_it():
    for path in [*(ROOT / "kg").rglob("*.py"), *(ROOT / "kg" / "ingest").glob("*.csv")]:
        assert "../shared" not in path.read_text(encoding="utf-8"), path
