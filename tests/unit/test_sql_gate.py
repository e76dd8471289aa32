"""The SQL gate: only one read-only SELECT passes, binds are found by tokens, rows are capped."""

from __future__ import annotations

import sqlite3

import pytest

from app.core.sources import SourceError
from app.core.sql_gate import bind_names, cap_rows, check_read_only, to_pyformat


@pytest.mark.parametrize(("sql", "dialect", "cleaned"), [
    ("SELECT tag, value FROM readings WHERE tag = :tag;", "mysql",
     "SELECT tag, value FROM readings WHERE tag = :tag"),
    ("  SELECT 1 ;  -- done\n", "mysql", "SELECT 1"),
    ("WITH last AS (SELECT MAX(ts) ts FROM readings) SELECT * FROM last", "mysql",
     "WITH last AS (SELECT MAX(ts) ts FROM readings) SELECT * FROM last"),
    ("SELECT a FROM t UNION ALL SELECT b FROM u", "mysql",
     "SELECT a FROM t UNION ALL SELECT b FROM u"),
    ("SELECT * FROM alarms WHERE raised_at BETWEEN :start AND :end", "mysql",
     "SELECT * FROM alarms WHERE raised_at BETWEEN :start AND :end"),
    ("SELECT * FROM t ORDER BY ts DESC FETCH FIRST 5 ROWS ONLY;", "oracle",
     "SELECT * FROM t ORDER BY ts DESC FETCH FIRST 5 ROWS ONLY"),
    ("SELECT 1 FROM dual MINUS SELECT 2 FROM dual", "oracle",
     "SELECT 1 FROM dual MINUS SELECT 2 FROM dual"),
    ("SELECT SLEEP(5)", "mysql", "SELECT SLEEP(5)"),  # the time limit handles this one
])
def test_a_single_select_passes_without_its_trailing_semicolon(sql, dialect, cleaned):
    assert check_read_only(sql, dialect) == cleaned


@pytest.mark.parametrize(("sql", "dialect", "says"), [
    ("UPDATE alarms SET acknowledged = 1", "mysql", "not an UPDATE"),
    ("INSERT INTO alarms (tag) VALUES ('x')", "mysql", "not an INSERT"),
    ("DELETE FROM alarms", "mysql", "not a DELETE"),
    ("SELECT 1; DELETE FROM alarms", "mysql", "more than one statement"),
    ("SELECT 1; SELECT 2", "mysql", "more than one statement"),
    ("SELECT * FROM alarms FOR UPDATE", "mysql", "locks rows"),
    ("SELECT * FROM alarms LOCK IN SHARE MODE", "mysql", "locks rows"),
    ("SELECT * FROM alarms FOR UPDATE NOWAIT", "oracle", "locks rows"),
    ("WITH old AS (SELECT id FROM alarms) DELETE FROM alarms", "mysql", "not a DELETE"),
    ("SELECT 1 /*!50000 , (SELECT 1 FROM alarms FOR UPDATE) */", "mysql",
     "executable comment"),
    ("SELECT 1 /*M!100000 , SLEEP(100) */", "mysql", "executable comment"),
    ("SELECT * FROM alarms INTO OUTFILE '/tmp/alarms.csv'", "mysql", "to a file"),
    ("SELECT * INTO DUMPFILE '/tmp/x' FROM alarms", "mysql", "to a file"),
    ("SELECT tag INTO @t FROM alarms LIMIT 1", "mysql", "stores its result"),
    ("CALL purge_alarms()", "mysql", "not a CALL"),
    ("SET autocommit = 1", "mysql", "not a SET"),
    ("GRANT ALL ON *.* TO 'x'@'%'", "mysql", "not a GRANT"),
    ("LOCK TABLES alarms WRITE", "mysql", "not a LOCK"),
    ("TRUNCATE TABLE alarms", "mysql", "not a TRUNCATE"),
    ("DROP TABLE alarms", "mysql", "not a DROP"),
    ("ALTER TABLE alarms ADD COLUMN x INT", "mysql", "not an ALTER"),
    ("CREATE TABLE copy AS SELECT * FROM alarms", "mysql", "not a CREATE"),
    ("MERGE INTO t USING u ON (t.a = u.a) WHEN MATCHED THEN UPDATE SET t.b = u.b", "oracle",
     "not a MERGE"),
    ("BEGIN DELETE FROM alarms; END;", "oracle", "PL/SQL"),
    ("DECLARE n NUMBER; BEGIN SELECT 1 INTO n FROM dual; END;", "oracle", "PL/SQL"),
    ("SHOW TABLES", "mysql", "not a SHOW"),
    ("SELECT GET_LOCK('plant', 10)", "mysql", "GET_LOCK"),
    ("SELECT LOAD_FILE('/etc/passwd')", "mysql", "LOAD_FILE"),
    ("SELECT FROM WHERE", "mysql", "could not be checked"),
    ("SELECT 'unclosed", "mysql", "unclosed quote"),
    ("", "mysql", "empty"),
    (" ; ", "mysql", "empty"),
])
def test_anything_but_one_plain_select_is_refused_with_a_reason(sql, dialect, says):
    with pytest.raises(SourceError) as caught:
        check_read_only(sql, dialect)
    assert says in caught.value.message
    assert caught.value.message.endswith(".")


