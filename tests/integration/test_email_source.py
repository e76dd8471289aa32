"""The e-mail connection against real mail servers on 127.0.0.1 (aiosmtpd, tests/smtp_server.py).

What an engineer notices: a message arrives as written (From, To, Subject and an Indonesian
body intact); the connection test signs in, starts TLS and says QUIT; every fault (sign-in
refused, certificate not trusted, a server that never answers or drips its greeting, one that
hangs up before confirming the message, a refused recipient, a malformed address) ends in its
own plain sentence, within the time limit, with the worker thread free and the password in no
sentence and no log line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading

import pytest

from app.db.models import AuditLog, DataSource
from app.errors import ValidationError
from app.runtime.source_tests import run_connection_test
from app.services import config_io, sources
from app.sources import registry
from app.sources.base import Fault, Mailer, SourceError
from app.sources.smtp import EmailSource
from tests.smtp_server import BadServer, SmtpServer

PASSWORD = "Rahasia-Pabrik-77"
BODY = ("Tekanan drum 41,7 bar — di atas batas 40 bar sejak 10:43.\n"
        "Mohon periksa katup pengaman (PSV-101) segera.\n"
        "Terima kasih, Budi & tim shift malam ☕")
SUBJECT = "Alarm: tekanan drum tinggi — Unit 2"


def _source(config: dict, password: str | None = None) -> EmailSource:
    source = registry.create("email", config, {"password": password} if password else {})
    assert isinstance(source, Mailer)
    return source


def _refused(call) -> SourceError:
    with pytest.raises(SourceError) as caught:
        call()
    return caught.value


def test_a_message_arrives_with_its_sender_recipient_subject_and_indonesian_body(smtp_server):
    source = _source(smtp_server.config())

    message_id = source.send_blocking("sari@plant.example.com", SUBJECT, BODY)

    (got,) = smtp_server.received
    assert got.mail_from == "wa-bot@plant.example.com"
    assert got.rcpt_tos == ["sari@plant.example.com"]
    assert got.message["From"] == "wa-bot@plant.example.com"
    assert got.message["To"] == "sari@plant.example.com"
    assert got.message["Subject"] == SUBJECT
    assert got.message["Message-ID"] == message_id
    assert got.message.get_content().splitlines() == BODY.splitlines()
    assert got.message.get_content_charset() == "utf-8"
    # EHLO names this computer as a strict server accepts: a full name, else its address.
    assert got.hello in (socket.gethostname(), "[127.0.0.1]")
    assert "." in got.hello


def test_the_connection_test_says_hello_and_quits_without_sending(smtp_server):
    result = _source(smtp_server.config()).test_blocking(5)
    assert result.ok, result.message
    assert result.message.startswith("Connected in ")
    assert smtp_server.received == []


def test_a_wrong_password_is_refused_with_the_sign_in_sentence_and_never_shown(caplog):
    caplog.set_level(logging.DEBUG)
    with SmtpServer(users={"wa-bot": PASSWORD}) as server:
        good = _source(server.config(username="wa-bot"), PASSWORD)
        assert good.test_blocking(5).ok
        good.send_blocking("budi@plant.example.com", "Tes", "Halo")

        wrong = _source(server.config(username="wa-bot"), "not-" + PASSWORD)
        result = wrong.test_blocking(5)
        error = _refused(lambda: wrong.send_blocking("budi@plant.example.com", "Tes", "Halo"))
    # The right password twice, then only refusals (smtplib tries each method the server offers).
    assert server.sign_ins[:2] == [("wa-bot", True)] * 2
    assert len(server.sign_ins) > 2 and not any(ok for _, ok in server.sign_ins[2:])
    assert len(server.received) == 1
    assert not result.ok
    assert result.message.startswith(f"The mail server at 127.0.0.1:{server.port} refused the "
                                     "sign-in of wa-bot (535")
    assert result.message.endswith("check the user name and the password.")
    assert error.kind == Fault.SIGN_IN
    for text in (result.message, str(error), error.details or "", caplog.text):
        assert PASSWORD not in text


def test_a_user_name_without_a_password_is_refused_before_connecting():
    source = _source({"host": "127.0.0.1", "port": 9, "username": "wa-bot",
                      "from_address": "wa-bot@plant.example.com"})
    result = source.test_blocking(5)
    assert not result.ok
    assert "signs in as wa-bot but has no password" in result.message


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_with_the_plant_ca_signs_in_and_sends(smtp_tls_files, security):
    with SmtpServer(security=security, tls=smtp_tls_files,
                    users={"wa-bot": PASSWORD}) as server:
        source = _source(server.config(security=security, username="wa-bot",
                                       verify_tls=smtp_tls_files.ca), PASSWORD)
        result = source.test_blocking(5)
        source.send_blocking("sari@plant.example.com", SUBJECT, BODY)
    assert result.ok, result.message
    assert result.message.startswith("Connected with STARTTLS, signed in as wa-bot in "
                                     if security == "starttls" else
                                     "Connected over TLS, signed in as wa-bot in ")
    (got,) = server.received
    assert got.message.get_content().splitlines() == BODY.splitlines()


def test_the_certificate_check_switched_off_connects_to_a_self_signed_server(smtp_tls_files):
    with SmtpServer(security="starttls", tls=smtp_tls_files,
                    users={"wa-bot": PASSWORD}) as server:
        result = _source(server.config(security="starttls", username="wa-bot",
                                       verify_tls=False), PASSWORD).test_blocking(5)
    assert result.ok, result.message


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_certificate_not_signed_by_a_trusted_ca_is_refused(smtp_tls_files, security):
    with SmtpServer(security=security, tls=smtp_tls_files,
                    users={"wa-bot": PASSWORD}) as server:
        source = _source(server.config(security=security, username="wa-bot"), PASSWORD)
        result = source.test_blocking(5)
        error = _refused(lambda: source.send_blocking("sari@plant.example.com", "x", "y"))
    assert not result.ok
    assert result.message.startswith(f"The certificate of the mail server at 127.0.0.1:"
                                     f"{server.port} is not trusted (")
    assert "plant CA's bundle file" in result.message
    assert error.kind == Fault.UNREACHABLE
    assert server.received == [] and server.sign_ins == []


def test_a_server_without_starttls_is_named_as_such(smtp_server):
    result = _source(smtp_server.config(security="starttls")).test_blocking(5)
    assert result.message == (f"The mail server at 127.0.0.1:{smtp_server.port} does not offer "
                              "STARTTLS: choose \"TLS from the start\" or, on a trusted network "
                              "only, \"None\" as security.")


def test_tls_on_a_plain_port_says_security_does_not_match(smtp_server):
    result = _source(smtp_server.config(security="tls")).test_blocking(5)
    assert not result.ok
    assert "check that Security matches the port" in result.message


def test_a_refused_recipient_is_named_and_nothing_is_delivered():
    with SmtpServer(refuse=("pensiun@plant.example.com",)) as server:
        source = _source(server.config())
        error = _refused(lambda: source.send_blocking("pensiun@plant.example.com", "x", "y"))
        source.send_blocking("sari@plant.example.com", "x", "y")  # the next one goes through
    assert error.message.startswith(f"The mail server at 127.0.0.1:{server.port} refused the "
                                    "recipient pensiun@plant.example.com (550 ")
    assert error.kind == Fault.REFUSED
    assert [r.rcpt_tos for r in server.received] == [["sari@plant.example.com"]]


def test_a_connection_dropped_before_the_message_is_confirmed_says_it_may_not_have_arrived():
    with SmtpServer(drop_in_data=True) as server:
        error = _refused(lambda: _source(server.config()).send_blocking(
            "sari@plant.example.com", "x", "y"))
        assert server.dropped.is_set()
    assert error.message == (f"The mail server at 127.0.0.1:{server.port} closed the connection "
                             "before confirming the message: it may not have arrived.")
    assert error.kind == Fault.UNREACHABLE


@pytest.mark.parametrize("address", ["sari", "sari@", "@plant.example.com", "sari@plant",
                                     "sari@plant.example.com\r\nBcc: all@plant.example.com",
                                     "sari budi@plant.example.com", "sari..x@plant.example.com"])
def test_a_malformed_address_is_refused_before_connecting(address):
    with BadServer("silent") as server:
        error = _refused(lambda: _source(server.config(timeout_s=1)).send_blocking(
            address, "x", "y"))
        assert not server.closed.is_set() and server._workers == []  # never connected
    assert error.message.startswith("The e-mail was not sent: ")
    assert error.kind == Fault.SETUP


def test_a_malformed_from_address_fails_the_connection_test():
    result = _source({"host": "127.0.0.1", "port": 9,
                      "from_address": "wa-bot(at)plant"}).test_blocking(5)
    assert not result.ok
    assert result.message.startswith("The e-mail connection's from address is not usable: ")


def test_a_closed_port_is_unreachable():
    with BadServer("silent") as server:
        port = server.port
    result = _source({"host": "127.0.0.1", "port": port,
                      "from_address": "wa-bot@plant.example.com"}).test_blocking(5)
    assert result.message == (f"Cannot reach the mail server at 127.0.0.1:{port}: server down, "
                              "wrong port or firewall.")


@pytest.mark.parametrize("first_line, says", [
    # Another protocol where an SMTP client waits for a mail server's greeting.
    (b"HTTP/1.1 400 Bad Request", "is not a mail server (it did not greet as SMTP servers do): "
                                  "check the port."),
    (b"554 5.7.1 mail.plant.test: this computer may not send mail here",
     "refused the connection (554 5.7.1 mail.plant.test: this computer may not send mail "
     "here)."),
    (b"421 4.3.2 mail.plant.test busy, try again later",
     "refused the connection (421 4.3.2 mail.plant.test busy, try again later)."),
])
def test_a_server_that_does_not_greet_as_a_mail_server_says_why(first_line, says):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]

        def answer() -> None:
            conn, _ = sock.accept()
            with conn:
                conn.sendall(first_line + b"\r\n")
                conn.recv(100)

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        result = _source({"host": "127.0.0.1", "port": port, "security": "none",
                          "from_address": "wa-bot@plant.example.com"}).test_blocking(5)
        thread.join(5)
    assert not result.ok
    assert f"server at 127.0.0.1:{port} {says}" in result.message, result.message


@pytest.mark.parametrize("mode", ["silent", "drip"])
def test_a_server_that_never_finishes_answering_is_let_go_at_the_time_limit(mode):
    """"drip" keeps every read short (a byte every 0.2 s), so only the total deadline ends it."""
    outcome: list[BaseException | str] = []
    with BadServer(mode) as server:
        source = _source(server.config(timeout_s=30))

        def send() -> None:
            try:
                outcome.append(source.send_blocking("sari@plant.example.com", "x", "y",
                                                    timeout=1))
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                outcome.append(exc)

        worker = threading.Thread(target=send, daemon=True)
        worker.start()
        worker.join(15)  # a bound for a broken build, not a timing assertion
        assert not worker.is_alive(), "the sending thread is still held by the server"
        assert server.closed.wait(5), "the connection stayed open after the deadline"
    (error,) = outcome
    assert isinstance(error, SourceError)
    assert error.kind == Fault.TIMEOUT
    assert error.message == (f"The mail server at 127.0.0.1:{server.port} did not answer in "
                             "time (1 s, while waiting for its greeting).")


# --- saved as a connection -----------------------------------------------------------------


def _save(admin, config: dict, password: str | None = PASSWORD, source_id: str | None = None):
    return sources.save_source(admin, source_id, name="Plant mail", plugin="email", active=True,
                               config=config, new_secrets={"password": password})


def test_saving_refuses_a_malformed_from_address_and_a_sign_in_without_password(db, admin):
    config = {"host": "mail.plant.example.com", "port": 587, "security": "starttls",
              "username": "wa-bot", "from_address": "wa-bot@plant"}
    with pytest.raises(ValidationError) as refused:
        _save(admin, config, password=None)
    assert refused.value.problems == [
        "From address: 'wa-bot@plant' is not an e-mail address: the domain after the @ must "
        "be like plant.example.com (letters, digits and hyphens between dots).",
        "Password is missing (needed when a user name is given)."]
    assert DataSource.select().where(DataSource.plugin == "email").count() == 0


def test_a_saved_connection_is_tested_with_its_stored_password_and_exported_without_it(
        db, admin, caplog):
    caplog.set_level(logging.DEBUG)
    with SmtpServer(users={"wa-bot": PASSWORD}) as server:
        saved = _save(admin, server.config(username="wa-bot"))
        result = asyncio.run(run_connection_test(admin, saved["id"]))
        assert result.ok, result.message
        assert sources.get_source(saved["id"])["connection_status"] == "connected"
        # Another password typed over the stored one: the test fails and says why.
        _save(admin, server.config(username="wa-bot"), "typo-" + PASSWORD, saved["id"])
        result = asyncio.run(run_connection_test(admin, saved["id"]))
    assert "refused the sign-in of wa-bot" in result.message
    assert sources.get_source(saved["id"])["test_error_message"].startswith(result.message)
    exported = json.dumps(config_io.export_config(), ensure_ascii=False)
    assert '"plugin": "email"' in exported
    for text in (exported, caplog.text, json.dumps([a.details for a in AuditLog.select()],
                                                   default=str)):
        assert PASSWORD not in text
    assert PASSWORD.encode() not in db.path.read_bytes()


def test_a_server_that_wants_starttls_or_a_sign_in_first_says_which(smtp_tls_files):
    with SmtpServer(security="starttls", tls=smtp_tls_files, users={"wa-bot": PASSWORD}) as tls:
        plain = _source(tls.config(security="none"))
        error = _refused(lambda: plain.send_blocking("sari@plant.example.com", "x", "y"))
        assert error.message.startswith(f"The mail server at 127.0.0.1:{tls.port} takes mail "
                                        "only after STARTTLS (530 ")
        assert error.message.endswith("choose STARTTLS as security.")
        anonymous = _source(tls.config(security="starttls", verify_tls=smtp_tls_files.ca))
        error = _refused(lambda: anonymous.send_blocking("sari@plant.example.com", "x", "y"))
    assert error.message.startswith(f"The mail server at 127.0.0.1:{tls.port} takes mail only "
                                    "after a sign-in (530 ")
    assert error.kind == Fault.SIGN_IN
    assert tls.received == []


def test_a_password_outside_ascii_is_refused_without_being_quoted():
    with SmtpServer(users={"wa-bot": PASSWORD}) as server:
        result = _source(server.config(username="wa-bot"), "kata-sandi-ñandú").test_blocking(5)
    assert result.message.startswith("The user name or password of the e-mail connection to "
                                      f"127.0.0.1:{server.port} holds letters outside plain ASCII")
    assert "ñ" not in result.message and "sandi" not in result.message


def test_a_slow_server_that_confirms_within_the_time_limit_gets_its_message_sent():
    with SmtpServer(delay=1.5) as server:
        _source(server.config(timeout_s=10)).send_blocking("sari@plant.example.com", SUBJECT,
                                                           BODY)
    (got,) = server.received
    assert got.message["Subject"] == SUBJECT


def test_a_server_slower_than_the_time_limit_to_confirm_says_the_message_may_have_arrived():
    with SmtpServer(delay=5) as server:
        error = _refused(lambda: _source(server.config(timeout_s=10)).send_blocking(
            "sari@plant.example.com", "x", "y", timeout=1))
    assert error.message == (f"The mail server at 127.0.0.1:{server.port} did not confirm the "
                             "message within 1 s: it may or may not have arrived.")
    assert error.kind == Fault.TIMEOUT


def test_the_running_app_sends_through_a_saved_connection_on_the_executor(db, admin):
    from app.runtime.mail import send_email
    from app.runtime.source_pool import SourcePool

    pool = SourcePool()
    try:
        with SmtpServer(users={"wa-bot": PASSWORD}) as server:
            saved = _save(admin, server.config(username="wa-bot"))
            message_id = asyncio.run(send_email(pool, saved["id"], "sari@plant.example.com",
                                                SUBJECT, BODY))
        demo = sources.find_by_name("demo")
        with pytest.raises(SourceError, match="not an e-mail connection"):
            asyncio.run(send_email(pool, demo["id"], "sari@plant.example.com", "x", "y"))
    finally:
        pool.close()
    (got,) = server.received
    assert got.message["Message-ID"] == message_id
    assert got.message.get_content().splitlines() == BODY.splitlines()


def test_an_imported_connection_without_its_password_asks_for_it(db, admin):
    config_io.import_config(admin, {"version": 1, "data_sources": [
        {"name": "Plant mail", "plugin": "email",
         "config": {"host": "mail.plant.example.com", "port": 587, "security": "starttls",
                    "username": "wa-bot", "from_address": "wa-bot@plant.example.com"}}]})
    saved = sources.find_by_name("Plant mail")
    assert saved["setup_missing"] == ["Password is missing (needed when a user name is given)."]
