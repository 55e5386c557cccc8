"""End to end with the review chain (`hoso.workflow`): a change request goes through
Cần Thơ's three steps (641/QĐ-UBND Đ5.2.b–d), the head of unit one day late; the
dashboard counts the steps as the regulation does (Đ11.4, Đ13.5), and in the month's
last five days Sở Nội vụ signs the batch holding the new revision (Đ5.3).

February 2027: Tết falls on 5–11 February (days off in lieu included), so the working
days after Monday 1/2 are 2, 3, 4, then 12, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26.
"""

from __future__ import annotations

import datetime as dt

from hoso.oversight import compliance, services
from hoso.oversight.manifest import manifest_of
from hoso.records.models import Revision
from hoso.workflow import decisions
from hoso.workflow.models import Status

from ..workflow.conftest import PASSPHRASE, clock, keys, staff, submitted  # noqa: F401


def test_a_reviewed_change_is_counted_then_signed_in_the_province_batch(
        world, staff, clock, keys, province):  # noqa: F811
    province("can-tho")
    clock.set(dt.date(2027, 2, 1))
    cr = submitted(staff)  # revision 1 approved now, then the change submitted
    clock.set(dt.date(2027, 2, 3))
    cr = decisions.approve(actor=world.actors["hr_officer"], change_request=cr)
    clock.set(dt.date(2027, 2, 4))
    cr = decisions.approve(actor=world.actors["hr_head"], change_request=cr)
    clock.set(dt.date(2027, 2, 26))  # due Thursday 25/2: one day late
    cr = decisions.approve(actor=world.actors["unit_head"], change_request=cr,
                           secret=PASSPHRASE)
    assert cr.status == Status.APPROVED
    revision = Revision.objects.get(pk=cr.revision_id)

    clock.set(dt.date(2027, 3, 5))
    board = compliance.dashboard(user=world.actors["province_approver"], year=2027, month=2)
    row = next(f for f in board.rows if f.unit.pk == world.in_unit.pk)
    assert (row.handled, row.on_time, row.late, row.overdue) == (3, 2, 1, 0)
    assert row.updates == 2  # revision 1 on 1/2, revision 2 on 26/2
    # working days: 1/2 → 3/2 is 2; 3/2 → 4/2 is 1; 4/2 → 26/2 is 11 (Tết between)
    assert (row.median("hr_check"), row.median("hr_head"), row.median("unit_head")) == (
        2.0, 1.0, 11.0)

    clock.set(dt.date(2027, 2, 27))  # Cần Thơ's window: 24–28 February
    approver = world.actors["province_approver"]
    batch = services.batch_prepare(actor=approver).batch
    assert batch.item_count == 2 and (batch.year, batch.month) == (2027, 2)
    signed = services.batch_sign(actor=approver, batch_id=batch.pk, version=batch.version,
                                 secret=PASSPHRASE)
    items = manifest_of(signed)["items"]
    assert {"person": staff.person.pk, "id_number_hash": staff.person.id_number_hash,
            "revision": 2, "content_hash": revision.content_hash,
            "unit": world.in_unit.code} in items
