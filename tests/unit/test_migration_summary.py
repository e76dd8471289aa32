"""The move from the old system in one place: what came over, what needs a person (an old
trigger to finish, with its old settings and the connection that serves them), connections not
yet tested here, composites that became groups, and the old waiting messages held until someone
sends or discards them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.timefmt import utc_now
from app.db.database import close_database, open_database
from app.db.models import AuditLog, DataSource, OutgoingMessage
from app.services import migration_summary, outbox, sources
from app.services.context import Actor
from tests.legacy_db import (
    DRUM_LEVEL_TRIGGER_ID,
    DRUM_LEVEL_URL,
    LEGACY_ADMIN_ID,
    LEGACY_COMPOSITE_TRIGGER_ID,
    LEGACY_ORPHAN_TRIGGER_ID,
    LEGACY_PI_QUERY_TRIGGER_ID,
    LEGACY_PI_SOURCE_ID,
    add_drum_level_without_source,
    build_legacy_db,
)


@pytest.fixture
def moved(tmp_path, data_dir):
    """The old system's database, with a "Drum Level" whose connection was deleted, opened
    (so migrated) by this app."""
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    add_drum_level_without_source(old)
    opened = open_database(old, data_dir / "backups")
    yield Path(old)
    close_database(opened.db)


def test_the_summary_lists_what_came_over_and_what_needs_a_person(moved):
    found = migration_summary.summary()
    assert found.came_over["triggers"] >= 10 and found.came_over["connections"] >= 5
    assert found.needs_a_person

    finish = {t.name: t for t in found.to_finish}
    drum = finish["Drum Level"]
    assert drum.old.query == DRUM_LEVEL_URL and drum.old.is_address
    assert (drum.old.tag, drum.old.interval, drum.old.start) == ("BOILER1.DRUM.LEVEL", "1m",
                                                                 "*-1h")
    # The migrated connection at that very gateway is suggested.
    assert drum.suggested_source_id == LEGACY_PI_SOURCE_ID
    assert drum.suggested_source == DataSource.get_by_id(LEGACY_PI_SOURCE_ID).name
    assert any("data source was deleted" in why for why in drum.why)
    orphan = next(t for t in found.to_finish if t.trigger_id == LEGACY_ORPHAN_TRIGGER_ID)
    assert orphan.old.reads_pi and orphan.old.tag == "BOILER2.TEMP"

    review = {t.trigger_id: t for t in found.to_review}
    assert "five" not in review[LEGACY_PI_QUERY_TRIGGER_ID].notes[0]
    assert "30m apart" in review[LEGACY_PI_QUERY_TRIGGER_ID].notes[0]

    composites = {c.old_trigger: c.group for c in found.composites}
    assert "laporan pagi" in composites
    assert LEGACY_COMPOSITE_TRIGGER_ID not in {t.trigger_id for t in found.to_finish}


def test_old_test_results_are_not_shown_as_this_apps(moved):
    found = migration_summary.summary()
    untested = {u.source_id: u for u in found.untested}
    pi = untested[LEGACY_PI_SOURCE_ID]
    assert pi.old_status == "success"
    assert pi.old_tested_at == datetime(2025, 10, 30, 7, 10, 5, 412000, UTC)
    row = sources.get_source(LEGACY_PI_SOURCE_ID)
    assert row["test_status"] is None and row["last_tested_at"] is None


@pytest.fixture
def old_admin(moved) -> Actor:
    """The old system's administrator, who came over with the move."""
    return Actor(LEGACY_ADMIN_ID, "admin", "admin", "gui")


def test_old_waiting_messages_are_held_until_a_person_sends_or_discards_them(old_admin):
    admin = old_admin
    held = migration_summary.summary().held
    assert [h.text for h in held] == ["Pengingat: rapat jam 10."]
    assert outbox.next_due(utc_now(), 20) == [], "nothing the old system queued goes by itself"

    assert migration_summary.send_held(admin) == 1
    due = outbox.next_due(utc_now(), 20)
    assert [d["message"] for d in due] == ["Pengingat: rapat jam 10."]
    assert migration_summary.summary().held == []
    assert AuditLog.select().where(AuditLog.action == "old_messages_released").count() == 1


def test_discarded_old_messages_stay_listed_as_cancelled(old_admin):
    admin = old_admin
    assert migration_summary.discard_held(admin) == 1
    row = OutgoingMessage.get(OutgoingMessage.message == "Pengingat: rapat jam 10.")
    assert row.status == "failed" and row.cancelled_by == "admin" and not row.held
    assert outbox.next_due(utc_now(), 20) == []
    assert migration_summary.discard_held(admin) == 0


def test_an_old_trigger_to_finish_is_proposed_as_it_would_have_been_converted(moved):
    proposal = migration_summary.finish_proposal(DRUM_LEVEL_TRIGGER_ID)
    assert proposal["data_source_id"] == LEGACY_PI_SOURCE_ID and proposal["kind"] == "pi"
    config = proposal["config"]
    assert config["tags"] == ["BOILER1.DRUM.LEVEL"]
    assert (config["mode"], config["interval"], config["start"], config["end"]) == (
        "interpolated", "1m", "*-1h", "*")
    assert config["title"] == "Drum Level"


def test_a_new_database_has_nothing_to_say(db):
    found = migration_summary.summary()
    assert found.empty and not found.needs_a_person
