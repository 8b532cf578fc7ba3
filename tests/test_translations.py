"""Arabic is the first language: every string in the code must have its Arabic."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def _untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def test_the_arabic_catalogue_has_no_empty_or_fuzzy_entry():
    assert _untranslated(polib.pofile(str(CATALOGUE))) == []


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext) to extract strings")
def test_every_translatable_string_in_the_code_has_its_arabic(tmp_path):
    """Extract the strings afresh in a copy of the tree and look for any without Arabic."""
    copy = tmp_path / "tree"
    ignore = shutil.ignore_patterns(".venv", "var", ".git", "tests", "__pycache__", "*.mo", ".*cache", "node_modules")
    shutil.copytree(ROOT, copy, ignore=ignore)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-obsolete", "--ignore=.venv", "--ignore=var"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    missing = _untranslated(polib.pofile(str(copy / "locale" / "ar" / "LC_MESSAGES" / "django.po")))
    assert missing == [], f"{len(missing)} string(s) without Arabic; run `make messages` and translate: {missing[:20]}"
