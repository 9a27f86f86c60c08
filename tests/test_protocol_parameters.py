"""The query's parameters are decoded exactly as urllib decodes them (strict UTF-8),
whichever of the two ways :func:`server.sparql.protocol.params` takes."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given, settings
from hypothesis import strategies as st

from server.sparql.protocol import ProtocolError, params

PIECES = [b"%", b"+", b"=", b"&", b"\\", b"x", b"a", b"F", b"0", b"7", b"%7B", b"%ED%95%9C",
          b"%ed", b"%2", b"%zz", b"\xed\x95\x9c", b"\xff", b"\\x41", b" "]


def urllib_reading(raw: bytes) -> list[tuple[str, str]] | None:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except ValueError:
        return None


def our_reading(raw: bytes) -> list[tuple[str, str]] | None:
    try:
        return list(params(raw, "URL").items(multi=True))
    except ProtocolError:
        return None


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map(b"".join))
def test_parameters_decode_as_urllib_does(raw):
    assert our_reading(raw) == urllib_reading(raw)


def test_a_real_query_and_a_bad_byte():
    raw = b"query=SELECT+%3Fs+WHERE+%7B+%3Fs+%3Fp+%22%ED%95%9C%22+%7D&format=json"
    assert our_reading(raw) == [("query", 'SELECT ?s WHERE { ?s ?p "한" }'), ("format", "json")]
    assert our_reading(b"query=%FF") is None
