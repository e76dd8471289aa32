"""What the bot keeps of an incoming message, and whose messages it ignores outright."""

from __future__ import annotations

import pytest

from app.core.messages import Incoming, cleaned, excerpt, ignored_because, storable


def test_lone_surrogates_and_nul_become_one_replacement_character_each():
    text = b"ok \xff\xfe".decode("utf-8", "surrogateescape") + "\x00!"
    assert storable(text) == "ok \ufffd\ufffd\ufffd!"
    assert len(storable(text)) == len(text)
    assert storable("مرحبا 👍 \u200b %s {0}") == "مرحبا 👍 \u200b %s {0}"
    storable(text).encode("utf-8")  # what SQLite is given encodes


def test_every_text_of_a_message_is_cleaned():
    msg = cleaned(Incoming("a\udc80", push_name="B\udc81", message_id="ID\udc82",
                           raw_ids={"lid": "1@lid\udc83"}, quoted_id="Q\udc84"))
    assert (msg.text, msg.push_name, msg.message_id, msg.quoted_id) == (
        "a\ufffd", "B\ufffd", "ID\ufffd", "Q\ufffd")
    assert msg.raw_ids == {"lid": "1@lid\ufffd"}


def test_an_excerpt_keeps_200_characters_and_marks_the_cut():
    assert excerpt("x" * 200) == "x" * 200
    assert excerpt("x" * 201) == "x" * 200 + "…"


@pytest.mark.parametrize("sender, chat, is_group", [
    ("status@broadcast", "status@broadcast", False),
    ("628111@s.whatsapp.net", "status@broadcast", False),
    ("120363000000000001@newsletter", None, False),
    ("1600000000@broadcast", None, False),
    ("@lid", "@lid", False),
    ("", None, False),
    (None, None, False),
    ("budi@s.whatsapp.net", None, False),
    ("628111@example.com", None, False),
    ("6281\udc80@s.whatsapp.net", None, False),
    ("628111@s.whatsapp.net", "@g.us", True),
    ("628111@s.whatsapp.net", "628111@s.whatsapp.net", True),
    ("628111@s.whatsapp.net@lid", None, False),
])
def test_broadcasts_newsletters_and_malformed_ids_are_ignored(sender, chat, is_group):
    assert ignored_because(Incoming("x", sender=sender, chat=chat, is_group=is_group))


@pytest.mark.parametrize("sender, chat, is_group", [
    ("628111@s.whatsapp.net", "628111@s.whatsapp.net", False),
    ("628111:12@s.whatsapp.net", None, False),
    ("123456789012345@lid", "123456789012345@lid", False),
    ("628111@c.us", None, False),
    ("628111@s.whatsapp.net", "120363000000000000@g.us", True),
    ("628111@s.whatsapp.net", "628111-1600000000@g.us", True),
])
def test_people_and_groups_are_not_ignored(sender, chat, is_group):
    assert ignored_because(Incoming("x", sender=sender, chat=chat, is_group=is_group)) is None
