"""Database triggers that refuse UPDATE, DELETE and TRUNCATE of stored signatures
(DESIGN principle 2). The model refuses too; the triggers stop anyone who goes around
it."""

from django.db import migrations

from hoso.core.immutable import ImmutableTable

GUARD = ImmutableTable("signing_signature", message="signatures are immutable")
forwards, backwards = GUARD.forwards, GUARD.backwards


class Migration(migrations.Migration):
    dependencies = [("signing", "0001_initial"), ("audit", "0002_immutable_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
