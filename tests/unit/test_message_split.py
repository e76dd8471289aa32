"""Splitting a reply into WhatsApp messages: numbered parts within the limit, paragraphs and
tables kept whole where they fit, monospace blocks closed and reopened across a cut."""

from __future__ import annotations

import re

import pytest

from app.core.message_split import split_message
from app.core.render import FENCE, render_rows


def _fences_balanced(part: str) -> bool:
    return part.count(FENCE) % 2 == 0


def _check_parts(parts: list[str], original: str, limit: int = 4000) -> None:
    total = len(parts)
    assert total > 1
    for number, part in enumerate(parts, 1):
        assert len(part) <= limit
        assert part.startswith(f"({number}/{total})\n")
        assert _fences_balanced(part)
    kept = {line for part in parts for line in part.splitlines()}
    missing = [line for line in original.splitlines() if line.strip() and line not in kept]
    assert missing == []


def test_a_short_reply_is_one_message_without_a_number():
    assert split_message("*Hi*\nshort", "en") == ["*Hi*\nshort"]


def test_a_long_reply_splits_at_blank_lines_and_keeps_tables_whole():
    tables = [render_rows(f"Table {k}", ["id", "tag", "value"],
                          [(i, f"TAG{i}" * 3, i * 1.5) for i in range(60)], False, None, "en",
                          max_rows=60) for k in range(5)]
    text = "\n\n".join(tables)
    assert len(text) > 4000
    parts = split_message(text, "en")
    _check_parts(parts, text)
    for part in parts:  # every table sits whole in one part
        body = part.split("\n", 1)[1]
        assert body in text
        assert all(body.count(f"*Table {k}*") <= 1 for k in range(5))


def test_one_huge_table_is_split_with_its_block_closed_and_reopened():
    rows = [(i, f"TAG{i:04d}.PV", i * 0.25) for i in range(400)]
    text = render_rows("Huge", ["id", "tag", "value"], rows, False, None, "id", max_rows=400)
    parts = split_message(text, "id")
    _check_parts(parts, text)
    assert parts[1].startswith(f"(2/{len(parts)})\n```\n")
    assert parts[0].endswith("\n```")


def test_splitting_by_lines_and_inside_a_very_long_line():
    words = " ".join(f"word{i}" for i in range(1500))  # one line of about 12,000 characters
    text = "*Title*\n" + "\n".join(f"line {i} " + "x" * 60 for i in range(100)) + "\n" + words
    parts = split_message(text, "en")
    assert all(len(part) <= 4000 for part in parts)
    joined = " ".join(part.split("\n", 1)[1] for part in parts)
    for i in range(100):
        assert f"line {i} " + "x" * 60 in joined
    assert re.findall(r"word\d+", joined) == [f"word{i}" for i in range(1500)]


def test_a_small_limit_numbers_many_parts():
    text = "\n".join(f"line {i}" for i in range(300))
    parts = split_message(text, "en", limit=100)
    _check_parts(parts, text, limit=100)
    assert parts[-1].startswith(f"({len(parts)}/{len(parts)})")
    assert len(parts) > 9


def _parts(text: str, limit: int = 100) -> list[str]:
    parts = split_message(text, "en", limit)
    assert all(len(p) <= limit for p in parts), [len(p) for p in parts]
    total = len(parts)
    assert all(p.startswith(f"({n}/{total})\n") for n, p in enumerate(parts, 1))
    return [p.split("\n", 1)[1] for p in parts]


def test_a_reply_of_exactly_4000_characters_is_one_message():
    assert split_message("x" * 4000, "en") == ["x" * 4000]
    assert len(split_message("x " * 2000 + "y", "en")) == 2


def test_nine_full_parts_keep_one_digit_numbers():
    paragraphs = [chr(ord("a") + n) * 46 + "\n" + chr(ord("A") + n) * 47 for n in range(9)]
    assert _parts("\n\n".join(paragraphs)) == paragraphs


def test_paragraphs_that_fill_a_part_exactly_stay_together():
    p1, p2, p3 = "a" * 40, "b" * 52, "c" * 50
    assert _parts(f"{p1}\n\n{p2}\n\n{p3}") == [f"{p1}\n\n{p2}", p3]
    q = ["d" * 30, "e" * 30, "f" * 30, "g" * 10]
    assert _parts("\n\n".join(q)) == ["\n\n".join(q[:3]), q[3]]


def test_a_paragraph_that_fits_a_part_alone_is_not_broken_up():
    head, body = "h" * 10, "a" * 46 + "\n" + "b" * 47
    assert _parts(f"{head}\n\n{body}") == [head, body]


def test_a_paragraph_longer_than_a_part_is_packed_line_by_line_to_the_brim():
    l1, l2, l3 = "a" * 46, "b" * 47, "c" * 40
    assert _parts(f"{l1}\n{l2}\n{l3}") == [f"{l1}\n{l2}", l3]
    # After an earlier paragraph the blank line between them stays.
    head, m1, m2, m3 = "h" * 10, "m" * 30, "n" * 70, "o" * 60
    assert _parts(f"{head}\n\n{m1}\n{m2}\n{m3}")[0] == f"{head}\n\n{m1}"
    # A blank line left at the end of a part is dropped.
    head, n1, n2 = "h" * 60, "p" * 40, "q" * 60
    assert _parts(f"{head}\n\n{n1}\n{n2}\n{n1}")[0] == head


def test_a_block_opened_on_the_last_line_of_a_part_opens_in_the_next():
    rows = [f"row {n:02d} " + "r" * 22 for n in range(5)]
    text = "\n".join(["h" * 60, "```", *rows, "```"])
    parts = _parts(text)
    assert parts[0] == "h" * 60
    assert parts[1].startswith("```\nrow 00")
    assert all(p.count("```") in (0, 2) for p in parts)


def test_a_line_too_long_for_any_part_is_cut_at_a_space_or_at_the_width():
    assert [len(b) for b in _parts("x" * 300)] == [86, 86, 86, 42]
    words = "a" * 35 + " " + "b" * 200
    assert _parts(words)[0] == "a" * 35 + " " + "b" * 50


def test_a_line_with_two_monospace_spans_opens_no_block():
    first = "```a``` and ```b``` " + "x" * 40
    second = "y" * 60
    assert _parts(f"{first}\n\n{second}") == [first, second]


def test_the_smallest_limit_that_can_be_split():
    text = "word " * 8
    assert all(len(p) <= 26 for p in split_message(text, "en", 26))
    with pytest.raises(ValueError, match="too small"):
        split_message(text, "en", 25)


def test_a_line_exactly_as_long_as_a_part_allows_is_not_cut():
    words = ("word " * 18)[:86]  # 86 characters: the longest line a 100-character part holds
    assert _parts(f"{words}\n\n{'z' * 60}") == [words, "z" * 60]


def test_a_cut_at_a_blank_line_inside_a_block_sends_no_empty_block():
    # Two full-width rows of one ``` block with a blank line between them: the cut falls on the
    # blank line, which must not become a message of its own showing an empty block.
    rows = ["a" * 86, "b" * 86]
    text = f"```\n{rows[0]}\n\n{rows[1]}\n```"
    assert _parts(text) == [f"```\n{rows[0]}\n```", f"```\n{rows[1]}\n```"]
