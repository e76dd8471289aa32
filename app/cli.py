"""Command line (README "Commands"): opens the GUI when no command is given."""

from __future__ import annotations

import argparse
import contextlib
import gc
import getpass
import json
import logging
import os
import sys
import time
from pathlib import Path

from app import __version__
from app.errors import UserError, describe

log = logging.getLogger(__name__)

RECEIPTS_WAIT_S = 2.0  # `simulate --json`: how long the simulated phone may take to report


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wa-integration",
        description="WA-Integration: a WhatsApp bot that answers with live plant data.",
    )
    parser.add_argument("--db", metavar="PATH", help="database file (default: app.db in the "
                        "per-user data folder; an app.db of the old system is upgraded)")
    parser.add_argument("--data-dir", metavar="DIR", help="keep data, logs and backups here")
    parser.add_argument("--log-level", metavar="LEVEL", default="INFO",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"], type=str.upper,
                        help="DEBUG, INFO, WARNING or ERROR (default INFO)")
    parser.add_argument("--version", action="version", version=f"WA-Integration {__version__}")
    parser.add_argument("--self-check", action="store_true",
                        help="check every driver, plugin and the chart renderer, one line each")
    # For the installer (the .deb's postinst): matplotlib's font list, built once for everybody.
    parser.add_argument("--build-font-cache", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    config = commands.add_parser("config", help="export or import the configuration as JSON")
    config_cmd = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    export = config_cmd.add_parser("export", help="write all configuration as JSON, "
                                                   "secrets left out")
    export.add_argument("--output", "-o", metavar="FILE", help="file to write (default: stdout)")
    imp = config_cmd.add_parser("import", help="create or update configuration by name")
    imp.add_argument("file", metavar="FILE")

    serve = commands.add_parser("serve", help="run the bot without a window (Ctrl+C stops it)")
    serve.add_argument("--pair-phone", metavar="PHONE",
                       help="log in with a pairing code for this phone instead of a QR code")
    serve.add_argument("--proxy", metavar="URL", help="WhatsApp through this proxy: "
                       "http://host:port or socks5://host:port, or direct for none (default: "
                       "the whatsapp.proxy setting, else this computer's proxy)")

    simulate = commands.add_parser(
        "simulate", help="feed messages through the whole pipeline and print every reply")
    simulate.add_argument("--sender", metavar="PHONE",
                          help="speak as this contact (default: the workstation's operator)")
    simulate.add_argument("--name", default="", help="the sender's WhatsApp name")
    simulate.add_argument("--group", metavar="GROUP_ID", help="as if written in this group chat")
    simulate.add_argument("--json", action="store_true",
                          help="one JSON object per reply: to, type, text, image_path, "
                               "latency_ms, and with --sender its receipts")
    simulate.add_argument("--phone", choices=["read", "delivered", "never"], default="read",
                          help="with --sender: what the simulated phone reports of each reply "
                               "(default: delivered, then read)")
    simulate.add_argument("messages", nargs="+", metavar="MESSAGE")

    source = commands.add_parser("source", help="data sources")
    source_cmd = source.add_subparsers(dest="source_command", metavar="ACTION", required=True)
    test = source_cmd.add_parser("test", help="test the connection of one data source")
    test.add_argument("name", metavar="NAME")
    test.add_argument("--send-to", metavar="ADDRESS",
                      help="an e-mail connection: after the test, send a short test message "
                           "to this address")

    alarms = commands.add_parser("alarms", help="alarms from a terminal")
    alarms_cmd = alarms.add_subparsers(dest="alarms_command", metavar="ACTION", required=True)
    once = alarms_cmd.add_parser("run-once", help="evaluate every alarm once now, queue and "
                                                  "print what it sends")
    once.add_argument("--json", action="store_true",
                      help="one JSON object per queued message: to, type, text, kind, "
                           "outbox_id")

    user = commands.add_parser("user", help="manage user accounts")
    user_cmd = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    create = user_cmd.add_parser("create", help="create a user account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", default="admin", choices=["admin", "user", "viewer"])
    create.add_argument("--full-name", default="")
    create.add_argument("--email", default="")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    own_process = argv is None  # `python main.py …`: the process ends when this returns
    try:
        if args.self_check:
            from app.selfcheck import run_self_check

            return run_self_check()
        if args.build_font_cache:
            from app.runtime.charts import build_font_cache

            built = build_font_cache()
            print("\n".join(str(path) for path in built) or "No font list was written.")
            return 0 if built else 1
        if own_process:
            gc.disable()  # until start-up is over (_start_up_over; for the app, _run_gui)
        if args.command is None:
            return _run_gui(args)
        return _run_command(args)
    except UserError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`… | head`): nothing is wrong, and nothing more can be said.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: one line for the user, the traceback in the log
        log.exception("Unexpected error")
        print(f"Error: {describe(exc)}", file=sys.stderr)
        return 1


