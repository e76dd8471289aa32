"""An e-mail address is checked before it is stored or mailed to, with a sentence that says
what is wrong with it."""

from __future__ import annotations

import pytest

from app.core.email_address import AddressError, address_problem, check_address


@pytest.mark.parametrize("typed, stored", [
    ("sari@plant.example.com", "sari@plant.example.com"),
    ("  Budi.Santoso+alarm@Plant.Example.COM ", "Budi.Santoso+alarm@plant.example.com"),
    ("o'brien@site-2.example.co.id", "o'brien@site-2.example.co.id"),
    ("operator@pabrik-gula.contoh.id", "operator@pabrik-gula.contoh.id"),
    ("kontrol@bücher.example", "kontrol@xn--bcher-kva.example"),  # an international domain
])
def test_good_addresses_are_kept_trimmed_with_the_domain_in_lower_case(typed, stored):
    assert check_address(typed) == stored
    assert address_problem(typed) is None


@pytest.mark.parametrize("typed, says", [
    ("", "The e-mail address is empty."),
    (None, "The e-mail address is empty."),
    ("sari.plant.example.com", "it has no @"),
    ("sari@budi@plant.example.com", "it has more than one @"),
    ("@plant.example.com", "the name before the @ is missing"),
    ("sari@", "the domain after the @ is missing"),
    ("sari@plant", "the domain after the @ must be like plant.example.com"),
    ("sari@plant..example.com", "the domain after the @ must be like plant.example.com"),
    ("sari@-plant.example.com", "the domain after the @ must be like plant.example.com"),
    ("sari@10.0.0.1", "ends in a number"),
    ("sari budi@plant.example.com", "contains a space"),
    (".sari@plant.example.com", "no dot at its start or end"),
    ("sari..budi@plant.example.com", "no two dots together"),
    ("sari(shift)@plant.example.com", "may hold letters, digits"),
    ("séri@plant.example.com", "letters outside plain ASCII before the @"),
    ("x" * 65 + "@plant.example.com", "too long before the @"),
    ("sari@" + "a" * 250 + ".com", "must be like plant.example.com"),
    ("sari@" + ".".join(["abcdefghij"] * 24) + ".com", "is too long (at most 254"),
])
def test_a_malformed_address_is_refused_with_what_is_wrong(typed, says):
    problem = address_problem(typed)
    assert problem is not None and says in problem, problem
    with pytest.raises(AddressError) as refused:
        check_address(typed)
    assert refused.value.message == problem


def test_a_line_break_cannot_smuggle_a_header_into_the_message():
    problem = address_problem("sari@plant.example.com\r\nBcc: everyone@plant.example.com")
    assert problem == ("The e-mail address 'sari@plant.example.com\\r\\nBcc: "
                       "everyone@plant.example.com' contains a line break or another control "
                       "character.")
