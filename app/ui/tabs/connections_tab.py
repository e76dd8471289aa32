"""Connections tab: PI, MySQL, Oracle, demo and AI sources; forms, tests and their outcome."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.core import permissions
from app.core.timefmt import local_text
from app.errors import UserError, describe
from app.runtime.source_tests import run_connection_test
from app.services import sources
from app.ui.context import UiContext
from app.ui.dialogs.query_dialog import QueryDialog
from app.ui.dialogs.source_dialog import SourceDialog
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.widgets.common import FilterTable, button_bar, confirm, follow, notice
from app.ui.widgets.table_model import Column, RecordTableModel


def _status(_value, row: dict) -> str:
    if row["setup_missing"]:
        return "Finish setup"
    return {"pending": "Testing…", "success": "Connected", "failed": "Failed"}.get(
        row["test_status"] or "", "Not tested")


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
    return config.get("base_url", "") or ("built in" if row["plugin"] == "demo" else "")


COLUMNS = (
    Column("name", "Name"),
    Column("kind_label", "Kind"),
    Column("where", "Address", display=_where),
    Column("active", "Active"),
    Column("status", "Status", display=_status, color=_status_color),
    Column("last_tested_at", "Last test", display=lambda v, _r: local_text(v)),
    Column("message", "Message", display=_message, tooltip=lambda r: _message(None, r) or None),
)


class ConnectionsTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordTableModel(COLUMNS, self)
        self.table = FilterTable(self.model, "Filter connections…")
        self.table.view.doubleClicked.connect(lambda _i: self.edit())
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button = QPushButton("New connection…")
        self.edit_button = QPushButton("Edit…")
        self.test_button = QPushButton("Test")
        self.browse_button = QPushButton("Browse tags…")
        self.query_button = QPushButton("Query…")
        self.switch_button = QPushButton("Switch to PI Web API…")
        self.active_button = QPushButton("Deactivate")
        self.delete_button = QPushButton("Delete")
        bar = button_bar(
            (self.new_button, self.new),
            (self.edit_button, self.edit),
            (self.test_button, self.test),
            (self.browse_button, self.browse),
            (self.query_button, self.query),
            (self.switch_button, self.switch),
            (self.active_button, self.toggle_active),
            (self.delete_button, self.delete),
        )
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        if not ctx.can(permissions.CONFIG_WRITE):
            layout.addWidget(notice("Your role can look at connections and test them, "
                                    "not change them."))
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        follow(self, ("data_sources",), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.table.selected_row()
        rows = sources.list_sources()
        self.model.set_rows(rows)
        self.table.view.resizeColumnsToContents()
        if selected:
            self.table.select_where("id", selected["id"])
        if not rows:
            self.hint.setText("No connection yet. Press <b>New connection…</b> to add your PI "
                              "server or a database; the <b>Demo historian</b> kind works with "
                              "no network.")
        else:
            waiting = [r["name"] for r in rows if r["setup_missing"]]
            self.hint.setText(("Finish the setup of: " + ", ".join(waiting)) if waiting else "")
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can(permissions.CONFIG_WRITE)
        self.new_button.setEnabled(writable)
        for button in (self.edit_button, self.active_button, self.delete_button):
            button.setEnabled(writable and row is not None)
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
        self.active_button.setText("Activate" if row and not row["active"] else "Deactivate")

    # -- actions ------------------------------------------------------------------------------
    def new(self) -> None:
        self._open(SourceDialog(parent=self), None)

    def edit(self) -> None:
        row = self.table.selected_row()
        if row is not None and self.ctx.can(permissions.CONFIG_WRITE):
            self._open(SourceDialog(row, parent=self), row["id"])

    def browse(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            dialog = TagBrowserDialog(self.ctx, row, parent=self)
            dialog.open()
            dialog.search()

    def query(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            QueryDialog(self.ctx, row, parent=self).open()

    def switch(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        preset = {"api": "piwebapi", "base_url": "", "auth": "basic"}
        dialog = SourceDialog(row, preset=preset, parent=self)
        dialog.setWindowTitle(f"Switch {row['name']} to PI Web API")
        self._open(dialog, row["id"])

    def _open(self, dialog: SourceDialog, source_id: str | None) -> None:
        def save(values: dict) -> None:
            try:
                saved = sources.save_source(
                    self.ctx.actor, source_id, name=values["name"], plugin=values["plugin"],
                    active=values["active"], config=values["config"],
                    new_secrets=values["secrets"])
            except UserError as exc:
                dialog.fail(str(exc))
                return
            dialog.accept()
            self.ctx.messages.info(f"Connection {saved['name']} saved. Press Test to try it.")
            self.table.select_where("id", saved["id"])

        dialog.submitted.connect(save)
        dialog.open()

    def test(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        name = row["name"]
        self.ctx.messages.info(f"Testing {name}…")

        def done(result) -> None:
            if result.ok:
                self.ctx.messages.info(f"{name}: {result.message}")
            else:
                self.ctx.messages.error(f"{name}: {result.message}"
                                        + (f" [{result.code}]" if result.code else ""))
            self._update_buttons()

        self.ctx.runner.run(run_connection_test(self.ctx.actor, row["id"]), done,
                            lambda exc: self.ctx.messages.error(f"{name}: {describe(exc)}"),
                            key=f"test-{row['id']}", control=self.test_button)

    def toggle_active(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            sources.set_active(self.ctx.actor, row["id"], not row["active"])
        except UserError as exc:
            self.ctx.messages.error(exc)

    def delete(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            confirm(self, "Delete connection",
                    f"Delete the connection {row['name']}? Triggers that use it stay, without "
                    "a connection, until you choose another one.", lambda: self._delete(row))

    def _delete(self, row: dict) -> None:
        try:
            orphans = sources.delete_source(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        extra = f" {orphans} trigger(s) now have no connection." if orphans else ""
        self.ctx.messages.info(f"Connection {row['name']} deleted.{extra}")
