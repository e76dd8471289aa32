"""E-mail through an SMTP mail server: the connection test and sending one message.

Every call opens its own connection, says EHLO, starts TLS where the connection asks for it
(STARTTLS, or TLS from the first byte), signs in when a user name is set, does its work and
says QUIT. The time limit is a total one: the socket's own timeout bounds each read and write,
and at the deadline the socket is shut down (app.sources.cutoff), so a server that answers a
byte at a time, or accepts and never answers, cannot hold the worker thread past it.

Every failure is a SourceError with a sentence for a plant engineer; the password is never
part of one, nor of the log.
"""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from typing import Any

from app.core.email_address import AddressError, check_address
from app.core.source_fields import verify_setting
from app.sources.base import CONCURRENT_REQUESTS, Fault, SourceError, TestResult
from app.sources.cutoff import Cutoff, shut

log = logging.getLogger(__name__)

__all__ = ["EmailSource"]

SECURITY = ("starttls", "tls", "none")
_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_TIMEOUT_S = 20.0
_MIN_WAIT_S = 0.05
# After the deadline, before the socket is shut: a silent server trips the read timeout first.
_CUT_GRACE_S = 0.05
# Seven-bit bodies (quoted-printable or base64 for anything else) reach every server intact,
# whether or not it offers 8BITMIME; lines end in CRLF as SMTP wants.
_POLICY = SMTP_POLICY.clone(cte_type="7bit")

# What the call was doing when it failed, for the sentence.
_CONNECT, _GREETING, _HELLO, _STARTTLS, _SIGN_IN, _SENDER, _RECIPIENT, _DATA, _QUIT = (
    "connect", "greeting", "hello", "starttls", "sign-in", "sender", "recipient", "data", "quit")


