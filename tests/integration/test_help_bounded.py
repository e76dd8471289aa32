"""`help` on a plant with ten thousand triggers: at most two WhatsApp messages, a count of the
rest, and `help WORD` to find the ones meant."""

from __future__ import annotations

import asyncio
import time

import pytest

from app.core.messages import Incoming
from app.runtime.pipeline import Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import config_io, settings
from app.services import triggers as trigger_service

AREAS = ("boiler", "turbine", "feedwater", "cooling", "coal", "ash", "stack", "drum")
COUNT = 10_000


@pytest.fixture
def pipeline(db, admin):
    triggers = [{"name": f"{AREAS[n % len(AREAS)]}{n:05d}", "type": "pi",
                 "data_source": "demo", "active": True,
                 "config": {"description": f"{AREAS[n % len(AREAS)].title()} reading {n}",
                            "tags": ["DEMO.DRUM.PRESS"], "mode": "current"}}
                for n in range(COUNT)]
    config_io.import_config(admin, {"version": 1, "triggers": triggers, "trigger_groups": [
        {"name": "drumgroup", "description": "Drum level and pressure",
         "execution_mode": "parallel", "members": ["drum00007", "drum00015"]}]})
    pool = SourcePool()
    yield Pipeline(TriggerRunner(pool))
    pool.close()


def ask(pipeline: Pipeline, text: str) -> list[str]:
    return [r.text for r in asyncio.run(pipeline.handle(Incoming(text, sender="+628")))]


def listed(text: str) -> list[str]:
    return [line.split("*")[1] for line in text.splitlines() if line.startswith("• *")]


def test_help_with_ten_thousand_triggers_is_two_messages_and_help_word_searches(pipeline, admin):
    everything = len(trigger_service.list_triggers()) + len(trigger_service.list_groups())
    for lang, more in (("en", "…and {n} more. Send *help* and a word to search them"),
                       ("id", "…dan {n} lainnya. Kirim *help* dan satu kata untuk mencarinya")):
        settings.update(admin, {"general": {"language": lang}})
        started = time.perf_counter()
        replies = ask(pipeline, "help")
        assert time.perf_counter() - started < 10
        assert 1 <= len(replies) <= 2
        text = "\n".join(replies)
        names = listed(text)
        assert names[0] == "drumgroup"  # groups first
        assert 20 < len(names) < 400
        assert more.format(n=everything - len(names)) in text

    # `help WORD` (or `bantuan WORD`) lists what matches by name or description.
    for word in ("help", "bantuan"):
        replies = ask(pipeline, f"{word} drum")
        assert len(replies) <= 2
        text = "\n".join(replies)
        assert "*Perintah yang cocok dengan “drum”*" in text.splitlines()[:2]
        names = listed(text)
        assert "drumgroup" in names and "drum00007" in names
        assert all(n.startswith("drum") for n in names)
        drums = COUNT // len(AREAS) + 1
        assert f"…dan {drums - len(names)} lainnya; tambahkan kata lain" in text
    # A second word narrows it to one; a word nothing has says so.
    assert [line for line in ask(pipeline, "help drum 9999")[0].splitlines()
            if line.startswith("• *")] == ["• *drum09999* — Drum reading 9999"]
    assert "Tidak ada yang cocok dengan “zzz”" in ask(pipeline, "help zzz")[0]
    settings.update(admin, {"general": {"language": "en"}})
    assert listed(ask(pipeline, "help pressure")[0]) == ["drumgroup"]
