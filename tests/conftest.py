"""Shared fixtures: the real graph built once per session, and the real server on a free
loopback port, started as users start it (``krm serve``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from kg import build as builder
from kg import store as st

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
PAPER = SOURCES / "shin-lee-park-2024-rare-metal-industry-korea.txt"


def collapse(text: str) -> str:
    """Whitespace runs to one space: the rule quotes are matched under."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def paper_text() -> str:
    if not PAPER.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the paper's text is missing beside the project: {PAPER.name}")
        pytest.skip("the paper's text (shared/sources) is not beside the project")
    return collapse(PAPER.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def store_link(tmp_path_factory) -> Path:
    """The real graph, built once into a temporary folder."""
    link = tmp_path_factory.mktemp("var") / "store"
    builder.build(link)
    return link


@pytest.fixture(scope="session")
def store(store_link):
    return st.open_store(store_link)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: Seconds a test server may take to answer its first request.
START_WITHIN = 120


def start_server(store_path: str, env: dict | None = None, workers: int = 2):
    """Start ``krm serve`` on a free port; returns (process, base URL) once it answers."""
    port = free_port()
    krm = Path(sys.executable).with_name("krm")
    # A file, not a pipe: a pipe nobody reads fills up and stalls the server's logging.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [str(krm), "serve", "--port", str(port), "--workers", str(workers),
         "--store", store_path],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    proc.log = log
    base = f"http://127.0.0.1:{port}"
    # Generous: on a busy 2-core machine a server and its query workers start slowly.
    deadline = time.monotonic() + START_WITHIN
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode()[-2000:]}")
        try:
            if requests.get(base + "/healthz", timeout=1).ok:
                return proc, base
        except (requests.ConnectionError, requests.Timeout):  # booting under load
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not answer within {START_WITHIN} s")


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def live_server(store_link):
    """Base URL of the real server over the real graph."""
    proc, base = start_server(str(store_link))
    yield base
    stop_server(proc)


# --- The browse tests: a small fixture graph (tests/data/facts) with its dumps -----------

FIXTURE_FACTS = ROOT / "tests" / "data" / "facts"


def build_with_dumps(folder: Path, facts_dir: Path) -> Path:
    """Build ``facts_dir`` into ``folder/store`` and write its dumps beside it."""
    from kg.dumps import write_dumps

    link = folder / "store"
    report = builder.build(link, facts_dir=facts_dir, data_dir=None)
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
def hostile_link(tmp_path_factory) -> Path:
    """The fixture graph plus tests/data/hostile.ttl, whose literals hold markup and whose
    IRIs include javascript: and data: ones."""
    import shutil

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE_FACTS, root / "facts")
    shutil.copy(ROOT / "tests" / "data" / "hostile.ttl", root / "facts")
    return build_with_dumps(root, root / "facts")


@pytest.fixture(scope="session")
def hostile_server(hostile_link):
    """Base URL of ``krm serve`` over the hostile fixture."""
    proc, base = start_server(str(hostile_link))
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def network_link(tmp_path_factory) -> Path:
    """The small supply-network fixture (tests/data/network), built once."""
    link = tmp_path_factory.mktemp("network") / "store"
    builder.build(link, facts_dir=ROOT / "tests" / "data" / "network", data_dir=None)
    return link


@pytest.fixture(scope="session")
def network_server(network_link):
    """Base URL of the real server over the network fixture."""
    proc, base = start_server(str(network_link))
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def hub_link(tmp_path_factory) -> Path:
    """The fixture graph plus Hubland, a hub (tests/hub_fixture.py), built once."""
    from hub_fixture import write_hub_facts

    root = tmp_path_factory.mktemp("hub")
    return builder.build(root / "store",
                         facts_dir=write_hub_facts(root / "facts", FIXTURE_FACTS),
                         data_dir=None).store


@pytest.fixture(scope="session")
def hub_server(hub_link):
    """Base URL of ``krm serve`` over the hub fixture."""
    proc, base = start_server(str(hub_link))
    yield base
    stop_server(proc)


# --- Chromium for the browser tests (Debian's, headless; under CI a missing one fails) ---

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh page at 1366x768 (the issues' laptop screen) that collects uncaught errors
    and console errors in ``page.errors``; modules that need another page define theirs."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    yield page
    context.close()
