"""The bot's fixed sentences: both languages complete and interchangeable."""

from __future__ import annotations

import pytest

from app.core.i18n import TEXTS, language, months, placeholders, tr

REQUIRED = [
    "help_title", "help_intro", "help_triggers_heading", "help_groups_heading",
    "help_ai_heading", "help_empty", "greeting", "unknown_hint", "group_summary", "and_more",
    "part", "no_rows", "no_values", "variable_missing", "variable_invalid",
    "variable_expected_default", "expected_pattern", "expected_any", "too_many_args",
    "too_many_args_none", "source_missing", "source_inactive", "source_not_ready",
    "member_missing", "timeout", "failed", "stale", "questionable", "substituted", "bad_state",
    "trigger_inactive", "not_allowed", "ai_not_available", "chart_caption", "empty_message",
]


def test_both_languages_have_the_same_keys():
    assert set(TEXTS) == {"id", "en"}
    assert set(TEXTS["id"]) == set(TEXTS["en"])


@pytest.mark.parametrize("key", sorted(TEXTS["en"]))
def test_every_sentence_has_the_same_placeholders_in_both_languages(key):
    assert placeholders(TEXTS["id"][key]) == placeholders(TEXTS["en"][key])
    assert TEXTS["id"][key].strip() and TEXTS["en"][key].strip()


@pytest.mark.parametrize("key", REQUIRED)
def test_the_sentences_the_bot_needs_exist(key):
    assert key in TEXTS["en"]


def test_tr_fills_placeholders():
    assert tr("en", "group_summary", ok=3, total=4) == "3 of 4 answered"
    assert tr("id", "group_summary", ok=3, total=4) == "3 dari 4 terjawab"
    assert tr("id", "and_more", count=12) == "…dan 12 lainnya"
    assert tr("en", "variable_invalid", value="B9", name="unit", expected="B1 to B4") == (
        "'B9' is not a valid unit: B1 to B4.")
    assert tr("en", "not_allowed", name="drum") == "You may not use drum."


def test_indonesian_is_indonesian():
    assert tr("id", "unknown_hint") == "Perintah tidak dikenal. Kirim *help* untuk daftar perintah."
    assert tr("en", "unknown_hint") == "Unknown command. Send *help* for the list."
    shared = {"part", "summary_minimum", "summary_total"}  # the same word in both languages
    differs = [k for k in TEXTS["en"] if k not in shared and TEXTS["en"][k] == TEXTS["id"][k]]
    assert differs == []


def test_unknown_language_falls_back_to_english():
    assert tr("fr", "no_rows") == "No rows."
    assert tr("", "no_rows") == "No rows."
    assert language("ID") == "id" and language("id-ID") == "id" and language("in") == "id"
    assert language(None) == "en"


def test_a_missing_key_or_value_is_a_bug():
    with pytest.raises(KeyError):
        tr("en", "no_such_sentence")
    with pytest.raises(KeyError):
        tr("id", "group_summary", ok=1)


def test_months():
    assert months("en")[9] == "Oct" and months("id")[9] == "Okt"
    assert len(months("id")) == len(months("en")) == 12
