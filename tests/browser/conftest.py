"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's
`live_server` (never a downloaded browser).

Every test module here sets `pytestmark = pytest.mark.browser` (`-m "not browser"`
leaves them out). They need
committed data, so they run on a transactional database that is emptied after each
test; the audit tables refuse DELETE and TRUNCATE by trigger (that is their point), so
the emptying drops those triggers for the moment of the flush and puts them back.
"""

from __future__ import annotations

import importlib
import os
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# Migrations whose forwards/backwards add/drop immutability triggers (PostgreSQL's
# TRUNCATE trigger fires even on an empty table, so each must be dropped for a flush).
TRIGGER_MIGRATIONS = (
    "hoso.audit.migrations.0002_immutable_triggers",
    "hoso.records.migrations.0003_revision_triggers",
    "hoso.documents.migrations.0002_immutable_triggers",
    "hoso.signing.migrations.0002_immutable_triggers",
    "hoso.oversight.migrations.0002_immutable_triggers",
    "hoso.annual.migrations.0002_submitted_immutable",
)


@contextmanager
def _audit_triggers_dropped(alias: str):
    editor = SimpleNamespace(connection=connections[alias])
    modules = [importlib.import_module(name) for name in TRIGGER_MIGRATIONS]
    for triggers in modules:
        triggers.backwards(None, editor)
    try:
        yield
    finally:
        for triggers in modules:
            triggers.forwards(None, editor)


@pytest.fixture(scope="module", autouse=True)
def _flushable_audit_tables():
    """Let the transactional database's flush empty the audit tables, and only it."""
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, **options):
        with _audit_triggers_dropped(options.get("database") or "default"):
            return original(self, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium (make system-deps)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django's ORM,
    # used by the tests between two browser steps, would refuse to run beside it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()