def test_binds_are_found_outside_literals_comments_and_quoted_names():
    sql = ("SELECT ':quoted', \"a:b\", `c:d` FROM alarms # :hash\n"
           "WHERE raised_at > :date AND message LIKE '50% :like' -- :dash\n"
           "AND tag = :tag /* :block */ AND priority = :date AND x = 'it\\'s :escaped'")
    assert bind_names(sql) == ["date", "tag"]


def test_oracle_binds_respect_oracle_quoting():
    sql = ("SELECT q'[it's :quoted]', 'C:\\' || :path FROM dual "
           "WHERE d > :start_time AND n := 1 AND m = ::cast")
    assert bind_names(sql, "oracle") == ["path", "start_time"]


def test_pyformat_turns_binds_into_named_placeholders_and_keeps_percent_signs():
    sql = "SELECT ':tag' FROM alarms WHERE tag = :tag AND message LIKE '50%' AND 7 % 2 = :odd"
    converted = to_pyformat(sql)
    assert converted == ("SELECT ':tag' FROM alarms WHERE tag = %(tag)s AND message LIKE '50%%' "
                         "AND 7 %% 2 = %(odd)s")
    # pymysql fills placeholders with Python's % operator; the literal text must survive it.
    assert converted % {"tag": "'B1'", "odd": "1"} == (
        "SELECT ':tag' FROM alarms WHERE tag = 'B1' AND message LIKE '50%' AND 7 % 2 = 1")


@pytest.fixture
def plant() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE alarms (id INTEGER PRIMARY KEY, tag TEXT, ts INTEGER)")
    conn.executemany("INSERT INTO alarms (tag, ts) VALUES (?, ?)",
                     [("B1" if i % 2 else "B2", i) for i in range(1, 51)])
    yield conn
    conn.close()


def test_the_cap_keeps_the_query_order_even_after_a_trailing_comment(plant):
    sql = check_read_only("SELECT id, ts FROM alarms ORDER BY ts DESC -- newest first", "mysql")
    rows = plant.execute(cap_rows(sql, "mysql", 4)).fetchall()
    assert [r[1] for r in rows] == [50, 49, 48, 47]


def test_a_query_with_its_own_limit_is_capped_from_outside(plant):
    sql = check_read_only("SELECT id FROM alarms ORDER BY id LIMIT 30", "mysql")
    assert len(plant.execute(cap_rows(sql, "mysql", 11)).fetchall()) == 11
    small = check_read_only("SELECT id FROM alarms ORDER BY id LIMIT 3", "mysql")
    assert len(plant.execute(cap_rows(small, "mysql", 11)).fetchall()) == 3


def test_a_limit_inside_a_subquery_does_not_stop_the_cap(plant):
    sql = check_read_only(
        "SELECT id FROM alarms WHERE ts > (SELECT ts FROM alarms ORDER BY ts LIMIT 1)", "mysql")
    assert len(plant.execute(cap_rows(sql, "mysql", 5)).fetchall()) == 5


def test_oracle_rows_are_capped_with_fetch_first():
    assert cap_rows("SELECT * FROM t ORDER BY ts DESC", "oracle", 21) == (
        "SELECT * FROM t ORDER BY ts DESC\nFETCH FIRST 21 ROWS ONLY")
    assert cap_rows("SELECT * FROM t FETCH FIRST 50 ROWS ONLY", "oracle", 21) == (
        "SELECT * FROM (\nSELECT * FROM t FETCH FIRST 50 ROWS ONLY\n) q FETCH FIRST 21 ROWS ONLY")


@pytest.mark.parametrize(("sql", "dialect", "says"), [
    # A write hidden in a WITH whose outer statement is a SELECT.
    ("WITH d AS (DELETE FROM alarms WHERE id = 1 RETURNING id) SELECT id FROM d", "postgres",
     "The query contains a DELETE, which changes the database; only reading is allowed."),
    ("BEGIN", "mysql", "Only a SELECT query may run, not a transaction statement."),
    ("SELECT tag FROM alarms INTO OUTFILE", "mysql",
     "The query writes its result to a file (INTO OUTFILE); only reading is allowed."),
])
def test_the_refusal_names_what_the_query_does(sql, dialect, says):
    with pytest.raises(SourceError) as caught:
        check_read_only(sql, dialect)
    assert caught.value.message == says


def test_a_query_the_parser_cannot_read_gets_the_parsers_first_line():
    with pytest.raises(SourceError) as caught:
        check_read_only("SELECT tag FROM (alarms", "mysql")
    message = caught.value.message
    assert message.startswith("The query could not be checked (Expecting ). Line 1, Col: ")
    assert message.endswith("); write a single SELECT statement.")


def test_a_colon_not_followed_at_once_by_a_name_is_no_bind():
    for sql in ("SELECT a FROM t WHERE u = : unit", "SELECT a FROM t WHERE u = :1"):
        assert bind_names(sql) == []
        assert to_pyformat(sql) == sql


def test_pyformat_keeps_the_text_after_the_last_bind():
    assert to_pyformat("SELECT a FROM t WHERE u = :unit AND p LIKE '5%'") == (
        "SELECT a FROM t WHERE u = %(unit)s AND p LIKE '5%%'")
