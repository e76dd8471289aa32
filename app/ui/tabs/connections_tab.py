"""Connections tab: PI, MySQL, Oracle, demo and AI sources; forms, tests and their outcome."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from app.core.timefmt import local_text
from app.errors import describe
from app.runtime.source_tests import run_connection_test
from app.services import sources
from app.ui.dialogs.alarm_dialog import AlarmDialog
from app.ui.dialogs.query_dialog import QueryDialog
from app.ui.dialogs.source_dialog import SourceDialog
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.dialogs.trigger_dialog import TriggerDialog
from app.ui.language import translate
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column


def _status(_value, row: dict) -> str:
    if row["setup_missing"]:
        return translate("TriggersTab", "Finish setup")
    status = row["test_status"] or ""
    if status in _STATUS:
        return translate("ConnectionsTab", _STATUS[status])
    return translate("ConnectionsTab", "Not tested")


_STATUS = {"pending": QT_TRANSLATE_NOOP("ConnectionsTab", "Testing…"),
           "success": QT_TRANSLATE_NOOP("ConnectionsTab", "Connected"),
           "failed": QT_TRANSLATE_NOOP("ConnectionsTab", "Failed")}


def _status_color(row: dict) -> str | None:
    if row["setup_missing"] or row["test_status"] == "failed":
        return "#b00020"
    if row["test_status"] == "success":
        return "#1b5e20"
    if row["test_status"] == "pending":
        return "#8a6d00"
    return "#666666"


def _message(_value, row: dict) -> str:
    if row["setup_missing"]:
        return " ".join(row["setup_missing"])
    if row["test_status"] == "failed":
        return row["test_error_message"]
    return ""


def _where(_value, row: dict) -> str:
    config = row["config"]
    if row["plugin"] == "pi":
        api = "gateway" if config.get("api") == "gateway" else "PI Web API"
        return f"{config.get('base_url', '')} ({api})"
    if row["plugin"] in ("mysql", "oracle"):
        if config.get("dsn"):
            return config["dsn"]
        db = config.get("database") or config.get("service_name") or ""
        return f"{config.get('host', '')}:{config.get('port', '')}/{db}"
    if row["plugin"] == "email":
        return f"{config.get('host', '')}:{config.get('port', '')}"
    return config.get("base_url", "") or (
        translate("ConnectionsTab", "built in") if row["plugin"] == "demo" else "")


COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name")),
    Column("kind_label", QT_TRANSLATE_NOOP("Columns", "Kind"),
           display=lambda v, _r: translate("Labels", v)),
    Column("where", QT_TRANSLATE_NOOP("Columns", "Address"), display=_where),
    Column("active", QT_TRANSLATE_NOOP("Columns", "Active")),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"), display=_status,
           color=_status_color),
    Column("last_tested_at", QT_TRANSLATE_NOOP("Columns", "Last test"),
           display=lambda v, _r: local_text(v)),
    Column("message", QT_TRANSLATE_NOOP("Columns", "Message"), display=_message,
           tooltip=lambda r: _message(None, r) or None),
)


class ConnectionsTab(ListTab):
    columns = COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter connections…")
    read_only_text = QT_TRANSLATE_NOOP(
        "ListTab", "Your role can look at connections and test them, not change them.")
    topics = ("data_sources",)

    def make_buttons(self) -> None:
        self.new_button = self.add_button(self.tr("New connection…"), self.new, needs_row=False)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit)
        self.test_button = self.add_button(self.tr("Test"), self.test, rule=False)
        self.browse_button = self.add_button(self.tr("Browse tags…"), self.browse, rule=False)
        self.query_button = self.add_button(self.tr("Query…"), self.query, rule=False)
        self.switch_button = self.add_button(self.tr("Switch to PI Web API…"), self.switch,
                                             rule=False)
        self.active_button = self.add_button(self.tr("Deactivate"), self.toggle_active)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete)

    def load(self) -> list[dict]:
        return sources.list_sources()

    def hint_text(self, rows: list[dict]) -> str:
        if not rows:
            return self.tr("No connection yet. Press <b>New connection…</b> to add your PI "
                           "server or a database; the <b>Demo historian</b> kind works with no "
                           "network.")
        waiting = [r["name"] for r in rows if r["setup_missing"]]
        return translate("TriggersTab", "Finish the setup of: {names}").format(
            names=", ".join(waiting)) if waiting else ""

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        writable = self.writable()
        self.test_button.setEnabled(row is not None and not row["setup_missing"]
                                    and not self.ctx.runner.busy(f"test-{row['id']}"))
        ready = row is not None and row["active"] and not row["setup_missing"]
        self.browse_button.setVisible(row is not None and row["plugin"] in ("pi", "demo"))
        self.browse_button.setEnabled(ready)
        self.query_button.setVisible(row is not None and row["plugin"] in ("mysql", "oracle"))
        self.query_button.setEnabled(ready)
        is_gateway = row is not None and row["plugin"] == "pi" and \
            row["config"].get("api") == "gateway"
        self.switch_button.setVisible(is_gateway)
        self.switch_button.setEnabled(writable and is_gateway)
        self.active_button.setText(self.tr("Activate") if row and not row["active"]
                                   else self.tr("Deactivate"))

    # -- actions ------------------------------------------------------------------------------
    def new(self) -> None:
        self._open(SourceDialog(parent=self, ctx=self.ctx), None)

    def edit(self) -> None:
        row = self.selected()
        if row is not None and self.writable():
            self._open(SourceDialog(row, parent=self, ctx=self.ctx), row["id"])

    def browse(self) -> None:
        row = self.selected()
        if row is not None:
            dialog = TagBrowserDialog(self.ctx, row, parent=self)
            dialog.new_trigger.connect(lambda tags, r=row: self._new_trigger(r, tags, dialog))
            dialog.new_alarm.connect(lambda tag, r=row: self._new_alarm(r, tag, dialog))
            dialog.open()
            dialog.search()

    def _new_trigger(self, source: dict, tags: list[str], parent) -> None:
        """A new PI trigger on this connection with the tags picked in the tag browser."""
        start = {"type": "pi", "name": "", "active": True, "data_source_id": source["id"],
                 "config": {"tags": list(tags), "mode": "current"}, "setup_missing": []}
        form = TriggerDialog(self.ctx, start, parent=parent)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.trigger_saved.connect(lambda t: self.ctx.messages.info(
            self.tr("Trigger {name} saved; it answers now and is listed in Triggers.").format(
                name=t["name"])))
        form.open()

    def _new_alarm(self, source: dict, tag: str, parent) -> None:
        """A new alarm on the tag picked in the tag browser, on this connection."""
        start = {"name": "", "active": True, "kind": "pi", "data_source_id": source["id"],
                 "tag": tag, "trigger_id": None, "config": {}, "levels": [], "audience": []}
        form = AlarmDialog(self.ctx, start, parent=parent)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.alarm_saved.connect(lambda a: self.ctx.messages.info(
            self.tr("Alarm {name} saved; it is listed in Alarms.").format(name=a["name"])))
        form.open()

    def query(self) -> None:
        row = self.selected()
        if row is not None:
            QueryDialog(self.ctx, row, parent=self).open()

    def switch(self) -> None:
        row = self.selected()
        if row is None:
            return
        preset = {"api": "piwebapi", "base_url": "", "auth": "basic"}
        dialog = SourceDialog(row, preset=preset, parent=self, ctx=self.ctx)
        dialog.setWindowTitle(self.tr("Switch {name} to PI Web API").format(name=row["name"]))
        self._open(dialog, row["id"])

    def _open(self, dialog: SourceDialog, source_id: str | None) -> None:
        self.save_form(
            dialog,
            lambda values: sources.save_source(
                self.ctx.actor, source_id, name=values["name"], plugin=values["plugin"],
                active=values["active"], config=values["config"],
                new_secrets=values["secrets"]),
            lambda _values, saved: self.tr("Connection {name} saved.").format(
                name=saved["name"]))

    def test(self) -> None:
        row = self.selected()
        if row is None:
            return
        name = row["name"]
        self.ctx.messages.info(self.tr("Testing {name}…").format(name=name))

        def done(result) -> None:
            if result.ok:
                self.ctx.messages.info(f"{name}: {result.message}")
            else:
                self.ctx.messages.error(f"{name}: {result.message}"
                                        + (f" [{result.code}]" if result.code else ""))
            self.update_buttons()

        self.ctx.runner.run(run_connection_test(self.ctx.actor, row["id"]), done,
                            lambda exc: self.ctx.messages.error(f"{name}: {describe(exc)}"),
                            key=f"test-{row['id']}", control=self.test_button)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is not None:
            self.act(lambda: sources.set_active(self.ctx.actor, row["id"], not row["active"]))

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(
                self.tr("Delete connection"),
                self.tr("Delete the connection {name}? Triggers that use it stay, without "
                        "a connection, until you choose another one.").format(name=row["name"]),
                lambda: sources.delete_source(self.ctx.actor, row["id"]),
                lambda orphans: self.tr("Connection {name} deleted.").format(name=row["name"]) + (
                    " " + self.tr("%n trigger(s) now have no connection.", "", orphans)
                    if orphans else ""))
