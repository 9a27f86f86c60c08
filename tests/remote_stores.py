"""Two real SPARQL stores started by the tests, loaded from the built graph's N-Quads
dump: ``oxigraph serve`` (PyPI ``oxigraph``, a test extra) and Virtuoso Open Source 7
(Debian ``virtuoso-opensource-7-bin``), each on free loopback ports with its own folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import free_port

#: Seconds a store may take to answer its first query once started.
START_WITHIN = 60


class Store:
    """A started store: its query URL, its process, and what loading it took."""

    def __init__(self, name: str, url: str, proc: subprocess.Popen, load_seconds: float):
        self.name, self.url, self.proc, self.load_seconds = name, url, proc, load_seconds

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


def _wait(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_WITHIN
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the store exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"the store at {url} did not answer within {START_WITHIN} s")


def start_oxigraph(folder: Path, dump: Path) -> Store:
    """``oxigraph load`` then ``oxigraph serve``, without ``--union-default-graph``: the
    service names the dataset of every query itself."""
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if exe is None:
        _missing("the 'oxigraph' command (PyPI package oxigraph, a test extra)")
    start = time.monotonic()
    subprocess.run([exe, "load", "--location", str(folder / "db"), "--file", str(dump)],
                   check=True, capture_output=True)
    loaded = time.monotonic() - start
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([exe, "serve-read-only", "--location", str(folder / "db"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/query"
    _wait(url, proc, log)
    return Store("oxigraph", url, proc, loaded)


#: A Virtuoso configuration of its own: database files in the test's folder, loopback
#: ports, no row cap on results (the default 10,000 would cut the explorer's queries),
#: and a time limit well above the service's own.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {folder}
NumberOfBuffers = 85000
MaxDirtyBuffers = 65000
ServerThreads = 10
CheckpointInterval = 0
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


def start_virtuoso(folder: Path, dump: Path) -> Store:
    """``virtuoso-t`` in the foreground on a fresh database, loaded with the bulk loader
    (``ld_dir`` and ``rdf_loader_run`` through ``isql-vt``, which keeps the N-Quads'
    graphs), then checkpointed."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if exe is None or isql is None:
        _missing("Virtuoso Open Source 7 (Debian package virtuoso-opensource-7-bin)")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
        folder=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        proc = subprocess.Popen([exe, "+foreground", "+configfile", "virtuoso.ini"],
                                cwd=folder, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{http_port}/sparql"
    _wait(url, proc, log)
    start = time.monotonic()
    script = (f"ld_dir('{dump.parent}', '{dump.name}', 'urn:krm:unused');\n"
              "rdf_loader_run();\ncheckpoint;\n"
              "SELECT COUNT(*) FROM DB.DBA.load_list\n"
              "  WHERE ll_state <> 2 OR ll_error IS NOT NULL;\n")
    done = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", "VERBOSE=OFF",
                           "BANNER=OFF", "PROMPT=OFF"], input=script, text=True,
                          capture_output=True, timeout=900)
    loaded = time.monotonic() - start
    if done.returncode != 0 or done.stdout.split()[-1:] != ["0"]:
        proc.kill()
        pytest.fail(f"Virtuoso did not load the dump: {done.stdout[-1000:]} {done.stderr[-1000:]}")
    return Store("virtuoso", url, proc, loaded)
