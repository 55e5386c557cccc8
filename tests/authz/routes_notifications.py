"""Matrix entries for the notifications app: one's own notifications (every account),
marking one read (its recipient only: another account gets a 404), and the overdue
list (those who keep or approve files: `person.change` or `person.approve` somewhere;
its rows are filtered by the same permission path, tests/notifications/test_overdue.py).
"""

from __future__ import annotations

from .spec import ALL_ACTORS, Route

# person.change (unit administrator, HR officer, head of HR, Sở Nội vụ) or
# person.approve (head of HR, head of unit, chairman, province approver).
OVERDUE_READERS = frozenset(
    {
        "province_admin", "province_approver", "unit_admin", "hr_officer", "hr_head",
        "unit_head", "chairman",
    }
)
RECIPIENT = frozenset({"staff"})


def _staff_notification(obj) -> dict:
    """A fresh notification of the staff member's (made inside the request's rolled-back
    transaction)."""
    from hoso.accounts.models import User
    from hoso.notifications.services import notify

    n = notify(User.objects.get(username="staff"), kind="review.due_soon",
               message="Yêu cầu thay đổi số 1 đang chờ.", url="/", email=False)
    return {"pk": n.pk}


ROUTES: list[Route] = [
    Route("notifications:list", allowed=ALL_ACTORS),
    Route("notifications:badge", allowed=ALL_ACTORS),
    Route("notifications:read", method="POST", allowed=RECIPIENT,
          extra={"kwargs": _staff_notification}),
    Route("notifications:read_all", method="POST", allowed=ALL_ACTORS),
    Route("notifications:overdue", allowed=OVERDUE_READERS),
    # API
    Route("api:notification-list", allowed=ALL_ACTORS, api=True),
    Route("api:notification-read", method="POST", allowed=RECIPIENT, api=True, ok=(200,),
          extra={"kwargs": _staff_notification}),
    Route("api:notification-read-all", method="POST", allowed=ALL_ACTORS, api=True, ok=(200,)),
    Route("api:overdue-list", allowed=OVERDUE_READERS, api=True),
]
