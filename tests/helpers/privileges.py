"""Running a child process as an ordinary user would, even when the tests run as root (CI)."""

from __future__ import annotations

import os

import pytest

SETPRIV = "/usr/bin/setpriv"


def without_file_override() -> list[str]:
    """The command prefix under which root loses the right to ignore file permissions.

    Root keeps its user id but drops dac_override and dac_read_search from the bounding set,
    so the child it starts meets read-only files and folders as anyone else does. Empty for
    an ordinary user, who needs nothing dropped.
    """
    if os.geteuid() != 0:
        return []
    if not os.path.exists(SETPRIV):
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search", "--"]
