"""The query library: ``queries/<area>/<name>.rq`` files with a strict ``#+`` YAML header.

The header follows grlc's decorator conventions (``summary``, ``description``, ``tags``,
``method``) and declares typed parameters, either in a ``params:`` block or by grlc's
variable names (``?_name`` a literal, ``?_name_iri`` an IRI, ``?__name`` optional). Unlike
grlc, a malformed header is an error when the library loads, naming file and line, and a
value is never pasted into the query text: it is checked against its parameter's type and
bound with a pyoxigraph substitution. See ``queries/README.md`` for the header format.

>>> q = parse('''#+ summary: Shares of one commodity
... #+ params:
... #+   commodity: {type: iri, description: An element or group}
... SELECT ?commodity ?share WHERE { ?o krm:commodity ?commodity ; krm:sharePercent ?share }
... ''', "production/example")
>>> [(p.name, p.type, p.required) for p in q.params]
[('commodity', 'iri', True)]
>>> q.bindings({"commodity": "id:element/W"})
{<Variable value=commodity>: <NamedNode value=https://w3id.org/krm/id/element/W>}
>>> q.bindings({"commodity": '"} UNION { ?s ?p ?o'})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.queries.ParamError: parameter 'commodity' expects an IRI, ...; got '"} UNION { ?s ?p ?o'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from kg import store as st
from kg.files import QUERIES
from kg.namespace import PREFIXES

TYPES = ("iri", "literal", "number", "integer", "year", "language", "enum")
HEADER_KEYS = {"summary", "description", "tags", "method", "params", "internal", "bind"}
#: How a query's parameters are bound (header key ``bind``); see :meth:`NamedQuery.prepare`.
BINDS = ("substitution", "values")
#: The comment line a ``bind: values`` query holds where its VALUES block goes.
VALUES_MARKER = "#+values"
PARAM_KEYS = {"type", "description", "default", "enum", "required", "minimum", "maximum",
              "example"}
#: Longest parameter value accepted, in characters: longer is a 400, not a slow query.
MAX_VALUE_LENGTH = 1000

# grlc's names: ?_name (literal), ?_name_iri, ?_name_integer ...; a double underscore marks
# the parameter optional.
_GRLC_VAR = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")
_GRLC_SUFFIX = {"iri": "iri", "integer": "integer", "number": "number", "decimal": "number",
                "literal": "literal", "lang": "language", "language": "language"}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,2})?$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_YEAR = re.compile(r"^\d{4}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

EXPECTS = {
    "iri": "an IRI, full or prefixed (like id:element/W)",
    "literal": "a single line of text",
    "number": "a decimal number, like 50 or 12.5",
    "integer": "a whole number, like 3",
    "year": "a year of four digits, like 2024",
    "language": "a language tag, like en or ko",
}


class HeaderError(ValueError):
    """A query file whose header (or text) is malformed: names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


