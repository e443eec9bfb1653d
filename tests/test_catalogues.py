"""The French and Spanish catalogues are complete.

The messages are extracted afresh from a copy of the sources, exactly as ``make catalogues``
does, so a string added anywhere without its translations fails here, as does a translation
left fuzzy or a placeholder that does not match its English.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["fr", "es"]
# What ``makemessages`` must not read: the virtual environment, benchmarks, tests.
IGNORED = [".venv", ".local", "bench", "tests", "*/tests", "node_modules", "static"]


def catalogue(language: str, root: Path = ROOT) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """A copy of the sources with catalogues extracted from scratch."""
    copy = tmp_path_factory.mktemp("sources") / "trellis"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "locale", "__pycache__", "*.pyc", ".local", "node_modules", "media"))
    ignore = [f"--ignore={pattern}" for pattern in IGNORED]
    subprocess.run(  # noqa: S603 - a fixed command line of ours
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v0",
         *[f"-l{language}" for language in LANGUAGES], *ignore],
        cwd=copy, check=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{copy / 'extract.sqlite3'}"})
    return copy


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation(fresh, language):
    committed = {_key(e): e for e in catalogue(language)}
    missing = []
    for entry in catalogue(language, fresh):
        ours = committed.get(_key(entry))
        if ours is None or not ours.translated() or "fuzzy" in ours.flags:
            missing.append(entry.msgid)
    assert not missing, (f"{len(missing)} messages have no {language} translation; run "
                         f"`make catalogues` and translate them:\n" + "\n".join(missing[:40]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_placeholders_match_the_english(language):
    result = subprocess.run(  # noqa: S603 - a fixed command line of ours
        [shutil.which("msgfmt") or "msgfmt", "--check-format", "-o", "/dev/null",
         str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