class EmailSource:
    """An SMTP mail server the app sends e-mail through."""

    concurrent_requests = CONCURRENT_REQUESTS

    def __init__(self, config: dict[str, Any], secrets: dict[str, str] | None = None) -> None:
        config = dict(config or {})
        secrets = dict(secrets or {})
        self._host = str(config.get("host") or "").strip()
        self._security = str(config.get("security") or "starttls").strip().lower()
        self._port = _port(config.get("port"), _DEFAULT_PORTS.get(self._security, 587))
        self._user = str(config.get("username") or "").strip()
        self._password = str(secrets.get("password") or "")
        self._sender_text = str(config.get("from_address") or "").strip()
        self._timeout = _positive(config.get("timeout_s"), DEFAULT_TIMEOUT_S)
        self._verify = verify_setting(config.get("verify_tls", True))
        self._where = f"{self._host}:{self._port}"

    @property
    def time_limit(self) -> float:
        """The connection's own time limit (s), for callers that set none of their own."""
        return self._timeout

    def close(self) -> None:
        """Nothing stays open between calls: every call opens and closes its own connection."""

    # -- the connection test ------------------------------------------------------------------

    def test_blocking(self, timeout: float) -> TestResult:
        started = time.monotonic()
        try:
            limit = self._limit(timeout)
            self._sender()
            banner = self._run(limit, lambda client, step: None)
        except SourceError as exc:
            return TestResult(False, _ms_since(started), exc.message, exc.code)
        elapsed = _ms_since(started)
        signed_in = f", signed in as {self._user}" if self._user else ""
        security = {"starttls": " with STARTTLS", "tls": " over TLS"}.get(self._security, "")
        return TestResult(True, elapsed, f"Connected{security}{signed_in} in {elapsed:.0f} ms"
                          + (f" ({banner})" if banner else ""), server=banner or None)

    # -- sending ------------------------------------------------------------------------------

    def send_blocking(self, to: str, subject: str, body: str,
                      timeout: float | None = None) -> str:
        """Sends one message to one address; returns its Message-ID once the server took it.

        A malformed address is refused before any connection is made."""
        limit = self._limit(timeout if timeout is not None else self._timeout)
        sender = self._sender()
        try:
            recipient = check_address(to)
        except AddressError as exc:
            raise SourceError(f"The e-mail was not sent: {exc.message}",
                              kind=Fault.SETUP) from None
        message = _message(sender, recipient, subject, body)
        payload = message.as_bytes()

        def deliver(client: _Client, step: list[str]) -> None:
            step[0] = _SENDER
            code, reply = client.mail(sender)
            if code == 530:  # "Must issue a STARTTLS command first" or "Authentication required"
                raise self._wants_more(reply)
            if code != 250:
                raise SourceError(f"The mail server at {self._where} refused the from address "
                                  f"{sender} ({code} {self._text(reply)}): use an address the "
                                  "server lets this user send from.", str(code),
                                  kind=Fault.SETUP)
            step[0] = _RECIPIENT
            code, reply = client.rcpt(recipient)
            if code not in (250, 251):
                raise SourceError(f"The mail server at {self._where} refused the recipient "
                                  f"{recipient} ({code} {self._text(reply)}).", str(code),
                                  kind=Fault.REFUSED)
            step[0] = _DATA
            code, reply = client.data(payload)
            if code != 250:
                raise SourceError(f"The mail server at {self._where} refused the message to "
                                  f"{recipient} ({code} {self._text(reply)}).", str(code),
                                  kind=Fault.REFUSED)

        self._run(limit, deliver)
        log.info("E-mail sent to %s through %s", recipient, self._where)
        return str(message["Message-ID"])

    # -- one session --------------------------------------------------------------------------

    def _run(self, limit: float, work) -> str:
        """Connects, says EHLO, starts TLS, signs in, runs `work`, says QUIT; the banner."""
        if not self._host:
            raise SourceError("The e-mail connection has no mail server set.", "config",
                              kind=Fault.SETUP)
        if self._security not in SECURITY:
            raise SourceError(f"Unknown security '{self._security}': choose starttls, tls or "
                              "none.", "config", kind=Fault.SETUP)
        if self._user and not self._password:
            raise SourceError(f"The e-mail connection signs in as {self._user} but has no "
                              "password: type it in the connection's form.", "config",
                              kind=Fault.SETUP)
        context = self._tls_context() if self._security != "none" else None
        deadline = time.monotonic() + limit
        step = [_CONNECT]
        with Cutoff(deadline + _CUT_GRACE_S) as cutoff:
            client = _Client(cutoff, context if self._security == "tls" else None, limit, step)
            try:
                code, greeting = client.connect(self._host, self._port)
                if code != 220:
                    raise self._not_greeted(code, greeting)
                banner = self._text(greeting, 80)
                step[0] = _HELLO
                client.ehlo_or_helo_if_needed()
                if self._security == "starttls":
                    step[0] = _STARTTLS
                    client.starttls_within(context)
                    step[0] = _HELLO
                    client.ehlo()
                if self._user:
                    step[0] = _SIGN_IN
                    client.login(self._user, self._password)
                work(client, step)
                step[0] = _QUIT
                _quit(client, deadline)
                return banner
            except SourceError:
                raise
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                error = self._error(exc, step[0], limit, cutoff.fired)
                if not isinstance(exc, UnicodeError):  # which would quote the text it failed on
                    error.details = self._text(f"{type(exc).__name__}: {exc}", 400)
                # Not chained: the driver's exception stays out of logs and reports.
                raise error from None
            finally:
                client.close()

    def _error(self, exc: BaseException, step: str, limit: float, cut: bool) -> SourceError:
        where = self._where
        code = str(getattr(exc, "smtp_code", "") or "") or None
        # smtplib reports a read that timed out as a closed connection ("timed out").
        if cut or isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
            if step == _CONNECT:
                return SourceError(f"The mail server at {where} could not be reached within "
                                   f"{limit:g} s: check the address, the port and the firewall.",
                                   "timeout", kind=Fault.UNREACHABLE)
            if step == _DATA:
                return SourceError(f"The mail server at {where} did not confirm the message "
                                   f"within {limit:g} s: it may or may not have arrived.",
                                   "timeout", kind=Fault.TIMEOUT)
            return SourceError(f"The mail server at {where} did not answer in time ({limit:g} s, "
                               f"while {_DOING[step]}).", "timeout", kind=Fault.TIMEOUT)
        if isinstance(exc, UnicodeError) and step == _SIGN_IN:
            # smtplib sends the user name and password as ASCII; its error would quote them.
            return SourceError(f"The user name or password of the e-mail connection to {where} "
                               "holds letters outside plain ASCII, which SMTP sign-in cannot "
                               "send: use a password of plain letters, digits and signs.",
                               "auth", kind=Fault.SIGN_IN)
        if isinstance(exc, ssl.SSLCertVerificationError):
            reason = exc.verify_message or exc.reason or "not trusted"
            return SourceError(f"The certificate of the mail server at {where} is not trusted "
                               f"({reason}): give the plant CA's bundle file under \"Check the "
                               "server certificate\", or ask IT which certificate it uses.",
                               "tls", kind=Fault.UNREACHABLE)
        if isinstance(exc, ssl.SSLError):
            return SourceError(f"The TLS connection to the mail server at {where} failed "
                               f"({exc.reason or exc}): check that Security matches the port "
                               "(TLS from the start is usually 465, STARTTLS 587).", "tls",
                               kind=Fault.UNREACHABLE)
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return SourceError(f"The mail server at {where} refused the sign-in of "
                               f"{self._user} ({exc.smtp_code} {self._text(exc.smtp_error)}): "
                               "check the user name and the password.", code,
                               kind=Fault.SIGN_IN)
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            if step == _STARTTLS:
                return SourceError(f"The mail server at {where} does not offer STARTTLS: choose "
                                   "\"TLS from the start\" or, on a trusted network only, "
                                   "\"None\" as security.", "starttls", kind=Fault.SETUP)
            return SourceError(f"The mail server at {where} does not offer sign-in here: clear "
                               "the user name if it takes mail without one"
                               + (", or choose STARTTLS (many servers offer sign-in only "
                                  "after it)" if self._security == "none" else "") + ".",
                               "auth", kind=Fault.SETUP)
        if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionResetError
                      | BrokenPipeError | ConnectionAbortedError):
            if step in (_CONNECT, _GREETING):
                return SourceError(f"The server at {where} closed the connection without "
                                   "greeting as a mail server does: check the port, and that "
                                   "the server lets this computer send mail.", "closed",
                                   kind=Fault.UNREACHABLE)
            if step == _DATA:
                return SourceError(f"The mail server at {where} closed the connection before "
                                   "confirming the message: it may not have arrived.", "closed",
                                   kind=Fault.UNREACHABLE)
            return SourceError(f"The mail server at {where} closed the connection while "
                               f"{_DOING[step]}.", "closed", kind=Fault.UNREACHABLE)
        if isinstance(exc, smtplib.SMTPHeloError):
            return SourceError(f"The mail server at {where} refused the greeting (EHLO): "
                               f"{exc.smtp_code} {self._text(exc.smtp_error)}.", code,
                               kind=Fault.REFUSED)
        if isinstance(exc, smtplib.SMTPResponseException):
            if step == _SIGN_IN:
                return SourceError(f"The mail server at {where} refused the sign-in of "
                                   f"{self._user} ({exc.smtp_code} "
                                   f"{self._text(exc.smtp_error)}).", code, kind=Fault.SIGN_IN)
            return SourceError(f"The mail server at {where} answered {exc.smtp_code} "
                               f"{self._text(exc.smtp_error)} while {_DOING[step]}.", code,
                               kind=Fault.REFUSED)
        if isinstance(exc, smtplib.SMTPException):
            if step == _SIGN_IN:  # "No suitable authentication method found."
                return SourceError(f"The mail server at {where} offers no sign-in method this "
                                   "app knows (PLAIN, LOGIN or CRAM-MD5).", "auth",
                                   kind=Fault.SIGN_IN)
            return SourceError(f"The mail server at {where} failed while {_DOING[step]}: "
                               f"{self._text(str(exc))}.", code, kind=Fault.FAILED)
        if isinstance(exc, socket.gaierror):
            return SourceError(f"Unknown host name {self._host}: check the mail server's "
                               "address.", "dns", kind=Fault.UNREACHABLE)
        if isinstance(exc, ConnectionRefusedError):
            return SourceError(f"Cannot reach the mail server at {where}: server down, wrong "
                               "port or firewall.", "refused", kind=Fault.UNREACHABLE)
        if isinstance(exc, OSError):
            return SourceError(f"Cannot reach the mail server at {where}: "
                               f"{exc.strerror or exc}.", "network", kind=Fault.UNREACHABLE)
        return SourceError(f"The mail server at {where} failed while {_DOING[step]}: "
                           f"{self._text(str(exc))}.", kind=Fault.FAILED)

    def _wants_more(self, reply: bytes) -> SourceError:
        text = self._text(reply)
        if "starttls" in text.lower():
            return SourceError(f"The mail server at {self._where} takes mail only after "
                               f"STARTTLS (530 {text}): choose STARTTLS as security.", "530",
                               kind=Fault.SETUP)
        return SourceError(f"The mail server at {self._where} takes mail only after a sign-in "
                           f"(530 {text}): give the connection a user name and password.",
                           "530", kind=Fault.SIGN_IN)

    def _not_greeted(self, code: int, greeting: bytes) -> SourceError:
        if code == -1 or not 200 <= code < 600:
            return SourceError(f"The server at {self._where} is not a mail server (it did not "
                               "greet as SMTP servers do): check the port.", "not_smtp",
                               kind=Fault.UNREACHABLE)
        kind = Fault.BUSY if code == 421 else Fault.REFUSED
        return SourceError(f"The mail server at {self._where} refused the connection ({code} "
                           f"{self._text(greeting)}).", str(code), kind=kind)

    # -- settings -----------------------------------------------------------------------------

    def _limit(self, timeout: float | None) -> float:
        limit = min(float(timeout), self._timeout) if timeout else self._timeout
        return max(_MIN_WAIT_S, limit)

    def _sender(self) -> str:
        try:
            return check_address(self._sender_text)
        except AddressError as exc:
            raise SourceError(f"The e-mail connection's from address is not usable: "
                              f"{exc.message}", "config", kind=Fault.SETUP) from None

    def _tls_context(self) -> ssl.SSLContext:
        if self._verify is False:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        if isinstance(self._verify, str):
            try:
                return ssl.create_default_context(cafile=self._verify)
            except (OSError, ssl.SSLError) as exc:
                raise SourceError(f"The CA bundle file {self._verify} could not be read "
                                  f"({getattr(exc, 'strerror', None) or exc}).", "tls",
                                  kind=Fault.SETUP) from None
        return ssl.create_default_context()

    def _text(self, reply: bytes | str | None, limit: int = 200) -> str:
        """A server's reply as text for a sentence: one line, bounded, never the password."""
        if isinstance(reply, bytes):
            reply = reply.decode("utf-8", "replace")
        text = " ".join(str(reply or "").split())
        if self._password and self._password in text:
            text = text.replace(self._password, "•••")
        return text[:limit] + ("…" if len(text) > limit else "")


