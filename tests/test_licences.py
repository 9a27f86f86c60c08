"""The licence files say what pyproject.toml declares: MIT for the code, CC BY 4.0 for
the data; the dataset description and the README name the same licences."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kg import void

ROOT = Path(__file__).resolve().parents[1]


def test_license_files_match_the_declared_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert set(project["license"].split(" AND ")) == {"MIT", "CC-BY-4.0"}
    texts = {name: (ROOT / name).read_text(encoding="utf-8")
             for name in project["license-files"]}
    assert set(texts) == {"LICENSE", "LICENSE-DATA"}
    assert texts["LICENSE"].startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in texts["LICENSE"]
    data = texts["LICENSE-DATA"]
    assert "Attribution 4.0 International Public License" in data
    assert void.LICENSE in data  # the licence /dataset declares


def test_readme_names_the_licences_and_the_sources_terms():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licences and the sources' terms", 1)[1]
    for needle in ("`LICENSE`", "`LICENSE-DATA`", "MIT", "CC BY 4.0",
                   "https://doi.org/10.31643/2024/6445.27"):
        assert needle in section
