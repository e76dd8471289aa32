"""The HTTP helper PI and AI share (app.sources.http), against the local doubles on 127.0.0.1.

What a plant engineer notices: a server whose answer trickles in a byte at a time is given up
at the call's time limit, with the same sentence whichever source asked, instead of holding the
reply for as long as the trickle lasts; a slow answer that ends in time still arrives whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from app.sources.ai import AiSource
from app.sources.base import SourceError
from app.sources.http import Deadline, HttpClient, Wording
from app.sources.pi import PiSource
from tests.ai_server import AiServer
from tests.pi_server import PiServer

LIMIT_S = 1.0
DRIP_S = 0.02  # every answer below is hundreds of bytes long: several seconds of trickle
QUESTION = [{"role": "user", "content": "How is unit 2?"}]


def _given_up(call: Callable[[], Any]) -> tuple[SourceError, float]:
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        call()
    return caught.value, time.monotonic() - started


def test_a_trickling_pi_web_api_is_given_up_at_the_time_limit():
    with PiServer() as plant:
        plant.add_tag("DRUM.PRESS", 41.7, units="bar", descriptor="Drum pressure")
        plant.drip = DRIP_S
        port = plant.port
        source = PiSource({"base_url": plant.base_url, "data_server": "PISRV01",
                           "auth": "anonymous", "timeout_s": 30})
        try:
            error, elapsed = _given_up(lambda: source.current_blocking(["DRUM.PRESS"], LIMIT_S))
        finally:
            source.close()
    assert error.code == "timeout"
    assert error.message == (f"PI Web API at 127.0.0.1:{port} did not answer within "
                             "1.0 s.")
    assert elapsed < LIMIT_S + 0.3, elapsed


@pytest.mark.parametrize("kind", ["openai", "ollama", "relay"])
def test_a_trickling_ai_service_is_given_up_at_the_time_limit(kind: str):
    with AiServer() as service:
        service.drip = DRIP_S
        port = service.port
        source = AiSource(service.config(kind, timeout_s=30))
        try:
            error, elapsed = _given_up(lambda: source.chat_blocking(QUESTION, None, LIMIT_S))
        finally:
            source.close()
    assert error.code == "timeout"
    assert error.message == (f"The AI service at 127.0.0.1:{port} did not answer within "
                             "1.0 s.")
    assert elapsed < LIMIT_S + 0.3, elapsed


def test_pi_and_ai_word_a_cut_off_answer_the_same_way():
    with PiServer() as plant, AiServer() as service:
        plant.drip = service.drip = DRIP_S
        pi_where = f"PI Web API at 127.0.0.1:{plant.port}"
        ai_where = f"The AI service at 127.0.0.1:{service.port}"
        pi = PiSource({"base_url": plant.base_url, "data_server": "PISRV01",
                       "auth": "anonymous"})
        ai = AiSource(service.config("openai"))
        try:
            pi_error, _ = _given_up(lambda: pi.search_blocking("DRUM*", 10, LIMIT_S))
            ai_error, _ = _given_up(lambda: ai.chat_blocking(QUESTION, None, LIMIT_S))
        finally:
            pi.close()
            ai.close()
    assert pi_error.message.startswith(pi_where) and ai_error.message.startswith(ai_where)
    assert pi_error.message.removeprefix(pi_where) == ai_error.message.removeprefix(ai_where)


def test_a_slow_answer_that_ends_in_time_arrives_whole():
    with AiServer() as service:
        service.reply("Unit 2 runs at 480 MW; drum pressure 41.7 bar, level 52 %.")
        service.drip = 0.001  # a few hundred bytes: well under the time limit
        source = AiSource(service.config("openai"))
        try:
            reply = source.chat_blocking(QUESTION, None, 10)
        finally:
            source.close()
    assert reply.text == "Unit 2 runs at 480 MW; drum pressure 41.7 bar, level 52 %."


def test_the_helper_itself_cuts_a_trickle_at_its_deadline():
    with AiServer() as service:
        service.drip = DRIP_S
        port = service.port
        client = HttpClient(f"{service.origin}/v1", Wording(
            "The plant server", "the plant server", "connection settings",
            "http://plant-server"), timeout_s=30)
        try:
            error, elapsed = _given_up(lambda: client.send(
                "GET", f"{service.origin}/v1/models", Deadline(LIMIT_S)))
            service.drip = 0.0
            answer = client.send("GET", f"{service.origin}/v1/models", Deadline(LIMIT_S))
        finally:
            client.close()
    assert error.message == (f"The plant server at 127.0.0.1:{port} did not answer "
                             "within 1.0 s.")
    assert elapsed < LIMIT_S + 0.3, elapsed
    assert answer.status_code == 200 and answer.json()["data"]  # the session still works
