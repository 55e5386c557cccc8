"""`hoso audit verify`, run as the operator runs it, passes on a database and fails on a
tampered copy of it (issue 2, "Done when")."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest


def _hoso(data_dir, *args, db_file=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    env.update(HOSO_DATA_DIR=str(data_dir), LANG="vi_VN.UTF-8")
    if db_file:
        env["HOSO_DATABASE_URL"] = f"sqlite:///{db_file}"
    return subprocess.run(
        [sys.executable, "-m", "hoso", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


SEED = """
from hoso.core.context import acting_as
from hoso.accounts.permissions import SYSTEM
from hoso.org.models import UnitKind
from hoso.org.services import unit_create
with acting_as(label="system:test"):
    root = unit_create(actor=SYSTEM, parent=None, code="000.00.00.H26",
                       name="UBND tỉnh", kind=UnitKind.PROVINCE)
    for i in range(1, 6):
        unit_create(actor=SYSTEM, parent=root, code=f"000.{i:02d}.00.H26",
                    name=f"Sở số {i}", kind=UnitKind.DEPARTMENT)
"""


@pytest.mark.skipif(
    os.environ.get("HOSO_DATABASE_URL", "").startswith("postgres"),
    reason="copies the SQLite file; the PostgreSQL path is covered in test_chain.py",
)
def test_verify_passes_on_the_database_and_fails_on_a_tampered_copy(tmp_path):
    data = tmp_path / "data"
    assert _hoso(data, "migrate", "-v", "0").returncode == 0
    seeded = _hoso(data, "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr
    ok = _hoso(data, "audit", "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr

    copy = tmp_path / "copy.sqlite3"
    shutil.copy(data / "hoso.sqlite3", copy)
    con = sqlite3.connect(copy)
    con.execute("DROP TRIGGER audit_changelog_no_update")
    con.execute(
        "UPDATE audit_changelog SET after = json_set(after, '$.name', 'Sở giả') WHERE seq = 3"
    )
    con.commit()
    con.close()

    tampered = _hoso(data, "audit", "verify", db_file=copy)
    assert tampered.returncode != 0
    assert "Sở giả" not in tampered.stdout  # reports the row, never the data
    assert _hoso(data, "audit", "verify").returncode == 0  # the original is untouched
