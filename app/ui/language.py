"""The language of the desktop app's windows, through Qt's own translation files.

Every text a person reads in app/ui is an English source string wrapped for Qt Linguist:
`self.tr("…")` inside a QObject subclass, `translate("Context", "…")` elsewhere, and
`QT_TRANSLATE_NOOP("Context", "…")` for tables kept at module level (translated where they are
shown). `scripts/translations.py` collects them into app/ui/translations/wa_integration_<code>.ts
and compiles the .qm files loaded here; docs/translating.md says how a translator adds a
language. English needs no catalogue for its words, only for its plural forms.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
CATALOGUE = "wa_integration"
# The languages a person can choose, in their own words (not translated on purpose).
LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT = "en"

translate = QCoreApplication.translate

_installed: list[QTranslator] = []
_current = DEFAULT


def available() -> dict[str, str]:
    """The languages offered: the known ones plus any catalogue a translator has added."""
    found = dict(LANGUAGES)
    for path in sorted(TRANSLATIONS.glob(f"{CATALOGUE}_*.qm")):
        code = path.stem[len(CATALOGUE) + 1:]
        if code not in found:
            found[code] = QLocale(code).nativeLanguageName() or code
    return found


def system_language() -> str:
    """The language of this computer when the app speaks it, else English."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("-", "_").split("_")[0].lower()
        if code in available():
            return code
    return DEFAULT


def qm_path(code: str) -> Path:
    return TRANSLATIONS / f"{CATALOGUE}_{code}.qm"


def install(code: str) -> str:
    """Make the windows built from now on speak `code`; returns the language in use (English
    when `code` is unknown or its catalogue is missing). Widgets that are open keep their text
    unless they follow QEvent.LanguageChange."""
    global _current
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    code = code if code in available() else DEFAULT
    translator = QTranslator(app)
    if translator.load(str(qm_path(code))):
        app.installTranslator(translator)
        _installed.append(translator)
    elif code != DEFAULT:
        log.warning("No translation file for %s at %s; the windows stay in English",
                    code, qm_path(code))
        code = DEFAULT
    _current = code
    QLocale.setDefault(QLocale(code))
    return code


def current() -> str:
    return _current


def reply_code() -> str:
    """The code app.core.i18n writes sentences in that matches the window's language."""
    return "id" if _current == "id" else "en"


class Counts(QObject):
    """Counts shown outside a QObject of their own, with Qt's plural forms (%n)."""

    def times(self, n: int) -> str:
        return self.tr("%n time(s)", "", n)

    def failed_logins(self, n: int) -> str:
        return self.tr("%n failed login(s)", "", n)

    def contacts(self, n: int) -> str:
        return self.tr("%n contact(s)", "", n)

    def tags(self, n: int) -> str:
        return self.tr("%n tag(s)", "", n)

    def groups(self, n: int) -> str:
        return self.tr("%n group(s)", "", n)

    def people(self, n: int) -> str:
        return self.tr("%n person(s)", "", n)





_counts: Counts | None = None


def counts() -> Counts:
    global _counts
    if _counts is None:
        _counts = Counts()
    return _counts
