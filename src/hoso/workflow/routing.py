"""Routing a submitted change request through the province's review chain.

Which steps, who decides each and by when are the province's rules (DESIGN principle
4): `core.policy` gives the chain for the person's staff category and the kind of their
agency; this module places each step on the org tree and dates it with the working-day
calendar (DESIGN principle 5):

- the approver unit (`Step.approver_unit`): the person's own unit; their agency (the
  nearest unit above that is not a division — Cần Thơ Đ5.1.đ "người đứng đầu cơ quan,
  đơn vị sử dụng"); the district (or, in the two-level structure, commune) People's
  Committee above them (Quảng Nam Đ5.1.b, Lâm Đồng Đ7.3); the association they work
  for (Quảng Nam Đ5.1.c);
- the due date: the step's deadline counted from its clock — the submission, or the
  previous step's decision (Cần Thơ Đ5.2.b–d: 5, 5 and 10 working days) —; the final
  step of a province with a unit approval window (Vĩnh Phúc Đ8.1, Quảng Nam Đ5.1: the
  last 5 days of the month; Lai Châu 2.3: the last 5 working days) is decided inside
  the window, and is due at the window's end.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.core.errors import DomainError
from hoso.org.models import OrgUnit, UnitKind

from .models import ChangeRequest, ReviewStep, StepStatus


def agency_of(unit: OrgUnit) -> OrgUnit:
    """The unit itself, or its nearest ancestor that is not a division (phòng, bộ
    phận): the agency that manages its staff."""
    while unit.kind == UnitKind.DIVISION and unit.parent_id:
        unit = unit.parent
    return unit


def _nearest(unit: OrgUnit, kinds: tuple[str, ...]) -> OrgUnit | None:
    """The unit or its nearest ancestor of one of `kinds` (the first kind first)."""
    chain = [unit, *reversed(list(unit.ancestors()))]
    for kind in kinds:
        for candidate in chain:
            if candidate.kind == kind:
                return candidate
    return None


def approver_unit(where: str, unit: OrgUnit) -> OrgUnit:
    """The unit on which a step's role must be held, for a person of `unit`."""
    if where == "unit":
        return unit
    if where == "agency":
        return agency_of(unit)
    if where == "parent_district":
        # The district People's Committee for district and commune staff (Quảng Nam
        # Đ5.1.b); where districts are gone (since 1/7/2025) the commune's own.
        found = _nearest(unit, (UnitKind.DISTRICT, UnitKind.COMMUNE))
        if found is None:
            raise DomainError(
                _("No district or commune People's Committee is above %(unit)s: this "
                  "review step cannot be given to anyone. Ask Sở Nội vụ to check the "
                  "organisation tree.") % {"unit": unit.name},
                code="no_approver_unit",
            )
        return found
    if where == "association":
        found = _nearest(unit, (UnitKind.ASSOCIATION,))
        if found is None:
            raise DomainError(
                _("%(unit)s belongs to no association: this review step (the "
                  "association's head) cannot be given to anyone.") % {"unit": unit.name},
                code="no_approver_unit",
            )
        return found
    raise DomainError(
        _("The province's policy names an unknown approver unit “%(where)s”.")
        % {"where": where}, code="no_approver_unit",
    )


def chain_for(cr: ChangeRequest):
    """(the policy in force, the chain for this request's person)."""
    from hoso.core.policy import get_policy

    policy = get_policy()
    agency = agency_of(cr.person.unit)
    above = [u.kind for u in reversed(list(agency.ancestors()))]  # nearest first
    return policy, policy.chain_for(cr.category, agency.kind, ancestor_kinds=above)


def new_round(cr: ChangeRequest, *, at: dt.datetime) -> list[ReviewStep]:
    """Make the steps of the request's next round (1 + earlier rounds) from the chain,
    the first one active; the request's own review fields are set by the caller."""
    policy, chain = chain_for(cr)
    person_unit = cr.person.unit
    number_of_round = (
        max(cr.steps.values_list("round", flat=True), default=0) + 1
    )
    steps = []
    last = len(chain.steps)
    for number, step in enumerate(chain.steps, 1):
        deadline = step.deadline
        steps.append(ReviewStep(
            change_request=cr, round=number_of_round, number=number, key=step.key,
            label=str(step.label), role=str(step.role),
            unit=approver_unit(step.approver_unit, person_unit),
            deadline_days=deadline.days if deadline else None,
            deadline_kind=deadline.kind if deadline else "",
            clock=step.clock,
            # the final approval always signs (it writes the revision); others as the
            # policy says (Cần Thơ Đ5.1.đ: "phê duyệt bằng ký số")
            signs=bool(step.signs) or number == last,
            delegable=bool(step.delegable),
            final=number == last,
        ))
    for step in steps:
        step.save()
    cr.policy = policy.code
    cr.steps_total = last
    activate(cr, steps[0], at=at, policy=policy)
    return steps


def activate(cr: ChangeRequest, step: ReviewStep, *, at: dt.datetime, policy=None) -> None:
    """Make `step` the one awaiting a decision, with its clock and due date."""
    from hoso.core.policy import get_policy

    policy = policy or get_policy(cr.policy or None)
    # The first step's clock, and a "submitted" one, start at the submission; the
    # others when the previous step was decided ("previous_step") or now ("window").
    from_submission = step.clock == "submitted" or step.number == 1
    started = (cr.submitted_at or at) if from_submission else at
    step.status = StepStatus.ACTIVE
    step.started_at = started
    step.due_date = due_date(step, started=started, policy=policy)
    step.save()
    cr.current_step = step.number


def window_applies(step: ReviewStep, policy) -> bool:
    """The unit approval window binds the final step, and a step whose clock is the
    window (Vĩnh Phúc's HR check, Đ15.3 with Đ8.1), where the province has one."""
    return policy.unit_window is not None and (step.final or step.clock == "window")


def due_date(step: ReviewStep, *, started: dt.datetime, policy) -> dt.date | None:
    from hoso.core.policy import Deadline

    day = timezone.localdate(started)
    if window_applies(step, policy):
        return policy.unit_window.next_end(day, province=policy.code)
    if step.deadline_days is None:
        return None
    return Deadline(days=step.deadline_days, kind=step.deadline_kind).due(
        day, province=policy.code
    )


def window_refusal(step: ReviewStep, policy, *, today: dt.date) -> str | None:
    """Why `step` may not be approved `today` (a Vietnamese sentence naming the
    window's dates), or None when it may."""
    if not window_applies(step, policy):
        return None
    window = policy.unit_window
    if window.contains(today, province=policy.code):
        return None
    start, end = window.bounds(today.year, today.month, province=policy.code)
    if today > end:  # past this month's window (its last days are off): the next one
        nxt = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        start, end = window.bounds(nxt.year, nxt.month, province=policy.code)
    if window.kind == "last_working_days":
        rule = _("the last %(n)d working days of the month") % {"n": window.days}
    else:
        rule = _("the last %(n)d days of the month") % {"n": window.days}
    return _(
        "This step is approved only within %(rule)s (%(document)s): the window runs "
        "from %(start)s to %(end)s; today, %(today)s, is outside it."
    ) % {
        "rule": rule, "document": policy.document,
        "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y"),
        "today": today.strftime("%d/%m/%Y"),
    }