class ParamError(ValueError):
    """A parameter value that does not fit: names the parameter and what it expects."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(message)


@dataclass(frozen=True)
class Param:
    """One typed parameter, bound to the query variable ``var``."""

    name: str
    var: str
    type: str = "literal"
    description: str = ""
    required: bool = True
    default: str | None = None
    enum: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    example: str | None = None

    @property
    def expects(self) -> str:
        """What a value must look like, in words, for error messages and docs."""
        if self.enum:
            return "one of " + ", ".join(self.enum)
        text = EXPECTS[self.type]
        if self.minimum is not None and self.maximum is not None:
            text += f" from {self.minimum} to {self.maximum}"
        elif self.minimum is not None:
            text += f" of at least {self.minimum}"
        elif self.maximum is not None:
            text += f" of at most {self.maximum}"
        return text

    def _within(self, value: Decimal) -> bool:
        return not ((self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum))

    def term(self, raw: str):
        """The RDF term for a raw value, once it passes this parameter's checks.

        Raises:
            ParamError: the value does not fit the type, range or enumeration.
        """
        def bad(why: str = "") -> ParamError:
            shown = raw if len(raw) <= 80 else raw[:77] + "..."
            return ParamError(self.name, f"parameter {self.name!r} expects {self.expects}"
                              f"{why}; got {shown!r}")

        if not isinstance(raw, str):
            raise ParamError(self.name, f"parameter {self.name!r} takes one value")
        if len(raw) > MAX_VALUE_LENGTH:
            raise bad(f" of at most {MAX_VALUE_LENGTH} characters")
        if self.enum and raw not in self.enum:
            raise bad()
        if self.type == "iri":
            iri = expand_iri(raw)
            if iri is None:
                raise bad()
            try:
                return st.named_node(iri)
            except ValueError:
                raise bad() from None
        if _CONTROL.search(raw):
            raise bad(" (no control characters or line breaks)")
        if self.type in ("literal", "enum"):
            return st.literal(raw)
        if self.type == "language":
            if not _LANGUAGE.match(raw):
                raise bad()
            return st.literal(raw.lower())
        if self.type == "year":
            # An xsd:gYear, as the data's krm:refYear: a triple pattern matches it as is
            # (a FILTER on STR() would read every observation).
            if not _YEAR.match(raw.strip()) or not self._within(Decimal(raw.strip())):
                raise bad()
            return st.literal(raw.strip(), datatype="gYear")
        pattern, datatype = ((_INTEGER, "integer") if self.type == "integer"
                             else (_NUMBER, "decimal"))
        if not pattern.match(raw.strip()):
            raise bad()
        if not self._within(Decimal(raw.strip())):
            raise bad()
        value = Decimal(raw.strip())
        # Plain notation: xsd:decimal has no exponent; the pattern keeps the digits few.
        return st.literal(format(value, "f"), datatype=datatype)


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library, as loaded from its file."""

    name: str
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    method: str = "GET"
    params: tuple[Param, ...] = ()
    internal: bool = False
    form: str = "SELECT"
    variables: tuple[str, ...] = ()
    bind: str = "substitution"
    path: str = field(default="", compare=False)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def bindings(self, values: Mapping[str, str]) -> dict:
        """Substitutions for the given raw values, defaults filling the gaps.

        An optional parameter left out stays unbound: in a triple pattern it then
        matches anything, which is what "no filter" means for it.

        Raises:
            ParamError: an unknown or missing parameter, or a value that does not fit.
        """
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            takes = ", ".join(p.name for p in self.params) or "no parameters"
            raise ParamError(unknown[0], f"unknown parameter {unknown[0]!r}; "
                                         f"query {self.name!r} takes {takes}")
        # The values given are checked first: a bad one is named even when another
        # parameter is missing.
        subs = {st.variable(p.var): p.term(values[p.name])
                for p in self.params if p.name in values}
        for p in self.params:
            if p.name in values:
                continue
            if p.default is None:
                if p.required:
                    raise ParamError(p.name, f"missing parameter {p.name!r}: "
                                             f"it expects {p.expects}")
                continue
            subs[st.variable(p.var)] = p.term(p.default)
        return {st.variable(p.var): subs[st.variable(p.var)] for p in self.params
                if st.variable(p.var) in subs}

    def run(self, store, values: Mapping[str, str] | None = None):
        """Run the query with checked and bound values; returns pyoxigraph's results.

        Raises:
            ParamError: a parameter value does not fit.
            OSError: the store cannot be read.
        """
        text, subs = self.prepare(self.bindings(values or {}))
        return st.query(store, text, substitutions=subs)

    def run_terms(self, store, terms: Mapping[str, object]):
        """Run the query with RDF terms the caller built (pyoxigraph ``NamedNode`` or
        ``Literal``, by parameter name), for internal callers that hold terms, not text.

        Raises:
            ParamError: an unknown parameter name.
            TypeError: a value that is not a NamedNode or a Literal.
        """
        text, subs = self.prepare(self._checked(terms))
        return st.query(store, text, substitutions=subs)

    def run_rows(self, store, rows: list[Mapping[str, object]]):
        """Run a ``bind: values`` query with a VALUES block of several rows, one per
        mapping of parameter names to terms (a name left out is ``UNDEF``): to hand the
        query a list, like the observations a page already knows it shows.

        Raises:
            ParamError: an unknown parameter name.
            TypeError: a value that is not a NamedNode or a Literal.
            ValueError: the query binds by substitution, which takes one value each.
        """
        if self.bind != "values":
            raise ValueError(f"query {self.name!r} binds by substitution: one row only")
        block = [self._checked(terms) for terms in rows]
        return st.query(store, _with_values(self.text, [p.var for p in self.params],
                                            [self._cells(subs) for subs in block]))

    def _checked(self, terms: Mapping[str, object]) -> dict:
        subs = {}
        for name, term in terms.items():
            p = self.param(name)
            if p is None:
                raise ParamError(name, f"unknown parameter {name!r} of query {self.name!r}")
            ntriples_term(term)  # the same check whichever way it is bound
            subs[st.variable(p.var)] = term
        return subs

    def _cells(self, subs: Mapping) -> list[str]:
        cells = []
        for p in self.params:
            term = subs.get(st.variable(p.var))
            cells.append("UNDEF" if term is None else ntriples_term(term))
        return cells

    def prepare(self, subs: Mapping) -> tuple[str, dict]:
        """The text and substitutions to run, for checked terms keyed by variable.

        A ``bind: substitution`` query (the default) gets them as pyoxigraph
        substitutions. A ``bind: values`` query gets them written into its text, as a
        ``VALUES`` block in place of its ``#+values`` line: pyoxigraph 0.5 plans a query
        before substituting, so a join that starts from a substituted IRI can plan badly,
        while a VALUES row is known to the planner. The block is built only from terms
        (each NamedNode or Literal was validated when constructed) serialised by
        pyoxigraph in N-Triples syntax, so a value can hold no query syntax.

        Raises:
            TypeError: a value that is not a NamedNode or a Literal.
        """
        if self.bind != "values":
            return self.text, dict(subs)
        return _with_values(self.text, [p.var for p in self.params], [self._cells(subs)]), {}


