"""A query worker process (started by :class:`kg.service.pool.ProcessPool`): opens the
store once, then answers requests read from its socket, streaming each result back in
chunks. Client text is parsed and evaluated only here, never in a process that serves
HTTP: a query that crashes the engine, runs away or eats memory takes down this process
alone, and the pool kills and replaces it.

Before it reads anything, the worker gives itself up to the kernel's network filter
(:mod:`kg.service.sandbox`) unless federation is configured, and it runs queries on a
thread with a large stack, so that deep nesting the early check lets through cannot
overflow it. When the pool lowers that thread's priority for a long query, the thread
ends after it and a fresh one, at normal priority, takes the next.

Messages in: ("query", QueryRequest), ("update", text, base_iri, using, using_named) or
("graph", mode, graph, data, media_type, base_iri) (a Graph Store Protocol write). Messages out:
("ready", network_denied) or ("failed", why) once; then per request either
("error", what, detail), ("done",) for an update, or ("result", kind, media_type,
first_chunk, finished) followed, when not finished, by ("more", chunk)... and ("end",)
or ("error", ...).

The text guard (:func:`kg.service.federation.check`: SERVICE and LOAD only to allowed
targets) runs here too, so that the serving processes never parse client text.

    python -m kg.service.worker FD STORE WRITABLE MAX_BYTES CHUNK SERVICE_ALLOW LOAD_HOSTS

(the last two as JSON lists; when SERVICE_ALLOW is not empty the worker keeps its network)
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import threading
import time
from multiprocessing.connection import Connection

from kg import store as st
from kg.service import QueryRequest, QuerySyntaxError, Refused, ResultTooLarge, federation, using

GENERIC_FEDERATION_ERROR = "a federated (SERVICE) part of the query failed"
NO_NETWORK = ("SERVICE and LOAD cannot reach the network from this endpoint: its query "
              "workers have no network access")
#: Stack of the thread that runs queries: the parser recurses per nesting level.
STACK_BYTES = 256 * 1024 * 1024
#: The name of the thread that runs queries, as the pool finds it in /proc.
QUERY_THREAD = b"krm-query"
#: Seconds after which a request's memory is handed back to the system when it ends.
TRIM_AFTER = 0.25
_FUNCTION = re.compile(r"custom function (<[^>]*>) is not supported")


class _Pipe:
    """A binary stream that sends CHUNK-sized pieces of a result over the connection."""

    def __init__(self, conn: Connection, kind: str, media_type: str, limit: int, chunk: int):
        self.conn, self.kind, self.media_type = conn, kind, media_type
        self.limit, self.chunk = limit, chunk
        self.buffer = bytearray()
        self.sent = 0
        self.started = False

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= self.chunk:
            self._send(finished=False)
        return len(data)

    def flush(self) -> None:
        """The serializers call this; sending waits for a full chunk or the end."""

    def _send(self, finished: bool) -> None:
        data = bytes(self.buffer)
        self.buffer.clear()
        self.sent += len(data)
        if self.limit and self.sent > self.limit:
            raise ResultTooLarge(f"the result is larger than {self.limit} bytes")
        if not self.started:  # the first message says what comes, with the first chunk
            self.started = True
            self.conn.send(("result", self.kind, self.media_type, data, finished))
            return
        if data:
            self.conn.send(("more", data))
        if finished:
            self.conn.send(("end",))

    def close(self) -> None:
        self._send(finished=True)


def _failure(e: BaseException, federated: bool) -> tuple[str, str]:
    """(what, detail) of an error the engine raised, for the ``("error", ...)`` message."""
    if isinstance(e, ResultTooLarge):
        return "too_large", str(e)
    if isinstance(e, Refused):
        return "refused", str(e)
    if isinstance(e, QuerySyntaxError):
        return "syntax", str(e)
    if isinstance(e, SyntaxError | ValueError):
        return "syntax", str(e)
    if isinstance(e, PermissionError):  # the network filter said no
        return "refused", NO_NETWORK
    if isinstance(e, RuntimeError):
        found = _FUNCTION.search(str(e))
        if found:
            return "unsupported", f"the function {found.group(1)} is not supported here"
        return "unsupported", f"the query cannot be evaluated: {e}"
    if isinstance(e, OSError):
        # A SERVICE's failure may quote what the remote answered: never pass it on.
        return ("federation", GENERIC_FEDERATION_ERROR) if federated else ("os", str(e))
    return "backend", f"the engine failed on this query ({type(e).__name__})"


def answer(conn: Connection, store, req: QueryRequest, limit: int, chunk: int,
           allow: Allow) -> None:
    """Check one query against the allow-lists, run it and stream its result (or an
    error) to ``conn``."""
    federated = False
    try:
        federated = federation.check(req.text, allow.services, base_iri=req.base_iri)
        results = st.run_query(store, req.text, req.default_graphs, req.named_graphs,
                               base_iri=req.base_iri)
        kind = st.result_kind(results)
        media_type = req.rdf_type if kind == st.TRIPLES else req.results_type
        if media_type is None:
            conn.send(("error", "unacceptable", kind))
            return
        out = _Pipe(conn, kind, media_type, limit, chunk)
        st.serialize_results(results, out, media_type)
        out.close()
    except (BrokenPipeError, ConnectionResetError):
        raise
    except BaseException as e:  # noqa: BLE001  (pyo3 panics derive from BaseException)
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        conn.send(("error", *_failure(e, federated)))


class Allow:
    """The SERVICE endpoints and LOAD hosts the operator allows."""

    def __init__(self, services: list[str], load_hosts: list[str]):
        self.services, self.load_hosts = services, load_hosts


def serve(conn: Connection, store, limit: int, chunk: int, allow: Allow) -> bool:
    """Answer requests until the connection closes (False) or until the pool has lowered
    this thread's priority for a long query (True: a fresh thread takes over)."""
    name_thread(QUERY_THREAD)
    me = threading.get_native_id()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return False
        started = time.monotonic()
        handle(conn, store, message, limit, chunk, allow)
        if time.monotonic() - started > TRIM_AFTER:
            # A large query leaves tens of MB that glibc keeps for the next one: returned.
            _libc_call("malloc_trim", 0)
        if os.getpriority(os.PRIO_PROCESS, me) > 0:
            return True


