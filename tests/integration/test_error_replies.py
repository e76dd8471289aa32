"""What a phone hears when a connection fails: a short sentence in the reply language that names
the trigger and the connection but no host, port, path or driver text; the operator reads the
full reason on the message's row in the Messages tab."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts, messages, settings, sources
from app.services import triggers as trigger_service
from tests.pi_server import PiServer

BUDI = "+6281234567890"
SENTENCES = {  # what each language says for each kind of fault, in part
    ("id", "unreachable"): "tidak dapat dihubungi",
    ("en", "unreachable"): "Cannot reach",
    ("id", "timeout"): "tidak menjawab tepat waktu",
    ("en", "timeout"): "did not answer in time",
    ("id", "sign_in"): "menolak login",
    ("en", "sign_in"): "refused the sign-in",
}


def ask_the_bot(admin, data_dir, lang: str, text: str) -> tuple[str, dict[str, Any]]:
    """The reply a known contact gets to `text`, and the message's row as the Messages tab
    reads it."""
    settings.update(admin, {"general": {"language": lang}})

    async def main() -> LoopbackBridge:
        bridge = LoopbackBridge()
        runtime = build_bot(bridge, SourcePool(), data_dir / "media",
                            throttle=lambda: Throttle(0, 0, 10**6, 10**6))
        await runtime.start()
        try:
            await bridge.inject("halo", sender=BUDI)
            contacts.approve(admin, contacts.find_contact(BUDI)["id"])
            await runtime.outbox.drain()
            bridge.sent.clear()
            await bridge.inject(text, sender=BUDI)
            await runtime.outbox.drain()
        finally:
            await runtime.stop()
        return bridge

    bridge = asyncio.run(main())
    assert len(bridge.sent) == 1, [s.text for s in bridge.sent]
    rows = messages.page(messages.MessageFilter(direction="incoming"), None, 10)
    row = next(r for r in rows if r["content"] == text)
    return bridge.sent[0].text, row


def pi_trigger(admin, server_url: str, **config) -> None:
    source = sources.save_source(
        admin, None, name="Unit 2 PI", plugin="pi", active=True,
        config={"api": "piwebapi", "base_url": server_url, "data_server": "PISRV01",
                "auth": "anonymous", "timeout_s": 1, **config.pop("source", {})},
        new_secrets=config.pop("secrets", None))
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=source["id"],
                                 config={"tags": ["DRUM.PRESS"], "mode": "current",
                                         "title": "Drum pressure", "timeout_s": 2})


def assert_nothing_internal(reply: str, port: int) -> None:
    for inside in ("127.0.0.1", "localhost", str(port), "/piwebapi", "http", "pymysql",
                   "(2003)", "(1045)", "Errno"):
        assert inside not in reply, (inside, reply)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_pi_server_that_is_down_is_named_but_its_address_is_not(db, admin, data_dir, lang):
    port = free_port()  # nothing listens there
    pi_trigger(admin, f"http://127.0.0.1:{port}/piwebapi")
    reply, row = ask_the_bot(admin, data_dir, lang, "drum")
    assert reply.startswith("✖ Drum pressure:") and "Unit 2 PI" in reply
    assert SENTENCES[(lang, "unreachable")] in reply
    assert_nothing_internal(reply, port)
    assert row["status"] == "answered_with_error"
    assert f"127.0.0.1:{port}" in row["reason"] and "server down or firewall" in row["reason"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_pi_server_that_hangs_is_reported_as_late(db, admin, data_dir, lang):
    with PiServer() as silent:
        silent.add_tag("DRUM.PRESS", 41.7, units="bar")
        silent.hang = True
        pi_trigger(admin, silent.base_url)
        port = silent.port
        reply, row = ask_the_bot(admin, data_dir, lang, "drum")
    assert "Unit 2 PI" in reply and SENTENCES[(lang, "timeout")] in reply
    assert_nothing_internal(reply, port)
    assert f"127.0.0.1:{port}" in row["reason"] and "did not answer" in row["reason"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_refused_pi_sign_in_says_so_without_the_server(db, admin, data_dir, lang):
    with PiServer() as plant:
        plant.add_tag("DRUM.PRESS", 41.7, units="bar")
        plant.auth = ("basic", "piuser", "right-password")
        pi_trigger(admin, plant.base_url, source={"auth": "basic", "username": "piuser"},
                   secrets={"password": "wrong-password"})
        port = plant.port
        reply, row = ask_the_bot(admin, data_dir, lang, "drum")
    assert "Unit 2 PI" in reply and SENTENCES[(lang, "sign_in")] in reply
    assert_nothing_internal(reply, port)
    assert "Wrong user name or password for PI Web API" in row["reason"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_mysql_password_that_is_refused_names_no_server(db, admin, data_dir, mariadb, lang):
    source = sources.save_source(
        admin, None, name="LIMS", plugin="mysql", active=True,
        config={k: v for k, v in mariadb.config().items() if k != "ssl"},
        new_secrets={"password": "not-the-password"})
    trigger_service.save_trigger(
        admin, None, name="lab", kind="sql", active=True, data_source_id=source["id"],
        config={"query": "SELECT parameter, value FROM lab_results", "description": "Lab"})
    reply, row = ask_the_bot(admin, data_dir, lang, "lab")
    assert reply.startswith("✖ Lab:") and "LIMS" in reply
    assert SENTENCES[(lang, "sign_in")] in reply
    assert_nothing_internal(reply, mariadb.port)
    assert "plant_ro" not in reply and "SELECT" not in reply
    assert "Wrong user name or password" in row["reason"] and "1045" in row["reason"]
