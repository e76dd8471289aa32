"""Contacts tab: who wrote to the bot, who may get data, approval in one click, tags, blocks.

Group chats are listed here too, marked as groups: a group is approved, blocked and tagged like
a person, because everyone in it reads what the bot posts there."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
)

from app.core.timefmt import local_text, parse_ts
from app.services import contacts, emails
from app.ui.dialogs.contact_dialog import ContactDialog, NewContactDialog
from app.ui.language import translate
from app.ui.tabs.alarms_model import SortedModel, fit_columns, sort_in_python
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column, RecordTableModel

GREEN, AMBER, RED, GREY = "#1b5e20", "#8a6d00", "#b00020", "#666666"
WAITING_BACKGROUND = "#fff3c4"


def contact_status(row: dict[str, Any]) -> str:
    if row["blocked"]:
        return translate("ContactsTab", "Blocked")
    if row["allowed"]:
        return translate("ContactsTab", "Allowed")
    if row["waiting"]:
        return translate("ContactsTab", "Waiting for approval")
    return translate("ContactsTab", "Not allowed")


def _status_color(row: dict[str, Any]) -> str | None:
    if row["blocked"]:
        return RED
    if row["allowed"]:
        return GREEN
    return AMBER if row["waiting"] else GREY


def _address(_value, row: dict[str, Any]) -> str:
    if row.get("kind") == "group":
        return translate("ContactsTab", "group {id}").format(id=row["id"])
    return row["phone"] or row["id"]


def _last(value, _row) -> str:
    return local_text(parse_ts(value))


def _name(value, row: dict[str, Any]) -> str:
    if row.get("kind") == "group":
        return translate("ContactsTab", "{name} (group)").format(name=value) if value \
            else translate("ContactsTab", "(group, no name yet)")
    return value or ""


COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name"), display=_name),
    Column("phone", QT_TRANSLATE_NOOP("Columns", "Phone / ID"), display=_address,
           tooltip=lambda r: r["id"]),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"),
           display=lambda _v, r: contact_status(r), color=_status_color),
    Column("tags", QT_TRANSLATE_NOOP("Columns", "Tags"),
           display=lambda v, _r: ", ".join(v or [])),
    Column("last_message_at",
        QT_TRANSLATE_NOOP("Columns", "Last message"), display=_last),
    Column("email", QT_TRANSLATE_NOOP("Columns", "E-mail")),
)

LAST_MESSAGE_COLUMN = 4


class ContactsTableModel(SortedModel):
    """Rows waiting for approval stand out: someone is asking for access right now. Sorted in
    Python (alarms_model.py): the proxy sorting 5,000 contacts held the window a second."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            row = self.row_at(index.row())
            if row is not None and row["waiting"]:
                return QBrush(QColor(WAITING_BACKGROUND))
        return super().data(index, role)