_DOING = {
    _CONNECT: "connecting", _GREETING: "waiting for its greeting", _HELLO: "saying EHLO",
    _STARTTLS: "starting TLS", _SIGN_IN: "signing in", _SENDER: "giving the from address",
    _RECIPIENT: "giving the recipient", _DATA: "sending the message", _QUIT: "saying QUIT",
}


class _Client(smtplib.SMTP):
    """smtplib's client whose socket the call's cutoff can always reach, TLS included."""

    def __init__(self, cutoff: Cutoff, implicit_tls: ssl.SSLContext | None,
                 timeout: float, step: list[str]) -> None:
        self._cutoff = cutoff
        self._step = step
        self._implicit_tls = implicit_tls
        # Named after connecting (_get_socket): smtplib's own default looks the name up in DNS,
        # which can wait for seconds outside any time limit.
        super().__init__(local_hostname="localhost", timeout=max(_MIN_WAIT_S, timeout))

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        self._host = host
        raw = socket.create_connection((host, port), timeout, self.source_address)
        self.sock = raw
        self.local_hostname = _hello_name(raw)
        # Evaluated at the deadline: the socket in use then, plain or TLS.
        self._cutoff.watch(lambda: shut(self.sock if self.sock is not None else raw))
        if self._implicit_tls is not None:
            self._step[0] = _STARTTLS
            self._wrap(self._implicit_tls)
        self._step[0] = _GREETING
        return self.sock

    def starttls_within(self, context: ssl.SSLContext | None) -> None:
        """STARTTLS as smtplib does it, with the handshake on a socket the cutoff can shut."""
        self.ehlo_or_helo_if_needed()
        if not self.has_extn("starttls"):
            raise smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server.")
        code, reply = self.docmd("STARTTLS")
        if code != 220:
            raise smtplib.SMTPResponseException(code, reply)
        self._wrap(context or ssl.create_default_context())
        self.file = None
        self.helo_resp = None
        self.ehlo_resp = None
        self.esmtp_features = {}
        self.does_esmtp = False

    def _wrap(self, context: ssl.SSLContext) -> None:
        wrapped = context.wrap_socket(self.sock, server_hostname=self._host,
                                      do_handshake_on_connect=False)
        self.sock = wrapped
        wrapped.do_handshake()


