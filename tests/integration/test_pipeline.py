"""Messages through the whole pipeline against real peers: the PI double, the gateway, MariaDB."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app import bootstrap, paths
from app.core.messages import Incoming
from app.runtime.pipeline import Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import secrets as secret_store
from app.services import settings, sources
from app.services import triggers as trigger_service
from tests.helpers.sources import pi_source
from tests.legacy_db import (
    LEGACY_MYSQL_SOURCE_ID,
    LEGACY_PI_QUERY_TRIGGER_ID,
    LEGACY_PI_SOURCE_ID,
    build_legacy_db,
)
from tests.pi_server import PiServer

BUDI = "+6281234567890"


@pytest.fixture
def pipeline(db) -> Iterator[Pipeline]:
    pool = SourcePool()
    yield Pipeline(TriggerRunner(pool))
    pool.close()


def ask(pipeline: Pipeline, text: str, **kwargs) -> list:
    return asyncio.run(pipeline.handle(Incoming(text, **kwargs)))


def one_text(pipeline: Pipeline, text: str) -> str:
    replies = ask(pipeline, text)
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0].text


@pytest.fixture
def plant(pi_server: PiServer) -> PiServer:
    pi_server.add_tag("DRUM.PRESS", 41.73, units="bar")
    pi_server.add_tag("DRUM.LEVEL", 52, units="%")
    pi_server.add_tag("PUMP1.STATE", ("Running", 1))
    pi_server.add_tag("FEED.FLOW", 0.0, system_state="I/O Timeout", units="t/h")
    pi_server.add_tag("STEAM.TEMP", 512.3, units="degC", questionable=True)
    return pi_server


def pi_trigger(admin, source_id: str, name: str, tags: list[str], **config) -> dict:
    return trigger_service.save_trigger(
        admin, None, name=name, kind="pi", active=True, data_source_id=source_id,
        config={"tags": tags, "mode": "current", **config})


def test_pi_web_api_values_of_every_shape_in_one_reply(db, admin, plant, pipeline):
    source_id = pi_source(admin, plant)
    pi_trigger(admin, source_id, "boiler",
               ["DRUM.PRESS", "DRUM.LEVEL", "PUMP1.STATE", "FEED.FLOW", "STEAM.TEMP"],
               title="Boiler 1", labels={"DRUM.PRESS": "Drum pressure"}, decimals=1)
    text = one_text(pipeline, "!Boiler")
    lines = text.splitlines()
    assert lines[0] == "*Boiler 1*"
    assert lines[1].startswith("• Drum pressure: *41.7 bar*")
    assert "*Running*" in text
    assert "FEED.FLOW" in text and "✖ I/O Timeout" in text and "0.0" not in text
    assert "⚠" in next(line for line in lines if "STEAM.TEMP" in line)


def test_the_old_gateway_answers_through_the_same_trigger(db, admin, plant, pipeline):
    source_id = sources.save_source(
        admin, None, name="Gateway", plugin="pi", active=True,
        config={"api": "gateway", "base_url": plant.origin, "timeout_s": 5})["id"]
    pi_trigger(admin, source_id, "tekanan", ["DRUM.PRESS"], decimals=2)
    # The gateway sends no units, only the value and its time.
    assert "• DRUM.PRESS: *41.73*" in one_text(pipeline, "tekanan")


def test_unknown_tag_and_unknown_command_get_sentences(db, admin, plant, pipeline):
    source_id = pi_source(admin, plant)
    pi_trigger(admin, source_id, "ghost", ["NO.SUCH.TAG"])
    assert "✖" in one_text(pipeline, "ghost")
    assert one_text(pipeline, "what is this") == "Unknown command. Send *help* for the list."
    # The hint is given once per sender in ten minutes, not to every message.
    assert ask(pipeline, "still unknown") == []
    settings.update(admin, {"general": {"language": "id"}})
    assert ask(pipeline, "blah", sender="6281234567890")[0].text.startswith(
        "Perintah tidak dikenal")


def test_parallel_and_sequential_groups_keep_member_order_and_show_a_failure(
        db, admin, plant, pipeline):
    source_id = pi_source(admin, plant)
    off = pi_source(admin, plant, name="Old PI")
    sources.set_active(admin, off, False)
    first = pi_trigger(admin, source_id, "press", ["DRUM.PRESS"], title="Pressure")
    broken = pi_trigger(admin, off, "level", ["DRUM.LEVEL"], title="Level")
    third = trigger_service.save_trigger(admin, None, name="note", kind="text", active=True,
                                         data_source_id=None,
                                         config={"text": "Call ext. 1234", "title": "Note"})
    for mode in ("parallel", "sequential"):
        trigger_service.save_group(admin, None, name=f"unit {mode}", description="",
                                   execution_mode=mode,
                                   member_ids=[first["id"], broken["id"], third["id"]])
        text = one_text(pipeline, f"unit {mode}")
        assert text.index("Pressure") < text.index("Level") < text.index("Call ext. 1234")
        assert "The connection Old PI is switched off." in text
        assert "2 of 3 answered" in text


def test_members_sharing_a_connection_see_it_switched_off_by_the_next_message(
        db, admin, plant, pipeline):
    source_id = pi_source(admin, plant, name="Unit PI")
    ids = [pi_trigger(admin, source_id, name, [tag], title=name.title())["id"]
           for name, tag in (("press", "DRUM.PRESS"), ("level", "DRUM.LEVEL"))]
    trigger_service.save_group(admin, None, name="drum", description="Drum",
                               execution_mode="parallel", member_ids=ids)
    assert "2 of 2 answered" in one_text(pipeline, "drum")
    sources.set_active(admin, source_id, False)
    text = one_text(pipeline, "drum")
    assert text.count("The connection Unit PI is switched off.") == 2
    assert "0 of 2 answered" in text
    sources.set_active(admin, source_id, True)
    assert "*41.73 bar*" in one_text(pipeline, "drum")


def test_a_parallel_group_of_twenty_tags_reads_them_in_one_request(db, admin, plant, pipeline):
    source_id = pi_source(admin, plant)
    ids = []
    for n in range(20):
        plant.add_tag(f"UNIT.T{n:02d}", float(n), units="°C")
        ids.append(pi_trigger(admin, source_id, f"t{n:02d}", [f"UNIT.T{n:02d}"])["id"])
    trigger_service.save_group(admin, None, name="all units", description="All units",
                               execution_mode="parallel", member_ids=ids)
    one_text(pipeline, "all units")  # resolves the 20 WebIds
    plant.reset_log()
    text = one_text(pipeline, "all units")
    assert plant.count == 1
    assert "*19" in text and "20 of 20 answered" in text


def test_sql_trigger_binds_variables_and_refuses_bad_values(db, admin, mariadb, pipeline):
    source_id = sources.save_source(
        admin, None, name="LIMS", plugin="mysql", active=True,
        config={k: v for k, v in mariadb.config().items() if k != "ssl"},
        new_secrets=mariadb.secrets())["id"]
    trigger_service.save_trigger(
        admin, None, name="lab", kind="sql", active=True, data_source_id=source_id,
        config={"query": "SELECT parameter, value, unit FROM lab_results "
                         "WHERE sample_point = :point ORDER BY sampled_at DESC",
                "variables": [{"name": "point", "pattern": "B1|B2|Condensate",
                               "description": "sample point"}],
                "max_rows": 5, "description": "Latest lab results"})
    text = one_text(pipeline, "lab B2")
    assert text.startswith("*Latest lab results*")
    assert "…and" in text  # more than five rows exist
    refused = one_text(pipeline, "lab B1'OR'1'='1")
    assert "is not a valid point: sample point (B1, B2 or Condensate)" in refused
    missing = one_text(pipeline, "lab")
    assert "point" in missing
    # A trigger may show more rows than the table's usual twenty when it says so.
    trigger_service.save_trigger(
        admin, None, name="lab30", kind="sql", active=True, data_source_id=source_id,
        config={"query": "SELECT parameter, value FROM lab_results ORDER BY id", "max_rows": 30})
    long = one_text(pipeline, "lab30")
    assert sum(1 for line in long.splitlines() if line.split()[:1] in (["pH"], ["Silica"],
               ["Iron"], ["Conductivity"])) == 30
    assert "…and" in long


def test_config_written_by_the_old_system_answers_after_the_move(tmp_path, plant, mariadb):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    plant.add_tag("BOILER1.DRUM.PRESS", 40.5, units="bar",
                  history=[(datetime.now(UTC) - timedelta(hours=6), 38.0)])
    raw = sqlite3.connect(old)
    raw.execute("UPDATE data_sources SET config = ? WHERE id = ?", (json.dumps({
        "url": f"{plant.origin}/pi/trn?tag=BOILER1.DRUM.PRESS&interval=30m&start=*-1h&end=*",
        "defaultTag": "BOILER1.DRUM.PRESS"}), LEGACY_PI_SOURCE_ID))
    raw.execute("UPDATE data_sources SET config = ? WHERE id = ?", (json.dumps({
        "host": "127.0.0.1", "port": mariadb.port, "user": "plant_ro",
        "password": mariadb.users["plant_ro"], "database": mariadb.database,
        "connectTimeout": 5000}), LEGACY_MYSQL_SOURCE_ID))
    # As the plant's old "Data Alarms" on its gateway: the last ten values, every 30 minutes.
    raw.execute("UPDATE triggers SET config = ? WHERE id = ?", (json.dumps({
        "query": "SELECT TOP 10 * FROM Point WHERE tag = 'BOILER1.DRUM.PRESS' ORDER BY time "
                 "DESC", "responsePrefix": "Tekanan Drum", "parameters": [],
        "interval": "30m"}), LEGACY_PI_QUERY_TRIGGER_ID))
    raw.commit()
    raw.close()
    with mariadb.root() as conn, conn.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {mariadb.database}.alarm_log (id INT, "
                       "tag_name VARCHAR(40), alarm_value DOUBLE, created_at DATETIME)")
        cursor.execute(f"INSERT INTO {mariadb.database}.alarm_log VALUES "
                       "(1, 'B1.DRUM.LEVEL', 12.5, '2025-10-30 07:00:00')")
        conn.commit()

    env = bootstrap.Environment(paths.resolve(tmp_path / "data"), old, None)
    env.paths.ensure()
    secret_store.configure(env.paths.data_dir)
    opened = bootstrap.open_db(env)
    pool = SourcePool()
    try:
        pipe = Pipeline(TriggerRunner(pool))
        drum = one_text(pipe, "tekanan drum")  # the old whole-message rule
        assert drum.startswith("*Tekanan Drum*") and "40.5" in drum
        # The old trigger showed its last ten values every 30 minutes (TOP 10, interval 30m):
        # so does it now, the newest first, exactly 30 minutes apart.
        times = [datetime.strptime(line.split()[0], "%H:%M") for line in drum.splitlines()
                 if re.fullmatch(r"\d\d:\d\d\s+[\d.]+", line)]
        assert len(times) == 10, drum
        assert {(a - b).total_seconds() % 86400 for a, b in
                zip(times, times[1:], strict=False)} == {1800}
        alarms = one_text(pipe, "Data Alarms")
        assert "B1.DRUM.LEVEL" in alarms and "12.5" in alarms
        shift = one_text(pipe, "laporan shift")
        assert "40.5" in shift and "B1.DRUM.LEVEL" in shift
        # The bot keeps speaking Bahasa Indonesia after the move.
        assert one_text(pipe, "apa ini").startswith("Perintah tidak dikenal")
    finally:
        pool.close()
        opened.db.close()


def test_simulate_json_prints_latency_and_writes_the_chart(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "simulate", "--json",
         "demo", "demotrend"], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["type"] for r in replies] == ["text", "image"]
    assert all(r["latency_ms"] > 0 for r in replies)
    assert replies[0]["text"].startswith("*Demo plant*") and "✖ I/O Timeout" in replies[0]["text"]
    chart = Path(replies[1]["image_path"])
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 20_000


def test_a_source_that_stops_answering_in_a_group_costs_only_its_own_line(
        db, admin, plant, pipeline):
    good = pi_source(admin, plant)
    with PiServer() as silent:
        silent.add_tag("DRUM.PRESS", 1.0)
        silent.hang = True
        stuck = pi_source(admin, silent, name="Unit 2 PI", timeout_s=1)
        members = [pi_trigger(admin, good, "u1", ["DRUM.PRESS"], title="Unit 1")["id"],
                   pi_trigger(admin, stuck, "u2", ["DRUM.PRESS"], title="Unit 2",
                              timeout_s=1)["id"]]
        trigger_service.save_group(admin, None, name="units", description="Units",
                                   execution_mode="parallel", member_ids=members)
        replies = ask(pipeline, "units")
    assert len(replies) == 1
    text = replies[0].text
    assert "*41.73 bar*" in text
    assert "✖ Unit 2" in text and "1 of 2 answered" in text
    assert replies[0].latency_ms < 5000


def test_words_after_a_trigger_without_variables_are_refused_plainly(db, pipeline):
    assert one_text(pipeline, "demo B2") == "✖ Demo plant: demo takes no arguments."


def test_simulate_as_a_contact_applies_the_access_rules(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    data = str(tmp_path / "data")

    def simulate(*args: str) -> list[dict]:
        result = subprocess.run([sys.executable, "main.py", "--data-dir", data, *args],
                                cwd=root, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]

    stranger = simulate("simulate", "--json", "--sender", "+6281234567890", "demo")
    assert len(stranger) == 1 and "not authorised" in stranger[0]["text"]
    config = tmp_path / "contacts.json"
    config.write_text(json.dumps({"version": 1, "contacts": [
        {"name": "Budi", "phone": "+6281234567890", "allowed": True, "tags": ["ops"]}]}))
    subprocess.run([sys.executable, "main.py", "--data-dir", data, "config", "import",
                    str(config)], cwd=root, check=True, capture_output=True, timeout=60)
    approved = simulate("simulate", "--json", "--sender", "+6281234567890", "demo")
    assert [r["text"].splitlines()[0] for r in approved] == ["*Demo plant*"]
    assert approved[0]["to"].startswith("6281234567890@")


def test_audience_tags_compare_without_capitals(db, admin):
    from app.core.messages import Incoming
    from app.runtime.pipeline import Pipeline
    from app.runtime.trigger_runner import TriggerRunner

    trigger_service.save_trigger(admin, None, name="roster", kind="text", active=True,
                                 data_source_id=None,
                                 config={"text": "Shift B on duty", "audience": ["ops"]})
    pool = SourcePool()
    replies = asyncio.run(Pipeline(TriggerRunner(pool)).handle(
        Incoming("roster", sender=BUDI, tags=("Ops",))))
    pool.close()
    assert "Shift B on duty" in replies[0].text


def test_a_chart_whose_tags_all_failed_is_sent_as_the_reason_not_as_an_empty_image(
        db, admin, plant, pipeline):
    source_id = pi_source(admin, plant)
    pi_trigger(admin, source_id, "trend", ["NO.SUCH.TAG"], mode="chart", start="*-2h", end="*")
    pi_trigger(admin, source_id, "trend2", ["DRUM.PRESS", "NO.SUCH.TAG"], mode="chart",
               start="*-2h", end="*")
    replies = ask(pipeline, "trend")
    assert len(replies) == 1 and replies[0].image_png is None
    assert "NO.SUCH.TAG" in replies[0].text
    mixed = ask(pipeline, "trend2")
    assert len(mixed) == 1 and mixed[0].image_png is not None, "one tag with data: a chart"


def test_a_question_that_waited_while_the_bot_was_offline_says_so(db, admin, pipeline):
    from app.runtime.pipeline import LATE_AFTER_S

    now = datetime.now(UTC)
    fresh = ask(pipeline, "demo", timestamp=now - timedelta(seconds=LATE_AFTER_S - 30))
    assert fresh[0].text.startswith("*Demo plant*"), "a question as it was asked: no note"

    waited = now - timedelta(minutes=12)
    [late] = ask(pipeline, "demo", timestamp=waited)
    asked = waited.astimezone().strftime("%H:%M")
    assert late.text.startswith(f"_You asked at {asked}, while the bot was offline; the values "
                                "below are current._\n\n*Demo plant*")
    outcome = asyncio.run(pipeline.process(Incoming("demo", timestamp=waited)))
    assert outcome.why["reason"].startswith(f"Asked at {asked}, answered 12 min later")

    settings.update(admin, {"whatsapp": {"offline_question_minutes": 10}})
    [old] = ask(pipeline, "demo", timestamp=waited)
    assert old.text == (f"I was offline when you asked at {asked}; send it again for current "
                        "values."), "no hours-old question answered with data"
    settings.update(admin, {"general": {"language": "id"}})
    [lama] = ask(pipeline, "demo", timestamp=waited)
    assert lama.text.startswith(f"Saya sedang offline saat Anda bertanya pukul {asked}")
    # Help and greetings are not plant data: they are answered as they are.
    assert "demo" in ask(pipeline, "help", timestamp=waited)[0].text
