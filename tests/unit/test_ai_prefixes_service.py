"""AI prefixes through the service, as the AI Prefixes tab saves them."""

from __future__ import annotations

import uuid

import pytest
from peewee import SQL

from app.db.models import AiTrigger, AuditLog
from app.errors import PermissionDenied, UserError, ValidationError
from app.services import ai_prefixes, events, sources, users
from app.services.context import Actor


def ai_service(admin, name: str = "Local AI") -> dict:
    return sources.save_source(admin, None, name=name, plugin="ai", active=True,
                               config={"kind": "openai", "base_url": "http://localhost:1/v1",
                                       "model": "llama3"})


def save(admin, prefix_id: str | None = None, **overrides) -> dict:
    values = dict(prefix="ai:", name="Plant assistant", description="Ask about the plant",
                  enabled=True, data_source_id=None, system_prompt="", audience=[])
    values.update(overrides)
    return ai_prefixes.save_prefix(admin, prefix_id, **values)


def problems_of(admin, **overrides) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        save(admin, **overrides)
    assert caught.value.message == "The AI prefix was not saved:"
    return caught.value.problems


def actions() -> list[str]:
    return [a.action for a in AuditLog.select().order_by(SQL("rowid"))
            if a.action.startswith("ai_trigger")]


def test_saved_prefix_is_listed_with_its_service_prompt_and_audience(db, admin):
    service = ai_service(admin)
    saved = save(admin, data_source_id=service["id"], system_prompt="  Answer briefly.  ",
                 audience=["operators", " shift  leads ", "Operators"])
    assert uuid.UUID(saved["id"]).version == 4
    assert saved["prefix"] == "ai:" and saved["enabled"] and saved["usage_count"] == 0
    assert saved["data_source"] == "Local AI" and saved["source_plugin"] == "ai"
    assert saved["system_prompt"] == "Answer briefly."
    assert saved["audience"] == ["operators", "shift leads"]
    assert [p["prefix"] for p in ai_prefixes.list_prefixes()] == ["ai:"]
    assert ai_prefixes.get_prefix(saved["id"]) == saved


def test_every_problem_gets_its_own_sentence(db, admin):
    problems = problems_of(admin, prefix="", data_source_id="no-such-source",
                           audience=["ok", 3])
    assert problems == [
        'Type the prefix a question starts with, such as "ai:" or "=".',
        "The chosen AI service no longer exists; choose another one.",
        "The audience must be a list of contact tags.",
    ]
    assert problems_of(admin, prefix="=" * 21) == [
        "The prefix is 21 characters long; keep it to 20 at most."]
    assert problems_of(admin, prefix=" ai:") == [
        "The prefix cannot start with a space: messages are read from their first character."]
    assert problems_of(admin, prefix="ask  ") == [
        'The prefix may end in one space (like "ask "), not in more.']
    assert problems_of(admin, prefix="ai:\n") == ["The prefix cannot contain tabs or line breaks."]
    assert AiTrigger.select().count() == 0


def test_a_plain_word_is_refused_because_it_would_swallow_ordinary_messages(db, admin):
    assert problems_of(admin, prefix="ask") == [
        '"ask" is a plain word, so ordinary messages starting with that word would go to the '
        'AI instead of a trigger; end it with a sign or a space, like "ask:" or "ask ".']
    assert problems_of(admin, prefix="gpt4")[0].startswith('"gpt4" is a plain word')
    # Ending in a sign or a space is fine, and so are the old system's prefixes.
    for prefix in ("ask ", "ai:", "=", "+ai=", "+ai"):
        assert save(admin, prefix=prefix)["prefix"] == prefix


def test_prefixes_are_unique_without_regard_to_capitals(db, admin):
    first = save(admin, prefix="AI:")
    assert problems_of(admin, prefix="ai:") == [
        'Another AI prefix is already "AI:" (prefixes are compared without capitals).']
    # Saving the same row again is not a clash with itself.
    assert save(admin, first["id"], prefix="ai:")["prefix"] == "ai:"


def test_only_an_ai_connection_can_answer(db, admin):
    demo = sources.save_source(admin, None, name="Other demo", plugin="demo", active=True,
                               config={})
    assert problems_of(admin, data_source_id=demo["id"]) == [
        "Other demo is not an AI service; choose a connection of kind AI service."]


def test_writes_are_audited_and_announced(db, admin):
    seen: list[dict] = []
    events.subscribe("ai_triggers", seen.append)
    saved = save(admin)
    save(admin, saved["id"], name="Assistant", enabled=False)
    save(admin, saved["id"], name="Assistant", enabled=False)  # nothing changed: no entry
    ai_prefixes.set_enabled(admin, saved["id"], True)
    ai_prefixes.set_enabled(admin, saved["id"], True)  # already on: no entry
    ai_prefixes.delete_prefix(admin, saved["id"])
    assert actions() == ["ai_trigger_created", "ai_trigger_updated", "ai_trigger_disabled",
                         "ai_trigger_enabled", "ai_trigger_deleted"]
    updated = AuditLog.get(AuditLog.action == "ai_trigger_updated")
    assert updated.details["changes"] == {"name": ["Plant assistant", "Assistant"]}
    assert len(seen) == 5
    with pytest.raises(UserError, match="no longer exists"):
        ai_prefixes.get_prefix(saved["id"])


def test_old_ids_are_kept_and_use_is_counted(db, admin):
    AiTrigger.insert(id="ai-1729996800000", type="ai", prefix="=", name="AI Chat",
                     enabled=True, usage_count=None).execute()
    saved = save(admin, "ai-1729996800000", prefix="=", name="", audience=None)
    assert saved["id"] == "ai-1729996800000" and saved["name"] == "AI Chat"
    assert saved["usage_count"] == 0 and saved["last_used"] is None
    entries = AuditLog.select().count()
    ai_prefixes.record_use(saved["id"])
    ai_prefixes.record_use(saved["id"])
    assert AuditLog.select().count() == entries  # counting a use is not a change
    used = ai_prefixes.get_prefix(saved["id"])
    assert used["usage_count"] == 2 and used["last_used"] is not None


def test_a_viewer_cannot_change_prefixes(db, admin):
    saved = save(admin)
    users.create_user(admin, "watcher", "watch-only-1", role="viewer")
    viewer = Actor(None, "watcher", "viewer")
    with pytest.raises(PermissionDenied):
        save(viewer, prefix="q:")
    with pytest.raises(PermissionDenied):
        ai_prefixes.set_enabled(viewer, saved["id"], False)
    with pytest.raises(PermissionDenied):
        ai_prefixes.delete_prefix(viewer, saved["id"])
    assert ai_prefixes.get_prefix(saved["id"])["enabled"]


def test_routing_finds_the_row_of_a_prefix_whatever_its_capitals(db, admin):
    saved = save(admin, prefix="AI:")
    assert ai_prefixes.find_by_prefix("AI:")["id"] == saved["id"]
    assert ai_prefixes.find_by_prefix("ai:")["id"] == saved["id"]
    assert ai_prefixes.find_by_prefix("q:") is None