# How long QUIT is waited for: the work is done by then, and its answer changes nothing.
_QUIT_WAIT_S = 2.0


_HOST_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                        r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$")


def _hello_name(sock: socket.socket) -> str:
    """The name EHLO gives: the computer's full name when it has one a mail server accepts,
    else its address on this connection in brackets (as smtplib does, without asking DNS)."""
    name = socket.gethostname()
    if _HOST_NAME.match(name or ""):
        return name
    try:
        address = sock.getsockname()[0]
    except OSError:
        return "localhost"
    return f"[IPv6:{address}]" if ":" in address else f"[{address}]"


def _quit(client: _Client, deadline: float) -> None:
    try:
        if client.sock is not None:
            client.sock.settimeout(max(_MIN_WAIT_S, min(_QUIT_WAIT_S,
                                                        deadline - time.monotonic())))
        client.quit()
    except (smtplib.SMTPException, OSError):
        pass  # the work is done; a server that hangs up before answering QUIT changes nothing


def _message(sender: str, recipient: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = " ".join(_valid_text(subject).split())
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message.set_content(_valid_text(body))
    return message


def _valid_text(text: str) -> str:
    """Text that encodes as UTF-8 (a lone surrogate becomes U+FFFD)."""
    return str(text or "").encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _port(value: Any, default: int) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        return default
    return port if 0 < port < 65536 else default


def _positive(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def _ms_since(started: float) -> float:
    return (time.monotonic() - started) * 1000