def ntriples_term(term) -> str:
    """A NamedNode or Literal in N-Triples syntax, as pyoxigraph serialises it (escaped).

    >>> print(ntriples_term(st.literal('a"} UNION { ?s ?p ?o', language="en")))
    "a\\"} UNION { ?s ?p ?o"@en
    >>> ntriples_term("<https://w3id.org/krm/id/element/W>")
    Traceback (most recent call last):
    ...
    TypeError: a VALUES cell must be a NamedNode or a Literal, not str

    Raises:
        TypeError: any other kind of value (text, a blank node, a variable).
    """
    if type(term) not in (st.NamedNode, st.Literal):
        raise TypeError("a VALUES cell must be a NamedNode or a Literal, "
                        f"not {type(term).__name__}")
    return str(term)


def _with_values(text: str, variables: list[str], rows: list[list[str]]) -> str:
    r"""``text`` with its marker line replaced by ``VALUES (?v ...) { (cell ...) ... }``.

    A variable ``UNDEF`` in every row is left out (it binds nothing), and with no
    variable left so is the block: Virtuoso 7 answers nothing when a block with an
    ``UNDEF`` column is followed by an ``OPTIONAL``.

    >>> print(_with_values("SELECT * {\n#+values\n?s ?p ?o }", ["s", "o"],
    ...                    [["<http://x/s>", "UNDEF"]]))
    SELECT * {
    VALUES (?s) { (<http://x/s>) }
    ?s ?p ?o }
    """
    kept = [i for i in range(len(variables)) if any(r[i] != "UNDEF" for r in rows)]
    block = "VALUES ({}) {{ {} }}".format(
        " ".join("?" + variables[i] for i in kept),
        " ".join("({})".format(" ".join(r[i] for i in kept)) for r in rows)) if kept else ""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip() == VALUES_MARKER)
    return "\n".join(lines[:at] + [block] + lines[at + 1:])


