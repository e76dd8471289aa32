"""Opening the SQLite database: checks, pragmas, backup, and the migration ladder.

A database already at the latest version is opened without importing the ladder
(app.db.migrations and the old system's converters it uses): its version is read first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from app.db.migrations_version import LATEST
from app.db.models import database_proxy
from app.db.schema import TABLE_NAMES
from app.errors import UserError, sqlite_code

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -16000,
}


# Below this much free space an I/O error on opening is the disk being full (SQLite needs room
# for its -wal and -shm files before it reads anything).
LOW_SPACE = 1024 * 1024


class DatabaseDamaged(UserError, peewee.DatabaseError):
    """The file has pages SQLite cannot read: a sentence for the user, still a DatabaseError for
    code that catches those."""


def _damaged(path: Path) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"{path} has damaged pages that SQLite cannot read, so WA-Integration cannot use it. "
        f"Restore it from a backup (the app makes one, named {path.stem}-backup-…, before each "
        "upgrade)."
    )


def _disk_full(path: Path) -> UserError:
    if not path.exists() or path.stat().st_size == 0:
        return UserError(
            f"The disk holding {path.parent} is full, so WA-Integration cannot create "
            f"{path.name} there. Free some space on that disk and start again."
        )
    return UserError(
        f"The disk holding {path.parent} is full, so WA-Integration cannot open {path.name}; "
        "the database itself is not damaged. Free some space on that disk and start again."
    )


def _low_space(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


def _plain(exc: BaseException, path: Path) -> UserError | None:
    """The sentence for a database error met while opening `path`, when there is a plain one."""
    code = sqlite_code(exc)
    if code == sqlite3.SQLITE_FULL or (
        isinstance(exc, OSError) and exc.errno == 28  # ENOSPC
    ) or (code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and _low_space(path.parent)):
        return _disk_full(path)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return _damaged(path)
    return None


class AppDatabase(SqliteDatabase):
    """SQLite as the app opens it: damaged pages met by any query raise DatabaseDamaged, whose
    sentence names the file, instead of a bare "database disk image is malformed".

    A thread may ask its statements to wait less for another connection's lock (`short_wait`,
    the event loop's writes). The connection's busy timeout is changed only when a statement
    is about to run with a wait other than the one it has: the loop's messages, one after
    another, pay no statement for it, and whatever runs next on the thread gets its normal
    wait back before its first statement."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._normal_ms = int((kwargs.get("pragmas") or {}).get("busy_timeout", 5000))
        self._waits = threading.local()  # .ms: wanted (None: normal); .conn, .applied
        self.checkpoints: Checkpoints | None = None  # see background_checkpoints

    @contextlib.contextmanager
    def short_wait(self, ms: int) -> Iterator[None]:
        """Statements of this thread inside wait at most `ms` for a lock held elsewhere."""
        local = self._waits
        before = getattr(local, "ms", None)
        local.ms = int(ms)
        try:
            yield
        finally:
            local.ms = before

    def cursor(self, named_cursor=None):
        cursor = super().cursor(named_cursor)
        local = self._waits
        want = getattr(local, "ms", None)
        if want is None:
            want = self._normal_ms
        conn = self._state.conn
        if getattr(local, "conn", None) is not conn:  # a new connection has the normal wait
            local.conn, local.applied = conn, self._normal_ms
        if local.applied != want:
            conn.execute(f"PRAGMA busy_timeout = {want}")
            local.applied = want
        return cursor

    def busy_ms(self) -> int:
        """The wait this thread's statements get now (for a raw statement that changes it)."""
        want = getattr(self._waits, "ms", None)
        return self._normal_ms if want is None else want

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except peewee.DatabaseError as exc:
            if sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                raise _damaged(Path(self.database)) from exc
            raise


