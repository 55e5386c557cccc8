"""`hoso demo` never mixes demo data into a database that holds a real province.

(Its own module: the demo of test_demo.py stays in the database for that module.)"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.demo.generator import ROOT_CODE
from hoso.org.models import OrgUnit
from hoso.records.models import Person

from ..factories import OrgUnitFactory


def test_demo_refuses_a_database_holding_another_province(db):
    OrgUnitFactory.root()  # Vĩnh Phúc's tree, not the demo's
    with pytest.raises(CommandError, match="cây tổ chức khác"):
        call_command("demo", people=5, stdout=io.StringIO())
    assert not OrgUnit.objects.filter(code=ROOT_CODE).exists()
    assert not Person.objects.exists()
