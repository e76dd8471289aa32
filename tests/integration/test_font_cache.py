"""The charts' font list (matplotlib scans every font once, 10-20 s on a plant PC) is built
before the first chart: by the installer for the whole machine, or in the background on a first
start; each check runs matplotlib in a child process with its own cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.runtime.charts import seed_font_cache

ROOT = Path(__file__).resolve().parents[2]
BUILT = "generated new fontManager"  # what matplotlib logs when it scans the fonts

# Imports matplotlib's font manager with its log on stderr, as the first chart would.
FIRST_CHART = textwrap.dedent("""
    import logging, sys
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    import matplotlib.font_manager
""")


def _python(code: str, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLCONFIGDIR=str(cache), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, text=True,
                          capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def machine_cache(tmp_path_factory) -> Path:
    """The folder the .deb's postinst fills: `wa-integration --build-font-cache` with the
    folder in WA_INTEGRATION_FONT_CACHE (the installed bundle sets MPLCONFIGDIR to a temporary
    folder of its own at start, so the postinst cannot name the folder that way)."""
    shared = tmp_path_factory.mktemp("var-cache") / "fonts"
    env = dict(os.environ, WA_INTEGRATION_FONT_CACHE=str(shared), PYTHONPATH=str(ROOT),
               MPLCONFIGDIR=str(tmp_path_factory.mktemp("bundler-temp")))
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--build-font-cache"], env=env,
                          cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    built = sorted(shared.glob("fontlist-v*.json"))
    assert built and done.stdout.split() == [str(path) for path in built]
    return shared


def test_without_a_font_list_the_first_chart_scans_the_fonts(tmp_path):
    assert BUILT in _python(FIRST_CHART, tmp_path / "empty").stderr


def test_a_users_first_start_takes_the_installers_list_instead_of_scanning(machine_cache,
                                                                            tmp_path):
    user = tmp_path / "user-cache"
    user.mkdir()
    assert seed_font_cache(user, machine_cache)
    assert not seed_font_cache(user, machine_cache)  # the user's own list is kept from then on
    first_chart = _python(FIRST_CHART, user)
    assert first_chart.returncode == 0, first_chart.stderr
    assert BUILT not in first_chart.stderr


def test_no_installer_list_means_nothing_is_copied(tmp_path):
    user = tmp_path / "user-cache"
    user.mkdir()
    assert not seed_font_cache(user, tmp_path / "no-such-folder")
    assert list(user.iterdir()) == []


def test_a_first_start_builds_the_list_in_the_background_before_any_chart(tmp_path):
    cache = tmp_path / "fresh"
    done = _python(textwrap.dedent("""
        from app.runtime import charts
        thread = charts.prepare_fonts_in_background()
        print("started", thread is not None)
        thread.join(60)
        print("again", charts.prepare_fonts_in_background() is None)
    """), cache)
    assert done.returncode == 0, done.stderr
    # The call returns at once with the scan under way in its own thread.
    assert done.stdout.splitlines() == ["started True", "again True"]
    assert list(cache.glob("fontlist-v*.json"))
    assert BUILT not in _python(FIRST_CHART, cache).stderr
