"""The secret store (encrypted-file backend in tests): secrets survive restarts, never in clear."""

from __future__ import annotations

import os
import re
import stat
import sys

import pytest

from app.errors import UserError
from app.services import secrets

SECRET = "Orcl#2024-lims"


@pytest.fixture
def store(data_dir) -> secrets.SecretStore:
    return secrets.store()


def test_a_secret_comes_back_by_its_reference(store):
    assert store.backend_name == "encrypted file"  # WA_INTEGRATION_SECRETS=file in conftest
    ref = store.put(SECRET)
    assert re.fullmatch(r"secret:[0-9a-f-]{36}", ref)
    assert store.get(ref) == SECRET
    assert store.put("other") != ref


def test_secrets_survive_a_restart(store, data_dir):
    ref = store.put(SECRET)
    assert secrets.SecretStore(data_dir).get(ref) == SECRET


def test_an_update_under_the_same_reference_replaces_the_value(store):
    ref = store.put(SECRET)
    assert store.put("rotated", ref) == ref
    assert store.get(ref) == "rotated"


def test_a_deleted_secret_is_gone(store):
    ref = store.put(SECRET)
    keep = store.put("keep me")
    store.delete(ref)
    assert store.get(ref) is None
    assert store.get(keep) == "keep me"
    store.delete(ref)  # deleting twice is harmless


def test_no_reference_means_no_secret(store):
    assert store.get(None) is None
    assert store.get("") is None
    assert store.get("secret:00000000-0000-4000-8000-000000000000") is None


def test_the_secret_is_not_in_any_file_in_clear(store, data_dir):
    store.put(SECRET)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_only_the_owner_can_read_the_secret_files(store, data_dir):
    store.put(SECRET)
    for name in ("secrets.json", "secrets.key"):
        assert stat.S_IMODE(os.stat(data_dir / name).st_mode) == 0o600, name


def test_a_key_file_from_elsewhere_gives_a_sentence(store, data_dir):
    ref = store.put(SECRET)
    (data_dir / "secrets.key").write_bytes(b"A" * 43 + b"=")  # a valid but different key
    with pytest.raises(secrets.SecretStoreError) as caught:
        secrets.SecretStore(data_dir).get(ref)
    assert isinstance(caught.value, UserError)
    assert "Type the password again" in str(caught.value)


def test_a_damaged_secret_file_gives_a_sentence(store, data_dir):
    store.put(SECRET)
    (data_dir / "secrets.json").write_text("{not json")
    with pytest.raises(UserError, match="is damaged"):
        store.put("another")


def test_without_a_keyring_the_notice_says_where_the_key_file_lives(store, data_dir):
    notice = store.location_notice
    assert "No system keyring is available" in notice
    assert f"the key that opens them is the file {data_dir / 'secrets.key'}" in notice
    assert str(data_dir / "secrets.json") in notice


def test_with_a_keyring_there_is_no_notice(data_dir, monkeypatch):
    monkeypatch.setattr(secrets, "_usable_keyring", lambda: object())
    assert secrets.SecretStore(data_dir).location_notice == ""
