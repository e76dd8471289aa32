"""Trigger variables: specs as stored, binding words in order, sentences on failure."""

from __future__ import annotations

import dataclasses

import pytest

from app.core.variables import VariableError, VariableSpec, bind, parse_specs, usage
from app.errors import UserError

DRUM = parse_specs([
    {"name": "unit", "pattern": r"B[1-4]", "description": "the boiler unit, B1 to B4"},
    {"name": "range", "pattern": r"t-\d+[hd]", "default": "t-1d"},
])


def test_parse_specs_reads_dicts_and_old_plain_names():
    assert parse_specs(["tag"]) == [VariableSpec("tag", None, None, "")]
    assert parse_specs('["tag"]') == [VariableSpec("tag")]
    assert parse_specs(None) == [] and parse_specs("") == [] and parse_specs([]) == []
    assert DRUM[1] == VariableSpec("range", r"t-\d+[hd]", "t-1d", "")
    # A form's empty fields mean "none"; a number typed as a default is its text.
    assert parse_specs([{"name": "n", "pattern": "", "default": 5}]) == [
        VariableSpec("n", None, "5", "")]


@pytest.mark.parametrize(("raw", "words"), [
    ({"name": "tag"}, "list"),
    ([{"pattern": "x"}], "no name"),
    ([42], "must be a name"),
    (["1tag"], "letters, digits"),
    (["tag", {"name": "tag"}], "twice"),
    ([{"name": "unit", "pattern": "B[1-"}], "not a valid regular expression"),
    ([{"name": "unit", "pattern": "B[1-4]", "default": "C9"}], "does not match"),
    ("[not json", "not valid JSON"),
])
def test_parse_specs_refuses_bad_shapes_with_a_sentence(raw, words):
    with pytest.raises(ValueError, match=words) as caught:
        parse_specs(raw)
    assert str(caught.value).endswith(".")


def test_words_bind_in_order():
    assert bind(DRUM, ["B2", "t-8h"]) == {"unit": "B2", "range": "t-8h"}


def test_a_missing_word_takes_the_default():
    assert bind(DRUM, ["B2"]) == {"unit": "B2", "range": "t-1d"}


def test_a_missing_value_says_which_variable_and_what_is_expected():
    with pytest.raises(VariableError) as caught:
        bind(DRUM, [], trigger_name="drum")
    message = str(caught.value)
    assert message.startswith("unit is missing: the boiler unit, B1 to B4.")
    assert "Usage: drum <unit> [<range>=t-1d]" in message
    assert isinstance(caught.value, UserError)


def test_a_missing_value_in_indonesian():
    with pytest.raises(VariableError) as caught:
        bind(DRUM, [], lang="id", trigger_name="drum")
    assert str(caught.value).startswith("unit belum diisi: the boiler unit, B1 to B4.")
    assert "Cara pakai: drum <unit> [<range>=t-1d]" in str(caught.value)


def test_a_value_that_does_not_match_names_the_pattern_or_the_example():
    with pytest.raises(VariableError, match=r"^'B9' is not a valid unit: the boiler unit"):
        bind(DRUM, ["B9"])
    with pytest.raises(VariableError) as caught:
        bind(DRUM, ["B2", "yesterday"], lang="id")
    assert str(caught.value) == (
        r"'yesterday' bukan range yang valid: nilai yang cocok dengan t-\d+[hd] "
        "(misalnya t-1d).")


def test_the_pattern_must_match_the_whole_value():
    with pytest.raises(VariableError):
        bind(DRUM, ["B22"])
    with pytest.raises(VariableError):
        bind(DRUM, ["xB2"])


def test_sql_and_quotes_pass_only_when_the_pattern_allows_and_stay_plain_text():
    nasty = "B2'; DROP TABLE alarms; --"
    with pytest.raises(VariableError) as caught:
        bind(DRUM, [nasty])
    assert "DROP TABLE" in str(caught.value)  # quoted back (cut short), never run
    free = parse_specs(["who"])
    bound = bind(free, ["O'Brien\" OR 1=1 --"])
    assert bound == {"who": "O'Brien\" OR 1=1 --"}
    assert all(type(value) is str for value in bound.values())


def test_a_long_bad_value_is_cut_in_the_reply():
    with pytest.raises(VariableError) as caught:
        bind(DRUM, ["x" * 500])
    assert len(str(caught.value)) < 150
    assert "…" in str(caught.value)