def parse(text: str, name: str, path: Path | str | None = None) -> NamedQuery:
    """A :class:`NamedQuery` from a file's text.

    Raises:
        HeaderError: the header is malformed, or the query does not parse.
    """
    where = path or f"{name}.rq"
    lines = text.splitlines()
    n = 0
    while n < len(lines) and lines[n].startswith("#+"):
        n += 1
    if n == 0:
        raise HeaderError(where, 1, "no '#+' header: a query starts with '#+ summary: ...'")
    markers = []
    for i, line in enumerate(lines[n:], start=n + 1):
        if line.strip() == VALUES_MARKER:
            markers.append(i)
        elif line.startswith("#+"):
            raise HeaderError(where, i, "a '#+' line after the query began: "
                                        "the header comes first, in one block")
    header_lines = [re.sub(r"^#\+ ?", "", line) for line in lines[:n]]
    try:
        header = yaml.safe_load("\n".join(header_lines))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        raise HeaderError(where, mark.line + 1 if mark else 1, f"bad YAML: {problem}") from None
    if not isinstance(header, dict):
        raise HeaderError(where, 1, "the header must be a YAML mapping of 'key: value' lines")

    def line_of(key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
        return next((i for i, h in enumerate(header_lines, 1) if pattern.match(h)), 1)

    def fail(key: str, message: str):
        raise HeaderError(where, line_of(key), message)

    for key in header:
        if key not in HEADER_KEYS:
            fail(str(key), f"unknown header key {key!r}; known: {', '.join(sorted(HEADER_KEYS))}")
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        fail("summary", "'summary' is required: one line saying what the query answers")
    description = header.get("description", "")
    if not isinstance(description, str):
        fail("description", "'description' must be text")
    tags = header.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        fail("tags", "'tags' must be a list of words")
    method = header.get("method", "GET")
    if method != "GET":
        fail("method", "'method' must be GET: the library's queries only read")
    internal = header.get("internal", False)
    if not isinstance(internal, bool):
        fail("internal", "'internal' must be true or false")
    bind = header.get("bind", "substitution")
    if bind not in BINDS:
        fail("bind", f"'bind' must be one of {', '.join(BINDS)}")
    if bind == "values" and len(markers) != 1:
        raise HeaderError(where, markers[1] if markers else line_of("bind"),
                          f"'bind: values' needs exactly one '{VALUES_MARKER}' line in the "
                          "query, where the VALUES block goes")
    if bind != "values" and markers:
        raise HeaderError(where, markers[0], f"a '{VALUES_MARKER}' line needs "
                                             "'bind: values' in the header")
    body = "\n".join(lines[n:])
    params = _params(header.get("params", {}), body, fail)
    checked, substituted = body, [p.var for p in params]
    if bind == "values":  # check the text as it runs, with a VALUES block of every type
        checked = _with_values(body, substituted, [[_PLACEHOLDER[p.type] for p in params]])
        substituted = []
    try:
        form, variables = st.check_query(checked, substituted)
    except SyntaxError as e:
        raise HeaderError(where, n + (e.lineno or 1), f"SPARQL syntax error: {e}") from None
    except ValueError as e:
        raise HeaderError(where, line_of("params"), f"{e}: a parameter's variable must be "
                                                    "projected to be bound") from None
    return NamedQuery(name=name, text=body, summary=summary.strip(),
                      description=" ".join(description.split()), tags=tuple(tags),
                      method=method, params=tuple(params), internal=internal, form=form,
                      variables=tuple(variables), bind=bind, path=str(where))


# A value of each type, to check at load time that a VALUES block parses where it goes.
_PLACEHOLDER = {"iri": "<urn:x>", "literal": '""', "enum": '""', "language": '"en"',
                "number": '"0"^^<http://www.w3.org/2001/XMLSchema#decimal>',
                "integer": '"0"^^<http://www.w3.org/2001/XMLSchema#decimal>',
                "year": '"2000"^^<http://www.w3.org/2001/XMLSchema#gYear>'}


def _params(declared, body: str, fail) -> list[Param]:
    """Parameters from the ``params:`` block, completed by grlc-named variables."""
    if not isinstance(declared, dict):
        fail("params", "'params' must map each parameter's name to its description")
    grlc: dict[str, tuple[str, str, bool]] = {}  # name -> (variable, type, optional)
    for m in _GRLC_VAR.finditer(body):
        underscores, rest = m.groups()
        var = underscores + rest
        head, _, suffix = rest.rpartition("_")
        name, kind = (head, _GRLC_SUFFIX[suffix]) if head and suffix in _GRLC_SUFFIX else (
            rest, "literal")
        grlc.setdefault(name, (var, kind, underscores == "__"))
    params = []
    for name, spec in declared.items():
        if not isinstance(name, str) or not _NAME.match(name) or name == "format":
            fail("params", f"bad parameter name {name!r}: letters, digits and '_', "
                           "not 'format'")
        if isinstance(spec, str):
            spec = _shorthand(spec)
        spec = spec or {}
        if not isinstance(spec, dict):
            fail(name, f"parameter {name!r}: give a mapping of type, description, default...")
        unknown = set(spec) - PARAM_KEYS
        if unknown:
            fail(name, f"parameter {name!r}: unknown key {sorted(unknown)[0]!r}; "
                       f"known: {', '.join(sorted(PARAM_KEYS))}")
        if re.search(rf"[?$]{name}\b", body):
            var, kind, optional = name, "literal", False
        elif name in grlc:
            var, kind, optional = grlc[name]
        else:
            fail(name, f"parameter {name!r} binds no variable: the query must use "
                       f"?{name}, ?_{name} or ?__{name}")
        params.append(_param(name, var, spec, kind, optional, fail))
    for name, (var, kind, optional) in grlc.items():
        if name not in declared:
            if name == "format":
                fail("params", "a parameter may not be called 'format' (it picks the "
                               "result format)")
            params.append(Param(name=name, var=var, type=kind, required=not optional))
    return params


def _shorthand(spec: str) -> dict:
    """``name: IRI (what it is)`` as ``{type: iri, description: what it is}``."""
    m = re.match(r"^\s*(\w+)\s*(?:\((.*)\))?\s*$", spec)
    if not m:
        return {"type": spec}
    return {"type": m.group(1).lower(), **({"description": m.group(2)} if m.group(2) else {})}


def _param(name: str, var: str, spec: dict, kind: str, optional: bool, fail) -> Param:
    ptype = spec.get("type", kind)
    if ptype not in TYPES:
        fail(name, f"parameter {name!r}: type must be one of {', '.join(TYPES)}")
    enum = spec.get("enum", [])
    if not isinstance(enum, list) or not all(isinstance(v, str | int | float) for v in enum):
        fail(name, f"parameter {name!r}: 'enum' must be a list of values")
    enum = tuple(str(v) for v in enum)
    if ptype == "enum" and not enum:
        fail(name, f"parameter {name!r}: type enum needs an 'enum' list")
    bounds = {}
    for key in ("minimum", "maximum"):
        if key in spec:
            if ptype not in ("number", "integer", "year") or isinstance(spec[key], bool) or (
                    not isinstance(spec[key], int | float)):
                fail(name, f"parameter {name!r}: '{key}' is a number, for number or integer")
            bounds[key] = Decimal(str(spec[key]))
    text = {}
    for key in ("description", "default", "example"):
        if key in spec and spec[key] is not None:
            if not isinstance(spec[key], str | int | float) or isinstance(spec[key], bool):
                fail(name, f"parameter {name!r}: '{key}' must be a single value")
            text[key] = str(spec[key])
    required = spec.get("required", not optional and "default" not in text)
    if not isinstance(required, bool):
        fail(name, f"parameter {name!r}: 'required' must be true or false")
    p = Param(name=name, var=var, type=ptype, required=required, enum=enum,
              description=" ".join(text.get("description", "").split()),
              default=text.get("default"), example=text.get("example"), **bounds)
    for key in ("default", "example"):
        if getattr(p, key) is not None:
            try:
                p.term(getattr(p, key))
            except ParamError as e:
                fail(name, f"{key}: {e}")
    return p


def expand_iri(value: str) -> str | None:
    """The absolute IRI for an absolute or prefixed IRI, or None if it is neither.

    >>> expand_iri("id:country/CHN")
    'https://w3id.org/krm/id/country/CHN'
    >>> expand_iri("<https://w3id.org/krm/id/element/W>")
    'https://w3id.org/krm/id/element/W'
    >>> expand_iri("> } ; DROP ALL ; <") is None
    True
    """
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    return value if _ABSOLUTE_IRI.match(value) else None


def load(path: Path, root: Path = QUERIES) -> NamedQuery:
    """Load one query file; its name is its path under ``root`` without ``.rq``.

    Raises:
        HeaderError: the header is malformed or the query does not parse.
        OSError: the file cannot be read.
    """
    path, root = Path(path).resolve(), Path(root).resolve()
    name = path.relative_to(root).with_suffix("").as_posix()
    try:
        shown = path.relative_to(root.parent)
    except ValueError:
        shown = path
    return parse(path.read_text(encoding="utf-8"), name, shown)


def load_all(root: Path = QUERIES) -> dict[str, NamedQuery]:
    """Every query under ``root``, by name, in name order.

    Raises:
        HeaderError: a file is malformed (the first found, naming file and line).
    """
    return {q.name: q for q in (load(p, root) for p in sorted(Path(root).rglob("*.rq")))}


def published(root: Path = QUERIES) -> dict[str, NamedQuery]:
    """The queries the API and docs offer: the SELECT queries not marked ``internal``
    (the API answers rows; a CONSTRUCT is for the pages that use it)."""
    return {name: q for name, q in load_all(root).items()
            if not q.internal and q.form == "SELECT"}