def _start_up_over() -> None:
    """The command's modules are imported and the database is open: what start-up made lives
    until the process ends, so it is frozen (later collections never walk it again) and
    collecting, off while start-up made hundreds of thousands of lasting objects, resumes."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_gui(args: argparse.Namespace) -> int:
    if not _has_display():
        raise UserError(
            "No display is available, so the window cannot open. Run the bot without a window "
            "with 'python main.py serve', or try messages with 'python main.py simulate TEXT'."
        )
    from app import bootstrap
    from app.ui.application import run

    env = bootstrap.prepare(args.data_dir, args.db, args.log_level, console=False)
    gc.enable()  # run() collects and freezes start-up's objects once the database is open
    return run(env.log_file, bootstrap.DesktopStart(env))


def _run_command(args: argparse.Namespace) -> int:
    from app import bootstrap
    from app.db.database import close_database

    env = bootstrap.prepare(args.data_dir, args.db, args.log_level, console=True)
    result = bootstrap.open_db(env, on_progress=lambda text: print(text, file=sys.stderr))
    try:
        if args.command != "simulate":  # which ends start-up itself, once it has the pipeline
            _start_up_over()
        if args.command == "config":
            return _config(args)
        if args.command == "user":
            return _user(args)
        if args.command == "source":
            return _source(args)
        if args.command == "simulate":
            return _simulate(args, env)
        if args.command == "serve":
            return _serve(args, env)
        if args.command == "alarms":
            return _alarms_run_once(args, env)
        raise UserError(f"Unknown command {args.command}.")
    finally:
        close_database(result.db)


def _config(args: argparse.Namespace) -> int:
    from app.services import config_io
    from app.services.context import cli_actor

    if args.config_command == "export":
        text = json.dumps(config_io.export_config(), ensure_ascii=False, indent=2) + "\n"
        if args.output:
            target = Path(args.output)
            tmp = target.with_name(target.name + ".tmp")
            try:
                tmp.write_text(text, "utf-8")
                os.replace(tmp, target)
            except OSError as exc:
                raise UserError(f"Cannot write {target}: {exc.strerror}.") from None
            print(f"Configuration written to {target}.", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    data = config_io.read_file(args.file)
    report = config_io.import_config(cli_actor(), data)
    if not report.changed:
        print("Nothing changed: the database already matches the file.")
    for line in report.lines():
        print(line)
    return 0


def _user(args: argparse.Namespace) -> int:
    from app.services import auth, users
    from app.services.context import cli_actor

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise UserError("No terminal to ask for the password: use --password-stdin.")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != password:
            raise UserError("The two passwords differ; nothing was created.")
    auth.validate_password(password)
    created = users.create_user(cli_actor(), args.username, password, role=args.role,
                                full_name=args.full_name, email=args.email)
    print(f"User {created['username']} created with role {created['role']}.")
    return 0


def _source(args: argparse.Namespace) -> int:
    import asyncio

    from app.runtime import executor
    from app.runtime.source_tests import run_connection_test
    from app.services import sources
    from app.services.context import cli_actor

    found = sources.find_by_name(args.name)
    if found is None:
        names = ", ".join(s["name"] for s in sources.list_sources()) or "none yet"
        raise UserError(f"There is no data source called {args.name!r} (known: {names}).")
    if found["setup_missing"]:
        raise UserError(f"{found['name']} is not set up yet: " + " ".join(found["setup_missing"]))
    if args.send_to and found["plugin"] != "email":
        raise UserError(f"{found['name']} is not an e-mail connection: --send-to is only for "
                        "e-mail connections.")
    try:
        result = asyncio.run(run_connection_test(cli_actor(), found["id"]))
        if result.ok:
            print(f"{found['name']}: {result.message}")
            if args.send_to:
                sent = asyncio.run(_send_test_mail(found, args.send_to))
                print(f"{found['name']}: test message sent to {args.send_to.strip()} ({sent})")
            return 0
    finally:
        executor.shutdown(wait=False)
    code = f" [{result.code}]" if result.code else ""
    print(f"Error: {found['name']}: {result.message}{code}", file=sys.stderr)
    return 1


async def _send_test_mail(found: dict, address: str) -> str:
    from app.runtime.mail import send_email
    from app.runtime.source_pool import SourcePool

    pool = SourcePool()
    try:
        return await send_email(
            pool, found["id"], address, f"WA-Integration: test message from {found['name']}",
            f"This test message was sent through the e-mail connection {found['name']}.\n"
            "If it arrived, alarms and notices sent by e-mail will arrive too.\n")
    finally:
        pool.close()


def _alarms_run_once(args: argparse.Namespace, env) -> int:
    """Every active alarm evaluated once against live data; what it queues is printed. The
    messages wait in the outbox for the running bot (the app or `serve`) to send."""
    import asyncio

    from app.composition import Parts
    from app.runtime import executor
    from app.services import alarms

    active = [a for a in alarms.list_alarms() if a["active"]]
    if not active:
        print("No alarm is switched on; define one in the Alarms tab.", file=sys.stderr)
        return 0

    async def run():
        parts = Parts(env.paths.data_dir)
        try:
            # Not connected here: whatever waited is summarised by the bot when it connects.
            engine = parts.alarm_engine(connected=lambda: False)
            return await engine.run_cycle(force=True)
        finally:
            parts.close()

    try:
        report = asyncio.run(run())
    finally:
        executor.shutdown(wait=False)
    for item in report.queued:
        if args.json:
            print(json.dumps({"to": item.to, "type": "image" if item.image_png else "text",
                              "text": item.text, "kind": item.kind, "channel": item.channel,
                              "outbox_id": item.outbox_id}, ensure_ascii=False), flush=True)
        else:
            print(f"→ {item.to}\n{item.text}\n", flush=True)
    for error in report.errors:
        print(f"Could not read {error}", file=sys.stderr)
    reads = ", ".join(f"{name}: {n}" for name, n in report.requests.items()) or "none"
    mails = sum(1 for item in report.queued if item.channel == "email")
    by_mail = f" and {mails} e-mail(s)" if mails else ""
    print(f"{report.evaluated} of {len(active)} alarms evaluated in "
          f"{report.duration_ms:.0f} ms (reads per source: {reads}); "
          f"{len(report.queued) - mails} messages queued for WhatsApp{by_mail}.",
          file=sys.stderr)
    if report.errors and report.evaluated == 0:
        return 1
    return 0


def _simulate(args: argparse.Namespace, env) -> int:
    """Messages through the pipeline: as the operator, or with --sender as that contact through
    the whole bot (contacts, spam and access rules, outbox) over the loopback bridge."""
    import asyncio

    from app.composition import Parts
    from app.core.messages import Incoming
    from app.runtime import executor
    from app.runtime.pipeline import Reply

    _start_up_over()
    images = env.paths.data_dir / "simulate"

    async def as_operator(parts: Parts) -> None:
        pipeline = parts.pipeline()
        for number, text in enumerate(args.messages, 1):
            msg = Incoming(text, push_name=args.name, chat=args.group,
                           is_group=args.group is not None, mentioned=args.group is not None)
            for reply in await pipeline.handle(msg):
                _print_reply(reply, images, number, args.json)

    async def as_contact(parts: Parts) -> None:
        from app.services import receipts

        bridge = parts.loopback_bridge(args.phone)
        runtime = parts.simulator_bot(bridge)
        await runtime.start()
        try:
            for number, text in enumerate(args.messages, 1):
                started = time.perf_counter()
                await bridge.inject(text, sender=args.sender, name=args.name, chat=args.group,
                                    is_group=args.group is not None,
                                    mentioned=args.group is not None)
                queued_ms = (time.perf_counter() - started) * 1000
                await runtime.outbox.drain()
                if args.json:  # what the phone reports within a moment is shown with the reply
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(bridge.receipts_reported(), RECEIPTS_WAIT_S)
                while not bridge.outgoing.empty():
                    item = bridge.outgoing.get_nowait()
                    reply = Reply(item.to, item.caption if item.image_png else item.text,
                                  item.image_png, queued_ms)
                    found = receipts.delivery_by_whatsapp_id(item.message_id, "simulator")
                    _print_reply(reply, images, number, args.json,
                                 receipts=found.plain() if found else None)
        finally:
            await runtime.stop()

    async def run() -> None:
        parts = Parts(env.paths.data_dir)
        try:
            await (as_contact(parts) if args.sender else as_operator(parts))
        finally:
            parts.close()

    try:
        asyncio.run(run())
    finally:
        executor.shutdown(wait=False)
    return 0


def _print_reply(reply, folder: Path, number: int, as_json: bool,
                 receipts: dict | None = None) -> None:
    path = None
    if reply.image_png is not None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"reply-{stamp}-{number}-{len(list(folder.glob('*.png'))) + 1}.png"
        path.write_bytes(reply.image_png)
    if as_json:
        shown = {"to": reply.to, "type": "image" if path else "text", "text": reply.text,
                 "image_path": str(path) if path else None,
                 "latency_ms": round(reply.latency_ms, 1)}
        if receipts is not None:  # a reply through the outbox: what the phone reported
            shown["receipts"] = receipts
        print(json.dumps(shown, ensure_ascii=False), flush=True)
        return
    if path:
        print(f"[image: {path}]")
    print(reply.text)
    print(flush=True)


def _serve(args: argparse.Namespace, env) -> int:
    """The bot without a window: WhatsApp through neonize, stopped cleanly by Ctrl+C/SIGTERM."""
    import asyncio
    import gc
    import signal
    from functools import partial

    from app.composition import Parts, whatsapp_bridge
    from app.db.database import background_checkpoints
    from app.db.models import database_proxy
    from app.runtime import charts, executor
    from app.runtime.stalls import StallWatch
    from app.services import migration_summary

    held = len(migration_summary.summary().held)
    if held:
        print(f"{held} message(s) the old system had queued before the move are held, not sent: "
              "send or discard them in the desktop app (Help → Move from the old system).",
              file=sys.stderr, flush=True)
    background_checkpoints(database_proxy.obj)  # never inside a commit on the loop
    parts = Parts(env.paths.data_dir, bridge_factory=partial(whatsapp_bridge, proxy=args.proxy))
    bridge = parts.whatsapp_bridge()
    runtime = parts.whatsapp_bot(bridge, alarms=True)
    shown_qr: list[str] = []

    async def on_qr(data: str) -> None:
        await runtime.handle_qr(data)
        if data != (shown_qr[-1] if shown_qr else None):
            shown_qr.append(data)
            _print_qr(data)

    async def on_state(change) -> None:
        await runtime.handle_state(change)
        print(f"WhatsApp: {change.state.value}" + (f" — {change.detail}" if change.detail
                                                    else ""), file=sys.stderr, flush=True)

    bridge.on_qr = on_qr
    bridge.on_state = on_state

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises instead
                pass
        stalls = StallWatch().start()  # a loop held over 100 ms is logged, with by what
        gc.freeze()  # start-up's objects live as long as the bot: not walked by every collection
        await runtime.start()
        charts.prepare_fonts_in_background()  # a first start: ready before the first chart
        if args.pair_phone:
            code = await bridge.request_pairing_code(args.pair_phone)
            print(f"On the bot phone: WhatsApp → Linked devices → Link with phone number, and "
                  f"type {code}", file=sys.stderr, flush=True)
        print("The bot is running. Press Ctrl+C to stop.", file=sys.stderr, flush=True)
        try:
            await stop.wait()
        finally:
            print("Stopping: finishing the message being sent…", file=sys.stderr, flush=True)
            await runtime.stop()
            parts.close()
            stalls.stop()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        executor.shutdown(wait=False)
    print("Stopped.", file=sys.stderr)
    return 0


def _print_qr(data: str) -> None:
    import segno

    print("Scan this with the bot phone: WhatsApp → Linked devices → Link a device.",
          file=sys.stderr)
    segno.make(data, error="l").terminal(out=sys.stderr, compact=True)
    sys.stderr.flush()
