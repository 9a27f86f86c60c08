"""The protocol's ``using-graph-uri`` and ``using-named-graph-uri`` for updates.

pyoxigraph takes no dataset for an update, so the parameters become what the grammar
says they stand for: a ``USING``/``USING NAMED`` clause on every operation with a WHERE
(``DELETE WHERE { P }`` becomes ``DELETE { P } USING ... WHERE { P }``). The text is
read with the guard's lexer (:func:`kg.service.federation.lex`), in the query worker.
"""

from __future__ import annotations

from kg.service import QuerySyntaxError
from kg.service.federation import lex


def apply(text: str, using: tuple[str, ...] | list[str] = (),
          using_named: tuple[str, ...] | list[str] = ()) -> str:
    """``text`` with the given graphs as the dataset of each operation's WHERE.

    >>> apply("INSERT { ?s a <C> } WHERE { ?s ?p ?o }", ["http://g"])
    'INSERT { ?s a <C> } USING <http://g> WHERE { ?s ?p ?o }'
    >>> apply("DELETE WHERE { ?s <p> ?o } ; INSERT DATA { <a> <b> <c> }", [], ["http://n"])
    'DELETE { ?s <p> ?o } USING NAMED <http://n> WHERE { ?s <p> ?o } ; INSERT DATA { <a> <b> <c> }'

    Raises:
        QuerySyntaxError: the update names its own dataset (USING, USING NAMED or WITH),
            which the protocol forbids together with the parameters.
    """
    if not using and not using_named:
        return text
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
    tokens = lex(text)
    depth, edits = 0, []  # (start, end, replacement) of the original text
    for i, (kind, value, start) in enumerate(tokens):
        if kind == "other" and value == "{":
            depth += 1
        elif kind == "other" and value == "}":
            depth -= 1
        elif kind == "word" and depth == 0 and value.upper() in ("USING", "WITH"):
            raise QuerySyntaxError(
                f"the update has {value.upper()}: with using-graph-uri or "
                "using-named-graph-uri the dataset comes from the parameters, not the text")
        elif kind == "word" and depth == 0 and value.upper() == "WHERE":
            if i and tokens[i - 1][0] == "word" and tokens[i - 1][1].upper() == "DELETE":
                block = _block(text, tokens, i + 1)
                edits.append((start, start + len(value), f"{block} {clause} WHERE"))
            else:
                edits.append((start, start, f"{clause} "))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def _block(text: str, tokens: list, i: int) -> str:
    """The text of the ``{ ... }`` group that starts at token ``i``."""
    if i >= len(tokens) or tokens[i][1] != "{":
        raise QuerySyntaxError("DELETE WHERE must be followed by { ... }")
    depth = 0
    for kind, value, start in tokens[i:]:
        if kind == "other" and value in "{}":
            depth += 1 if value == "{" else -1
            if depth == 0:
                return text[tokens[i][2]:start + 1]
    raise QuerySyntaxError("DELETE WHERE { ... } is not closed")
