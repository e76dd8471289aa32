"""A MySQL trigger through the whole app against the server's own time for the same query.

Starts the test MariaDB (tests/mariadb.py), saves a MySQL data source and an SQL trigger with a
variable in a fresh app database, and sends the trigger's message through the pipeline (the
trigger's lookup, the variable check, the read-only gate, the pooled connection, the reply's
formatting) several times. The floor is the same SELECT with the same value on a connection
that is already open (pymysql, measured from this process: the server's time plus one round
trip on loopback). Printed: the first message (which opens the pool's connection), the later
ones, the MySQL source's own call on its pooled connection (how much of the total is the gate,
the pool and the driver, and how much the message's other work), the same with a new connection
for every message (the app before pooling), the statements the server ran per trigger, and
whether the goal "within 5 ms of the server's own time" is met.

    python bench/bench_mysql_trigger.py [RUNS]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymysql  # noqa: E402

from app.composition import build_pipeline  # noqa: E402
from app.core.messages import Incoming  # noqa: E402
from app.db.database import close_database, open_database  # noqa: E402
from app.runtime import executor  # noqa: E402
from app.runtime.source_pool import SourcePool  # noqa: E402
from app.services import secrets, sources  # noqa: E402
from app.services import triggers as trigger_service  # noqa: E402
from app.services.context import SYSTEM  # noqa: E402
from tests.mariadb import running_server  # noqa: E402

GOAL_MS = 5.0
QUERY = ("SELECT parameter, value, unit FROM lab_results WHERE sample_point = :point "
         "ORDER BY sampled_at DESC")
SERVER_QUERY = QUERY.replace(":point", "%(point)s")
MESSAGE = "lab B2"
MAX_ROWS = 5


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _questions(root: pymysql.connections.Connection) -> int:
    with root.cursor() as cursor:
        cursor.execute("SHOW GLOBAL STATUS LIKE 'Questions'")
        return int(cursor.fetchone()[1])


def main(runs: int = 30) -> None:
    with running_server() as server, tempfile.TemporaryDirectory() as tmp:
        direct = pymysql.connect(host=server.host, port=server.port, user="plant_ro",
                                 password=server.users["plant_ro"], database=server.database)
        floor = []
        for _ in range(runs + 3):
            started = time.perf_counter()
            with direct.cursor() as cursor:
                cursor.execute(SERVER_QUERY + f" LIMIT {MAX_ROWS + 1}", {"point": "B2"})
                cursor.fetchall()
            floor.append(_ms(started))
        floor = floor[3:]
        direct.close()

        secrets.configure(Path(tmp))
        opened = open_database(Path(tmp) / "app.db")
        source_id = sources.save_source(
            SYSTEM, None, name="LIMS", plugin="mysql", active=True,
            config={k: v for k, v in server.config().items() if k != "ssl"},
            new_secrets=server.secrets())["id"]
        trigger_service.save_trigger(
            SYSTEM, None, name="lab", kind="sql", active=True, data_source_id=source_id,
            config={"query": QUERY, "max_rows": MAX_ROWS,
                    "variables": [{"name": "point", "pattern": "B1|B2|Condensate"}],
                    "description": "Latest lab results"})
        root = server.root()

        def source_part() -> list[float]:
            # The source's own call as the trigger runner makes it, on the pooled connection:
            # the read-only gate, the pool and the driver, without the message's other work.
            pool = SourcePool()
            database = pool.database(source_id)
            database.query_blocking(QUERY, {"point": "B2"}, MAX_ROWS, 5)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                database.query_blocking(QUERY, {"point": "B2"}, MAX_ROWS, 5)
                times.append(_ms(started))
            pool.close()
            return times

        async def measure(fresh_each_time: bool) -> tuple[float, list[float], float]:
            pool = SourcePool()
            pipeline = build_pipeline(pool)
            started = time.perf_counter()
            replies = await pipeline.handle(Incoming(MESSAGE))
            first = _ms(started)
            assert replies and replies[0].text.startswith("*Latest lab results*"), replies
            later, statements = [], []
            for _ in range(runs):
                if fresh_each_time:
                    pool.database(source_id).pool.close_idle()
                before = _questions(root)
                started = time.perf_counter()
                await pipeline.handle(Incoming(MESSAGE))
                later.append(_ms(started))
                statements.append(_questions(root) - before - 1)  # less the count's own
            pool.close()
            return first, later, statistics.median(statements)

        first, pooled, statements = asyncio.run(measure(False))
        _, unpooled, statements_unpooled = asyncio.run(measure(True))
        part_ms = statistics.median(source_part())
        executor.shutdown()
        root.close()
        close_database(opened.db)

    server_ms = statistics.median(floor)
    app_ms = statistics.median(pooled)
    print(f"server's own time (the same query on an open connection): median {server_ms:.2f} ms "
          f"({runs} runs)")
    print(f"MySQL trigger through the app, first message (opens the connection): {first:.1f} ms")
    print(f"MySQL trigger through the app, pooled: median {app_ms:.2f} ms (min {min(pooled):.2f},"
          f" max {max(pooled):.2f}) = {app_ms / server_ms:.1f}x the server's own time, "
          f"+{app_ms - server_ms:.2f} ms; {statements:g} statements on the server per trigger")
    print(f"of that, the MySQL source's own call (gate, pool, driver): median {part_ms:.2f} ms "
          f"= {part_ms / server_ms:.1f}x the server's own time; the message's other work "
          f"(the trigger's lookup, the reply, the app's database): {app_ms - part_ms:.2f} ms")
    fresh = statistics.median(unpooled)
    print(f"the same with a new connection for every message (before pooling): median "
          f"{fresh:.2f} ms = {fresh / server_ms:.1f}x; {statements_unpooled:g} statements")
    verdict = "meets" if app_ms - server_ms <= GOAL_MS else "misses"
    print(f"goal: the whole trigger within {GOAL_MS:g} ms of the server's own time: {verdict} it "
          f"(+{app_ms - server_ms:.2f} ms)")
    part = part_ms - server_ms
    print(f"the MySQL source's own call beyond the server's own time: {part:+.2f} ms: "
          f"{'meets' if part <= GOAL_MS else 'misses'} the {GOAL_MS:g} ms goal")

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
