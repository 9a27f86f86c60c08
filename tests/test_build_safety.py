"""`krm build` never writes into or removes the store being served, even when killed
(``kill -9``) part-way or when the disk fills; the next build clears what a killed one
left and builds again a store that lost a file; `krm serve` refuses a damaged store; and
every such error is one line on stderr, exit 1, no traceback. Real ``krm`` processes over
the small fixture graph (tests/data/facts)."""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from conftest import FIXTURE_FACTS, start_server, stop_server

from kg import build as builder
from kg import cli, seal
from kg import store as st

KRM = str(Path(sys.executable).with_name("krm"))


def krm(*args: str, limit_file_size: int | None = None) -> subprocess.CompletedProcess:
    def limit():  # a file may grow only so far: writes fail as on a full disk, even as root
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run([KRM, *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=limit if limit_file_size else None)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The error of a failed command, checked to be one line with no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of a folder with its size and inode: what 'untouched' means."""
    return {p.name: (p.stat().st_size, p.stat().st_ino) for p in folder.iterdir()}


@pytest.fixture
def served(tmp_path) -> Path:
    """A store link built from the fixture facts, as a user's var/store."""
    link = tmp_path / "var" / "store"
    result = krm("build", "--store", str(link), "--facts", str(FIXTURE_FACTS), "--no-data")
    assert result.returncode == 0, result.stderr
    return link


def build_args(link: Path, *more: str) -> list[str]:
    return ["build", "--store", str(link), "--facts", str(FIXTURE_FACTS), "--no-data", *more]


def leftovers(link: Path) -> list[str]:
    return sorted(p.name for p in (link.parent / "stores").iterdir() if p.name.endswith(".tmp"))


def test_a_forced_build_of_the_same_inputs_leaves_the_served_folder_alone(served):
    before_folder, before = served.resolve(), snapshot(served.resolve())
    result = krm(*build_args(served, "--force"))
    assert result.returncode == 0, result.stderr
    assert served.resolve() != before_folder  # a folder of its own
    assert snapshot(before_folder) == before  # the one a server may hold: not a byte changed
    assert seal.problem(served.resolve()) is None


#: Points of a build, seen from outside: (what to wait for in its temporary folder).
KILL_POINTS = {
    "folder made": lambda tmp: True,
    "data written": lambda tmp: any(p.suffix == ".sst" for p in tmp.iterdir()),
    "index written": lambda tmp: (tmp / "krm-browse-index.json").exists(),
}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_9_of_a_forced_build_leaves_the_served_store_whole(served, point):
    stores = served.parent / "stores"
    for _ in range(5):  # the last point is ms before the rename: a kill may land past it
        folder, before = served.resolve(), snapshot(served.resolve())
        proc = subprocess.Popen([KRM, *build_args(served, "--force")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        reached = False
        deadline = time.monotonic() + 120
        while not reached and proc.poll() is None and time.monotonic() < deadline:
            for tmp in stores.glob(f".*.{proc.pid}.tmp"):
                try:
                    reached = KILL_POINTS[point](tmp)
                except FileNotFoundError:  # renamed meanwhile
                    pass
            if not reached:
                time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if reached and any(stores.glob(f".*.{proc.pid}.tmp")):
            break  # killed at the point, its folder not yet renamed
    else:
        pytest.fail(f"no build of 5 was killed at '{point}'")

    assert served.resolve() == folder and snapshot(folder) == before
    # What the kill left (named for the inputs' digest, which the served folder is sealed with)
    assert leftovers(served) == [f".{seal.sealed_digest(folder)}.{proc.pid}.tmp"]
    again = krm(*build_args(served))
    assert again.returncode == 0, again.stderr
    assert "Nothing changed" in again.stdout  # the store in place is whole
    assert leftovers(served) == []
    server, base = start_server(str(served), workers=1)
    try:
        r = requests.get(base + "/page/element/W", timeout=30)
        assert r.status_code == 200 and "tungsten" in r.text
    finally:
        stop_server(server)


@pytest.mark.parametrize("damage", ["remove", "truncate"])
def test_a_damaged_store_is_refused_by_serve_and_built_again(served, damage):
    folder = served.resolve()
    sst = sorted(folder.glob("*.sst"), key=lambda p: p.stat().st_size)[-1]
    if damage == "remove":
        sst.unlink()
    else:
        os.truncate(sst, sst.stat().st_size // 2)
    error = one_line_error(krm("serve", "--port", "9", "--store", str(served)))
    assert "damaged" in error and sst.name in error and "krm build" in error
    assert "damaged" in one_line_error(krm("stats", "--store", str(served)))

    again = krm(*build_args(served))
    assert again.returncode == 0, again.stderr
    assert "Nothing changed" not in again.stdout
    assert seal.problem(served.resolve()) is None
    assert krm("stats", "--store", str(served)).returncode == 0


def test_a_store_that_will_not_open_is_one_line(served):
    """Damage the seal does not list (RocksDB's own file list): its open fails, in one line."""
    folder = served.resolve()
    data = seal.read(folder)
    sst = next(iter(sorted(folder.glob("*.sst"))))
    sst.unlink()
    del data["files"][sst.name]
    (folder / seal.FILE).write_text(json.dumps(data), encoding="utf-8")
    error = one_line_error(krm("serve", "--port", "9", "--store", str(served)))
    assert "will not open" in error and "krm build" in error


def test_an_unsealed_folder_is_not_kept(served):
    """A folder without its seal (a build that did not finish) is built again."""
    (served.resolve() / seal.FILE).unlink()
    again = krm(*build_args(served))
    assert again.returncode == 0 and "Nothing changed" not in again.stdout


def test_a_full_disk_is_one_line_and_the_old_store_keeps_serving(served):
    """Files limited to 50 kB (RLIMIT_FSIZE): the new store's writes fail with EFBIG, as
    they would with ENOSPC on a full disk; a real failing write, root or not."""
    folder, before = served.resolve(), snapshot(served.resolve())
    error = one_line_error(krm(*build_args(served, "--force"), limit_file_size=50_000))
    assert "could not write the new store" in error and "previous store is unchanged" in error
    assert served.resolve() == folder and snapshot(folder) == before
    assert leftovers(served) == []
    assert krm("stats", "--store", str(served)).returncode == 0


def test_no_space_left_while_sealing_is_one_line(served, monkeypatch):
    """ENOSPC at the last write of a build (the seal): in-process, at the narrowest point."""
    folder, before = served.resolve(), snapshot(served.resolve())

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(seal, "_sync", full)
    result = CliRunner().invoke(cli.main, build_args(served, "--force"))
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    assert "No space left on device" in result.output
    assert "previous store is unchanged" in result.output
    assert served.resolve() == folder and snapshot(folder) == before
    assert leftovers(served) == []


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path):
    """A store path inside a regular file: mkdir fails with ENOTDIR, even for root."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file\n", encoding="utf-8")
    error = one_line_error(krm(*build_args(blocker / "var" / "store")))
    assert "Not a directory" in error and "previous store is unchanged" in error


def test_a_store_path_that_is_not_a_link_is_one_line_before_any_work(tmp_path):
    real = tmp_path / "store"
    real.mkdir()
    error = one_line_error(krm(*build_args(real)))
    assert "is not a link made by 'krm build'" in error
    assert not (tmp_path / "stores").exists()


def test_a_missing_store_is_one_line_for_every_command(tmp_path):
    missing = str(tmp_path / "missing")
    for args in (["stats", "--store", missing], ["serve", "--port", "9", "--store", missing],
                 ["export", "--store", missing], ["query", "--store", missing, "ASK {}"]):
        assert "no store at" in one_line_error(krm(*args)), args


def test_old_stores_go_only_when_no_link_points_to_them(served):
    first = served.resolve()
    pinned = served.with_name("pinned")
    pinned.symlink_to(os.path.relpath(first, served.parent))  # another link to the first
    for _ in range(3):
        assert krm(*build_args(served, "--force")).returncode == 0
    names = sorted(p.name for p in (served.parent / "stores").iterdir())
    # the pinned one, the one just replaced (a server may hold it) and the new one
    assert first.name in names and served.resolve().name in names and len(names) == 3
    assert builder.is_current(first, seal.sealed_digest(first))


def test_a_store_that_takes_updates_stays_servable(served, tmp_path):
    """Opened for writing (SPARQL updates), a store's files change as they should: its seal
    stops promising their sizes, and it opens again after a restart."""
    copy = tmp_path / "copy"
    shutil.copytree(served.resolve(), copy)
    writable = st.open_store(copy, read_only=False)
    st.run_update(writable, "INSERT DATA { <https://w3id.org/krm/id/x> "
                            "<https://w3id.org/krm/ontology#symbol> 'X' }")
    writable.optimize()
    del writable
    assert seal.read(copy)["written"] is True
    assert seal.problem(copy) is None and len(st.open_store(copy)) > 0
