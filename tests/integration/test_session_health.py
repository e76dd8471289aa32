"""The bot's own health alarm, end to end: the loopback bridge plays a logout and a network
that drops, a real mail server on 127.0.0.1 receives what the administrators are told, and the
clock is one the test moves. Told once when the session goes, once when it is back, also with
a restart of the app in between."""

from __future__ import annotations

from app.bridge.base import BridgeState
from app.db.models import OutgoingMessage, SessionHealth
from app.services import session_health, settings, sources, users
from tests.helpers.alarms import Bot, in_asyncio

OPS, ON_CALL = "ops-admin@plant.example.com", "on-call@plant.example.com"


def people(admin) -> None:
    users.create_user(admin, "ops", "Ops-pass-2026", role="admin", full_name="Ops",
                      email=OPS)
    users.create_user(admin, "oncall", "Call-pass-2026", role="admin", full_name="On call",
                      email=ON_CALL)
    gone = users.create_user(admin, "former", "Gone-pass-2026", role="admin",
                             email="former@plant.example.com")
    users.set_active(admin, gone["id"], False)
    users.create_user(admin, "viewer", "View-pass-2026", role="user",
                      email="viewer@plant.example.com")
    settings.update(admin, {"general": {"language": "en", "time_zone": "UTC"}})


def mail_connection(admin, server) -> None:
    sources.save_source(admin, None, name="Plant mail", plugin="email", active=True,
                        config=server.config())


def bot_on(clock, data_dir) -> Bot:
    bot = Bot(clock, data_dir)
    bot.runtime.health.clock = clock
    return bot


def told(server) -> list[tuple[str, list[str]]]:
    return [(m.message["Subject"], sorted(m.rcpt_tos)) for m in server.received]


async def mails_out(bot: Bot) -> None:
    await bot.engine.send_emails()


@in_asyncio
async def test_a_logout_tells_the_administrators_once_and_once_when_it_is_back_across_a_restart(
        db, admin, clock, data_dir, smtp_server):
    people(admin)
    mail_connection(admin, smtp_server)
    bot = bot_on(clock, data_dir)
    await bot.start()
    try:
        await bot.bridge.logout()
        await mails_out(bot)
        clock.advance(minutes=3)
        await bot.bridge.set_state(BridgeState.LOGGED_OUT)  # reported again
        await bot.bridge.set_state(BridgeState.RECONNECTING)  # and the network drops too
        clock.advance(minutes=30)
        bot.runtime.health.check()
        await mails_out(bot)
    finally:
        await bot.runtime.stop()
    # The active administrators with an address, each once: not the one switched off, not a
    # user who is no administrator.
    down = "WhatsApp bot: the session is logged out"
    assert sorted(told(smtp_server)) == [(down, [ON_CALL]), (down, [OPS])]
    body = smtp_server.received[0].message.get_content()
    assert body.startswith("The WhatsApp session of the bot has been logged out since ")
    assert SessionHealth.get_by_id("whatsapp").told_down_at is not None

    # The app is closed and opened again; the session is still logged out at first.
    clock.advance(hours=2)
    bot = bot_on(clock, data_dir)
    await bot.bridge.set_state(BridgeState.LOGGED_OUT)
    await mails_out(bot)
    assert len(smtp_server.received) == 2  # nobody is told twice
    await bot.start()  # paired again: connected
    try:
        await mails_out(bot)
        await bot.bridge.set_state(BridgeState.CONNECTED)
        await mails_out(bot)
    finally:
        await bot.runtime.stop()
    back = [m for m in smtp_server.received[2:]]
    assert sorted(m.rcpt_tos[0] for m in back) == [ON_CALL, OPS]
    assert {m.message["Subject"] for m in back} == {"WhatsApp bot: the session is back"}
    assert "(it was logged out since " in back[0].message.get_content()

    # Another restart, connected all along: nothing more.
    bot = bot_on(clock, data_dir)
    await bot.start()
    try:
        await mails_out(bot)
    finally:
        await bot.runtime.stop()
    assert len(smtp_server.received) == 4
    assert OutgoingMessage.select().where(OutgoingMessage.kind == "health").count() == 4


@in_asyncio
async def test_a_disconnection_is_told_only_once_it_lasts_longer_than_the_setting(
        db, admin, clock, data_dir, smtp_server):
    people(admin)
    mail_connection(admin, smtp_server)
    settings.update(admin, {"alarms": {"session_down_min": 10}})
    bot = bot_on(clock, data_dir)
    await bot.start()
    try:
        # A short drop: back within 3 minutes, nobody is bothered.
        await bot.bridge.set_state(BridgeState.RECONNECTING)
        clock.advance(minutes=3)
        bot.runtime.health.check()
        await bot.bridge.set_state(BridgeState.CONNECTED)
        await mails_out(bot)
        assert smtp_server.received == []
        # A long one.
        await bot.bridge.set_state(BridgeState.RECONNECTING)
        clock.advance(minutes=9)
        bot.runtime.health.check()
        await mails_out(bot)
        assert smtp_server.received == []
        clock.advance(minutes=2)
        bot.runtime.health.check()
        bot.runtime.health.check()
        await mails_out(bot)
        assert sorted(m.rcpt_tos[0] for m in smtp_server.received) == [ON_CALL, OPS]
        assert smtp_server.received[0].message["Subject"] == \
            "WhatsApp bot: the session is disconnected"
        await bot.bridge.set_state(BridgeState.CONNECTED)
        await mails_out(bot)
    finally:
        await bot.runtime.stop()
    assert [m.message["Subject"] for m in smtp_server.received[2:]] == [
        "WhatsApp bot: the session is back"] * 2
    assert session_health.get().down_since is None


@in_asyncio
async def test_closing_the_app_while_disconnected_is_no_outage_to_report(db, admin, clock,
                                                                        data_dir, smtp_server):
    people(admin)
    mail_connection(admin, smtp_server)
    bot = bot_on(clock, data_dir)
    await bot.start()
    await bot.bridge.set_state(BridgeState.RECONNECTING)
    clock.advance(minutes=3)
    await bot.runtime.stop()  # closed while the network was down
    clock.advance(hours=2)  # and opened again two hours later, the network still down
    bot = bot_on(clock, data_dir)
    await bot.bridge.set_state(BridgeState.RECONNECTING)
    bot.runtime.health.check()
    await mails_out(bot)
    assert smtp_server.received == []
    assert session_health.get().down_since == clock.now  # counted from this start


@in_asyncio
async def test_a_logout_while_another_program_holds_the_database_is_told_once_it_is_free(
        db, admin, clock, data_dir, smtp_server):
    from tests.integration.test_outbox_locked import Holder

    people(admin)
    mail_connection(admin, smtp_server)
    bot = bot_on(clock, data_dir)
    await bot.start()
    holder = Holder(data_dir / "app.db")
    try:
        holder("lock")
        try:
            await bot.bridge.logout()  # the health cannot be written now: kept, not lost
            assert session_health.get().down_since is None
            assert bot.runtime.health.check() is False
        finally:
            holder("unlock")
        assert bot.runtime.health.check() is True  # written, and the administrators told
        await mails_out(bot)
    finally:
        holder.close()
        await bot.runtime.stop()
    assert session_health.get().down_state == "logged_out"
    assert sorted(told(smtp_server)) == [("WhatsApp bot: the session is logged out", [ON_CALL]),
                                         ("WhatsApp bot: the session is logged out", [OPS])]
