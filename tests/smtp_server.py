"""Real mail servers on 127.0.0.1 for the e-mail tests: aiosmtpd, and two that misbehave.

`SmtpServer` is aiosmtpd's SMTP server in its own thread, as a plant's mail server would be:
plain, STARTTLS or TLS from the start (a throw-away CA from tests/pi_server.py's
make_tls_files), sign-in with a table of users, recipients it refuses, a delay before it
confirms a message, or a connection it drops after the message's data instead of confirming
it. `BadServer` accepts and then never says a word ("silent"), or says its greeting one byte
at a time without ever ending it ("drip").
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.pi_server import TlsFiles, make_tls_files


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage  # parsed as a mail client would
    hello: str  # the name the client gave in EHLO


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.server.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.server.delay:
            await asyncio.sleep(self.server.delay)  # a busy server, slow to confirm
        if self.server.drop_in_data:
            server.transport.abort()  # gone before the message is confirmed
            self.server.dropped.set()
            return "250 OK"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                             parsed, session.host_name))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's controller on a free port of 127.0.0.1."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    def __init__(self, *, security: str = "none", tls: TlsFiles | None = None,
                 users: dict[str, str] | None = None, refuse: tuple[str, ...] = (),
                 drop_in_data: bool = False, delay: float = 0.0) -> None:
        self.received: list[Received] = []
        self.delay = delay
        self.refuse = set(refuse)
        self.drop_in_data = drop_in_data
        self.dropped = threading.Event()
        self.users = dict(users or {})
        self.sign_ins: list[tuple[str, bool]] = []
        kwargs: dict = {}
        if security != "none":
            assert tls is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(tls.cert, tls.key)
            if security == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        if users is not None:
            kwargs.update(authenticator=self._authenticate,
                          auth_require_tls=security == "starttls",
                          auth_required=security == "starttls")
        self._controller = _Controller(_Handler(self), hostname="127.0.0.1", port=0,
                                       server_hostname="mail.plant.test", **kwargs)

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = auth_data.login.decode()
        ok = self.users.get(user) == auth_data.password.decode()
        self.sign_ins.append((user, ok))
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535

    @property
    def port(self) -> int:
        return self._controller.port

    def config(self, **extra) -> dict:
        """An e-mail connection's settings for this server."""
        return {"host": "127.0.0.1", "port": self.port, "security": "none",
                "from_address": "wa-bot@plant.example.com", "timeout_s": 10, **extra}

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


class BadServer:
    """Accepts connections, then says nothing ("silent") or drips an endless greeting ("drip").

    `closed` is set once the client has let go of a connection (what a call past its deadline
    must do)."""

    def __init__(self, mode: str, drip: float = 0.2) -> None:
        self.mode = mode
        self.drip = drip
        self.closed = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._workers: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._workers.append(worker)
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(0.05)
            endless = b"220-mail.plant.test slow " + b"." * 10_000
            sent = 0
            while not self._stop.is_set():
                try:
                    if not conn.recv(1):
                        break
                except TimeoutError:
                    pass
                except OSError:
                    break
                if self.mode == "drip" and self._stop.wait(self.drip) is False:
                    try:
                        conn.sendall(endless[sent % len(endless):][:1])
                    except OSError:
                        break
                    sent += 1
            self.closed.set()

    def config(self, **extra) -> dict:
        return {"host": "127.0.0.1", "port": self.port, "security": "none",
                "from_address": "wa-bot@plant.example.com", **extra}

    def __enter__(self) -> BadServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()
        for worker in self._workers:
            worker.join(2)


@pytest.fixture(scope="session")
def smtp_tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server
