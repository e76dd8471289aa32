"""PI's side of the shared HTTP helper (app.sources.http): sign-in, retries, its wording."""

from __future__ import annotations

from typing import Any

import requests

from app.sources.base import Fault, SourceError
from app.sources.http import HttpClient, RetryRule, Wording, retry_pause
from app.sources.pi.settings import GATEWAY_WORKERS, file_exists
from app.sources.pi.status import body_or_none, error_text, status_sentence

MAX_RETRIES = 4  # for 429 and 503 only, and never past the call's deadline


def _retry_rule() -> RetryRule:
    attempt = 0

    def pause(response: requests.Response) -> float | None:
        nonlocal attempt
        if response.status_code not in (429, 503) or attempt >= MAX_RETRIES:
            return None
        seconds = retry_pause(response, attempt)
        attempt += 1
        return seconds

    return pause


class PiHttp(HttpClient):
    """One session per PI source: PI Web API with its sign-in, or the gateway without one."""

    def __init__(self, base: str, service: str, auth: str, username: str, password: str,
                 token: str, verify: bool | str, timeout_s: float) -> None:
        wording = Wording(service, service, "source settings", "https://pi-server/piwebapi",
                          verification_setting=True, network_hints=True)
        super().__init__(base, wording, timeout_s=timeout_s, verify=verify, pool_connections=2,
                         pool_size=GATEWAY_WORKERS * 2, retries=_retry_rule)
        self.auth = auth
        self.username = username
        self._password = password
        self._token = token

    def configure(self, session: requests.Session) -> None:
        if isinstance(self.verify, str) and not file_exists(self.verify):
            raise SourceError(f"The CA bundle file '{self.verify}' does not exist: fix the path "
                              "or turn off certificate verification.", code="config",
                              kind=Fault.SETUP)
        auth = self._auth_object()
        if self.auth == "bearer":
            session.headers["Authorization"] = f"Bearer {self._token}"
        elif auth is not None:
            session.auth = auth

    def _auth_object(self) -> Any:
        if self.auth == "anonymous":
            return None
        if self.auth == "bearer":
            if not self._token:
                raise SourceError("No access token is stored for this PI Web API source: enter "
                                  "one in the source settings.", code="config", kind=Fault.SETUP)
            return None
        if self.auth == "kerberos":
            try:
                from requests_kerberos import OPTIONAL, HTTPKerberosAuth
            except ImportError as exc:
                raise SourceError("Kerberos sign-in needs an optional package: run "
                                  "pip install wa-integration[kerberos].",
                                  code="ImportError", kind=Fault.SETUP) from exc
            return HTTPKerberosAuth(mutual_authentication=OPTIONAL)
        if not self.username:
            raise SourceError(f"{self.auth.upper() if self.auth == 'ntlm' else 'Basic'} sign-in "
                              "needs a user name: enter it in the source settings.",
                              code="config", kind=Fault.SETUP)
        if not self._password:
            raise SourceError(f"No password is stored for PI Web API user '{self.username}': "
                              "enter it in the source settings.", code="config", kind=Fault.SETUP)
        if self.auth == "ntlm":
            try:
                from requests_ntlm import HttpNtlmAuth
            except ImportError as exc:
                raise SourceError("NTLM sign-in needs an optional package: run "
                                  "pip install wa-integration[ntlm].", code="ImportError",
                                  kind=Fault.SETUP) from exc
            return HttpNtlmAuth(self.username, self._password)
        return requests.auth.HTTPBasicAuth(self.username, self._password)

    def status_error(self, response: requests.Response, subject: str = "") -> SourceError:
        return status_sentence(self.service, self.auth, response.status_code,
                               error_text(body_or_none(response)), subject)
