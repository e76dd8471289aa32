"""SQL statements one message costs on the whole bot path (goal: about 5, in one transaction).

A fresh database (it carries the demo source and its `demo` trigger), 20 approved senders, the
spam rules at their loosest, and the real bot built by app.composition on the loopback bridge.
Every statement SQLite runs on the app's connections is caught with sqlite3's trace callback
(BEGIN and COMMIT included) and counted by kind and by table, for three kinds of message:
"demo" (a trigger on the demo source), "help", and a word the bot does not know.

Counted in two parts: from the message entering the bot to its reply row in the outbox (the
outbox is stopped meanwhile), then the outbox sending that reply to the loopback. Each figure
is the mean over 20 messages after 5 warm-up messages and two "hello"s from each sender
(each contact brought up to date by the first, the kept copies filled by the second). Left
out: the first message of a new sender (it creates or updates a contact) and alarms. What
SQLite's trace reports for the triggers of the message log's full-text index is counted
apart (bench/botbench.py).

Transactions are counted as SQLite commits them: each BEGIN … COMMIT, and each write run on
its own. A message the bot answers is two: its log row is committed before its answer is
worked out (an answer may await PI for seconds, and no transaction stays open across an
await), so a crash meanwhile loses nothing; then its replies and its decision together.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db.database import close_database  # noqa: E402
from app.runtime import executor  # noqa: E402
from bench.botbench import SqlCounter, bot, open_data, phone  # noqa: E402

SENDERS = 20
WARM = 5
TEXTS = ("demo", "help", "frobnicate")
GOAL = 5  # the floor: about 5 statements, in one transaction
BASELINE = 27  # what the issue measured for one message


async def measure(bridge, runtime, counter: SqlCounter, text: str) -> tuple[list, list]:
    for n in range(WARM):
        await bridge.inject(text, sender=phone(n))
    # Every sender's contact brought up to date by a first message, then kept by a second.
    for n in [*range(SENDERS), *range(SENDERS)]:
        await bridge.inject("hello", sender=phone(n))
    await runtime.outbox.drain(timeout=30)
    await runtime.outbox.stop()
    with counter.count() as handling:
        for n in range(SENDERS):
            await bridge.inject(text, sender=phone(n))
    runtime.outbox.start()
    with counter.count() as sending:
        await runtime.outbox.drain(timeout=30)
    return list(handling), list(sending)


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def transactions(statements: list[str]) -> int:
    """Transactions the statements committed: each BEGIN … COMMIT, and each write run on its
    own outside one (SQLite commits it by itself)."""
    count, inside = 0, False
    for statement in statements:
        verb = statement.split(None, 1)[0].upper()
        if verb == "BEGIN":
            count, inside = count + 1, True
        elif verb in ("COMMIT", "ROLLBACK", "END"):
            inside = False
        elif verb in WRITES and not inside:
            count += 1
    return count


def show(label: str, statements: list[str], count: int) -> float:
    per = len(statements) / count
    kinds = SqlCounter.kinds(statements)
    print(f"  {label}: {per:.1f} statements per message "
          f"({', '.join(f'{k} {v / count:.1f}' for k, v in kinds.most_common())})")
    tables = SqlCounter.tables(statements)
    if tables:
        print("    by table: " + ", ".join(f"{k} {v / count:.1f}"
                                            for k, v in tables.most_common(10)))
    return per


def main() -> None:
    counter = SqlCounter()
    results: dict[str, tuple[float, float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        opened = open_data(folder, SENDERS)
        counter.attach(opened.db)
        bridge, runtime = bot(folder)

        async def go() -> None:
            await runtime.start()
            try:
                for text in TEXTS:
                    handling, sending = await measure(bridge, runtime, counter, text)
                    print(f"{text!r} from an approved sender ({SENDERS} messages, mean):")
                    per = show("message in → reply row in the outbox", handling, SENDERS)
                    sent = show("outbox sending the reply", sending, SENDERS)
                    results[text] = (per, sent, transactions(handling))
            finally:
                await runtime.stop()

        asyncio.run(go())
        executor.shutdown()
        close_database(opened.db)
    print()
    for text, (per, sent, commits) in results.items():
        print(f"{text!r}: {per:.1f} statements to the outbox (+{sent:.1f} to send) = "
              f"{per / GOAL:.1f}× the floor of {GOAL} (issue measured {BASELINE}); "
              f"{commits / SENDERS:.1f} transactions per message — goal about {GOAL} in one "
              f"transaction: {'met' if per <= GOAL + 1 and commits <= SENDERS else 'MISSED'}")


if __name__ == "__main__":
    main()
