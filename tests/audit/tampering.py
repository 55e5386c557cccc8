"""What an intruder with database access does first: switch the audit guard off."""

import contextlib

from django.db import connection


@contextlib.contextmanager
def triggers_off(table: str):
    """Switch the immutability triggers of `table` off. Both engines run the DDL inside
    the test's transaction, so the rollback restores them."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush deferred FK checks first
            c.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            c.execute(f"DROP TRIGGER {table}_no_update")
            c.execute(f"DROP TRIGGER {table}_no_delete")
    yield
