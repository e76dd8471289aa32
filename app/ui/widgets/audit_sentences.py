"""Audit entries as sentences: "budi approved contact Sari (+62 812-3456-7890)", "Someone tried
to log in as chief: wrong password". The stored action and details stay as they are (typed
columns, read by code); this is only how the Audit Log shows them, details one click away."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "AuditSentence"

# action → what the user did, "%1" standing for the thing it was done to. Kept for lupdate.
_DID: dict[str, str] = {
    "trigger_created": QT_TRANSLATE_NOOP("AuditSentence", "created trigger %1"),
    "trigger_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed trigger %1"),
    "trigger_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted trigger %1"),
    "trigger_enabled": QT_TRANSLATE_NOOP("AuditSentence", "switched on trigger %1"),
    "trigger_disabled": QT_TRANSLATE_NOOP("AuditSentence", "switched off trigger %1"),
    "group_created": QT_TRANSLATE_NOOP("AuditSentence", "created group %1"),
    "group_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed group %1"),
    "group_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted group %1"),
    "preset_created": QT_TRANSLATE_NOOP("AuditSentence", "created saved query %1"),
    "preset_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed saved query %1"),
    "preset_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted saved query %1"),
    "ai_trigger_created": QT_TRANSLATE_NOOP("AuditSentence", "created AI prefix %1"),
    "ai_trigger_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed AI prefix %1"),
    "ai_trigger_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted AI prefix %1"),
    "ai_trigger_enabled": QT_TRANSLATE_NOOP("AuditSentence", "switched on AI prefix %1"),
    "ai_trigger_disabled": QT_TRANSLATE_NOOP("AuditSentence", "switched off AI prefix %1"),
    "alarm_created": QT_TRANSLATE_NOOP("AuditSentence", "created alarm %1"),
    "alarm_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed alarm %1"),
    "alarm_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted alarm %1"),
    "alarm_enabled": QT_TRANSLATE_NOOP("AuditSentence", "switched on alarm %1"),
    "alarm_disabled": QT_TRANSLATE_NOOP("AuditSentence", "switched off alarm %1"),
    "alarm_acknowledged": QT_TRANSLATE_NOOP("AuditSentence", "acknowledged alarm %1"),
    "alarm_shelved": QT_TRANSLATE_NOOP("AuditSentence", "shelved alarm %1"),
    "alarm_unshelved": QT_TRANSLATE_NOOP("AuditSentence", "unshelved alarm %1"),
    "schedule_created": QT_TRANSLATE_NOOP("AuditSentence", "created schedule %1"),
    "schedule_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed schedule %1"),
    "schedule_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted schedule %1"),
    "schedule_enabled": QT_TRANSLATE_NOOP("AuditSentence", "switched on schedule %1"),
    "schedule_disabled": QT_TRANSLATE_NOOP("AuditSentence", "switched off schedule %1"),
    "connection_added": QT_TRANSLATE_NOOP("AuditSentence", "added connection %1"),
    "connection_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed connection %1"),
    "connection_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted connection %1"),
    "connection_tested": QT_TRANSLATE_NOOP("AuditSentence", "tested connection %1"),
    "contact_created": QT_TRANSLATE_NOOP("AuditSentence", "added contact %1"),
    "contact_approved": QT_TRANSLATE_NOOP("AuditSentence", "approved contact %1"),
    "contact_blocked": QT_TRANSLATE_NOOP("AuditSentence", "blocked contact %1"),
    "contact_unblocked": QT_TRANSLATE_NOOP("AuditSentence", "unblocked contact %1"),
    "contact_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed contact %1"),
    "contact_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted contact %1"),
    "contact_merged": QT_TRANSLATE_NOOP("AuditSentence", "merged two records of contact %1"),
    "user_created": QT_TRANSLATE_NOOP("AuditSentence", "created user %1"),
    "user_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed user %1"),
    "user_deleted": QT_TRANSLATE_NOOP("AuditSentence", "deleted user %1"),
    "user_enabled": QT_TRANSLATE_NOOP("AuditSentence", "switched on user %1"),
    "user_disabled": QT_TRANSLATE_NOOP("AuditSentence", "switched off user %1"),
    "password_changed": QT_TRANSLATE_NOOP("AuditSentence", "changed the password of %1"),
    "account_unlocked": QT_TRANSLATE_NOOP("AuditSentence", "unlocked the account of %1"),
    "message_sent": QT_TRANSLATE_NOOP("AuditSentence", "sent a message to %1"),
    "message_retried": QT_TRANSLATE_NOOP("AuditSentence", "sent a failed message to %1 again"),
    "message_cancelled": QT_TRANSLATE_NOOP("AuditSentence", "cancelled a message to %1"),
    "old_messages_released": QT_TRANSLATE_NOOP("AuditSentence",
                                                "let the old system's waiting messages go"),
    "old_messages_discarded": QT_TRANSLATE_NOOP("AuditSentence",
                                                "discarded the old system's waiting messages"),
    "settings_updated": QT_TRANSLATE_NOOP("AuditSentence", "changed settings: %1"),
    "login_success": QT_TRANSLATE_NOOP("AuditSentence", "logged in"),
    "logout": QT_TRANSLATE_NOOP("AuditSentence", "logged out"),
    "session_expired": QT_TRANSLATE_NOOP("AuditSentence", "was logged out: the session ended"),
    "config_imported": QT_TRANSLATE_NOOP("AuditSentence", "imported a configuration file"),
}
# Entries with nobody logged in: the whole sentence.
_HAPPENED: dict[str, str] = {
    "login_failed": QT_TRANSLATE_NOOP("AuditSentence", "Someone tried to log in as %1: %2"),
    "account_locked": QT_TRANSLATE_NOOP("AuditSentence",
                                        "The account of %1 was locked after %2 failed log-ins"),
}


# Why a log-in was refused, as stored (the log-in itself says one sentence for all of them).
_REASONS: dict[str, str] = {
    "invalid_credentials": QT_TRANSLATE_NOOP("AuditSentence", "wrong name or password"),
    "account_locked": QT_TRANSLATE_NOOP("AuditSentence", "the account is locked"),
    "account_disabled": QT_TRANSLATE_NOOP("AuditSentence", "the account is switched off"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def details_of(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        parsed = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _thing(details: dict[str, Any], recipient_label) -> str:
    """What the entry is about, as people know it."""
    if details.get("username") and not details.get("name"):
        return str(details["username"])
    if details.get("prefix"):
        name = details.get("name")
        return f"{details['prefix']}" + (f" ({name})" if name else "")
    if details.get("alarm"):
        number = details.get("number")
        return str(details["alarm"]) + (f" (#{number})" if number else "")
    if "contact_id" in details:
        name = str(details.get("name") or "")
        number = recipient_label(str(details.get("phone") or details["contact_id"]))
        return f"{name} ({number})" if name and number and name not in number else \
            (number or name)
    if details.get("to"):
        return recipient_label(str(details["to"]))
    if details.get("recipient"):
        return recipient_label(str(details["recipient"]))
    if isinstance(details.get("changes"), dict) and not details.get("name"):
        return ", ".join(sorted(details["changes"]))
    return str(details.get("name") or "")


def sentence(action: str, who: str, raw_details: Any, recipient_label=lambda r: r) -> str:
    """The entry as a sentence in the window's language; the action itself when unknown."""
    details = details_of(raw_details)
    if action in _HAPPENED:
        text = _t(_HAPPENED[action])
        first = str(details.get("username") or "?")
        reason = str(details.get("reason") or "")
        second = _t(_REASONS[reason]) if reason in _REASONS else \
            reason.replace("_", " ") or str(details.get("failed_logins") or "")
        return text.replace("%1", first).replace("%2", second).rstrip(": ")
    did = _DID.get(action)
    if did is None:
        return f"{who}: {action.replace('_', ' ')}"
    thing = _thing(details, recipient_label)
    return f"{who} " + _t(did).replace("%1", thing or "?")
