"""The move from the old system in one window: what came over, and each thing that needs a
person, with the button that does it (app/services/migration_summary.py gathers it)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.core.timefmt import local_text
from app.errors import UserError
from app.services import migration_summary, people, triggers
from app.ui.context import UiContext
from app.ui.dialogs.form import scrolled
from app.ui.dialogs.trigger_dialog import TriggerDialog

ID_ROLE = Qt.ItemDataRole.UserRole


def _section(title: str) -> QLabel:
    label = QLabel(f"<h3>{html.escape(title)}</h3>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MigrationSummaryDialog(QDialog):
    """Opened after the first log-in on a database from the old system, while old messages
    wait for a decision, and from Help → Move from the old system."""

    changed = Signal()

    def __init__(self, ctx: UiContext, backup_notice: str = "", parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backup_notice = backup_notice
        self.setObjectName("migration_summary")
        self.setWindowTitle(self.tr("Move from the old system"))
        self.resize(900, 640)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(self.body), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.fill()

    # -- contents -----------------------------------------------------------------------------
    def fill(self) -> None:
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        found = migration_summary.summary()
        self.found = found
        add = self.body_layout.addWidget
        if found.empty:
            add(_text(self.tr("Nothing from the old system needs your attention.")))
        names = {"connections": self.tr("connections"), "triggers": self.tr("triggers"),
                 "groups": self.tr("groups"), "saved queries": self.tr("saved queries"),
                 "AI prefixes": self.tr("AI prefixes"), "contacts": self.tr("contacts"),
                 "users": self.tr("users"), "messages received": self.tr("messages received"),
                 "messages sent or waiting": self.tr("messages sent or waiting")}
        counts = ", ".join(f"{n} {names.get(what, what)}" for what, n in found.came_over.items()
                           if n)
        add(_section(self.tr("What came over")))
        add(_text(self.tr("Every row of the old database was kept: %1.").replace("%1", counts)))
        if self.backup_notice:
            add(_text(self.backup_notice))

        self.held_box = None
        if found.held:
            add(_section(self.tr("Messages the old system had not sent yet")))
            lines = "".join(
                f"<li>{html.escape(people.label(h.recipient))} — {html.escape(h.text[:120])}"
                f" <i>({html.escape(local_text(h.queued_at))})</i></li>" for h in found.held)
            add(_text(self.tr("They are held: nothing goes out until you choose.")
                      + f"<ul>{lines}</ul>"))
            row = QHBoxLayout()
            self.send_button = QPushButton(self.tr("Send them now"))
            self.send_button.setObjectName("send_held")
            self.discard_button = QPushButton(self.tr("Discard them"))
            self.discard_button.setObjectName("discard_held")
            writable = self.ctx.can(permissions.MESSAGES_SEND)
            for button, slot in ((self.send_button, self._send_held),
                                 (self.discard_button, self._discard_held)):
                button.setEnabled(writable)
                button.clicked.connect(slot)
                row.addWidget(button)
            row.addStretch(1)
            holder = QWidget()
            holder.setLayout(row)
            add(holder)
            self.held_box = holder

        if found.to_finish or found.sources_to_finish:
            add(_section(self.tr("Needs you before it can answer")))
        self.finish_list = None
        if found.to_finish:
            self.finish_list = QListWidget()
            self.finish_list.setObjectName("to_finish")
            self.finish_list.setWordWrap(True)
            self.finish_list.setHorizontalScrollBarPolicy(
                Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            for item in found.to_finish:
                old = item.old
                what = self.tr("old address") if old.is_address else self.tr("old query")
                facts = [f"{what}: {old.query}" if old.query else self.tr("no old query")]
                facts += [f"{label}: {value}" for label, value in (
                    (self.tr("tag"), old.tag), (self.tr("interval"), old.interval),
                    (self.tr("from"), old.start), (self.tr("to"), old.end)) if value]
                if item.suggested_source:
                    facts.append(self.tr("suggested connection: %1").replace(
                        "%1", item.suggested_source))
                entry = QListWidgetItem(f"{item.name} — " + " ".join(item.why) + "\n    "
                                        + "; ".join(facts))
                entry.setData(ID_ROLE, item.trigger_id)
                self.finish_list.addItem(entry)
            self.finish_list.setMinimumHeight(min(60 + 44 * len(found.to_finish), 260))
            self.finish_list.itemDoubleClicked.connect(lambda _i: self.open_selected())
            add(self.finish_list)
            self.open_button = QPushButton(self.tr("Finish in the trigger editor…"))
            self.open_button.setObjectName("open_trigger")
            self.open_button.clicked.connect(self.open_selected)
            self.open_button.setEnabled(self.ctx.can(permissions.CONFIG_WRITE))
            add(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        for _source_id, name, missing in found.sources_to_finish:
            add(_text(f"<b>{html.escape(name)}</b> — " + html.escape(" ".join(missing))
                      + " " + self.tr("(Connections tab)")))

        if found.untested:
            add(_section(self.tr("Connections not yet tested here")))
            lines = "".join(f"<li><b>{html.escape(u.name)}</b>: {self._old_test(u)}</li>"
                            for u in found.untested)
            add(_text(self.tr("What the old system last said is kept for reference; press Test "
                              "in Connections to check each from this computer.")
                      + f"<ul>{lines}</ul>"))
        if found.composites:
            add(_section(self.tr("Composite triggers became groups")))
            lines = "".join(
                f"<li>{html.escape(c.old_trigger)} → {self.tr('group')} "
                f"<b>{html.escape(c.group)}</b></li>" for c in found.composites)
            add(_text(self.tr("A composite answered with several triggers one after another; "
                              "a group does that here. The old row is kept, switched off, for "
                              "its history, and the group answers its keyword.")
                      + f"<ul>{lines}</ul>"))
        if found.to_review:
            add(_section(self.tr("Converted: worth a look")))
            lines = "".join(f"<li><b>{html.escape(r.name)}</b>: "
                            f"{html.escape(' '.join(r.notes))}</li>" for r in found.to_review)
            add(_text(f"<ul>{lines}</ul>"))
        self.body_layout.addStretch(1)

    def _old_test(self, source) -> str:
        status = {"success": self.tr("connected"), "connected": self.tr("connected"),
                  "failed": self.tr("failed"), "error": self.tr("failed"),
                  "pending": self.tr("still testing")}.get(source.old_status,
                                                          source.old_status or "?")
        if source.old_tested_at is None:
            return self.tr("the old system said “%1”").replace("%1", html.escape(status))
        return self.tr("the old system said “%1” on %2").replace(
            "%1", html.escape(status)).replace("%2", html.escape(local_text(source.old_tested_at)))

    # -- actions ------------------------------------------------------------------------------
    def _send_held(self) -> None:
        self._act(lambda: migration_summary.send_held(self.ctx.actor),
                  self.tr("%1 old message(s) will be sent when WhatsApp is connected."))

    def _discard_held(self) -> None:
        self._act(lambda: migration_summary.discard_held(self.ctx.actor),
                  self.tr("%1 old message(s) discarded; they stay listed in Messages."))

    def _act(self, action, done: str) -> None:
        try:
            count = action()
        except UserError as exc:
            self.ctx.messages.error(str(exc))
            return
        self.ctx.messages.info(done.replace("%1", str(count)))
        self.fill()
        self.changed.emit()

    def open_selected(self) -> None:
        if self.finish_list is None:
            return
        item = self.finish_list.currentItem() or self.finish_list.item(0)
        if item is None:
            return
        trigger_id = item.data(ID_ROLE)
        trigger = triggers.get_trigger(trigger_id)
        proposal = migration_summary.finish_proposal(trigger_id)
        if proposal is not None:  # filled in as the migration would have, with that connection
            trigger = {**trigger, "type": proposal["kind"], "active": True,
                       "data_source_id": proposal["data_source_id"],
                       "config": {**trigger["config"], **proposal["config"]},
                       "setup_missing": [self.tr(
                           "Filled in from the old trigger's settings, with the connection "
                           "%1: check them, then save.").replace("%1", proposal["data_source"])]}
        dialog = TriggerDialog(self.ctx, trigger, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.trigger_saved.connect(lambda _row: self.fill())
        dialog.open()
        self.trigger_dialog = dialog
