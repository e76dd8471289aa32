"""What a trigger, a group, the AI or an alarm command answers, and how an answer becomes the
WhatsApp messages people receive: replies, schedules and the app's previews all go through
`whatsapp_messages`, so what a preview shows is what is sent (docs/architecture.md,
"One message's path")."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import tzinfo

from app.core import message_split
from app.services import settings


@dataclass
class ReplyPart:
    text: str
    image_png: bytes | None = None


@dataclass
class Answer:
    title: str
    parts: list[ReplyPart] = field(default_factory=list)
    ok: bool = True
    # Why it failed, in full (host, port, driver text): for the operator's Messages tab and the
    # log, never sent to WhatsApp, whose sentence names only the trigger and the connection.
    detail: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.parts if p.text)


@dataclass(frozen=True)
class RunContext:
    lang: str = "en"
    zone: tzinfo | None = None
    preview: bool = False  # a run from the app's Preview: not counted as use


def reply_context(preview: bool = False) -> RunContext:
    """The language and time zone the bot answers in right now (Settings → General)."""
    style = settings.reply_style()
    return dataclasses.replace(RunContext(style.lang, style.zone), preview=preview)


def whatsapp_messages(answer: Answer, lang: str) -> list[tuple[str, bytes | None]]:
    """(text, image) of each WhatsApp message the answer is sent as: every text part split to
    WhatsApp's length limit, a chart sent as an image whose caption is the first piece."""
    out: list[tuple[str, bytes | None]] = []
    for part in answer.parts:
        chunks = message_split.split_message(part.text, lang) if part.text else [""]
        if part.image_png is not None:
            out.append((chunks[0], part.image_png))
            chunks = chunks[1:]
        out += [(chunk, None) for chunk in chunks]
    return out
