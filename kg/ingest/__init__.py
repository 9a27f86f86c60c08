"""Ingest the official data committed under ``kg/sources/`` into the data graph.

One module per source (:mod:`kg.ingest.usgs`, :mod:`kg.ingest.baci`, :mod:`kg.ingest.wgi`,
:mod:`kg.ingest.lists`), each a set of pure functions from CSV rows to triples; areas
(countries and non-country areas), code lists, HS products and mappings have their own
modules; :mod:`kg.ingest.run` reads the files and assembles the graph. Triples are tuples of
N-Triples terms (strings, see :mod:`kg.ingest.nt`): the data is several hundred thousand
triples, and handing the store N-Quads text to parse is far faster than building one Python
object per term.

Bad input never passes silently: a row that cannot be read raises :class:`IngestError`
naming the file and row; a row or cell skipped by a documented rule (a world-total row is
not skipped, but a blank row or blank cell is) is counted in the :class:`Report`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "sources"
RULES = Path(__file__).resolve().parent


class IngestError(ValueError):
    """A data file that cannot be ingested: names the file and the 1-based row.

    >>> str(IngestError("wgi/x.csv", 7, "not a number: 'abc'"))
    "wgi/x.csv:7: not a number: 'abc'"
    """

    def __init__(self, file: str, row: int | None, message: str):
        self.file, self.row, self.message = str(file), row, message
        where = f"{file}:{row}" if row else str(file)
        super().__init__(f"{where}: {message}")


@dataclass
class Report:
    """What an ingest read, made and skipped, per data set."""

    observations: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # (data set, rule) -> count

    def skip(self, dataset: str, rule: str, n: int = 1) -> None:
        self.skipped[(dataset, rule)] += n

    def lines(self) -> list[str]:
        """The report as lines for the terminal.

        >>> r = Report(); r.observations["wgi"] += 2; r.skip("wgi", "blank cell")
        >>> r.lines()
        ['  2 observations  wgi', '  1 skipped  wgi: blank cell']
        """
        out = [f"  {n} observations  {ds}" for ds, n in sorted(self.observations.items())]
        out += [f"  {n} skipped  {ds}: {rule}" for (ds, rule), n in sorted(self.skipped.items())]
        return out


def read_csv(path: Path, name: str | None = None) -> list[list[str]]:
    """Rows of a CSV file (UTF-8, with or without a byte-order mark), header included.

    Raises:
        IngestError: the file is not UTF-8 or not well-formed CSV (names the row).
        OSError: the file cannot be read.
    """
    name = name or Path(path).name
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(name, None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(reader)
    except csv.Error as e:
        raise IngestError(name, reader.line_num, f"malformed CSV: {e}") from None


def dict_rows(rows: list[list[str]], name: str,
              required: tuple[str, ...]) -> list[tuple[int, dict]]:
    """(line, row as dict) for each data row, checking the header has ``required`` columns
    and each row the header's width.

    >>> dict_rows([["a", "b"], ["1", "2"]], "f.csv", ("a",))
    [(2, {'a': '1', 'b': '2'})]
    >>> dict_rows([["a", "b"], ["1"]], "f.csv", ("a",))
    Traceback (most recent call last):
    kg.ingest.IngestError: f.csv:2: malformed row: 1 cells, the header has 2

    Raises:
        IngestError: a missing column or a row of the wrong width.
    """
    if not rows:
        raise IngestError(name, None, "empty file")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise IngestError(name, 1, f"missing column(s) {', '.join(missing)}")
    out = []
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise IngestError(name, i, f"malformed row: {len(row)} cells, the header has "
                              f"{len(header)}")
        out.append((i, dict(zip(header, row, strict=True))))
    return out
