"""Splitting a reply into WhatsApp messages: numbered parts within the length limit, paragraphs
kept together where they fit, monospace blocks closed and reopened across a cut."""

from __future__ import annotations

from app.core.i18n import tr
from app.core.render import FENCE

MESSAGE_LIMIT = 4000


def split_message(text: str, lang: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Parts of at most `limit` characters, each starting with "(n/N)"; one part if it fits.

    Splits between paragraphs (blank lines), else between lines, else inside a very long line.
    A ``` block is kept whole when it fits in a part; otherwise it is closed at the end of one
    part and reopened at the start of the next, so every part shows as it should.
    """
    if len(text) <= limit:
        return [text]
    bodies: list[str] = []
    for digits in range(1, 7):
        biggest = 10**digits - 1
        budget = limit - len(tr(lang, "part", n=biggest, total=biggest)) - 1
        if budget < 4 * len(FENCE) + 8:
            raise ValueError(f"A message limit of {limit} characters is too small to split into.")
        bodies = _Packer(budget).pack(text)
        if len(bodies) <= biggest:
            break
    total = len(bodies)
    return [f"{tr(lang, 'part', n=n, total=total)}\n{body}" for n, body in enumerate(bodies, 1)]


def _toggles(line: str) -> bool:
    return line.count(FENCE) % 2 == 1


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Lines grouped at blank lines; a blank line inside a ``` block belongs to the block."""
    found: list[list[str]] = []
    current: list[str] = []
    fenced = False
    for line in lines:
        if not line.strip() and not fenced:
            if current:
                found.append(current)
                current = []
            continue
        current.append(line)
        fenced ^= _toggles(line)
    if current:
        found.append(current)
    return found


class _Packer:
    """Fills parts of at most `budget` characters; tracks whether a ``` block is open."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.parts: list[str] = []
        self.lines: list[str] = []
        self.size = 0  # len("\n".join(self.lines))
        self.fenced = False  # a ``` block is open at the end of self.lines
        self.closing = len("\n" + FENCE)

    def pack(self, text: str) -> list[str]:
        # A line that could not fit even alone between a reopened and a closing fence is cut.
        longest = self.budget - 2 * self.closing
        lines = [piece for line in text.split("\n") for piece in _cut_line(line, longest)]
        for paragraph in _paragraphs(lines):
            self._paragraph(paragraph)
        self._flush()
        return self.parts

    def _cost(self, lines: list[str]) -> int:
        """The part's length with `lines` appended, plus a closing fence if one is left open."""
        size, count, fenced = self.size, len(self.lines), self.fenced
        for line in lines:
            size = size + 1 + len(line) if count else len(line)
            count += 1
            fenced ^= _toggles(line)
        return size + (self.closing if fenced else 0)

    def _paragraph(self, paragraph: list[str]) -> None:
        with_gap = ([""] if self.lines else []) + paragraph
        if self._cost(with_gap) <= self.budget:
            self._append(with_gap)
            return
        alone = "\n".join(paragraph)
        if len(alone) + (self.closing if _toggles(alone) else 0) <= self.budget:
            self._flush()  # keep the paragraph (and any ``` block in it) whole in a new part
            self._append(paragraph)
            return
        # Too long for any part: fill this part, then go on line by line.
        if self.lines:
            self._line("")
        for line in paragraph:
            self._line(line)

    def _line(self, line: str) -> None:
        if self.lines and self._cost([line]) > self.budget:
            self._flush()
        if not self.lines and not line.strip():
            return  # a part never starts with a blank line
        self._append([line])

    def _append(self, lines: list[str]) -> None:
        for line in lines:
            self.size = len(line) if not self.lines else self.size + 1 + len(line)
            self.lines.append(line)
            self.fenced ^= _toggles(line)

    def _flush(self) -> None:
        lines = self.lines
        reopen = self.fenced
        if reopen and lines and lines[-1].strip() == FENCE:
            lines = lines[:-1]  # the block opened on the last line: open it in the next part
        elif reopen:
            lines = [*lines, FENCE]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        if lines and any(line.strip() and line.strip() != FENCE for line in lines):
            self.parts.append("\n".join(lines))
        self.lines, self.size, self.fenced = [], 0, False
        if reopen:
            self._append([FENCE])


def _cut_line(line: str, longest: int) -> list[str]:
    """A line in pieces of at most `longest` characters, broken at a space where possible."""
    pieces = []
    while len(line) > longest:
        cut = line.rfind(" ", longest // 2, longest)
        cut = cut if cut > 0 else longest
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    pieces.append(line)
    return pieces
