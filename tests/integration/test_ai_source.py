"""AiSource against a local AI double: the three contracts, tool calls, the faults people see."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.sources import registry
from app.sources.ai import AiSource, ChatReply, ToolCall, assistant_message, tool_result_message
from app.sources.base import SourceError
from tests.ai_server import AiServer, Call

MakeSource = Callable[..., AiSource]
TOOLS: list[dict[str, Any]] = [{"type": "function", "function": {
    "name": "current_value", "description": "The current value of a PI tag.",
    "parameters": {"type": "object", "properties": {"tag": {"type": "string"}},
                   "required": ["tag"]}}}]
QUESTION = [{"role": "user", "content": "How is the boiler?"}]


@pytest.fixture
def make_source() -> Iterator[MakeSource]:
    made: list[AiSource] = []

    def make(config: dict[str, Any], secrets: dict[str, str] | None = None) -> AiSource:
        source = AiSource(config, secrets or {})
        made.append(source)
        return source

    yield make
    for source in made:
        source.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed(call: Callable[[], Any]) -> tuple[SourceError, float]:
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        call()
    return caught.value, time.monotonic() - started


# -- connection tests -------------------------------------------------------------------------


def test_registry_builds_an_ai_source(ai_server: AiServer):
    source = registry.create("ai", ai_server.config("openai"), {})
    try:
        assert isinstance(source, AiSource) and source.test_blocking(2).ok
    finally:
        source.close()


def test_openai_test_lists_the_models(ai_server: AiServer, make_source: MakeSource):
    result = make_source(ai_server.config("openai")).test_blocking(2)
    assert result.ok, result.message
    assert re.fullmatch(r"Connected in \d+ ms \(3 models; llama3 is there\)", result.message)
    assert [(r.method, r.path) for r in ai_server.requests] == [("GET", "/v1/models")]


def test_openai_test_says_when_the_model_is_missing(ai_server: AiServer,
                                                    make_source: MakeSource):
    result = make_source(ai_server.config("openai", model="gpt-9")).test_blocking(2)
    assert not result.ok and result.code == "model"
    assert re.fullmatch(r"Connected in \d+ ms, but the model 'gpt-9' is not there \(3 models: "
                        r"it offers llama3, mistral, qwen2\.5\): correct the model name\.",
                        result.message)


def test_openai_test_falls_back_to_a_one_word_chat_when_models_is_refused(
        ai_server: AiServer, make_source: MakeSource):
    ai_server.models_status = 404
    ai_server.reply("Ready.")
    result = make_source(ai_server.config("openai")).test_blocking(2)
    assert result.ok, result.message
    assert re.fullmatch(r"Connected in \d+ ms \(llama3 answered; the service does not list its "
                        r"models\)", result.message)
    assert [r.path for r in ai_server.requests] == ["/v1/models", "/v1/chat/completions"]
    assert ai_server.requests[1].body["max_tokens"] == 16


def test_ollama_test_reads_the_tags(ai_server: AiServer, make_source: MakeSource):
    result = make_source(ai_server.config("ollama", model="mistral")).test_blocking(2)
    assert result.ok, result.message
    assert re.fullmatch(r"Connected in \d+ ms \(3 models; mistral is there\)", result.message)
    assert [r.path for r in ai_server.requests] == ["/api/tags"]
    missing = make_source(ai_server.config("ollama", model="phi3")).test_blocking(2)
    assert not missing.ok and missing.message.endswith(
        "correct the model name or pull it with ollama pull.")


def test_relay_test_posts_the_word_test(ai_server: AiServer, make_source: MakeSource):
    result = make_source(ai_server.config("relay")).test_blocking(30)
    assert result.ok, result.message
    assert re.fullmatch(r"Connected in \d+ ms \(the relay answered\)", result.message)
    assert ai_server.requests[0].body == {"message": "test"}


def test_relay_test_is_capped_at_ten_seconds(ai_server: AiServer, make_source: MakeSource):
    ai_server.silent = True
    started = time.monotonic()
    result = make_source(ai_server.config("relay", timeout_s=600)).test_blocking(60)
    elapsed = time.monotonic() - started
    assert not result.ok and result.code == "ReadTimeout"
    assert 9 < elapsed < 11, elapsed


# -- the three contracts answer ----------------------------------------------------------------


def test_openai_chat_sends_the_documented_body(ai_server: AiServer, make_source: MakeSource):
    ai_server.key = "sk-test"
    ai_server.reply("Drum pressure is 42 bar.")
    source = make_source(ai_server.config("openai", max_tokens=300, temperature=0.5,
                                          system_prompt="You help plant engineers."),
                         {"api_key": "sk-test"})
    reply = source.chat_blocking(QUESTION, TOOLS, 5)
    assert reply == ChatReply("Drum pressure is 42 bar.", [], "stop", "llama3")
    sent = ai_server.chats()[0]
    assert sent.headers["Authorization"] == "Bearer sk-test"
    assert sent.body == {"model": "llama3", "stream": False, "max_tokens": 300,
                         "temperature": 0.5, "tools": TOOLS, "messages": [
                             {"role": "system", "content": "You help plant engineers."},
                             *QUESTION]}


def test_the_connection_prompt_joins_the_callers_system_message(ai_server: AiServer,
                                                                make_source: MakeSource):
    source = make_source(ai_server.config("openai", system_prompt="Site: Plant 3."))
    source.chat_blocking([{"role": "system", "content": "Answer in English."}, *QUESTION],
                         None, 5)
    messages = ai_server.chats()[0].body["messages"]
    assert messages == [{"role": "system", "content": "Site: Plant 3.\n\nAnswer in English."},
                        *QUESTION]
    assert "tools" not in ai_server.chats()[0].body


def test_ollama_chat_sends_the_documented_body(ai_server: AiServer, make_source: MakeSource):
    ai_server.reply("All good.")
    source = make_source(ai_server.config("ollama", max_tokens=200, temperature=0.1))
    reply = source.chat_blocking(QUESTION, TOOLS, 5)
    assert reply == ChatReply("All good.", [], "stop", "llama3")
    assert ai_server.chats()[0].body == {
        "model": "llama3", "stream": False, "messages": QUESTION, "tools": TOOLS,
        "options": {"temperature": 0.1, "num_predict": 200}}
    assert "Authorization" not in ai_server.chats()[0].headers


@pytest.mark.parametrize("shape", ["response", "output_text", "text"])
def test_relay_answers_from_each_documented_shape(ai_server: AiServer, make_source: MakeSource,
                                                  shape: str):
    ai_server.relay_shape = shape
    ai_server.reply("Boiler fine.")
    source = make_source(ai_server.config("relay"), {"api_key": "relay-key"})
    assert not source.supports_tools
    history = [{"role": "user", "content": "old question"},
               {"role": "assistant", "content": "old answer"}, *QUESTION]
    reply = source.chat_blocking(history, TOOLS, 5)
    assert (reply.text, reply.tool_calls) == ("Boiler fine.", [])
    request = ai_server.requests[0]
    assert request.body == {"message": "How is the boiler?"}
    assert request.headers["Authorization"] == "Bearer relay-key"


# -- tool calls --------------------------------------------------------------------------------


def test_openai_tool_call_round_trip(ai_server: AiServer, make_source: MakeSource):
    ai_server.reply("", Call("current_value", {"tag": "DRUM.PRESS"}))
    ai_server.reply("Drum pressure is 42 bar.")
    source = make_source(ai_server.config("openai"))
    assert source.supports_tools
    first = source.chat_blocking(QUESTION, TOOLS, 5)
    assert first.finish_reason == "tool_calls" and first.text == ""
    (call,) = first.tool_calls
    assert call == ToolCall("call_1_0", "current_value", {"tag": "DRUM.PRESS"},
                            '{"tag": "DRUM.PRESS"}', None)
    result = tool_result_message("openai", call, '{"value": 42, "units": "bar"}')
    assert result == {"role": "tool", "tool_call_id": "call_1_0",
                      "content": '{"value": 42, "units": "bar"}'}
    follow_up = [*QUESTION, assistant_message("openai", first), result]
    second = source.chat_blocking(follow_up, TOOLS, 5)
    assert second.text == "Drum pressure is 42 bar."
    sent = ai_server.chats()[1].body["messages"]
    assert sent[1] == {"role": "assistant", "content": "", "tool_calls": [
        {"id": "call_1_0", "type": "function",
         "function": {"name": "current_value", "arguments": '{"tag": "DRUM.PRESS"}'}}]}
    assert sent[2] == result


def test_ollama_tool_call_round_trip(ai_server: AiServer, make_source: MakeSource):
    ai_server.reply("", Call("current_value", {"tag": "DRUM.PRESS"}))
    ai_server.reply("42 bar.")
    source = make_source(ai_server.config("ollama"))
    first = source.chat_blocking(QUESTION, TOOLS, 5)
    (call,) = first.tool_calls
    assert (call.name, call.arguments, call.error) == ("current_value", {"tag": "DRUM.PRESS"},
                                                       None)
    assert first.finish_reason == "tool_calls"
    result = tool_result_message("ollama", call, "42 bar")
    assert result == {"role": "tool", "tool_name": "current_value", "content": "42 bar"}
    # Messages in OpenAI shape (arguments as a JSON string) reach Ollama as objects.
    openai_turn = assistant_message("openai", first)
    source.chat_blocking([*QUESTION, openai_turn, result], TOOLS, 5)
    sent = ai_server.chats()[1].body["messages"]
    assert sent[1] == {"role": "assistant", "content": "", "tool_calls": [
        {"function": {"name": "current_value", "arguments": {"tag": "DRUM.PRESS"}}}]}
    assert sent[2] == result
    assert assistant_message("ollama", first) == sent[1]


@pytest.mark.parametrize("raw", ['{"tag": "DRUM.PR', "not json", "[1, 2]"])
def test_broken_tool_arguments_become_an_error_not_an_exception(
        ai_server: AiServer, make_source: MakeSource, raw: str):
    ai_server.reply("", Call("current_value", raw), Call("current_value", {"tag": "T1"}),
                    finish_reason="tool_calls")
    reply = make_source(ai_server.config("openai")).chat_blocking(QUESTION, TOOLS, 5)
    broken, fine = reply.tool_calls
    assert broken.arguments is None and broken.raw_arguments == raw
    assert broken.error in ("The model's arguments for tool 'current_value' are not valid JSON "
                            "(perhaps cut off).",
                            "The model's arguments for tool 'current_value' are not a JSON "
                            "object.")
    assert (fine.arguments, fine.error) == ({"tag": "T1"}, None)


def test_a_cut_off_tool_call_with_length_finish_reason(ai_server: AiServer,
                                                       make_source: MakeSource):
    ai_server.reply("", Call("current_value", '{"tag": '), finish_reason="length")
    reply = make_source(ai_server.config("openai")).chat_blocking(QUESTION, TOOLS, 5)
    assert reply.finish_reason == "length"
    assert reply.tool_calls[0].error is not None and reply.tool_calls[0].arguments is None


def test_relay_has_no_tool_messages():
    call = ToolCall("1", "current_value", {}, "{}")
    with pytest.raises(SourceError, match="does not call tools"):
        tool_result_message("relay", call, "x")


# -- faults, as sentences, within the deadline --------------------------------------------------


@pytest.mark.parametrize("kind", ["openai", "ollama", "relay"])
def test_a_wrong_key(ai_server: AiServer, make_source: MakeSource, kind: str):
    ai_server.key = "right"
    error, elapsed = timed(lambda: make_source(ai_server.config(kind), {"api_key": "wrong"})
                           .chat_blocking(QUESTION, None, 5))
    assert str(error) == ("The AI service refused the key: check the API key in the connection "
                          "settings (it may have been revoked). (401)")
    assert elapsed < 1
    no_key = make_source(ai_server.config(kind)).test_blocking(5)
    assert (no_key.ok, no_key.code) == (False, "401")
    assert no_key.message == ("The AI service asks for an API key: enter one in the connection "
                              "settings.")


@pytest.mark.parametrize("kind", ["openai", "ollama"])
def test_an_unknown_model(ai_server: AiServer, make_source: MakeSource, kind: str):
    error, _ = timed(lambda: make_source(ai_server.config(kind, model="gpt-9"))
                     .chat_blocking(QUESTION, None, 5))
    assert error.code == "404"
    assert error.message.startswith("The AI service has no model 'gpt-9': correct the model name")


def test_a_wrong_base_url(ai_server: AiServer, make_source: MakeSource):
    config = ai_server.config("openai", base_url=ai_server.origin)  # without /v1
    error, _ = timed(lambda: make_source(config).chat_blocking(QUESTION, None, 5))
    assert str(error) == ("The AI service has no such address: check the base URL (e.g. "
                          "http://localhost:11434/v1). (404)")


def test_rate_limit_is_waited_out_within_the_deadline(ai_server: AiServer,
                                                      make_source: MakeSource):
    ai_server.rate_limit(times=2, retry_after=0.5)
    ai_server.reply("After the wait.")
    started = time.monotonic()
    reply = make_source(ai_server.config("openai")).chat_blocking(QUESTION, None, 5)
    elapsed = time.monotonic() - started
    assert reply.text == "After the wait."
    assert 1.0 <= elapsed < 2.0
    assert len(ai_server.chats()) == 3


def test_rate_limit_longer_than_the_deadline_is_said_at_once(ai_server: AiServer,
                                                             make_source: MakeSource):
    ai_server.rate_limit(times=1, retry_after=30)
    error, elapsed = timed(lambda: make_source(ai_server.config("openai"))
                           .chat_blocking(QUESTION, None, 5))
    assert str(error) == ("The AI service is limiting requests from this key (it asks to wait "
                          "30 s): try again later. (429)")
    assert elapsed < 0.5 and len(ai_server.chats()) == 1


def test_no_credit_is_never_retried(ai_server: AiServer, make_source: MakeSource):
    ai_server.no_credit()
    error, elapsed = timed(lambda: make_source(ai_server.config("openai"))
                           .chat_blocking(QUESTION, None, 5))
    assert str(error) == ("The AI account has no credit left: add credit with the provider or "
                          "use another key. (insufficient_quota)")
    assert elapsed < 0.5 and len(ai_server.chats()) == 1


def test_a_server_error_is_retried_once(ai_server: AiServer, make_source: MakeSource):
    ai_server.fail(times=1, status=500)
    ai_server.reply("Second time lucky.")
    reply = make_source(ai_server.config("openai")).chat_blocking(QUESTION, None, 5)
    assert reply.text == "Second time lucky." and len(ai_server.chats()) == 2


def test_a_server_error_twice_is_a_sentence(ai_server: AiServer, make_source: MakeSource):
    ai_server.fail(times=2, status=500)
    error, elapsed = timed(lambda: make_source(ai_server.config("ollama"))
                           .chat_blocking(QUESTION, None, 5))
    assert str(error) == ("The AI service had an internal error: The server had an error while "
                          "processing your request. (500)")
    assert elapsed < 1 and len(ai_server.chats()) == 2


@pytest.mark.parametrize("kind", ["openai", "ollama", "relay"])
def test_a_silent_service_is_given_up_at_the_deadline(ai_server: AiServer,
                                                      make_source: MakeSource, kind: str):
    ai_server.silent = True
    error, elapsed = timed(lambda: make_source(ai_server.config(kind))
                           .chat_blocking(QUESTION, None, 2))
    assert error.code == "ReadTimeout"
    assert re.fullmatch(r"The AI service at 127\.0\.0\.1:\d+ accepted the question but did not "
                        r"answer within 1\.\d s: it may be busy or the model too slow for this "
                        r"time limit\.", error.message), error.message
    assert 1.5 < elapsed < 2.5, elapsed


def test_the_deadline_covers_retries(ai_server: AiServer, make_source: MakeSource):
    ai_server.rate_limit(times=1, retry_after=1)
    ai_server.latency = 0.6
    error, elapsed = timed(lambda: make_source(ai_server.config("openai"))
                           .chat_blocking(QUESTION, None, 1.5))
    assert error.code in ("429", "ReadTimeout", "timeout")
    assert elapsed < 2.0, elapsed


def test_connection_refused(make_source: MakeSource):
    port = free_port()
    source = make_source({"kind": "openai", "base_url": f"http://127.0.0.1:{port}/v1",
                          "model": "llama3"})
    error, elapsed = timed(lambda: source.chat_blocking(QUESTION, None, 2))
    assert str(error) == (f"Cannot reach 127.0.0.1:{port} — server down or firewall. "
                          "(ConnectionRefusedError)")
    assert elapsed < 0.5
    result = source.test_blocking(2)
    assert (result.ok, result.message) == (False, error.message)


def test_an_unresolvable_host(make_source: MakeSource):
    source = make_source({"kind": "ollama", "base_url": "http://llm.plant.invalid:11434",
                          "model": "llama3"})
    result = source.test_blocking(2)
    assert not result.ok and result.code == "gaierror"
    assert result.message.startswith("Unknown host name 'llm.plant.invalid'")


def test_bad_settings_are_named_on_use(make_source: MakeSource):
    assert make_source({"kind": "openai"}).test_blocking(1).message == (
        "This AI connection has no address: enter its base URL in the connection settings.")
    no_model = make_source({"kind": "ollama", "base_url": "http://localhost:11434"})
    with pytest.raises(SourceError, match="names no model"):
        no_model.chat_blocking(QUESTION, None, 1)
    assert make_source({"kind": "gpt", "base_url": "http://x"}).test_blocking(1).message == (
        "Unknown AI service type 'gpt': choose openai, ollama or relay.")
