"""The help text's bound and search, without a database."""

from __future__ import annotations

from app.core.help import HelpCatalog, HelpEntry, help_message
from app.core.message_split import split_message


def catalog(count: int, description: str = "") -> HelpCatalog:
    return HelpCatalog(triggers=[HelpEntry(f"t{n}", f"t{n} <unit>", description or f"Unit {n}")
                                 for n in range(count)],
                       prefixes=[HelpEntry("ai:", "ai:")], alarms=True)


def test_a_small_list_is_whole_and_says_nothing_about_more():
    text = help_message("en", catalog(3))
    assert "• *t2 <unit>* — Unit 2" in text and "more" not in text
    assert "• ai: …" in text and "*alarms*" in text


def test_long_descriptions_and_small_messages_still_give_two_messages_at_most():
    for limit in (600, 1000, 4000):
        text = help_message("id", catalog(5000, "x" * 900), limit=limit)
        assert len(split_message(text, "id", limit)) <= 2
        assert "lainnya. Kirim *help* dan satu kata" in text
        assert "• ai: …" in text  # the AI prefixes and the alarm commands are always listed
        assert max(len(line) for line in text.splitlines()) < 200  # descriptions are cut


def test_search_needs_every_word_in_the_name_or_the_description():
    entries = HelpCatalog(triggers=[HelpEntry("drum1", "drum1", "Drum pressure"),
                                    HelpEntry("flow", "flow", "Steam flow to the drum"),
                                    HelpEntry("temp", "temp", "Boiler temperature")],
                          prefixes=[HelpEntry("ai:", "ai:", "Plant assistant")])
    text = help_message("en", entries, search=["DRUM"])
    assert "*drum1*" in text and "*flow*" in text and "temp" not in text and "ai:" not in text
    assert "*flow*" not in help_message("en", entries, search=["drum", "pressure"])
    assert "• ai: …" in help_message("en", entries, search=["assistant"])
    assert "Nothing matches “pump”" in help_message("en", entries, search=["pump"])
