"""The MariaDB peer of the SQL tests: missing, it skips on a workstation and fails in CI."""

from __future__ import annotations

import pytest

from tests import mariadb


@pytest.fixture
def no_mariadb(monkeypatch):
    monkeypatch.setattr(mariadb, "_program", lambda name: None)


def test_without_mariadb_the_tests_fail_in_ci_with_a_sentence(no_mariadb, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as caught:
        mariadb.server_programs()
    assert str(caught.value).startswith("MariaDB is missing")


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_without_mariadb_the_tests_skip_outside_ci(no_mariadb, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception) as caught:
        mariadb.server_programs()
    assert "MariaDB is not installed" in str(caught.value)


def test_with_mariadb_installed_its_programs_are_found(monkeypatch):
    monkeypatch.setattr(mariadb, "_program", lambda name: f"/usr/sbin/{name}")
    monkeypatch.setenv("CI", "true")
    assert mariadb.server_programs() == ("/usr/sbin/mariadbd", "/usr/sbin/mariadb-install-db")
