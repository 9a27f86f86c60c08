"""The shared pool's host: one set of query workers for all of a server's processes.

``krm serve`` runs several processes that serve HTTP. Each used to start and supervise
query workers of its own, so a process that happened to get three of four concurrent
requests started a cold worker (~30 MB, and its store caches, ~30 MB more) while the
other's sat idle. This process holds the one :class:`~kg.service.pool.ProcessPool` of the
server instead, and lends its workers out: a serving process asks for one over a Unix
socket, gets the worker's socket (``SCM_RIGHTS``) and pid, and runs its request exactly
as with a worker of its own (time limit, memory limit, streaming); it then gives it back,
or tells the host to kill it, or asks how it died. A serving process that goes away while
it holds a worker leaves it in an unknown state: the host kills and replaces it.

The host never reads a query: it only starts, lends and ends workers. It dies with the
server (the parent-death signal), and its workers with it. Messages are JSON, one per
``SOCK_SEQPACKET`` packet: ``{"take": seconds}`` answered ``{"pid", "denied"}`` with the
worker's socket, or ``{"error", "detail"}``; then ``{"back": true}``, ``{"kill": true}``
or ``{"dead": true}``, each answered once done (``{}``, or ``{"why"}`` for ``dead``).

    python -m kg.service.host SOCKET PARENT_PID OPTIONS

(OPTIONS: the pool's keyword arguments, as JSON; see :func:`server.db.pool_options`)
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from kg.service import ServiceError
from kg.service.pool import ProcessPool

log = logging.getLogger(__name__)


def serve(pool: ProcessPool, listener: socket.socket) -> None:
    """Lend ``pool``'s workers to whoever connects to ``listener``, one thread each."""
    while True:
        try:
            link, _ = listener.accept()
        except OSError:  # closed: the host is stopping
            return
        threading.Thread(target=_lend, args=(pool, link), name="krm-host-link",
                         daemon=True).start()


def _lend(pool: ProcessPool, link: socket.socket) -> None:
    """Serve one serving process's connection until it closes."""
    worker = None
    try:
        while True:
            data = link.recv(4096)
            if not data:
                return
            message = json.loads(data)
            if "take" in message:
                try:
                    worker = pool.acquire(time.monotonic() + float(message["take"]))
                except ServiceError as e:
                    link.send(json.dumps({"error": type(e).__name__,
                                          "detail": str(e)}).encode())
                    continue
                socket.send_fds(link, [json.dumps({"pid": worker.pid,
                                                   "denied": worker.network_denied}).encode()],
                                [worker.conn.fileno()])
                continue
            # The end of a lease, answered once done: the borrower's next request then
            # finds the worker idle (or its successor started), not a race with this one.
            reply = {}
            if worker is None:
                pass  # the end of a lease the host never made: nothing to do
            elif "back" in message:
                pool.release(worker)
            elif "dead" in message:
                try:
                    reply["why"] = worker.why_dead()
                except Exception:  # noqa: BLE001  (still running: it closed its socket)
                    reply["why"] = "it closed its connection"
                log.error("a query worker died: %s", reply["why"])
                pool.replace(worker)
            else:  # "kill"
                pool.replace(worker)
            worker = None
            link.send(json.dumps(reply).encode())
    except (OSError, ValueError) as e:
        log.warning("a serving process's link to the pool failed: %s", e)
    finally:
        if worker is not None:  # lent to a process that went away mid-request
            pool.replace(worker)
        link.close()


def listen(path: str) -> socket.socket:
    """A listening socket at ``path``, in a folder only this user can enter."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(128)
    return listener


def main(argv: list[str]) -> None:
    from kg.service.worker import die_with_parent

    path, parent, options = argv[0], int(argv[1]), json.loads(argv[2])
    logging.basicConfig(format="%(asctime)s krm pool host %(levelname)s: %(message)s")
    die_with_parent(signal.SIGTERM)
    if os.getppid() != parent:
        return
    try:
        listener = listen(path + ".new")
        os.rename(path + ".new", path)  # the socket appears once it accepts connections
    except (OSError, AttributeError) as e:  # no such socket here (SOCK_SEQPACKET: Linux)
        sys.exit(f"krm pool host: cannot listen at {path}: {e}")
    pool = ProcessPool(**options)

    def stop(*_):
        listener.close()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        serve(pool, listener)
    finally:
        pool.close()
        Path(path).unlink(missing_ok=True)
        try:
            Path(path).parent.rmdir()  # the private folder krm serve made for it
        except OSError:
            pass


if __name__ == "__main__":
    main(sys.argv[1:])
