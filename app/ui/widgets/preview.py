"""The reply preview: arguments, a Run preview button, and the reply exactly as WhatsApp gets it.

Used by the Triggers and Groups tabs, the trigger, group and schedule forms."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.runtime.answers import reply_context, whatsapp_messages
from app.runtime.trigger_runner import Answer, RunContext
from app.ui.context import UiContext
from app.ui.widgets.common import fixed_font

CHART_WIDTH = 560


def run_context(ctx: UiContext) -> RunContext:
    """Language and time zone exactly as the bot answers with them."""
    return reply_context(preview=True)


def split_args(text: str) -> list[str]:
    return text.split()


def reply_messages(answer: Answer, lang: str) -> list[tuple[str, bytes | None]]:
    """The messages WhatsApp would receive, split as the pipeline splits them."""
    return whatsapp_messages(answer, lang)


class ChartArea(QScrollArea):
    """Scrolls charts vertically only; tells its owner when its width changes."""

    def __init__(self, resized: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self._resized = resized
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._resized()


class ReplyPreview(QWidget):
    """The exact reply text in a monospace box, and each chart image under it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.button_name = "Run preview"
        self.status = QLabel(self.hint())
        self.status.setObjectName("preview_status")
        self.status.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("reply")
        self.text.setReadOnly(True)
        self.text.setFont(fixed_font())
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.charts = QWidget()
        self.charts_layout = QVBoxLayout(self.charts)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_labels: list[QLabel] = []
        self._originals: dict[QLabel, QPixmap] = {}
        self.charts_area = ChartArea(self._scale_charts)
        self.charts_area.setWidget(self.charts)
        self.charts_area.hide()
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.text)
        self.split.addWidget(self.charts_area)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.split, 1)
        self._task: asyncio.Task | None = None

    def hint(self) -> str:
        return (f"Press <b>{self.button_name}</b> to see the reply exactly as WhatsApp "
                "receives it.")

    def clear(self, status: str | None = None) -> None:
        self.text.clear()
        for label in self.chart_labels:
            label.deleteLater()
        self.chart_labels = []
        self._originals = {}
        self.charts_area.hide()
        self._set_status(self.hint() if status is None else status)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)

    def show_answer(self, answer: Answer, lang: str, elapsed_s: float) -> None:
        self.clear()
        messages = reply_messages(answer, lang)
        if len(messages) == 1:
            self.text.setPlainText(messages[0][0])
        else:
            blocks = []
            for number, (text, image) in enumerate(messages, 1):
                what = "image with this caption" if image else "text"
                blocks.append(f"── message {number} of {len(messages)} ({what}) ──\n{text}")
            self.text.setPlainText("\n\n".join(blocks))
        for _text, image in messages:
            if image:
                self._add_chart(image)
        if self.chart_labels:
            # The text gets the room its lines need; the charts get the rest.
            lines = self.text.document().blockCount()
            wanted = lines * self.text.fontMetrics().lineSpacing() + 16
            total = sum(self.split.sizes()) or self.split.height()
            text_height = max(60, min(wanted, total // 2))
            self.split.setSizes([text_height, max(1, total - text_height)])
        charts = sum(1 for _t, image in messages if image)
        count = f"{len(messages)} message" + ("s" if len(messages) != 1 else "")
        if charts and len(messages) == 1:
            extra = ", with a chart"
        else:
            extra = f", {charts} of them with a chart" if charts else ""
        if answer.ok:
            self._set_status(f"The bot would answer in {elapsed_s:.1f} s with {count}{extra}.")
        else:
            # The sender hears a short sentence with no address in it; the engineer here
            # sees the whole reason too, as the Messages tab keeps it.
            reason = f" Why: {answer.detail}" if answer.detail else ""
            self._set_status(f"The bot would answer with an error ({count}{extra}); see the "
                             f"text below.{reason}", error=True)

    def _add_chart(self, png: bytes) -> None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(png, "PNG"):
            self._set_status("The chart image could not be read.", error=True)
            return
        label = QLabel()
        label.setObjectName("chart")
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        label.setToolTip(f"The image WhatsApp receives ({pixmap.width()} × {pixmap.height()} "
                         "pixels), shown smaller.")
        self.charts_layout.addWidget(label)
        self.chart_labels.append(label)
        self._originals[label] = pixmap
        self.charts_area.show()
        self._scale_charts()

    def _scale_charts(self) -> None:
        # The full-size PNG is kept; what is shown fits the pane's width, up to CHART_WIDTH.
        # The scroll bar's width is always set aside, so its appearing cannot start a loop.
        area = self.charts_area
        room = area.width() - area.verticalScrollBar().sizeHint().width() - 2 * area.frameWidth()
        width = max(160, min(CHART_WIDTH, room - 4))
        for label, pixmap in self._originals.items():
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)

    def run(self, ctx: UiContext, coro: Awaitable[Answer], lang: str, key: str,
            control: QWidget | None = None, form=None) -> None:
        """Run through the app's runner, or through `form.run_async` inside a form (which
        cancels the run when the form closes)."""
        self.clear("Running…")
        started = time.perf_counter()

        def done(answer: Answer) -> None:
            self.show_answer(answer, lang, time.perf_counter() - started)

        def failed(exc: BaseException) -> None:
            self._set_status(describe(exc), error=True)

        if form is not None:
            self._task = form.run_async(key, coro, done, failed, control)
        else:
            self._task = ctx.runner.run(coro, done, failed, key=key, control=control)

    def cancel(self) -> None:
        """Stops a preview still running, so its result never reaches a closed window."""
        if self._task is not None and not self._task.done():
            self._task.cancel()


class PreviewPane(QWidget):
    """Arguments, a Run preview button and the reply; `build` makes the run (or says why not).

    Inside a form, pass the form: its runs then go through the form's `run_async`."""

    def __init__(self, ctx: UiContext, key: str,
                 build: Callable[[list[str], RunContext], Awaitable[Answer] | None],
                 parent=None, form=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = form
        self.name = key
        self.key = key if form is None else f"{key}-{id(form)}"
        self.build = build
        self.title = QLabel("<b>Preview</b>")
        self.title.setObjectName("preview_title")
        self.args = QLineEdit()
        self.args.setObjectName("args")
        self.args.setPlaceholderText("Words after the keyword, e.g. B2 t-1d")
        self.run_button = QPushButton("Run preview")
        self.run_button.setObjectName("run_preview")
        self.run_button.clicked.connect(self.run)
        self.args.returnPressed.connect(self.run)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("stop_preview")
        self.stop_button.setToolTip("Stop waiting for this preview (a slow server, say).")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.reply = ReplyPreview()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Arguments"))
        bar.addWidget(self.args, 1)
        bar.addWidget(self.run_button)
        bar.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.reply, 1)

    def name_button(self, text: str) -> None:
        self.run_button.setText(text)
        self.reply.button_name = text
        self.reply.clear()

    def run(self) -> None:
        if not self.run_button.isEnabled():
            return
        run_ctx = run_context(self.ctx)
        coro = self.build(split_args(self.args.text()), run_ctx)
        if coro is None:
            self.reply.clear()
            return
        if self.form is not None:
            self.reply.run(self.ctx, coro, run_ctx.lang, self.name, self.run_button, self.form)
        else:
            self.reply.run(self.ctx, coro, run_ctx.lang, self.key, self.run_button)
        task = self.reply._task
        if task is not None and not task.done():
            self.stop_button.setEnabled(True)
            task.add_done_callback(lambda _t: self.stop_button.setEnabled(False))

    def stop(self) -> None:
        """The preview that takes too long ends here; nothing it would have shown arrives."""
        self.reply.cancel()
        self.stop_button.setEnabled(False)
        self.run_button.setEnabled(True)
        self.reply._set_status("Preview stopped: no answer was waited for.", error=True)