class Checkpoints:
    """WAL checkpoints on a thread of their own, for a process that runs for hours.

    A checkpoint copies the write-ahead log back into the database file and syncs it to disk:
    tens of milliseconds on a busy disk, more on a plant workstation's. Left to SQLite, it runs
    inside whichever commit takes the log past 1,000 pages, often one on the event loop, which
    then holds the window. Here the connections of the process never checkpoint; this thread
    does, every `every_s` seconds, on a connection of its own, in SQLite's passive mode (it
    never waits for a reader or a writer, and nobody waits for it)."""

    def __init__(self, db: AppDatabase, every_s: float = 1.0) -> None:
        self.db = db
        self.every_s = every_s
        self.done = 0  # checkpoints that ran (for tests and the log)
        self._stop = threading.Event()
        self._conn: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)

    def start(self) -> None:
        """Open this thread's connection, then turn the connections' own checkpoints off; when
        it cannot be opened they stay on (SQLite checkpoints inside commits, as before)."""
        try:  # mode=rw: a file deleted meanwhile is not created again
            self._conn = sqlite3.connect(f"{Path(self.db.database).as_uri()}?mode=rw",
                                         uri=True, timeout=0, check_same_thread=False)
        except sqlite3.Error as exc:
            log.warning("WAL checkpoints will run inside commits: %s", exc)
            return
        self.db._pragmas = [*self.db._pragmas, OFF]
        if not self.db.is_closed():  # the opening thread's connection, open already
            self.db.connection().execute("PRAGMA wal_autocheckpoint = 0")
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread; connections opened from now on checkpoint as SQLite does."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.db._pragmas = [p for p in self.db._pragmas if p != OFF]

    def _run(self) -> None:
        conn = self._conn
        try:
            while not self._stop.wait(self.every_s):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.done += 1
                except sqlite3.Error as exc:  # a lock held elsewhere: the next turn tries
                    log.debug("WAL checkpoint skipped: %s", exc)
        finally:
            conn.close()


OFF = ("wal_autocheckpoint", 0)  # the pragma Checkpoints gives every connection


@dataclass
class OpenResult:
    db: SqliteDatabase
    path: Path
    kind: str  # "new", "legacy" (the old system's database) or "current"
    version_before: int
    version_after: int
    backup_path: Path | None

    @property
    def backup_notice(self) -> str:
        """The sentence about the old system's secrets in the backup ("" when there is none)."""
        if self.kind != "legacy" or self.backup_path is None:
            return ""
        return backup_notice(self.backup_path)


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a database file.")
    folder = path.parent
    if not folder.exists():
        raise UserError(f"The folder {folder} does not exist.")
    if path.exists():
        with path.open("rb") as handle:
            head = handle.read(16)
        if head and head != SQLITE_MAGIC:
            raise UserError(
                f"{path} is not an SQLite database, so WA-Integration cannot open it. "
                "Check that --db points at the app.db file."
            )
        if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
            raise UserError(
                f"{path} is read-only here: WA-Integration needs to write to the file and its "
                "folder. Copy it to a folder you can write to, or fix the permissions."
            )
    elif not os.access(folder, os.W_OK):
        raise UserError(f"Cannot create a database in {folder}: the folder is read-only.")


def _inspect(conn: sqlite3.Connection) -> tuple[int, set[str]]:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith("sqlite_")
    }
    return version, tables


def _classify(version: int, tables: set[str], path: Path) -> str:
    # Another application's file is refused first: many set user_version too.
    known = tables & set(TABLE_NAMES)
    if tables and not (len(known) >= 3 and {"triggers", "data_sources"} <= known):
        raise UserError(
            f"{path} is an SQLite database, but not one of WA-Integration or of the old system "
            f"(it has tables {', '.join(sorted(tables)[:5])})."
        )
    if version > LATEST:
        raise UserError(
            f"{path} was written by a newer version of WA-Integration (database version "
            f"{version}, this app knows up to {LATEST}). Update the app to open it."
        )
    if version > 0:
        return "current"
    if not tables:
        return "new"
    return "legacy"


