"""`--self-check`: import every driver and plugin, render a chart, open a temporary database."""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from app import __version__


def _imports(*names: str) -> Callable[[], str]:
    def check() -> str:
        versions = []
        for name in names:
            module = importlib.import_module(name)
            version = "" if name.startswith("app.") else (
                getattr(module, "__version__", None) or getattr(module, "VERSION", ""))
            versions.append(f"{name} {version}".strip())
        return ", ".join(versions)

    return check


def _qt() -> str:
    from app.ui.qt_check import qt_check

    return qt_check()


def _oracle() -> str:
    import oracledb
    from cryptography.hazmat.primitives.ciphers import Cipher  # noqa: F401 - thin mode needs it

    return f"oracledb {oracledb.__version__} (thin mode, cryptography loaded)"


def _neonize() -> str:
    import neonize  # noqa: F401
    from neonize.aioze.client import NewAClient  # noqa: F401 - loads the bundled Go library

    from app.bridge import neonize_bridge  # noqa: F401

    return "neonize and its WhatsApp library loaded"


def _chart() -> str:
    from datetime import UTC, datetime, timedelta

    from app.core.values import PiSeries, PiValue
    from app.runtime.charts import render_trend_png

    now = datetime.now(UTC)
    series = [PiSeries("CHECK", "bar", [PiValue("CHECK", now - timedelta(minutes=n), 40 + n % 7,
                                                "bar") for n in range(60, 0, -1)])]
    png = render_trend_png(series, {}, "Self-check", None)
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise RuntimeError("the chart is not a PNG")
    return f"PNG chart rendered ({len(png) // 1024} KB)"


def _database_and_demo(folder: Path) -> str:
    from app.composition import Parts
    from app.core.messages import Incoming
    from app.db.database import close_database, open_database
    from app.runtime import executor
    from app.services import secrets

    secrets.configure(folder)
    opened = open_database(folder / "app.db")
    try:
        ref = secrets.store().put("check")
        if secrets.store().get(ref) != "check":
            raise RuntimeError("the secret store did not give the value back")

        async def ask() -> str:
            parts = Parts(folder)
            try:
                replies = await parts.pipeline().handle(Incoming("demo"))
            finally:
                parts.close()
            return replies[0].text if replies else ""

        answer = asyncio.run(ask())
        executor.shutdown(wait=False)
        if "Demo plant" not in answer:
            raise RuntimeError(f"the demo answered {answer!r}")
        return (f"temporary database version {opened.version_after}, secret store "
                f"({secrets.store().backend_name}), demo trigger answered")
    finally:
        close_database(opened.db)


CHECKS: list[tuple[str, Callable[..., str]]] = [
    ("Qt", _qt),
    ("Database drivers", _imports("peewee", "pymysql", "sqlglot")),
    ("Oracle driver", _oracle),
    ("HTTP and PI", _imports("requests", "app.sources.pi", "app.sources.demo")),
    ("AI services", _imports("app.sources.ai")),
    ("Phone numbers and QR codes", _imports("phonenumbers", "segno")),
    ("WhatsApp", _neonize),
    ("Charts", _chart),
]


def run_self_check() -> int:
    # neonize configures the root logger when it loads; the check prints its own lines only.
    logging.getLogger("app").setLevel(logging.WARNING)
    print(f"WA-Integration {__version__} self-check ({sys.platform}, Python "
          f"{sys.version.split()[0]})")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="wa-integration-check-") as tmp:
        for label, check in [*CHECKS, ("Database and demo",
                                       lambda: _database_and_demo(Path(tmp)))]:
            started = time.perf_counter()
            try:
                detail = check()
                print(f"ok      {label}: {detail} ({(time.perf_counter() - started):.2f} s)")
            except Exception as exc:  # noqa: BLE001 - every failure is one line, then go on
                failed += 1
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                print(f"FAILED  {label}: {reason}")
                if os.environ.get("WA_INTEGRATION_DEBUG"):
                    traceback.print_exc()
    print("All checks passed." if not failed else f"{failed} check(s) failed.")
    return 1 if failed else 0
