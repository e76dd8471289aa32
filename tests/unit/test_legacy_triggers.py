"""The old system's triggers and presets become this app's types, marked where the user must act."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.core import legacy_sources, legacy_triggers
from app.core.legacy_triggers import convert, convert_preset, named_binds, span_back
from tests.legacy_db import (
    LEGACY_API_TRIGGER_ID,
    LEGACY_COMPOSITE_TRIGGER_ID,
    LEGACY_LATEST_TRIGGER_ID,
    LEGACY_MYSQL_SOURCE_ID,
    LEGACY_MYSQL_TRIGGER_ID,
    LEGACY_OLD_QUERY_TRIGGER_ID,
    LEGACY_ORACLE_TRIGGER_ID,
    LEGACY_ORPHAN_TRIGGER_ID,
    LEGACY_PARAM_TRIGGER_ID,
    LEGACY_PI_QUERY_TRIGGER_ID,
    LEGACY_PI_SOURCE_ID,
    LEGACY_TEXT_TRIGGER_ID,
    LEGACY_URL_QUERY_TRIGGER_ID,
    build_legacy_db,
)

PI = ("pi", {"api": "gateway", "base_url": "http://10.1.2.3:6066", "default_tag": "DEF.TAG"})
MYSQL = ("mysql", {"host": "db", "database": "plant", "username": "reader"})


@pytest.fixture(scope="module")
def old_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("old") / "app.db"
    build_legacy_db(path)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        sources = {}
        for row in conn.execute("SELECT id, plugin, database_type, config FROM data_sources"):
            converted = legacy_sources.convert(row["plugin"], row["database_type"],
                                               json.loads(row["config"]))
            assert converted is not None  # every old row has an old plugin
            sources[row["id"]] = (converted.plugin, converted.config)
        triggers = [dict(r) for r in conn.execute("SELECT * FROM triggers ORDER BY rowid")]
        presets = [dict(r) for r in conn.execute("SELECT * FROM query_presets ORDER BY rowid")]
    finally:
        conn.close()
    return sources, triggers, presets


@pytest.fixture(scope="module")
def converted(old_db):
    sources, triggers, _presets = old_db
    names = {t["name"] for t in triggers}
    result = {t["id"]: convert(t, sources, names) for t in triggers}
    assert all(r is not None for r in result.values())
    return result


def test_every_old_trigger_is_converted_and_keeps_its_old_settings(old_db, converted):
    _sources, triggers, _presets = old_db
    assert len(converted) == len(triggers) == 11
    for row in triggers:
        result = converted[row["id"]]
        assert result.type in ("pi", "sql", "text") or result.type == row["type"]
        legacy = result.config[legacy_triggers.LEGACY_KEY]
        assert legacy["type"] == row["type"]
        assert {k: v for k, v in legacy.items() if k != "type"} == json.loads(row["config"])


def test_pi_pseudo_sql_becomes_values_at_its_interval_of_the_named_tag(converted):
    result = converted[LEGACY_PI_QUERY_TRIGGER_ID]
    assert result.type == "pi"
    assert result.config["tags"] == ["BOILER1.DRUM.PRESS"]
    # TOP 5 rows, one every 30 minutes: five values 30 minutes apart, the newest now.
    assert result.config["mode"] == "interpolated"
    assert (result.config["start"], result.config["end"]) == ("*-2h", "*")
    assert "max_count" not in result.config
    assert result.config["interval"] == "30m"
    assert result.config["title"] == "Tekanan Drum"
    assert result.config["description"] == "Tekanan drum boiler 1, lima nilai terakhir"
    assert result.active is None and result.missing == []
    assert result.review  # the migration summary says how it now reads


def test_older_form_with_a_gateway_address_reads_what_the_address_read(converted):
    result = converted[LEGACY_OLD_QUERY_TRIGGER_ID]
    assert result.type == "pi"
    assert result.config["tags"] == ["BOILER1.STEAM.FLOW"]
    assert result.config["mode"] == "interpolated" and result.config["interval"] == "1h"
    assert (result.config["start"], result.config["end"]) == ("*-2h", "*")
    assert result.config["title"] == "Aliran Uap"
    assert result.config["description"] == "Aliran uap boiler 1"  # from the old `desc`
    assert result.active is None  # the row's own flag (0) stays
    assert result.review and result.missing == []


def test_api_trigger_reads_the_current_value_with_two_decimals(converted):
    result = converted[LEGACY_API_TRIGGER_ID]
    assert result.type == "pi"
    assert result.config["tags"] == ["TURBINE1.SPEED"]
    assert result.config["mode"] == "current" and result.config["decimals"] == 2
    assert result.config["description"] == "Kecepatan turbin 1"
    assert result.review and result.missing == []


def test_composite_becomes_a_sequential_group_of_its_members(converted):
    result = converted[LEGACY_COMPOSITE_TRIGGER_ID]
    assert result.group == ("laporan pagi", "Ringkasan pagi boiler dan turbin",
                            ["Tekanan Drum", "turbin"])
    # The row stays for its history, switched off: the group answers "laporan pagi" now.
    assert result.type == "text" and result.active is False
    assert result.config[legacy_triggers.GROUP_KEY] == "laporan pagi"
    assert result.missing == [] and not result.review


def test_composite_members_resolve_like_the_old_router_and_unknown_ones_are_reported():
    row = {"id": "t-1", "name": "Pagi", "type": "composite", "active": 1,
           "data_source_id": None,
           "config": {"composite_triggers": ["tekanan  DRUM", "hilang", "pagi"]}}
    result = convert(row, {}, {"Tekanan Drum", "Pagi"})
    assert result.group is not None and result.group.members == ["Tekanan Drum"]
    assert result.group.description is None
    assert len(result.missing) == 2
    assert "'hilang'" in result.missing[0] and "itself" in result.missing[1]


def test_sql_query_is_kept_and_capped_at_twenty_rows(converted):
    mysql = converted[LEGACY_MYSQL_TRIGGER_ID]
    assert mysql.type == "sql"
    assert mysql.config["query"].startswith("SELECT id, tag_name, alarm_value")
    assert mysql.config["max_rows"] == 20 and "variables" not in mysql.config
    assert mysql.missing == [] and not mysql.review
    oracle = converted[LEGACY_ORACLE_TRIGGER_ID]
    assert oracle.type == "sql" and "ROWNUM <= 5" in oracle.config["query"]
    assert oracle.config["title"] == "hasil lab"


def test_named_placeholders_become_variables_the_user_must_finish(converted):
    result = converted[LEGACY_PARAM_TRIGGER_ID]
    assert result.type == "sql"
    assert result.config["query"] == (
        "SELECT * FROM production WHERE prod_date BETWEEN :start_value AND :end_value")
    names = [v["name"] for v in result.config["variables"]]
    assert names == ["start_value", "end_value"]
    assert all("pattern" not in v and "default" not in v for v in result.config["variables"])
    assert result.missing and ":start_value" in result.missing[0]


def test_trigger_whose_source_was_deleted_is_switched_off_and_marked(converted):
    result = converted[LEGACY_ORPHAN_TRIGGER_ID]
    assert result.type == "QUERY" and result.active is False
    assert result.missing and "data source" in result.missing[0]
    assert result.config["legacy"]["query"].startswith("SELECT TOP 1")


def test_query_holding_a_url_takes_tag_interval_and_span_from_it(converted):
    result = converted[LEGACY_URL_QUERY_TRIGGER_ID]
    assert result.type == "pi"
    assert result.config["tags"] == ["BOILER1.DRUM.LEVEL"]
    assert result.config["mode"] == "interpolated" and result.config["interval"] == "5m"
    assert (result.config["start"], result.config["end"]) == ("*-1h", "*")
    assert result.review


def test_latest_word_reads_the_default_tag_and_asks_for_review(converted):
    result = converted[LEGACY_LATEST_TRIGGER_ID]
    assert result.type == "pi"
    assert result.config["tags"] == ["BOILER1.DRUM.PRESS"]  # the source's default tag
    assert result.config["mode"] == "current"
    assert result.review and result.missing == []
    assert result.active is None  # `config.active: false` is meaningless; the column rules


def test_other_types_become_fixed_text(converted):
    result = converted[LEGACY_TEXT_TRIGGER_ID]
    assert result.type == "text"
    assert result.config["text"] == "Hubungi operator shift: ext. 1234"
    assert result.missing == [] and not result.review and result.active is None


def test_presets_get_one_tag_variable_and_need_the_user(old_db):
    _sources, _triggers, presets = old_db
    assert len(presets) == 2
    for preset in presets:
        variables, missing = convert_preset(preset)
        assert variables == [{"name": "tag", "description": ""}]
        assert missing and "PI" in missing[0]


# -- direct cases ---------------------------------------------------------------------------


def _query(query: str, interval: str | None = None, source=PI, **extra) -> object:
    config = {"query": query, "responsePrefix": "Judul", **extra}
    if interval:
        config["interval"] = interval
    row = {"id": "b-1", "name": "uji", "type": "Query", "active": 1, "data_source_id": "s1",
           "config": json.dumps(config)}
    return convert(row, {"s1": source}, {"uji"})


def test_top_one_reads_the_current_value():
    result = _query("SELECT TOP 1 * FROM Point WHERE tag='A.B' ORDER BY time DESC")
    assert result.config["tags"] == ["A.B"] and result.config["mode"] == "current"
    assert "start" not in result.config and not result.review and result.missing == []
    assert result.config["title"] == "Judul"


def test_limit_five_with_an_hourly_interval_spans_five_hours():
    result = _query("SELECT * FROM Point WHERE tag LIKE 'X.Y' ORDER BY time DESC LIMIT 5", "1h")
    assert result.config["tags"] == ["X.Y"]
    assert result.config["mode"] == "interpolated" and result.config["start"] == "*-4h"
    assert result.config["interval"] == "1h"


def test_no_count_means_ten_rows_and_no_tag_means_the_default_tag():
    result = _query("SELECT * FROM Point ORDER BY time DESC")
    assert result.config["tags"] == ["DEF.TAG"]
    assert result.config["start"] == "*-270m"  # 10 values 30 minutes apart, the last now
    # The old code filled `{tag}` with the source's default tag.
    braced = _query("SELECT TOP 1 * FROM Point WHERE tag = '{tag}'")
    assert braced.config["tags"] == ["DEF.TAG"]


def test_no_tag_and_no_default_tag_needs_the_user():
    result = _query("SELECT TOP 1 * FROM Point", source=("pi", {"api": "gateway"}))
    assert result.type == "pi" and result.config["tags"] == []
    assert result.missing and "tag" in result.missing[0]


@pytest.mark.parametrize(("count", "interval", "start"), [
    (5, "30m", "*-150m"), (5, "1h", "*-5h"), (48, "30m", "*-1d"), (3, "30s", "*-90s"),
    (4, "15m", "*-1h"), (2, "1w", "*-14d"),
])
def test_span_back_keeps_whole_units(count, interval, start):
    assert span_back(count, interval) == start


def test_question_marks_become_numbered_binds_outside_literals_and_comments():
    sql = "SELECT * FROM t WHERE a = ? AND b = '?' -- why?\nAND c > ? AND d = ':x'"
    rewritten, names = named_binds(sql)
    assert rewritten == ("SELECT * FROM t WHERE a = :p1 AND b = '?' -- why?\n"
                         "AND c > :p2 AND d = ':x'")
    assert names == ["p1", "p2"]


def test_question_marks_take_the_old_parameter_names_when_they_fit():
    assert named_binds("SELECT 1 WHERE a=? AND b=?", ["lo", "hi"]) == (
        "SELECT 1 WHERE a=:lo AND b=:hi", ["lo", "hi"])
    # One name for two marks: numbered instead of guessing.
    assert named_binds("SELECT 1 WHERE a=? AND b=?", ["lo"])[1] == ["p1", "p2"]


def test_sql_trigger_with_question_marks_needs_the_user():
    result = _query("SELECT * FROM log WHERE at > ? AND at < ?", source=MYSQL, parameters=[])
    assert result.type == "sql"
    assert result.config["query"] == "SELECT * FROM log WHERE at > :p1 AND at < :p2"
    assert [v["name"] for v in result.config["variables"]] == ["p1", "p2"]
    assert result.missing


def test_a_query_the_read_only_gate_refuses_is_marked_with_its_reason():
    def gate(sql: str, dialect: str) -> str | None:
        assert dialect == "mysql"
        return "Only a SELECT query may run, not a DELETE." if sql.startswith("DELETE") else None

    row = {"id": "b-2", "name": "hapus", "type": "QUERY", "active": 1,
           "data_source_id": LEGACY_MYSQL_SOURCE_ID, "config": {"query": "DELETE FROM log"}}
    result = convert(row, {LEGACY_MYSQL_SOURCE_ID: MYSQL}, {"hapus"}, check_sql=gate)
    assert result.type == "sql" and "not a DELETE" in result.missing[0]


def test_query_on_an_unsupported_source_is_switched_off():
    result = _query("SELECT 1", source=("unknown", {}))
    assert result.type == "Query" and result.active is False and result.missing


def test_empty_query_and_unknown_type_answer_with_description_or_name():
    empty = {"id": "b-3", "name": "Info", "type": "QUERY", "active": 1,
             "data_source_id": LEGACY_PI_SOURCE_ID, "config": '{"query": "", "desc": "Baca ini"}'}
    assert convert(empty, {LEGACY_PI_SOURCE_ID: PI}, set()).config["text"] == "Baca ini"
    bare = {"id": "b-4", "name": "Shift", "type": "ROSTER", "active": 1, "data_source_id": None,
            "config": "{}"}
    assert convert(bare, {}, set()).config["text"] == "Shift"


def test_unreadable_config_keeps_the_raw_text_and_asks_the_user():
    row = {"id": "b-5", "name": "rusak", "type": "QUERY", "active": 1, "data_source_id": None,
           "config": "{not json"}
    result = convert(row, {}, set())
    assert result.type == "text" and result.config["legacy"]["raw"] == "{not json"
    assert result.missing


def test_secrets_never_reach_the_new_config():
    row = {"id": "b-6", "name": "x", "type": "INFO", "active": 1, "data_source_id": None,
           "config": {"description": "d", "password": "hunter2", "apiKey": "k"}}
    text = json.dumps(convert(row, {}, set()).config)
    assert "hunter2" not in text and '"k"' not in text


def test_rows_already_in_this_apps_types_are_left_alone():
    row = {"id": "x", "name": "demo", "type": "pi", "active": 1, "data_source_id": "s1",
           "config": {"tags": ["A"], "mode": "current"}}
    assert convert(row, {"s1": PI}, {"demo"}) is None
