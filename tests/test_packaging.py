"""The installed wheel works from any folder: ``pip install .`` (not editable) into a fresh
environment, then ``krm build``, ``krm query`` and ``krm serve`` outside the repository.

End-to-end: builds the wheel from a copy of the sources (so the repository gets no
``build/`` folder), installs it with ``--no-deps`` into a new venv that borrows this
environment's dependencies (a ``.pth`` line: offline, seconds instead of minutes), and runs
the installed ``krm`` from folders that hold no source.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
import requests
from conftest import ROOT, free_port, stop_server

from kg.build import DEFAULT_STORE

pytestmark = pytest.mark.e2e

#: What the wheel is built from: the files an sdist holds (the web assets from npm too,
#: once ``make assets`` copied them under server/static/vendor/).
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "LICENSE-DATA",
           "kg", "server", "ontology", "queries")
ASSET = Path("server") / "static" / "vendor" / "yasgui" / "yasgui.min.js"


def run(*args, cwd: Path, env: dict | None = None, timeout: int = 300):
    """Run a command; fail the test with its output when it fails."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        elif path.exists():
            shutil.copy2(path, src / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", root / "dist", src, cwd=root)
    (built,) = (root / "dist").glob("krm_kg-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A venv with the wheel installed; returns its bin folder."""
    root = tmp_path_factory.mktemp("venv")
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                    cwd=root).strip())
    # The dependencies, from this environment; a path in a .pth file does not run the .pth
    # files inside it, so this environment's editable krm-kg stays out.
    (site / "dependencies.pth").write_text(
        "\n".join({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}) + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        wheel, cwd=root)
    return venv / "bin"


def test_the_wheel_holds_the_data_and_the_licence_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"kg/ontology/krm.ttl", "kg/ontology/shapes.ttl", "kg/library/README.md",
            "kg/library/browse/description.rq", "kg/facts/paper.ttl",
            "server/templates/browse/base.html"} <= names
    assert {p.relative_to(ROOT / "queries").as_posix() for p in (ROOT / "queries").rglob("*.rq")} \
        == {n.removeprefix("kg/library/") for n in names if n.endswith(".rq")}
    # The licence files pyproject.toml names ship in the wheel's metadata.
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    licences = {n.rpartition("/")[2] for n in names if ".dist-info/licenses/" in n}
    assert licences == set(declared.get("license-files", []))
    if (ROOT / ASSET).exists():  # after `make assets`, as make test runs
        assert ASSET.as_posix() in names


def test_the_installed_package_is_the_wheel_not_the_sources(installed, tmp_path):
    out = run(installed / "python", "-c",
              "import kg, kg.files, server; print(kg.__file__); print(kg.files.ONTOLOGY); "
              "print(server.__file__)", cwd=tmp_path)
    venv = installed.parent.resolve()
    for line in out.split():
        assert Path(line).resolve().is_relative_to(venv), out


def test_build_and_query_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = tmp_path / "data" / "store"
    out = run(installed / "krm", "build", "--store", store, cwd=elsewhere)
    assert "Built store" in out
    assert store.is_symlink() and store.resolve().parent == tmp_path / "data" / "stores"
    assert list(elsewhere.iterdir()) == []  # nothing written but the store asked for

    # A named query of the library that ships in the wheel, on facts that ship in it.
    out = run(installed / "krm", "query", "--store", store, "--name", "production/shares",
              "--param", "commodity=id:element/W", "--format", "csv", cwd=elsewhere)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert ("China", "83") in {(row["producerLabel"], row["share"]) for row in rows}
    # The ontology's named graph was built from the ontology in the wheel.
    out = run(installed / "krm", "query", "--store", store, "--format", "csv",
              "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/krm/graph/ontology> "
              "{ <https://w3id.org/krm/ontology#ChemicalElement> ?p ?o } }", cwd=elsewhere)
    assert int(out.splitlines()[1]) > 0


def test_build_without_store_writes_var_store_in_the_working_folder(installed, tmp_path):
    out = run(installed / "krm", "build", cwd=tmp_path)
    assert "Built store" in out
    assert (tmp_path / DEFAULT_STORE).is_symlink()
    assert DEFAULT_STORE == Path("var/store")
    assert not list(installed.parent.rglob("stores"))  # nothing beside the package


def test_serve_from_another_folder(installed, tmp_path):
    asset = ROOT / ASSET
    if not asset.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{ASSET} is missing: run 'make assets' before the tests")
        pytest.skip(f"{ASSET} is missing: run 'make assets'")
    run(installed / "krm", "build", cwd=tmp_path)  # ./var/store, served by default below
    port = free_port()
    # No PATH to this environment's scripts: the installed krm finds its server itself.
    proc = subprocess.Popen(
        [str(installed / "krm"), "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path, env={**os.environ, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            try:
                if requests.get(base + "/healthz", timeout=2).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline, "krm serve did not answer within 60 s"
                time.sleep(0.2)
        home = requests.get(base + "/", timeout=30)
        assert home.status_code == 200 and "text/html" in home.headers["Content-Type"]
        ask = requests.get(base + "/sparql", params={"query": "ASK {}"}, timeout=30,
                           headers={"Accept": "application/sparql-results+json"})
        assert ask.status_code == 200 and ask.json()["boolean"] is True
        served = requests.get(f"{base}/static/{ASSET.relative_to('server/static').as_posix()}",
                              timeout=30)
        assert served.status_code == 200 and served.content == asset.read_bytes()
        css = requests.get(base + "/static/browse/browse.css", timeout=30)
        assert css.status_code == 200
        assert css.content == (ROOT / "server/static/browse/browse.css").read_bytes()
    finally:
        stop_server(proc)
