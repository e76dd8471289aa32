"""Routing (docs/old-system.md §8): which message reaches which built-in, prefix or name."""

from __future__ import annotations

import dataclasses

import pytest

from app.core.routing import Catalog, Route, normalise, route, split_words

OLD = Catalog(
    triggers=("Tekanan Drum", "temp", "Data Alarms", "flow", "boiler1"),
    groups=("Data Alarms", "Shift Report"),
    ai_prefixes=("=", "+ai="),
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Data Alarms", "dataalarms"),
    ("  data\talarms \n", "dataalarms"),
    ("!Data Alarms", "dataalarms"),
    ("/TEMP", "temp"),
    ("temp\u00a0B2", "tempb2"),  # a no-break space is whitespace too
    ("te\u200bmp", "temp"),  # an invisible zero-width space from a phone keyboard
])
def test_normalise_is_the_old_comparison_form(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("text", ["help", "HELP", "!help", "/help", " Help "])
def test_help_lists_commands(text):
    assert route(text, OLD) == Route("builtin", "help", text=text.strip())


@pytest.mark.parametrize("word", ["bantuan", "menu", "halo"])
def test_the_other_builtin_words(word):
    found = route(f"!{word.upper()}", OLD)
    assert (found.kind, found.name) == ("builtin", word)


def test_halo_greets_and_a_greeting_with_punctuation_or_more_words_still_does():
    assert route("halo", OLD).is_greeting
    assert route("Halo!", OLD).is_greeting
    assert route("halo semua", OLD) == Route("builtin", "halo", ("semua",), text="halo semua")
    assert not route("help", OLD).is_greeting


def test_help_with_a_trigger_name_carries_it_as_an_argument():
    assert route("help temp", OLD) == Route("builtin", "help", ("temp",), text="help temp")


def test_an_old_trigger_named_menu_keeps_answering():
    # The old bot passed "menu" through to its triggers (docs/old-system.md §8).
    with_menu = Catalog(triggers=("Menu",))
    assert (route("menu", with_menu).kind, route("menu", with_menu).name) == ("trigger", "Menu")
    assert route("help", with_menu).kind == "builtin"


def test_builtins_come_before_a_trigger_of_the_same_name():
    # A fresh database has a `help` trigger; the built-in still answers help.
    assert route("help", Catalog(triggers=("help",))).kind == "builtin"


def test_an_old_name_beginning_with_a_builtin_word_stays_reachable():
    found = route("help desk", Catalog(triggers=("Help Desk",)))
    assert (found.kind, found.name) == ("trigger", "Help Desk")


# -- AI prefixes ----------------------------------------------------------------------------------


def test_ai_prefix_takes_the_rest_trimmed_as_the_question():
    assert route("=  why is drum pressure rising?  ", OLD) == Route(
        "ai", "=", question="why is drum pressure rising?",
        text="=  why is drum pressure rising?")


def test_the_longest_prefix_wins():
    found = route("+ai=status boiler", OLD)
    assert (found.kind, found.name, found.question) == ("ai", "+ai=", "status boiler")


def test_prefix_letters_compare_case_insensitively():
    # Capitals do not matter, unlike the old case-sensitive match (docs/old-system.md §8).
    catalog = Catalog(ai_prefixes=("ai:", "+AI="))
    assert route("AI: why", catalog).name == "ai:"
    assert route("+ai=why", catalog).name == "+AI="
    assert route("Ai:why", catalog).question == "why"


def test_an_empty_question_still_goes_to_the_ai():
    assert route("+ai=", OLD) == Route("ai", "+ai=", question="", text="+ai=")


def test_a_word_prefix_does_not_swallow_longer_words():
    catalog = Catalog(triggers=("airflow",), ai_prefixes=("ai",))
    assert route("ai why is it hot", catalog).question == "why is it hot"
    assert route("ai", catalog).kind == "ai"
    assert (route("airflow", catalog).kind, route("airflow", catalog).name) == (
        "trigger", "airflow")


def test_a_command_mark_before_an_ai_prefix_is_allowed():
    found = route("!ai: why", Catalog(ai_prefixes=("ai:",)))
    assert (found.kind, found.question) == ("ai", "why")


def test_a_prefix_comes_before_a_trigger_name():
    catalog = Catalog(triggers=("=temp",), ai_prefixes=("=",))
    assert route("=temp", catalog).kind == "ai"


# -- groups and triggers by the whole message -----------------------------------------------------


@pytest.mark.parametrize("text", ["Tekanan Drum", "tekanan drum", "TEKANANDRUM", "!tekanan drum",
                                  "/Tekanan  Drum"])
def test_an_old_name_with_a_space_matches_by_the_whole_message(text):
    found = route(text, OLD)
    assert (found.kind, found.name, found.args, found.matched_by) == (
        "trigger", "Tekanan Drum", (), "name")


@pytest.mark.parametrize("text", ["Data Alarms", "data alarms", "dataalarms", "!DATA ALARMS"])
def test_a_group_wins_over_a_trigger_with_the_same_name(text):
    found = route(text, OLD)
    assert (found.kind, found.name) == ("group", "Data Alarms")


def test_a_group_is_found_by_its_name():
    assert route("shift report", OLD).name == "Shift Report"
    assert route("shift report", OLD).kind == "group"


# -- by the first word, with arguments ------------------------------------------------------------


def test_first_word_with_arguments():
    found = route("!flow B2 t-1d", OLD)
    assert (found.kind, found.name, found.args, found.matched_by) == (
        "trigger", "flow", ("B2", "t-1d"), "first_word")


def test_quoted_words_stay_together():
    found = route('flow "Boiler 2" *-8h', OLD)
    assert found.args == ("Boiler 2", "*-8h")
    assert split_words("a “smart quotes” b") == ["a", "smart quotes", "b"]
    assert split_words('x "unclosed') == ["x", '"unclosed']


def test_first_word_is_compared_normalised():
    found = route("BOILER1 b2", OLD)
    assert (found.kind, found.name, found.args) == ("trigger", "boiler1", ("b2",))


def test_a_group_wins_by_first_word_too():
    catalog = Catalog(triggers=("drum",), groups=("Drum",))
    found = route("drum B2", catalog)
    assert (found.kind, found.name, found.args) == ("group", "Drum", ("B2",))


def test_a_name_of_several_words_can_take_arguments():
    found = route("Tekanan Drum B2 t-1d", OLD)
    assert (found.kind, found.name, found.args, found.matched_by) == (
        "trigger", "Tekanan Drum", ("B2", "t-1d"), "words")


def test_the_whole_message_rule_comes_before_the_first_word_rule():
    catalog = Catalog(triggers=("temp", "temp boiler"))
    assert route("temp boiler", catalog).name == "temp boiler"
    assert route("temp B2", catalog).name == "temp"


# -- unknown, private and group chats -------------------------------------------------------------


def test_unknown_in_a_private_chat():
    found = route("what is this", OLD)
    assert (found.kind, found.text) == ("unknown", "what is this")


def test_an_empty_message_is_ignored():
    assert route("   ", OLD).kind == "ignore"
    assert route("@6281234567", OLD, group_chat=True, mentioned=True).kind == "ignore"


def test_group_chat_talk_among_people_gets_silence():
    found = route("good morning everyone", OLD, group_chat=True)
    assert found.kind == "ignore"
    assert found.reason


def test_group_chat_unknown_command_gets_silence_even_when_addressed():
    assert route("!nothing", OLD, group_chat=True).kind == "ignore"
    assert route("@628111 nothing", OLD, group_chat=True, mentioned=True).kind == "ignore"


def test_group_chat_builtins_need_a_mark_or_a_mention():
    assert route("help", OLD, group_chat=True).kind == "ignore"
    assert route("!help", OLD, group_chat=True).kind == "builtin"
    assert route("/help", OLD, group_chat=True).kind == "builtin"
    assert route("help", OLD, group_chat=True, mentioned=True).kind == "builtin"


def test_group_chat_mention_is_removed_before_matching():
    found = route("@6281234567 Data Alarms", OLD, group_chat=True, mentioned=True)
    assert (found.kind, found.name, found.text) == ("group", "Data Alarms", "Data Alarms")
    found = route("Tekanan @6281234567 Drum", OLD, group_chat=True, mentioned=True)
    assert found.name == "Tekanan Drum"


def test_group_chat_reacts_to_a_name_or_prefix_at_the_start_without_a_mention():
    assert route("temp", OLD, group_chat=True).name == "temp"
    assert route("Tekanan Drum B2", OLD, group_chat=True).name == "Tekanan Drum"
    assert route("+ai= why", OLD, group_chat=True).kind == "ai"
    assert route("data alarms", OLD, group_chat=True).kind == "group"


def test_mentions_are_kept_in_private_chats():
    # Only group chats carry mentions of the bot; elsewhere "@123" is just text.
    assert route("@123 temp", OLD).kind == "unknown"


def test_catalog_takes_lists_and_ignores_empty_prefixes():
    catalog = Catalog(triggers=["temp"], groups=[], ai_prefixes=["", "="])
    assert catalog.triggers == ("temp",)
    assert catalog.ai_prefixes == ("=",)
    assert route("temp", catalog).kind == "trigger"


def test_the_longest_of_competing_prefixes_wins_whatever_their_order():
    # "ai" and "ai=" both start the message; the question must not begin with "=".
    for prefixes in (("ai", "ai="), ("ai=", "ai")):
        catalog = Catalog(triggers=("ai",), ai_prefixes=prefixes)
        found = route("ai=why is the drum hot", catalog)
        assert (found.kind, found.name, found.question) == ("ai", "ai=", "why is the drum hot")


def test_a_trigger_named_like_the_start_of_a_prefix_is_still_reached():
    catalog = Catalog(triggers=("ai",), ai_prefixes=("ai=",))
    found = route("ai", catalog)
    assert (found.kind, found.name) == ("trigger", "ai")


def test_a_catalog_and_a_route_cannot_be_changed_by_whoever_receives_them():
    # One catalog and one route are shared by everything that handles a message.
    found = route("temp", OLD)
    for value, field in ((OLD, "triggers"), (found, "name")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, "boiler1")
