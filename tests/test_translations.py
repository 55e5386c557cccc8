"""Everything a user sees is Vietnamese: every msgid in hoso's code and templates has a
Vietnamese translation in some app's catalog (Django merges them at runtime)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[1] / "src" / "hoso"


def _extracted_msgids(tmp_path) -> dict[str, set[str]]:
    """Run makemessages over a copy of the source tree (so the real catalogs are not
    touched) and collect each app's msgids."""
    copy = tmp_path / "hoso"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    out: dict[str, set[str]] = {}
    for app in sorted(p for p in copy.iterdir() if (p / "apps.py").exists()):
        (app / "locale").mkdir(exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-P", "-m", "django", "makemessages", "-l", "vi", "--no-obsolete",
             "--no-location", "-v", "0", "-i", "migrations/*"],
            cwd=app, capture_output=True, text=True, timeout=120,
            env={"DJANGO_SETTINGS_MODULE": "hoso.settings", "PATH": "/usr/bin:/bin",
                 "HOSO_DATA_DIR": str(tmp_path / "var")},
        )
        assert result.returncode == 0, result.stderr
        po = app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        if po.exists():
            out[app.name] = _msgids(po.read_text(encoding="utf-8"))
    return out


def _msgids(text: str) -> set[str]:
    """Each msgid, prefixed "context\x04" when it has a msgctxt (gettext's own key)."""
    ids, current, in_id, context = set(), [], False, ""
    for line in text.splitlines():
        if line.startswith("msgctxt "):
            context = eval(line[8:])  # noqa: S307 (po string literal)
        elif line.startswith("msgid "):
            current, in_id = [line[6:]], True
        elif line.startswith('"') and in_id:
            current.append(line)
        else:
            if in_id:
                value = "".join(eval(part) for part in current)  # noqa: S307 (po string literals)
                if value:
                    ids.add(f"{context}\x04{value}" if context else value)
                context = ""
            in_id = False
    return ids


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (make setup)")
def test_every_message_has_a_vietnamese_translation(tmp_path):
    untranslated = []
    with translation.override("vi"):
        catalog = translation.trans_real.translation("vi")._catalog
        for app, ids in _extracted_msgids(tmp_path).items():
            for msgid in sorted(ids):
                if msgid not in catalog and (msgid, 0) not in catalog:
                    untranslated.append(f"{app}: {msgid!r}")
    assert not untranslated, "untranslated messages:\n" + "\n".join(untranslated)
