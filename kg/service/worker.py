"""A query worker process (started by :class:`kg.service.pool.ProcessPool`): opens the
store once, then answers requests read from its socket, streaming each result back in
chunks. Being a separate process, it can be killed mid-query.

Messages in: ("query", QueryRequest) or ("update", text). Messages out: ("ready",) or
("failed", why) once; then per request either ("error", what, detail), or
("result", kind, media_type, first_chunk, finished) followed, when not finished, by
("more", chunk)... and ("end",) or ("error", ...).

    python -m kg.service.worker FD STORE WRITABLE MAX_BYTES CHUNK
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from kg import store as st
from kg.service import QueryRequest, ResultTooLarge

GENERIC_FEDERATION_ERROR = "a federated (SERVICE) part of the query failed"


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


def answer(conn: Connection, store, req: QueryRequest, limit: int, chunk: int) -> None:
    """Run one query and stream its result (or an error) to ``conn``."""
    def fail(what: str, e: Exception) -> None:
        if req.federated and what == "os":  # the message may quote the remote's answer
            conn.send(("error", "federation", GENERIC_FEDERATION_ERROR))
        else:
            conn.send(("error", what, str(e)))

    try:
        results = st.run_query(store, req.text, req.default_graphs, req.named_graphs)
    except (SyntaxError, ValueError) as e:
        return fail("syntax", e)
    except OSError as e:
        return fail("os", e)
    kind = st.result_kind(results)
    media_type = req.rdf_type if kind == st.TRIPLES else req.results_type
    if media_type is None:
        conn.send(("error", "unacceptable", kind))
        return
    out = _Pipe(conn, kind, media_type, limit, chunk)
    try:
        st.serialize_results(results, out, media_type)
        out.close()
    except ResultTooLarge as e:
        fail("too_large", e)
    except (OSError, SyntaxError, ValueError, RuntimeError) as e:
        fail("os", e)


def serve(conn: Connection, store_path: str, writable: bool, limit: int, chunk: int) -> None:
    """Open the store, then answer requests until the connection closes."""
    try:
        store = st.open_store(store_path, read_only=not writable)
    except OSError as e:
        conn.send(("failed", str(e)))
        return
    conn.send(("ready",))
    while True:
        try:
            op, payload = conn.recv()
        except (EOFError, OSError):
            return
        if op == "query":
            answer(conn, store, payload, limit, chunk)
            continue
        try:
            st.run_update(store, payload)
            conn.send(("done",))
        except SyntaxError as e:
            conn.send(("error", "syntax", str(e)))
        except OSError as e:
            conn.send(("error", "os", str(e)))


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, even mid-query (a query in
    native code never gets to notice that the connection closed)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import os
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the call above
            sys.exit(0)


if __name__ == "__main__":
    die_with_parent()
    fd, store_path, writable, limit, chunk = sys.argv[1:6]
    try:
        serve(Connection(int(fd)), store_path, writable == "1", int(limit), int(chunk))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server went away (or killed the connection mid-result): nothing to do
