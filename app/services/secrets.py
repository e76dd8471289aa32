"""Passwords, tokens and API keys: the OS keyring when it works, else an encrypted file."""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import Any

from app.errors import UserError

log = logging.getLogger(__name__)

SERVICE = "WA-Integration"
REF_PREFIX = "secret:"


class SecretStoreError(UserError):
    """The secret store cannot be read; the message says what to do."""


def _usable_keyring():
    """The keyring module when a real backend is configured, else None."""
    if os.environ.get("WA_INTEGRATION_SECRETS", "").lower() == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or backend.priority <= 0:
            return None
        return keyring
    except Exception:  # noqa: BLE001 - any keyring trouble means: use the file
        return None


class SecretStore:
    """Stores secrets under opaque references such as `secret:3f2a…`; config keeps the reference."""

    def __init__(self, data_dir: Path) -> None:
        self._dir = Path(data_dir)
        self._lock = threading.Lock()
        self._backend_lock = threading.Lock()
        self._backend: list[Any] = []  # [keyring module or None] once looked up

    @property
    def _keyring(self) -> Any:
        # Looked up on the first secret read or written, not when the app starts: keyring
        # loads every platform's backend to choose one (about 0.1 s), and most starts
        # (the login window, `simulate`) read no secret.
        if not self._backend:
            with self._backend_lock:
                if not self._backend:
                    self._backend.append(_usable_keyring())
        return self._backend[0]

    @property
    def backend_name(self) -> str:
        return "system keyring" if self._keyring else "encrypted file"

    @property
    def location_notice(self) -> str:
        """For Settings: where the secrets and their key live when there is no keyring ("" when
        the system keyring holds them)."""
        if self._keyring:
            return ""
        return (
            f"No system keyring is available, so passwords, tokens and API keys are kept "
            f"encrypted in {self._file}, and the key that opens them is the file "
            f"{self._key_file}. Only your user account can read them; back up both with the "
            "database, as without the key file every password must be typed again."
        )

    # -- public ---------------------------------------------------------------------------
    def put(self, value: str, ref: str | None = None) -> str:
        ref = ref or f"{REF_PREFIX}{uuid.uuid4()}"
        if self._keyring:
            self._keyring.set_password(SERVICE, ref, value)
        else:
            with self._lock:
                data = self._read_file()
                data[ref] = self._fernet().encrypt(value.encode("utf-8")).decode("ascii")
                self._write_file(data)
        return ref

    def get(self, ref: str | None) -> str | None:
        if not ref:
            return None
        if self._keyring:
            return self._keyring.get_password(SERVICE, ref)
        with self._lock:
            token = self._read_file().get(ref)
        if token is None:
            return None
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet().decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise SecretStoreError(
                "A stored password could not be decrypted: the key file in the data folder "
                "does not match. Type the password again."
            ) from exc

    def delete(self, ref: str | None) -> None:
        if not ref:
            return
        if self._keyring:
            try:
                self._keyring.delete_password(SERVICE, ref)
            except Exception:  # noqa: BLE001 - already gone
                pass
            return
        with self._lock:
            data = self._read_file()
            if data.pop(ref, None) is not None:
                self._write_file(data)

    # -- encrypted file -------------------------------------------------------------------
    @property
    def _file(self) -> Path:
        return self._dir / "secrets.json"

    @property
    def _key_file(self) -> Path:
        return self._dir / "secrets.key"

    def _fernet(self):
        from cryptography.fernet import Fernet

        self._dir.mkdir(parents=True, exist_ok=True)
        if not self._key_file.exists():
            key = Fernet.generate_key()
            fd = os.open(self._key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key)
        return Fernet(self._key_file.read_bytes().strip())

    def _read_file(self) -> dict[str, str]:
        if not self._file.exists():
            return {}
        try:
            return json.loads(self._file.read_text("utf-8"))
        except ValueError as exc:
            raise SecretStoreError(f"The secret file {self._file} is damaged.") from exc

    def _write_file(self, data: dict[str, str]) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
        os.replace(tmp, self._file)


_store: SecretStore | None = None


def configure(data_dir: Path) -> SecretStore:
    global _store
    _store = SecretStore(data_dir)
    return _store


def store() -> SecretStore:
    if _store is None:
        raise RuntimeError("secret store not configured")
    return _store
