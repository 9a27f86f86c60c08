"""The command-line SPARQL clients the end-to-end tests run (tests/test_clients.py):
Apache Jena's ``rsparql`` and ``arq`` (Debian ``libapache-jena-java``), roqet (Debian
``rasqal-utils``) and Comunica's ``comunica-sparql`` (npm, pinned in package.json).

Debian ships Jena as jars without its command scripts, so :func:`jena` starts the
command classes (``arq.rsparql``, ``arq.arq``) on a class path made of the package's
jars and those of the packages it depends on, as dpkg lists them. Debian's
``jena-core.jar`` moves the Xerces classes Jena embeds to the package ``xerces`` but
leaves their message files under ``org/apache/jena/ext/xerces/``: Xerces then fails to
load ``xerces/impl/xpath/regex/message.properties`` and every Jena command stops with an
``ExceptionInInitializerError`` (an "internal error" building XSD datatypes). The files
are copied under ``xerces/`` in a folder put first on the class path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Seconds one client call may take (a JVM or Node.js start included).
TIMEOUT = 60
JENA_PACKAGE = "libapache-jena-java"
COMUNICA = ROOT / "node_modules" / ".bin" / "comunica-sparql"
#: Jena logs through SLF4J; Debian's libslf4j-java ships several bindings, and two on
#: one class path stop the JVM. Only the API and the silent binding are kept.
_LOGGING = re.compile(r"slf4j|log4j")
_KEEP_LOGGING = ("slf4j-api.jar", "slf4j-nop.jar")
#: A jar named with its version: the same jar as its unversioned name (a link).
_VERSIONED = re.compile(r"-\d[\w.]*\.jar$")


def unavailable(what: str, install: str):
    """Skip a test whose client is not installed, or fail it under CI (``.ci/run``
    installs every client, so a missing one there is a broken set-up)."""
    message = f"{what} is not installed ({install})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a client and return what it printed; a failure shows its own message."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)
    assert done.returncode == 0, f"{args[0]} exited {done.returncode}: {done.stderr[-3000:]}"
    return done


def _dpkg(*args: str) -> str | None:
    done = subprocess.run(["dpkg-query", *args], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def _java_packages(package: str, seen: set[str]) -> None:
    """``package`` and the Java library packages it depends on, installed ones only."""
    depends = _dpkg("-W", "-f=${Depends}", package)
    if depends is None or package in seen:
        return
    seen.add(package)
    for alternatives in filter(None, depends.split(",")):
        for choice in alternatives.split("|"):
            name = choice.split("(")[0].split(":")[0].strip()
            if name.endswith("-java") and _dpkg("-W", name) is not None:
                _java_packages(name, seen)
                break


def jena_classpath(folder: Path) -> str:
    """The class path that runs Jena's commands from Debian's jars; writes the Xerces
    message files under ``folder``.

    Raises:
        FileNotFoundError: Jena (libapache-jena-java) is not installed.
    """
    packages: set[str] = set()
    _java_packages(JENA_PACKAGE, packages)
    if JENA_PACKAGE not in packages:
        raise FileNotFoundError(f"{JENA_PACKAGE} is not installed")
    jars = set()
    for package in packages:
        for line in (_dpkg("-L", package) or "").splitlines():
            path = Path(line)
            if (path.parent == Path("/usr/share/java") and path.suffix == ".jar"
                    and not _VERSIONED.search(path.name)
                    and (not _LOGGING.search(path.name) or path.name in _KEEP_LOGGING)):
                jars.add(str(path))
    core = Path("/usr/share/java/jena-core.jar")
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = folder / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return os.pathsep.join([str(folder), *sorted(jars)])


def jena(classpath: str, command: str, *args: str) -> str:
    """Run one of Jena's command classes (``arq.rsparql``, ``arq.arq``); its output."""
    java = shutil.which("java")
    assert java, "no Java runtime (default-jre-headless)"
    # A client JVM: quick to start matters more than peak speed.
    return run([java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classpath,
                command, *args]).stdout
