"""A large PI Web API answer is read in slices (the event loop is not held while it is read) and
gives exactly what json.loads gives: every value, every error."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from app.sources.pi import slices

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "piwebapi"


def _document(rng: random.Random, depth: int = 0):
    pick = rng.random()
    if depth > 4 or pick < 0.3:
        return rng.choice([None, True, False, rng.randint(-10**15, 10**15), rng.random() * 1e9,
                           -0.0, 1e-300, "", "bar", 'a "quoted" \\ text\n\t', "\u00b0C \u2603",
                           "\ud83d\ude00", "\\\\PI01\\DRUM.PRESS"])
    if pick < 0.65:
        return [_document(rng, depth + 1) for _ in range(rng.randint(0, 6))]
    return {f"{rng.choice(['WebId', 'Items', 'Value', 'Links', 'é', ''])}{rng.randint(0, 9)}":
            _document(rng, depth + 1) for _ in range(rng.randint(0, 6))}


@pytest.fixture
def always_sliced(monkeypatch):
    monkeypatch.setattr(slices, "SLICED_FROM", 0)


def test_any_document_reads_as_json_loads_reads_it(always_sliced):
    rng = random.Random(14)
    for _ in range(1500):
        document = _document(rng)
        text = json.dumps(document, indent=rng.choice([None, 1, "\t"]),
                          ensure_ascii=rng.random() < 0.5)
        text = rng.choice(["", " ", "\n\r\t "]) + text + rng.choice(["", "\n", "  "])
        assert json.dumps(slices.loads(text)) == json.dumps(json.loads(text)), text


def test_pi_web_apis_own_answers_read_the_same(always_sliced):
    for path in sorted(FIXTURES.glob("*.json")):
        text = path.read_text("utf-8")
        assert slices.loads(text) == json.loads(text), path.name


def test_a_large_stream_set_and_batch_read_the_same():
    items = [{"WebId": f"F1DPw{n:08d}", "Name": f"TAG.{n}", "Path": f"\\\\PI01\\TAG.{n}",
              "Value": {"Timestamp": "2026-12-02T10:00:00Z", "Value": n * 1.25,
                        "UnitsAbbreviation": "bar", "Good": True}} for n in range(3000)]
    streams = json.dumps({"Links": {}, "Items": items})
    batch = json.dumps({str(n): {"Status": 200, "Headers": {"Content-Type": "application/json"},
                                 "Content": item} for n, item in enumerate(items)})
    nested = json.dumps({"1": {"Status": 207, "Content": {"Items": items}}})
    for text in (streams, batch, nested):
        assert len(text) > slices.SLICED_FROM
        assert slices.loads(text) == json.loads(text)


def test_a_name_given_twice_keeps_its_last_value_as_json_loads_does(always_sliced):
    text = '{"Value": 1, "Items": [{"a": 1, "a": 2}], "Value": {"Value": 3, "Value": 4}}'
    assert slices.loads(text) == json.loads(text) == {"Value": {"Value": 4},
                                                      "Items": [{"a": 2}]}


def test_numbers_pi_may_send_read_the_same(always_sliced):
    text = '{"Items": [NaN, Infinity, -Infinity, 1E400, 12345678901234567890, 0.1]}'
    read = slices.loads(text)["Items"]
    assert math.isnan(read[0]) and read[1:4] == [math.inf, -math.inf, math.inf]
    assert read[4:] == [12345678901234567890, 0.1]


@pytest.mark.parametrize("text", [
    '{"a": 1,}', "[1 2]", '{"a" 1}', "{a: 1}", "[1,]", '{"a": [1, 2}', "[", '{"a": 1} x',
    "", "   ", '{"a": "unterminated', "[01]", '{"Items": [1, 2, ]}', "nul", "\ufeff[]",
])
def test_text_that_is_not_json_is_refused_as_json_loads_refuses_it(always_sliced, text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        slices.loads(text)
