"""Evidence rows are never updated or deleted (DESIGN principle 2; the model refuses
too): triggers refuse UPDATE, DELETE and TRUNCATE to anyone going around the model
with SQL."""

from django.db import migrations

from hoso.core.immutable import ImmutableTable

GUARD = ImmutableTable("documents_evidencedocument", message="evidence rows are immutable")
forwards, backwards = GUARD.forwards, GUARD.backwards


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
