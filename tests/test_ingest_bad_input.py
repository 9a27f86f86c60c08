"""Bad data as a user meets it through `krm build`: a malformed row, an unknown country or a
value that is not a number stops the build with exit 1 and one line naming the file and
row, and the store built before keeps serving; what rules skip is counted in the output."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from kg.build import DATA

KRM = str(Path(sys.executable).with_name("krm"))
FACTS = ROOT / "tests" / "data" / "facts"


def krm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KRM, *args], capture_output=True, text=True, timeout=600)


def head(src: Path, dst: Path, n: int) -> None:
    """The header and first ``n`` rows of a CSV file."""
    with src.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[: n + 1]
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def small_data(root: Path) -> Path:
    """A data folder laid out as kg/sources, with a few rows of each real file."""
    data = root / "sources"
    shutil.copy2(DATA / "usgs-mcs" / "commodities.csv", _mk(data / "usgs-mcs"))
    for edition in ("2022", "2023", "2024"):
        (data / "usgs-mcs" / edition / "world").mkdir(parents=True)
    head(DATA / "usgs-mcs" / "2024" / "world" / "mcs2024-lithi_world.csv",
         data / "usgs-mcs" / "2024" / "world" / "mcs2024-lithi_world.csv", 30)
    for name in ("baci_korea_imports_by_partner.csv", "baci_korea_exports_by_partner.csv"):
        head(DATA / "baci-korea" / name, data / "baci-korea" / name, 5)
    shutil.copy2(DATA / "baci-korea" / "hs6_codes.csv", data / "baci-korea")
    head(DATA / "wgi" / "wgi_political_stability.csv",
         data / "wgi" / "wgi_political_stability.csv", 5)
    head(DATA / "critical-mineral-lists" / "critical_mineral_lists.csv",
         data / "critical-mineral-lists" / "critical_mineral_lists.csv", 5)
    return data


def _mk(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-input")
    data = small_data(root)
    link = root / "store"
    result = krm("build", "--store", str(link), "--facts", str(FACTS), "--data", str(data))
    assert result.returncode == 0, result.stderr
    return root, data, link, result.stdout


def test_a_good_build_reports_observations_and_skips(built):
    _, _, _, out = built
    assert "observations  wgi-political-stability" in out
    assert "skipped  usgs-mcs-2024-world: blank row" in out or "skipped" in out


def corrupt(path: Path, line: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("file, line, column, value, message", [
    ("wgi/wgi_political_stability.csv", 3, "estimate", "strong",
     "wgi_political_stability.csv:3: estimate: not a number: 'strong'"),
    ("baci-korea/baci_korea_imports_by_partner.csv", 4, "exporter_iso3", "XXX",
     "baci_korea_imports_by_partner.csv:4: unknown country code 'XXX'"),
    ("usgs-mcs/2024/world/mcs2024-lithi_world.csv", 5, "Country", "Atlantis",
     "mcs2024-lithi_world.csv:5: unknown country name 'Atlantis'"),
])
def test_bad_data_fails_with_one_line_and_the_store_keeps_serving(
        built, tmp_path, file, line, column, value, message):
    root, data, link, _ = built
    bad = tmp_path / "sources"
    shutil.copytree(data, bad)
    corrupt(bad / file, line, column, value)
    before = link.resolve()
    result = krm("build", "--store", str(link), "--facts", str(FACTS), "--data", str(bad))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert link.resolve() == before


def test_a_malformed_row_names_its_row(built, tmp_path):
    _, data, link, _ = built
    bad = tmp_path / "sources"
    shutil.copytree(data, bad)
    path = bad / "wgi" / "wgi_political_stability.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[2] = text[2] + ",extra"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = krm("build", "--store", str(link), "--facts", str(FACTS), "--data", str(bad))
    assert result.returncode == 1
    assert "wgi_political_stability.csv:3: malformed row" in result.stderr
