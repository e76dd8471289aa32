"""The sentences a plant engineer reads when PI answers with an error."""

from __future__ import annotations

from typing import Any

import requests

from app.sources.base import Fault, SourceError


def status_sentence(service: str, auth: str, status: int, detail: str = "",
                    subject: str = "") -> SourceError:
    """One sentence per HTTP failure status; `subject` is the tag the request was about."""
    code = str(status)
    about = f" '{subject}'" if subject else ""
    tail = f": {detail}" if detail else "."
    if status == 401:
        sentence = {
            "bearer": f"{service} refused the access token; it may have expired, so enter a "
                      "new one.",
            "kerberos": f"{service} refused the Kerberos sign-in: check the ticket (kinit) and "
                        "address the server by its DNS name.",
            "anonymous": f"{service} asks for a sign-in: choose basic, Kerberos or bearer in "
                         "the source settings.",
        }.get(auth, f"Wrong user name or password for {service}.")
        return SourceError(sentence, code=code, kind=Fault.SIGN_IN)
    if status == 403:
        return SourceError(f"{service} refused access{' to' + about if about else ''}: the "
                           f"account has no permission{tail}", code=code,
                           kind=Fault.REFUSED)
    if status == 404:
        if subject:
            return SourceError(f"Unknown PI tag{about}.", code=code, kind=Fault.NO_DATA)
        return SourceError(f"{service} has no such address: check that the base URL ends in "
                           "/piwebapi.", code=code, kind=Fault.SETUP)
    if status == 413:
        return SourceError(f"The request was too large for {service}: ask for fewer tags at "
                           "once.", code=code, kind=Fault.REFUSED)
    if status == 429:
        return SourceError(f"{service} is limiting requests from this workstation: try again in "
                           "a minute.", code=code, kind=Fault.BUSY)
    if status == 503:
        return SourceError(f"{service} is unavailable (it may be restarting): try again in a "
                           "minute.", code=code, kind=Fault.BUSY)
    if status >= 500:
        return SourceError(f"{service} had an internal error{tail}", code=code)
    if status == 400:
        return SourceError(f"{service} rejected the request{tail}", code=code,
                           kind=Fault.REFUSED)
    return SourceError(f"{service} answered with an error{tail}", code=code)


def value_error_sentence(tag: str, errors: str) -> str:
    if "not found" in errors.lower():
        return f"Unknown PI tag '{tag}'."
    return f"PI could not read '{tag}': {errors}"


ERROR_FIELDS = frozenset(("Errors", "WebException", "Message"))  # what error_text reads


def error_text(body: Any) -> str:
    """The messages of PI's `Errors` (strings or per-field objects) or `WebException`, joined."""
    if isinstance(body, str):
        return body.strip()[:300]
    if not isinstance(body, dict) or not body.keys() & ERROR_FIELDS:
        return ""  # most of PI's values carry none of these: nothing to join
    messages: list[str] = []
    for entry in body.get("Errors") or []:
        if isinstance(entry, dict):
            found = entry.get("Message") or []
            messages.extend(str(m) for m in (found if isinstance(found, list) else [found]))
        else:
            messages.append(str(entry))
    exception = body.get("WebException")
    if isinstance(exception, dict):
        messages.extend(str(m) for m in exception.get("Errors") or [])
    if body.get("Message") and not messages:
        messages.append(str(body["Message"]))
    unique = list(dict.fromkeys(m.strip() for m in messages if m and m.strip()))
    return " ".join(unique)[:300]


def body_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def raise_web_exception(body: Any) -> None:
    # A WebException means the server failed after it had already answered 200.
    if isinstance(body, dict) and isinstance(body.get("WebException"), dict):
        exception = body["WebException"]
        status = exception.get("StatusCode") or 500
        detail = error_text({"Errors": exception.get("Errors") or []})
        ending = f": {detail}" if detail else "."
        raise SourceError(f"PI Web API failed while sending the answer{ending}", code=str(status))