class ContactsTab(ListTab):
    columns = COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter by name, number or tag…")
    read_only_text = QT_TRANSLATE_NOOP(
        "ListTab", "Your role can look at contacts, not approve or change them.")
    topics = ("contacts",)
    refresh_while_hidden = False  # a busy bot touches contacts with every message
    # 5,000 contacts and their addresses take 0.4 s to read: off the loop when the window
    # builds the tab and after each message the bot answers.
    read_off_loop = True
    loading_text = QT_TRANSLATE_NOOP("ListTab", "Loading the contacts…")

    def make_model(self) -> RecordTableModel:
        return ContactsTableModel(self.columns, self)

    def make_buttons(self) -> None:
        sort_in_python(self.table)  # the table is built, its buttons not yet
        self._waiting = 0
        self._every: list[dict[str, Any]] | None = None  # the last read, before the box
        self.waiting_only = QCheckBox(self.tr("Waiting for approval only"))
        self.waiting_only.setObjectName("waiting_only")
        self.waiting_only.toggled.connect(self._filter_again)
        self.bar.addWidget(self.waiting_only)
        self.new_button = self.add_button(
            self.tr("New…"), self.new_contact, needs_row=False)
        self.approve_button = self.add_button(
            self.tr("Approve"), self.approve, rule=False)
        self.block_button = self.add_button(self.tr("Block"), self.toggle_block)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete)

    def read_rows(self) -> list[dict[str, Any]]:
        rows = [r for r in contacts.list_contacts() if r.get("kind") != "other"]
        addresses = emails.emails_of(r["id"] for r in rows)  # one read for the whole list
        return [dict(r, email=addresses.get(r["id"], "")) for r in rows]

    def rows_shown(self, read: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self._every = read
        self._waiting = sum(1 for r in read if r["waiting"])
        if self.waiting_only.isChecked():
            return [r for r in read if r["waiting"]]
        return read

    def _filter_again(self, *_args) -> None:
        """The box ticked or cleared: the last read filtered again, not read again."""
        if self._every is None:
            self.refresh()
        else:
            self._show_rows(self.rows_shown(self._every))

    def fit_columns(self) -> None:
        fit_columns(self.table.view, self.model)  # from the first rows, not every cell

    def shown(self, rows: list[dict[str, Any]]) -> None:
        # The contacts service does not give the time of the last message yet; an empty
        # column would look broken, so it shows only once the rows carry it.
        self.table.view.setColumnHidden(
            LAST_MESSAGE_COLUMN, not any(r.get("last_message_at") for r in rows))

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        if self._waiting:
            return self.tr(
                    "%n contact(s) or group(s) wait for approval. Select one and press "
                    "<b>Approve</b> to let them use the bot; an approved group gets "
                    "answers and alarms its tags allow.", "", self._waiting)
        if not rows:
            return self.tr(
                    "Nobody has written to the bot yet. People who do appear here, "
                    "waiting for approval; press <b>New…</b> to add someone ahead of "
                    "time.")
        return ""

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        # A group chat is approved like a person: everyone in it reads what is posted there.
        self.approve_button.setEnabled(self.writable() and row is not None
                                       and not row["allowed"] and not row["blocked"])
        self.block_button.setText(self.tr("Unblock") if row and row["blocked"]
                                  else self.tr("Block"))

    # -- actions ------------------------------------------------------------------------------
    def new_contact(self) -> None:
        if not self.writable():
            return
        dialog = NewContactDialog(parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.save_form(
            dialog,
            lambda values: emails.add_contact(self.ctx.actor, values["phone"], values["name"],
                                              values["tags"], values["email"]),
            lambda _values, saved: self.tr("{name} added and approved.").format(
                name=saved["display_name"]))

    def approve(self) -> None:
        row = self.selected()
        if row is not None:
            self.act(lambda: contacts.approve(self.ctx.actor, row["id"]),
                     (self.tr("The group {name} is approved: the bot answers there.")
                      if row.get("kind") == "group"
                      else self.tr("{name} may now use the bot.")).format(
                          name=row["display_name"]))

    def toggle_block(self) -> None:
        row = self.selected()
        if row is None:
            return
        blocked = not row["blocked"]
        group = row.get("kind") == "group"
        self.act(lambda: contacts.set_blocked(self.ctx.actor, row["id"], blocked),
                 ((self.tr("The group {name} is blocked: nothing is posted there.")
                   if group else self.tr("{name} is blocked: the bot ignores them."))
                  if blocked else self.tr("{name} is no longer blocked.")).format(
                      name=row["display_name"]))

    def edit(self) -> None:
        row = self.selected()
        if row is None or not self.writable():
            return
        dialog = ContactDialog(row, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.save_form(
            dialog,
            lambda values: emails.save_contact(self.ctx.actor, row["id"], values["name"],
                                               values["tags"], values["email"]),
            lambda values, _saved: self.tr("Contact {name} saved.").format(
                name=values["name"] or row["display_name"]))

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(
                self.tr("Delete contact"),
                (
                    self.tr(
                            "Delete the group {name}? If someone asks the bot there again, the "
                            "group waits for approval again; its messages stay in the log.")
                 if row.get("kind") == "group" else
                 self.tr(
                         "Delete {name}? If they write again they wait for approval again; "
                         "their messages stay in the log.")).format(name=row["display_name"]),
                lambda: contacts.delete(self.ctx.actor, row["id"]),
                self.tr("Contact {name} deleted.").format(name=row["display_name"]))
