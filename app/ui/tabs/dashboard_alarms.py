"""The Dashboard's alarm box and the bot's health line: their sentences, and the one read of
everything the Dashboard's numbers show, made on a worker thread (app/ui/off_loop.py).

Apart from app/ui/tabs/dashboard_tab.py, which lays the page out, to keep each module short.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject

from app.core.timefmt import local_text, utc_now
from app.services import alarm_views, messages, schedules, session_health
from app.ui.language import translate


class DashboardWords(QObject):
    """The Dashboard's sentences with a count, in Qt's plural forms."""

    def in_memory(self, n: int) -> str:
        return self.tr(
                "%n message(s) wait in memory and will be recorded and answered when "
                "the database can be written again.", "", n)

    def open_alarms(self, n: int) -> str:
        return self.tr("%n open alarm(s)", "", n)

    def not_acknowledged(self, n: int) -> str:
        return self.tr(", %n not acknowledged", "", n)

    def told_late(self, n: int) -> str:
        return self.tr("; %n told late (the bot was offline)", "", n)

    def waiting(self, n: int) -> str:
        return self.tr(
                "%n alarm message(s) wait for WhatsApp; they are sent, marked late, "
                "when it reconnects.", "", n)

    def failed(self, n: int) -> str:
        return self.tr(
                "%n alarm message(s) were not sent in the last 24 hours; the Messages "
                "tab's outbox says why.", "", n)


_words: DashboardWords | None = None


def words() -> DashboardWords:
    global _words
    if _words is None:
        _words = DashboardWords()
    return _words


def alarm_summary(flags: dict[str, Any]) -> str:
    """"2 open alarms, 1 not acknowledged" for the Dashboard's Alarms box."""
    opened, unacked = flags["open"], flags["unacknowledged"]
    if not opened:
        return translate("DashboardTab", "No open alarm.")
    text = words().open_alarms(opened)
    if unacked:
        text += words().not_acknowledged(unacked)
    else:
        text += translate("DashboardTab", ", all acknowledged or shelved")
    if flags["late"]:
        text += words().told_late(flags["late"])
    return text + "."


def alarm_flags(flags: dict[str, Any]) -> list[str]:
    """A plain sentence for each thing about alarms that needs the engineer."""
    out = []
    waiting, failed = flags["waiting"], flags["failed"]
    if waiting:
        out.append(words().waiting(waiting))
    if failed:
        out.append(words().failed(failed))
    if flags["unreadable"]:
        out.append(
            translate("DashboardTab", "These alarms cannot read their data: {names} "
                                      "(the Alarms tab shows the error).").format(
                                 names=", ".join(flags["unreadable"])))
    return out


def nobody_words(alarm_names: list[str], schedule_names: list[str]) -> str:
    """The red line naming the alarms and schedules nobody can be told of ("" when none)."""
    names = alarm_names + [translate("DashboardTab", "schedule {name}").format(name=n)
                           for n in schedule_names]
    if not names:
        return ""
    return translate("DashboardTab", "Nobody can be told: {names}. Their recipients are "
                     "blocked, not approved or no longer in Contacts (the Alarms and "
                     "Schedules tabs say who and why).").format(names=", ".join(names))


# -- the bot's health alarm (app/runtime/health.py keeps it, app/services/session_health.py
# -- stores it): the sentence the Dashboard shows while it is raised --------------------------
_DOWN = {"logged_out": QT_TRANSLATE_NOOP("DashboardTab",
                                          "The WhatsApp session has been logged out since "
                                          "{since}"),
         "banned": QT_TRANSLATE_NOOP("DashboardTab",
                                     "The WhatsApp session has been banned since {since}"),
         "disconnected": QT_TRANSLATE_NOOP("DashboardTab", "The WhatsApp session has been "
                                           "disconnected since {since}")}


def _clock(moment: datetime) -> str:
    same_day = moment.astimezone().date() == utc_now().astimezone().date()
    return local_text(moment, with_date=not same_day)


def health_words(health: session_health.Health, addresses: int) -> str:
    """"The WhatsApp session has been logged out since 03:10; the administrators were told by
    e-mail at 03:20", or "" while the session is well. `addresses`: how many administrators
    have an e-mail address."""
    if health.down_since is None:
        return ""
    down = translate("DashboardTab", _DOWN.get(health.down_state or "", _DOWN["disconnected"]))
    text = down.format(since=_clock(health.down_since))
    if health.told_down_at is None:
        return text + translate("DashboardTab", "; the administrators are not told yet.")
    if not addresses:
        return text + translate("DashboardTab", "; no administrator has an e-mail address "
                                "to be told at (Users tab).")
    return text + translate("DashboardTab", "; the administrators were told by e-mail at "
                            "{time}.").format(time=_clock(health.told_down_at))


def read_numbers(last_errors) -> dict[str, Any]:
    """Everything the Dashboard's numbers, its Alarms box and its health line show, read on a
    worker thread (services and sentences only, no widget)."""
    health = session_health.get()
    return {"counts": messages.today_counts(), "errors": last_errors(10),
            "activity": messages.recent_activity(30, channel="whatsapp"),
            "flags": alarm_views.dashboard_flags(),
            "nobody_schedules": [s["name"] for s in schedules.list_schedules() if s["nobody"]],
            "health": health_words(health, len(session_health.admin_addresses())
                                   if health.down_since is not None else 0)}
