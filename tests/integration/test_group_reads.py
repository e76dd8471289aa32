"""A parallel group's members answered from the one PI read they share, against the PI double."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from app.core.messages import Incoming
from app.runtime.pipeline import Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import triggers as trigger_service
from tests.helpers.sources import pi_source
from tests.pi_server import PiServer


@pytest.fixture
def pipeline(db) -> Iterator[Pipeline]:
    pool = SourcePool()
    yield Pipeline(TriggerRunner(pool))
    pool.close()


def one_text(pipeline: Pipeline, text: str) -> str:
    replies = asyncio.run(pipeline.handle(Incoming(text)))
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0].text


def pi_trigger(admin, source_id: str, name: str, tags: list[str], **config) -> dict:
    return trigger_service.save_trigger(
        admin, None, name=name, kind="pi", active=True, data_source_id=source_id,
        config={"tags": tags, "mode": "current", **config})


@pytest.fixture
def unit(db, admin, pi_server: PiServer) -> dict[str, str]:
    """Four members on one connection, each with its own labels, decimals or failing tag."""
    pi_server.add_tag("DRUM.PRESS", 41.73, units="bar")
    pi_server.add_tag("DRUM.LEVEL", 52, units="%")
    pi_server.add_tag("STEAM.TEMP", 512.345, units="degC", questionable=True)
    pi_server.add_tag("FEED.FLOW", 0.0, system_state="I/O Timeout", units="t/h")
    source_id = pi_source(admin, pi_server)
    members = [
        pi_trigger(admin, source_id, "press", ["DRUM.PRESS"], title="Pressure",
                   labels={"DRUM.PRESS": "Drum pressure"}, decimals=1),
        pi_trigger(admin, source_id, "level", ["DRUM.LEVEL", "NO.SUCH.TAG"], title="Level"),
        pi_trigger(admin, source_id, "temp", ["STEAM.TEMP", "FEED.FLOW"], title="Steam",
                   decimals=2),
        pi_trigger(admin, source_id, "ghost", ["GONE.TAG"], title="Ghost"),
    ]
    trigger_service.save_group(admin, None, name="unit", description="Unit 1",
                               execution_mode="parallel", member_ids=[m["id"] for m in members])
    return {m["name"]: m["config"]["title"] for m in members}


def test_each_member_reads_in_its_group_as_it_reads_alone(pipeline, unit, pi_server):
    alone = {name: one_text(pipeline, name) for name in unit}
    one_text(pipeline, "unit")  # the group's own read of the same tags, WebIds known now
    pi_server.reset_log()
    text = one_text(pipeline, "unit")
    assert pi_server.count == 1  # one request for the four members
    for name in unit:
        assert alone[name] in text, name
    assert text.index("*Pressure*") < text.index("*Level*") < text.index("*Steam*") \
        < text.index("Ghost")
    assert "• Drum pressure: *41.7 bar*" in text and "*512.35 degC*" in text
    assert "✖ I/O Timeout" in text and "NO.SUCH.TAG: ✖" in text
    # A member none of whose tags could be read is the one that did not answer.
    assert "3 of 4 answered" in text


def test_words_after_a_group_still_reach_its_members(pipeline, unit):
    text = one_text(pipeline, "unit B2")
    assert "press takes no arguments" in text and "0 of 4 answered" in text


def test_a_trigger_saved_or_switched_off_is_routed_so_by_the_next_message(
        db, admin, pipeline, pi_server):
    pi_server.add_tag("DRUM.PRESS", 41.73, units="bar")
    source_id = pi_source(admin, pi_server)
    first = pi_trigger(admin, source_id, "press", ["DRUM.PRESS"], title="Pressure")
    assert one_text(pipeline, "press").startswith("*Pressure*")
    pi_trigger(admin, source_id, "tekanan", ["DRUM.PRESS"], title="Tekanan")
    assert one_text(pipeline, "tekanan").startswith("*Tekanan*")
    trigger_service.save_trigger(admin, first["id"], name="press", kind="pi", active=False,
                                 data_source_id=source_id,
                                 config={"tags": ["DRUM.PRESS"], "mode": "current"})
    assert one_text(pipeline, "press") == "Unknown command. Send *help* for the list."


def test_a_group_with_one_member_for_an_audience_is_refused_to_others(
        db, admin, pipeline, pi_server):
    pi_server.add_tag("DRUM.PRESS", 41.73, units="bar")
    pi_server.add_tag("DRUM.LEVEL", 52, units="%")
    source_id = pi_source(admin, pi_server)
    ids = [pi_trigger(admin, source_id, "press", ["DRUM.PRESS"])["id"],
           pi_trigger(admin, source_id, "level", ["DRUM.LEVEL"], audience=["ops"])["id"]]
    trigger_service.save_group(admin, None, name="drum", description="Drum",
                               execution_mode="parallel", member_ids=ids)

    def asked_by(tags: tuple[str, ...]) -> str:
        replies = asyncio.run(pipeline.handle(Incoming("drum", sender="6281234567890",
                                                       tags=tags)))
        return replies[0].text

    assert asked_by(("maintenance",)) == "You may not use drum."
    assert "2 of 2 answered" in asked_by(("OPS",))