def handle(conn: Connection, store, message: tuple, limit: int, chunk: int,
           allow: Allow) -> None:
    """Answer one request message."""
    if message[0] == "query":
        answer(conn, store, message[1], limit, chunk, allow)
        return
    try:
        if message[0] == "graph":  # ("graph", mode, graph, data, media_type, base_iri)
            conn.send(("done", st.write_graph(store, *message[1:])))
            return
        _, text, base_iri, graphs, named = message
        text = using.apply(text, graphs, named)
        federation.check(text, allow.services, allow.load_hosts, update=True,
                         base_iri=base_iri)
        st.run_update(store, text, base_iri=base_iri)
        conn.send(("done",))
    except (BrokenPipeError, ConnectionResetError):
        raise
    except BaseException as e:  # noqa: BLE001
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        conn.send(("error", *_failure(e, False)))


def name_thread(name: bytes) -> None:
    """Give the calling thread a name the pool can find in /proc (Linux only)."""
    _libc_call("prctl", 15, name)  # PR_SET_NAME


def _libc_call(name: str, *args) -> None:
    """Call a Linux C library function (prctl, glibc's malloc_trim); a no-op where there
    is none."""
    function = getattr(_libc(), name, None) if sys.platform.startswith("linux") else None
    if function is not None:
        function(*args)


@functools.cache
def _libc():
    import ctypes

    return ctypes.CDLL(None)


def _prepare(network: bool) -> bool:
    """Die with the parent, write no core files, and (unless ``network``) deny the
    network; True when the network is denied."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    die_with_parent()
    if network:
        return False
    from kg.service import sandbox

    try:
        sandbox.deny_network()
    except sandbox.SandboxUnavailable as e:
        print(f"krm query worker: {e}", file=sys.stderr)
        return False
    return True


def die_with_parent(sig: int = 9) -> None:
    """Ask Linux to send ``sig`` (SIGKILL) to this process when its parent dies, even
    mid-query (a query in native code never gets to notice that the connection closed)."""
    _libc_call("prctl", 1, sig)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the call above
        sys.exit(0)


def main(argv: list[str]) -> None:
    fd, store_path, writable, limit, chunk, services, load_hosts = argv[:7]
    allow = Allow(json.loads(services), json.loads(load_hosts))
    denied = _prepare(network=bool(allow.services))
    conn = Connection(int(fd))
    try:
        store = st.open_store(store_path, read_only=writable != "1")
    except OSError as e:
        conn.send(("failed", str(e)))
        return
    conn.send(("ready", denied))
    threading.stack_size(STACK_BYTES)
    renew = [True]

    def run() -> None:
        try:
            renew[0] = serve(conn, store, int(limit), int(chunk), allow)
        except (BrokenPipeError, ConnectionResetError, EOFError):
            renew[0] = False  # the server went away (or killed the connection mid-result)

    # Nice values are per thread on Linux and cannot be raised again: a query thread the
    # pool lowered ends after its query, and one started here, at normal priority, follows.
    while renew[0]:
        thread = threading.Thread(target=run, name="queries")
        thread.start()
        thread.join()


if __name__ == "__main__":
    main(sys.argv[1:])
