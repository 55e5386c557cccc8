"""Two reviewers acting at once, or an approval racing another write, resolve to exactly
one outcome; the other is refused with nothing changed, and no update is lost.

On PostgreSQL the decisions run in two threads (two connections) released together; on
SQLite, which serialises writers, the same interleavings are played in sequence: both
reviewers read the request (the step and version their page shows), then decide one
after the other."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from hoso.accounts.roles import Role
from hoso.core.errors import DomainError
from hoso.records.models import Revision
from hoso.signing.models import Signature
from hoso.workflow import decisions
from hoso.workflow.models import ChangeRequest, Status, StepStatus

from ..factories import PersonFactory, RoleFactory, UserFactory
from .conftest import PASSPHRASE, submitted

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need PostgreSQL's row locks"
)


def _trigger_migrations() -> list:
    """Every hoso migration that adds immutability triggers with forwards/backwards
    (the browser tests' list, and those added since by other apps)."""
    import importlib
    import pkgutil
    from pathlib import Path

    import hoso

    found = []
    for app in sorted(Path(hoso.__file__).parent.iterdir()):
        if not (app / "migrations").is_dir():
            continue
        package = f"hoso.{app.name}.migrations"
        for info in pkgutil.iter_modules([str(app / "migrations")]):
            text = (app / "migrations" / f"{info.name}.py").read_text(encoding="utf-8")
            if "TRIGGER" not in text and "ImmutableTable" not in text:
                continue
            module = importlib.import_module(f"{package}.{info.name}")
            if callable(getattr(module, "forwards", None)) and callable(
                getattr(module, "backwards", None)
            ):
                found.append(module)
    return found


@pytest.fixture(scope="module", autouse=True)
def _flushable():
    """The threads need committed data (a transactional test database, emptied by a
    flush after each test); the immutable tables refuse the flush by trigger, so the
    triggers are dropped for the moment of the flush only (as tests/browser does)."""
    from types import SimpleNamespace

    from django.core.management.commands import flush
    from django.db import connections

    original = flush.Command.handle
    modules = _trigger_migrations()

    def handle(self, **options):
        editor = SimpleNamespace(connection=connections[options.get("database") or "default"])
        for module in modules:
            module.backwards(None, editor)
        try:
            return original(self, **options)
        finally:
            for module in modules:
                module.forwards(None, editor)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture
def can_tho(settings, clock):
    settings.PROVINCE = "can-tho"
    clock.set(dt.date(2027, 2, 3))


def _second(world, role: str, name: str):
    person = PersonFactory(unit=world.in_unit, full_name=name)
    user = UserFactory(username=f"second_{role}", unit=world.in_unit, person=person,
                       full_name=name)
    RoleFactory(user=user, role=role, unit=world.in_unit)
    return user


def _seen(cr):
    """What a reviewer's page holds: the active step and the version."""
    cr = ChangeRequest.objects.get(pk=cr.pk)
    return {"step": cr.steps.get(status=StepStatus.ACTIVE).pk, "version": cr.version}


def _race(*calls):
    """Run the calls in threads released together; each outcome: the result or the
    exception."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 — the outcome under test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _one_won(outcomes):
    won = [o for o in outcomes if isinstance(o, ChangeRequest)]
    lost = [o for o in outcomes if not isinstance(o, ChangeRequest)]
    assert len(won) == 1, outcomes
    assert all(isinstance(o, decisions.Stale) for o in lost), outcomes
    return won[0]


def test_two_reviewers_deciding_the_same_step_one_after_the_other(world, can_tho):
    staff = world.actors["staff"]
    cr = submitted(staff)
    other = _second(world, Role.HR_OFFICER, "Lê Văn Hai")
    first, second = _seen(cr), _seen(cr)  # both pages open
    decisions.approve(actor=world.actors["hr_officer"], change_request=cr, **first)
    before = ChangeRequest.objects.get(pk=cr.pk)
    with pytest.raises(decisions.Stale):
        decisions.return_for_correction(actor=other, change_request=cr,
                                        field_reasons={"phone": "Sai"}, **second)
    with pytest.raises(decisions.Stale):
        decisions.approve(actor=other, change_request=cr, **second)
    after = ChangeRequest.objects.get(pk=cr.pk)
    assert (after.status, after.version, after.current_step) == (
        before.status, before.version, before.current_step)
    assert cr.steps.get(number=1).decided_by == world.actors["hr_officer"]


def test_an_approval_taken_on_a_page_opened_before_a_return_and_resubmission(world, can_tho):
    staff = world.actors["staff"]
    cr = submitted(staff)
    stale = _seen(cr)  # a reviewer opens the page …
    decisions.return_for_correction(actor=world.actors["hr_officer"], change_request=cr,
                                    field_reasons={"phone": "Thiếu số"})
    from hoso.workflow import services

    services.draft_update(actor=staff, draft=cr, changes={"phone": "0987654321"})
    services.resubmit(cr, actor=staff)  # … the person corrects and resubmits …
    other = _second(world, Role.HR_OFFICER, "Lê Văn Hai")
    with pytest.raises(decisions.Stale):  # … the old page's approval is not applied
        decisions.approve(actor=other, change_request=cr, **stale)
    cr = ChangeRequest.objects.get(pk=cr.pk)
    assert cr.steps.get(round=2, number=1).status == StepStatus.ACTIVE


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_one_wins(world, can_tho):
    cr = submitted(world.actors["staff"])
    other = _second(world, Role.HR_OFFICER, "Lê Văn Hai")
    seen = _seen(cr)
    outcomes = _race(
        lambda: decisions.approve(actor=world.actors["hr_officer"], change_request=cr, **seen),
        lambda: decisions.approve(actor=other, change_request=cr, **seen),
    )
    winner = _one_won(outcomes)
    cr = ChangeRequest.objects.get(pk=cr.pk)
    assert cr.current_step == 2 and cr.version == winner.version
    assert cr.steps.filter(status=StepStatus.APPROVED).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_return_at_once_one_wins(world, can_tho):
    cr = submitted(world.actors["staff"])
    other = _second(world, Role.HR_OFFICER, "Lê Văn Hai")
    seen = _seen(cr)
    outcomes = _race(
        lambda: decisions.approve(actor=world.actors["hr_officer"], change_request=cr, **seen),
        lambda: decisions.return_for_correction(actor=other, change_request=cr,
                                                field_reasons={"phone": "Sai"}, **seen),
    )
    winner = _one_won(outcomes)
    cr = ChangeRequest.objects.get(pk=cr.pk)
    assert cr.status == winner.status in (Status.IN_REVIEW, Status.RETURNED)
    decided = cr.steps.get(number=1)
    assert decided.status in (StepStatus.APPROVED, StepStatus.RETURNED)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_final_approvals_at_once_write_one_revision(world, can_tho, keys):
    staff = world.actors["staff"]
    cr = submitted(staff)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    cr = decisions.approve(actor=world.actors["hr_head"], change_request=cr)
    deputy_head = _second(world, Role.UNIT_HEAD, "Phạm Thị Ba")
    keys.add(deputy_head)
    seen = _seen(cr)
    outcomes = _race(
        lambda: decisions.approve(actor=world.actors["unit_head"], change_request=cr,
                                  secret=PASSPHRASE, **seen),
        lambda: decisions.approve(actor=deputy_head, change_request=cr, secret=PASSPHRASE,
                                  **seen),
    )
    winner = _one_won(outcomes)
    assert winner.status == Status.APPROVED
    assert Revision.objects.filter(person=staff.person).count() == 2
    assert Signature.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_final_approval_racing_an_import_loses_no_update(world, can_tho, keys):
    """The import writes a revision of the same file while the head of unit approves:
    either the approval goes first (revision 2, then the import's 3) or the import does
    and the approval is refused (it would undo revision 2) — never both on revision 1."""
    from hoso.accounts.permissions import SYSTEM
    from hoso.core.context import acting_as
    from hoso.records.services import revision_create

    from ..records.documents import document_for

    staff = world.actors["staff"]
    cr = submitted(staff)
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    cr = decisions.approve(actor=world.actors["hr_head"], change_request=cr)
    seen = _seen(cr)
    imported = document_for(staff.person, email="dung@cantho.gov.vn")

    def do_import():
        with acting_as(label="system:import"):
            return revision_create(actor=SYSTEM, person=staff.person, document=imported,
                                   reason="import")

    approval, write = _race(
        lambda: decisions.approve(actor=world.actors["unit_head"], change_request=cr,
                                  secret=PASSPHRASE, **seen),
        do_import,
    )
    assert isinstance(write, Revision), write
    revisions = list(Revision.objects.filter(person=staff.person).order_by("number"))
    if isinstance(approval, ChangeRequest):
        assert [r.number for r in revisions] == [1, 2, 3]
        assert revisions[1].change_request_id == cr.pk and revisions[2].pk == write.pk
    else:
        assert isinstance(approval, DomainError) and approval.code == "stale_base", approval
        assert [r.number for r in revisions] == [1, 2] and revisions[1].pk == write.pk
        assert ChangeRequest.objects.get(pk=cr.pk).status == Status.IN_REVIEW
