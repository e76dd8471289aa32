"""The read-only gate for SQL triggers: one checked SELECT, `:name` binds, and a row cap.

sqlglot takes about half a second to import, so it loads on the first query checked, not when
the app starts (the login window and `simulate` never need it).
"""

from __future__ import annotations

import functools
import re
from types import SimpleNamespace
from typing import TYPE_CHECKING, Literal

from app.core.sources import SourceError

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.tokens import Token

Dialect = Literal["mysql", "oracle"]

# MySQL runs `/*! … */` and MariaDB `/*M! … */` as code while sqlglot skips them as comments.
_EXECUTABLE_COMMENT = re.compile(r"/\*M?!", re.IGNORECASE)
_BIND_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$#]*\Z")


@functools.cache
def _glot() -> SimpleNamespace:
    """sqlglot and the node kinds the gate looks for, loaded once on first use."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect as SqlglotDialect
    from sqlglot.errors import SqlglotError
    from sqlglot.tokens import TokenType

    def node_types(*names: str) -> tuple[type[exp.Expression], ...]:
        # sqlglot renames node classes between releases (AlterTable → Alter); take what exists.
        return tuple(t for t in (getattr(exp, n, None) for n in names) if isinstance(t, type))

    return SimpleNamespace(
        sqlglot=sqlglot, exp=exp, Dialect=SqlglotDialect, Error=SqlglotError,
        TokenType=TokenType,
        query_roots=node_types("Select", "Union", "Intersect", "Except", "SetOperation"),
        writes=node_types(
            "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "AlterTable",
            "TruncateTable", "Command", "Set", "Grant", "Revoke", "Transaction", "Commit",
            "Rollback", "LoadData", "Copy", "Use", "Pragma", "Kill", "Analyze", "Cache",
            "Uncache", "Refresh"),
        limits=node_types("Limit", "Fetch", "Offset"),
        nesting=node_types("Subquery", "CTE"),
    )

# Functions that take locks or read server files: they parse as plain SELECTs.
_FORBIDDEN_FUNCTIONS = {
    "GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS", "IS_FREE_LOCK", "IS_USED_LOCK", "LOAD_FILE",
}
_STATEMENT_NAMES = {
    "TruncateTable": "TRUNCATE", "Command": "", "Describe": "EXPLAIN", "AlterTable": "ALTER",
    "Transaction": "a transaction statement",
}


def _tokenize(sql: str, dialect: Dialect) -> list[Token]:
    glot = _glot()
    try:
        return glot.Dialect.get_or_raise(dialect).tokenize(sql)
    except glot.Error as exc:
        raise SourceError(
            "The query could not be read: check for an unclosed quote or comment.",
            details=str(exc)) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__


def _statement_name(node: exp.Expression, sql: str) -> str:
    """"an UPDATE", "a CALL": the kind of statement a node is, for a sentence."""
    name = _STATEMENT_NAMES.get(type(node).__name__, type(node).__name__.upper())
    if not name:  # an unparsed statement: its first word names it
        name = (sql.split(None, 1) or ["?"])[0].upper()
    if name.startswith("a "):
        return name
    return ("an " if name[0] in "AEIOU" else "a ") + name


def _bind_spans(tokens: list[Token], sql: str) -> list[tuple[int, int, str]]:
    """(start, end exclusive, name) of each `:name`; literals and comments are single tokens."""
    token_type = _glot().TokenType
    spans: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens[:-1]):
        if token.token_type != token_type.COLON:
            continue
        name_token = tokens[i + 1]
        # `:date`, `:end` arrive as keyword tokens, so the text decides, not the token type.
        if name_token.start != token.end + 1 or not _BIND_NAME.match(name_token.text):
            continue
        if name_token.token_type in (token_type.STRING, token_type.IDENTIFIER):
            continue  # :'x' or :"x" is not a bind we support
        if token.start > 0 and sql[token.start - 1] == ":":
            continue
        spans.append((token.start, name_token.end + 1, name_token.text))
    return spans


def bind_names(sql: str, dialect: Dialect = "mysql") -> list[str]:
    """The `:name` binds of a query in order of first use, ignoring literals and comments."""
    seen: list[str] = []
    for _, _, name in _bind_spans(_tokenize(sql, dialect), sql):
        if name not in seen:
            seen.append(name)
    return seen


def to_pyformat(sql: str) -> str:
    """MySQL text for pymysql: `:name` → `%(name)s`; every other `%` doubled.

    pymysql applies `%` formatting to the whole statement, string literals and comments included,
    so every literal percent sign must be doubled, not only those outside strings.
    """
    out: list[str] = []
    pos = 0
    for start, end, name in _bind_spans(_tokenize(sql, "mysql"), sql):
        out.append(sql[pos:start].replace("%", "%%"))
        out.append(f"%({name})s")
        pos = end
    out.append(sql[pos:].replace("%", "%%"))
    return "".join(out)


def check_read_only(sql: str, dialect: Dialect) -> str:
    """The statement without its trailing `;`, or SourceError saying why it may not run."""
    if not sql or not sql.strip():
        raise SourceError("The query is empty.")
    if _EXECUTABLE_COMMENT.search(sql):
        raise SourceError(
            "The query contains an executable comment (/*! … */), which the database would run "
            "as code; remove it.")
    tokens = _tokenize(sql, dialect)
    glot = _glot()
    exp = glot.exp
    if not tokens:
        raise SourceError("The query is empty.")
    # sqlglot cannot parse these, so say precisely why instead of "could not be checked".
    texts = [t.text.upper() for t in tokens]
    if dialect == "oracle" and texts[0] in ("BEGIN", "DECLARE"):
        raise SourceError("PL/SQL blocks may not run; write a single SELECT statement.")
    for i, text in enumerate(texts[:-1]):
        if text == "INTO" and texts[i + 1] in ("OUTFILE", "DUMPFILE"):
            raise SourceError(
                f"The query writes its result to a file (INTO {texts[i + 1]}); only reading is "
                "allowed.")
    semicolons = [t for t in tokens if t.token_type == glot.TokenType.SEMICOLON]
    if semicolons and (len(semicolons) > 1 or tokens[-1] is not semicolons[0]):
        raise SourceError("The query contains more than one statement; only one SELECT may run.")
    cleaned = sql[: semicolons[0].start].strip() if semicolons else sql.strip()
    if not cleaned:
        raise SourceError("The query is empty.")

    try:
        statements = [s for s in glot.sqlglot.parse(cleaned, read=dialect) if s is not None]
    except glot.Error as exc:
        raise SourceError(
            f"The query could not be checked ({_first_line(exc)}); write a single SELECT "
            "statement.", details=str(exc)) from exc
    if len(statements) != 1:
        raise SourceError("The query contains more than one statement; only one SELECT may run.")
    root = statements[0]
    query = root.unnest() if isinstance(root, exp.Subquery) else root
    if not isinstance(query, glot.query_roots):
        raise SourceError(
            f"Only a SELECT query may run, not {_statement_name(query, cleaned)}.")
    for node in root.walk():
        if isinstance(node, glot.writes):
            raise SourceError(
                f"The query contains {_statement_name(node, cleaned)}, which changes the "
                "database; only reading is allowed.")
        if isinstance(node, exp.Lock):
            raise SourceError(
                "The query locks rows (FOR UPDATE, FOR SHARE or LOCK IN SHARE MODE); only plain "
                "reading is allowed.")
        if isinstance(node, exp.Into):
            raise SourceError(
                "The query stores its result (SELECT … INTO); only reading is allowed.")
        if isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
            if name in _FORBIDDEN_FUNCTIONS:
                raise SourceError(f"The query calls {name}, which is not allowed in a report.")
    return cleaned


def cap_rows(sql: str, dialect: Dialect, limit: int) -> str:
    """A checked query limited to `limit` rows on the server, keeping the query's own order.

    A LIMIT or FETCH FIRST is appended when the query has none of its own: wrapping every query
    in `SELECT * FROM (…) q` would lose its ORDER BY on MariaDB (a derived table without a limit
    is an unordered set) and fail on joins that return two columns of the same name.
    """
    limit = int(limit)
    glot = _glot()
    root = glot.sqlglot.parse_one(sql, read=dialect)
    if not isinstance(root, glot.exp.Subquery) and not _has_own_limit(root):
        # The newline ends a trailing `-- comment` before our clause.
        if dialect == "oracle":
            return f"{sql}\nFETCH FIRST {limit} ROWS ONLY"
        return f"{sql}\nLIMIT {limit}"
    if dialect == "oracle":
        return f"SELECT * FROM (\n{sql}\n) q FETCH FIRST {limit} ROWS ONLY"
    return f"SELECT * FROM (\n{sql}\n) q LIMIT {limit}"


def _has_own_limit(root: exp.Expression) -> bool:
    glot = _glot()
    for node in root.find_all(*glot.limits):
        parent = node.parent
        while parent is not None and not isinstance(parent, glot.nesting):
            parent = parent.parent
        if parent is None:
            return True
    return False
