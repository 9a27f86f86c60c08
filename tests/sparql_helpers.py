"""Helpers shared by the SPARQL service tests."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import requests

SPARQL_JSON = "application/sparql-results+json"
#: The named queries that take no parameters.
#: (Not the Data Cube checks: whole-graph scans, run directly by tests/test_cube.py.)
PLAIN_QUERIES = [p for p in sorted((Path(__file__).parents[1] / "queries").rglob("*.rq"))
                 if p.parent.name != "cube"
                 and not any(line.startswith("#+ params") for line in p.read_text().splitlines())]


def rows(base: str, query: str) -> list[str]:
    """The solutions as sorted JSON strings, blank node labels blanked out."""
    r = requests.post(base + "/sparql", data={"query": query}, headers={"Accept": SPARQL_JSON})
    assert r.status_code == 200, r.text
    if "boolean" in r.json():  # an ASK (the Data Cube checks)
        return [json.dumps({"boolean": r.json()["boolean"]})]
    out = []
    for binding in r.json()["results"]["bindings"]:
        for term in binding.values():
            if term["type"] == "bnode":
                term["value"] = "_"
        out.append(json.dumps(binding, sort_keys=True))
    return sorted(out)


class Listener:
    """A loopback TCP listener that records whether anything connected to it: the
    target of SERVICE and LOAD requests that must never be sent."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            # What an internal service might answer: it must never reach the client.
            body = b"secret-internal-data"
            conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(2)


def tree_cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its living descendants (Linux /proc)."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total