def _check_pages(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _plain(exc, path) or _damaged(path) from exc
    finally:
        conn.close()
    if rows != [("ok",)]:
        raise _damaged(path)


def backup_file(path: Path, backup_dir: Path, label: str) -> Path:
    """Consistent copy through SQLite's backup API (safe with WAL): app-backup-<time>-<label>.db

    The copy holds what the database held before the upgrade (for the old system: passwords and
    API keys in plain text), so only the owner may read it: the file is created with mode 0600
    before SQLite writes to it, and SQLite gives its journal the same mode. On Windows a mode
    only says read-only or not; there the copy has the permissions of its folder, which in the
    default data folder are the user's own.
    """
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    counter = 1
    target = backup_dir / f"{path.stem}-backup-{stamp}-{label}.db"
    while True:
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            counter += 1
            target = backup_dir / f"{path.stem}-backup-{stamp}-{label}-{counter}.db"
    if os.name == "posix":
        os.chmod(target, 0o600)  # whatever the umask took away, nothing more is granted
    try:
        source = sqlite3.connect(path)
        try:
            dest = sqlite3.connect(target)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except BaseException:
        target.unlink(missing_ok=True)  # half a copy is no backup
        raise
    return target


def backup_notice(backup_path: Path) -> str:
    """What a person must know about the backup of the old system's database."""
    return (
        f"The backup {backup_path} is the old system's database as it was, with its passwords "
        "and API keys in plain text; only your user account can read it. Once the old system "
        "is retired, delete that file: WA-Integration does not need it."
    )


def open_database(
    path: str | os.PathLike[str],
    backup_dir: str | os.PathLike[str] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> OpenResult:
    """Open (creating or upgrading as needed) the database at `path` and bind the models to it.

    Before an upgrade the file is copied to a timestamped backup, next to it unless `backup_dir`
    says otherwise.
    """
    path = Path(path).expanduser().resolve()
    backup_dir = Path(backup_dir) if backup_dir is not None else path.parent
    _check_file(path)
    try:
        probe = sqlite3.connect(path)
        try:
            version, tables = _inspect(probe)
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        plain = _plain(exc, path)
        if plain is not None and not isinstance(plain, DatabaseDamaged):
            raise plain from exc
        raise UserError(
            f"{path} cannot be read as an SQLite database ({exc}). It may be damaged; "
            "restore it from a backup."
        ) from exc
    kind = _classify(version, tables, path)
    backup_path = None
    if kind != "new" and version < LATEST:
        _check_pages(path)  # an upgrade reads and rewrites every table: not on damaged pages
        try:
            backup_path = backup_file(path, backup_dir, f"v{version}")
        except (OSError, sqlite3.Error) as exc:
            plain = _plain(exc, backup_dir / path.name)
            if plain is None:
                raise
            raise UserError(
                f"{path} needs an upgrade, but the disk holding {backup_dir} is full, so the "
                "backup made first cannot be written; nothing was changed. Free some space on "
                "that disk and start again."
            ) from exc
        log.info("Backed up %s to %s before upgrading it", path, backup_path)
        if on_progress:
            on_progress(f"Backed up the database to {backup_path}")

    db = AppDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
        if version < LATEST:
            from app.db import migrations

            migrations.upgrade(db, version, legacy=(kind == "legacy"))
    except sqlite3.OperationalError as exc:
        db.close()
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise UserError(f"{path} is read-only: WA-Integration cannot write to it.") from exc
        plain = _plain(exc, path)
        if plain is None:
            raise
        raise plain from exc
    except UserError:
        db.close()
        raise
    except Exception as exc:
        db.close()
        plain = _plain(exc, path)
        if plain is None:
            raise
        raise plain from exc
    database_proxy.initialize(db)
    after = db.execute_sql("PRAGMA user_version").fetchone()[0]
    if version != after:
        log.info("Upgraded %s from version %s to %s (%s)", path, version, after, kind)
    result = OpenResult(db, path, kind, version, after, backup_path)
    if result.backup_notice:
        log.info("%s", result.backup_notice)
        if on_progress:
            on_progress(result.backup_notice)
    return result


def background_checkpoints(db: SqliteDatabase, every_s: float = 1.0) -> Checkpoints | None:
    """Move `db`'s WAL checkpoints to a thread (the desktop app and `serve`); stopped by
    close_database. None for a database that is not the app's."""
    if not isinstance(db, AppDatabase):
        return None
    if db.checkpoints is None:
        db.checkpoints = Checkpoints(db, every_s)
        db.checkpoints.start()
    return db.checkpoints


def close_database(db: SqliteDatabase) -> None:
    checkpoints = getattr(db, "checkpoints", None)
    if checkpoints is not None:
        checkpoints.stop()
        db.checkpoints = None
    if not db.is_closed():
        try:
            db.execute_sql("PRAGMA optimize")
        finally:
            db.close()
