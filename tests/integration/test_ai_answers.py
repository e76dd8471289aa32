"""AI-prefixed questions through the real pipeline: the AI double, tools reading the PI double."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from app.core.messages import Incoming
from app.runtime.ai_chat import AiResponder
from app.runtime.pipeline import Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import ai_prefixes, settings, sources
from app.services import triggers as trigger_service
from tests.ai_server import AiServer, Call
from tests.pi_server import PiServer


@pytest.fixture
def pipeline(db) -> Iterator[Pipeline]:
    pool = SourcePool()
    runner = TriggerRunner(pool)
    yield Pipeline(runner, AiResponder(pool, runner))
    pool.close()


@pytest.fixture
def plant(db, admin, pi_server: PiServer) -> PiServer:
    pi_server.add_tag("DRUM.PRESS", 41.7, units="bar")
    pi_server.add_tag("SECRET.TAG", 99.0, units="%")
    source_id = sources.save_source(admin, None, name="PI", plugin="pi", active=True, config={
        "api": "piwebapi", "base_url": pi_server.base_url, "auth": "anonymous",
        "data_server": "PISRV01", "timeout_s": 5})["id"]
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=source_id,
                                 config={"tags": ["DRUM.PRESS"], "description": "Drum"})
    trigger_service.save_trigger(admin, None, name="secret", kind="pi", active=True,
                                 data_source_id=source_id,
                                 config={"tags": ["SECRET.TAG"], "audience": ["managers"]})
    return pi_server


def ai_prefix(admin, server: AiServer, kind: str = "openai", prefix: str = "ai:",
              **extra) -> dict:
    service = sources.save_source(admin, None, name=f"AI {kind}", plugin="ai", active=True,
                                  config=server.config(kind, timeout_s=5))
    return ai_prefixes.save_prefix(admin, None, prefix=prefix, name="Assistant",
                                   description="Ask the plant", enabled=True,
                                   data_source_id=service["id"], system_prompt=None,
                                   audience=[], **extra)


def ask(pipeline: Pipeline, text: str, tags=("ops",), sender="+6281234567890") -> str:
    replies = asyncio.run(pipeline.handle(Incoming(text, sender=sender, tags=tags)))
    return "\n".join(r.text for r in replies)


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_a_tool_backed_answer_reads_the_plant_and_names_its_sources(
        admin, plant, ai_server, pipeline, kind):
    ai_prefix(admin, ai_server, kind)
    ai_server.reply("", Call("read_current", {"tags": ["DRUM.PRESS"]}))
    ai_server.reply("Drum pressure is 41.7 bar, steady.")
    text = ask(pipeline, "ai: why is drum pressure rising?")
    assert text.startswith("Drum pressure is 41.7 bar, steady.")
    assert "DRUM.PRESS (now)" in text
    second = ai_server.chats()[-1].body
    tool_turn = [m for m in second["messages"] if m["role"] == "tool"]
    assert tool_turn and "41.7" in tool_turn[0]["content"]
    assert ai_prefixes.find_by_prefix("ai:")["usage_count"] == 1


def test_a_tag_the_sender_may_not_read_is_refused_to_the_model(admin, plant, ai_server,
                                                                pipeline):
    ai_prefix(admin, ai_server)
    ai_server.reply("", Call("read_current", {"tags": ["SECRET.TAG"]}))
    ai_server.reply("I cannot read that value.")
    text = ask(pipeline, "ai: what is the secret tag?")
    assert text == "I cannot read that value."
    result = [m for m in ai_server.chats()[-1].body["messages"] if m["role"] == "tool"][0]
    assert "may not read SECRET.TAG" in result["content"] and "99" not in result["content"]


def test_broken_tool_arguments_and_a_looping_model_end_in_a_sentence(admin, plant, ai_server,
                                                                     pipeline):
    ai_prefix(admin, ai_server)
    settings.update(admin, {"ai": {"max_tool_rounds": 2}})
    ai_server.reply("", Call("read_current", '{"tags": ["DRUM.PR'))  # cut off
    for _ in range(5):
        ai_server.reply("", Call("list_data", {}))
    text = ask(pipeline, "ai: loop please")
    assert text.startswith("The AI service kept looking up data")
    first_tool = [m for m in ai_server.chats()[1].body["messages"] if m["role"] == "tool"][0]
    assert "not valid JSON" in first_tool["content"]
    assert len(ai_server.chats()) == 3  # two rounds with tools, then one without


def test_memory_reset_empty_question_disabled_prefix_and_the_old_relay(
        admin, plant, ai_server, pipeline):
    row = ai_prefix(admin, ai_server)
    ask(pipeline, "ai: first question")
    ask(pipeline, "ai: second question")
    remembered = [m["content"] for m in ai_server.chats()[-1].body["messages"]]
    assert "first question" in remembered
    assert ask(pipeline, "ai: reset") == "Done: I forgot our earlier conversation."
    ask(pipeline, "ai: third")
    assert "first question" not in [m["content"] for m in ai_server.chats()[-1].body["messages"]]
    assert ask(pipeline, "ai:").startswith("Write your question after ai:")
    ai_prefixes.set_enabled(admin, row["id"], False)
    assert ask(pipeline, "ai: anyone there?") == "Unknown command. Send *help* for the list."

    relay = sources.save_source(admin, None, name="Old relay", plugin="ai", active=True,
                                config=ai_server.config("relay", timeout_s=5))
    ai_prefixes.save_prefix(admin, None, prefix="=", name="AI Chat", description="",
                            enabled=True, data_source_id=relay["id"], system_prompt=None,
                            audience=[])
    assert ask(pipeline, "= halo") == ai_server.default_text
    assert ai_server.requests[-1].body == {"message": "halo"}


def test_a_long_answer_is_split_and_faults_are_sentences(admin, plant, ai_server, pipeline):
    ai_prefix(admin, ai_server)
    ai_server.reply("word " * 1500)
    replies = asyncio.run(pipeline.handle(Incoming("ai: tell me everything",
                                                   sender="+628", tags=())))
    assert len(replies) == 2 and all(len(r.text) <= 4000 for r in replies)
    ai_server.no_credit()
    text = ask(pipeline, "ai: again")
    assert text.startswith("✖ Assistant:") and "no credit" in text
    ai_server.no_credit(False)
    ai_server.key = "right-key"
    # The sender hears that the sign-in was refused; the operator reads the service's own words.
    assert "refused the sign-in" in ask(pipeline, "ai: without the key it now needs")
    outcome = asyncio.run(pipeline.process(Incoming("ai: and again", sender="+628", tags=())))
    assert "asks for an API key" in outcome.why["reason"]
    assert "127.0.0.1" not in "\n".join(r.text for r in outcome.replies)


def test_config_export_carries_the_ai_service_prompt_and_audience(admin, ai_server):
    from app.services import config_io

    ai_prefix(admin, ai_server, prefix="ask ")
    exported = config_io.export_config()["ai_triggers"]
    assert exported == [{"prefix": "ask ", "name": "Assistant", "description": "Ask the plant",
                         "enabled": True, "data_source": "AI openai", "system_prompt": "",
                         "audience": []}]
    again = config_io.import_config(admin, json.loads(json.dumps(config_io.export_config())))
    assert not again.changed