def test_too_many_words():
    with pytest.raises(VariableError, match=r"^drum takes at most 2 arguments\."):
        bind(DRUM, ["B2", "t-1d", "extra"], trigger_name="drum")
    with pytest.raises(VariableError, match=r"^temp takes no arguments\.$"):
        bind([], ["B2"], trigger_name="temp")
    with pytest.raises(VariableError, match=r"^tag memakai paling banyak satu argumen\."):
        bind(parse_specs(["tag"]), ["a", "b"], lang="id", trigger_name="tag")
    with pytest.raises(VariableError, match=r"^This command takes no arguments\.$"):
        bind([], ["B2"])


def test_fixed_values_take_their_variables_out_of_the_message():
    # A preset trigger's `values` fix "unit"; the message's first word is then the range.
    assert bind(DRUM, ["t-2d"], fixed={"unit": "B3"}) == {"unit": "B3", "range": "t-2d"}
    assert bind(DRUM, [], fixed={"unit": "B3"}) == {"unit": "B3", "range": "t-1d"}
    with pytest.raises(VariableError, match="takes at most one argument"):
        bind(DRUM, ["t-2d", "more"], fixed={"unit": "B3"}, trigger_name="drum")


def test_fixed_values_still_obey_the_pattern():
    with pytest.raises(VariableError, match="'C1' is not a valid unit"):
        bind(DRUM, [], fixed={"unit": "C1"})


def test_an_old_preset_with_a_fixed_tag():
    specs = parse_specs(["tag"])
    assert bind(specs, [], fixed={"tag": "BLR1.DRUM.PV"}) == {"tag": "BLR1.DRUM.PV"}
    with pytest.raises(VariableError, match="takes no arguments"):
        bind(specs, ["x"], fixed={"tag": "BLR1.DRUM.PV"}, trigger_name="drum")


def test_undeclared_fixed_values_are_passed_on():
    assert bind([], [], fixed={"tag": "X"}) == {"tag": "X"}


def test_an_empty_quoted_word_counts_as_missing():
    assert bind(DRUM, ["B1", ""]) == {"unit": "B1", "range": "t-1d"}


def test_usage_for_help_texts():
    assert usage("drum", DRUM) == "drum <unit> [<range>=t-1d]"
    assert usage("temp", []) == "temp"
    assert usage("drum", DRUM, fixed={"unit": "B1"}) == "drum [<range>=t-1d]"


def test_a_bad_value_is_quoted_whole_up_to_40_characters_then_cut_to_40():
    spec = parse_specs([{"name": "unit", "pattern": "B[1-4]"}])
    with pytest.raises(VariableError) as caught:
        bind(spec, ["x" * 40])
    assert str(caught.value).startswith(f"'{'x' * 40}' is not a valid unit")
    with pytest.raises(VariableError) as caught:
        bind(spec, ["x" * 41])
    assert str(caught.value).startswith(f"'{'x' * 39}…' is not a valid unit")


def test_a_short_list_of_words_is_offered_as_the_choices():
    def said(pattern: str) -> str:
        with pytest.raises(VariableError) as caught:
            bind(parse_specs([{"name": "unit", "pattern": pattern}]), ["B9"])
        return str(caught.value)

    assert said("(B1|B2|Condensate)") == "'B9' is not a valid unit: B1, B2 or Condensate."
    assert said("B1|B2") == "'B9' is not a valid unit: B1 or B2."
    assert said("B1") == "'B9' is not a valid unit: a value matching B1."
    assert said("B[1-4]|B7") == "'B9' is not a valid unit: a value matching B[1-4]|B7."


def test_a_variable_without_a_name_is_counted_from_one():
    with pytest.raises(ValueError, match=r"^Variable 1 has no name\.$"):
        parse_specs([{"name": ""}])
    with pytest.raises(ValueError, match=r"^Variable 2 has no name\.$"):
        parse_specs(["unit", {"pattern": "B1"}])


def test_a_variable_with_a_default_is_not_required():
    assert VariableSpec("unit").required
    assert not VariableSpec("range", default="t-1d").required


def test_a_spec_cannot_be_changed_by_whoever_receives_it():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DRUM[0].pattern = ".*"
