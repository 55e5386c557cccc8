"""The shell's pages: the home page, a dashboard of what the user may do today.

Every number on it is a count over a selector (so over `visible_to`): a count carries
no personal data and leaves no access row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hoso.accounts import selectors as accounts
from hoso.accounts import twofactor
from hoso.accounts.roles import Action
from hoso.org.selectors import unit_list
from hoso.records.selectors import person_list

from .context import reads_people


@dataclass
class Card:
    title: str
    count: int | None
    text: str
    links: list[tuple[str, str]]


def _my_file_card(user) -> Card:
    """The person lands on their own file and what it still lacks (DESIGN, Interfaces)."""
    from hoso.workflow.selectors import file_overview

    overview = file_overview(user=user, person=user.person)
    meter = overview.meter
    if meter.complete:
        text = _("Your own personnel file: complete. Check it and keep it up to date.")
    else:
        text = _(
            "Your own personnel file is %(percent)d%% complete: %(missing)d required "
            "fields are still empty."
        ) % {"percent": meter.percent, "missing": len(meter.missing)}
    return Card(
        pgettext("home", "My file"),
        None,
        text,
        [(_("Open my file"), reverse("workflow:my_file"))],
    )


def _review_card(user) -> Card:
    """The reviewer's queue: how many steps wait for them, how many are overdue."""
    from hoso.workflow.selectors import queue_for

    steps = queue_for(user)
    overdue = steps.filter(due_date__lt=timezone.localdate()).count()
    return Card(
        pgettext("home", "Changes to review"),
        steps.count(),
        _("Review steps waiting for your decision; %(overdue)d past their due date.")
        % {"overdue": overdue},
        [(_("Open the queue"), reverse("workflow:review_queue"))],
    )


def dashboard(user) -> list[Card]:
    cards = []
    if user.person_id:
        cards.append(_my_file_card(user))
    if accounts.reviews_anywhere(user):
        cards.append(_review_card(user))
    if reads_people(user):
        cards.append(
            Card(
                pgettext("home", "People"),
                person_list(user=user).count(),
                _("Personnel files you may read."),
                [(_("Find a person"), reverse("people:person_list"))],
            )
        )
    if accounts.acts_anywhere(user, Action.ORG_VIEW):
        cards.append(
            Card(
                pgettext("home", "Organisation units"),
                unit_list(user=user).count(),
                _("Units you may see in the organisation tree."),
                [(_("Open the tree"), reverse("org:unit_list"))],
            )
        )
    if accounts.acts_anywhere(user, Action.ACCOUNT_VIEW):
        links = [(_("List accounts"), reverse("accounts:account_list"))]
        text = _("Accounts of the units in your scope.")
        if accounts.acts_anywhere(user, Action.ACCOUNT_MANAGE):
            waiting = accounts.people_without_account_count(user=user)
            text = _("Accounts of the units in your scope; %(waiting)d people have none yet.") % {
                "waiting": waiting
            }
            links += [
                (_("New account"), reverse("accounts:account_create")),
                (_("Accounts for a whole unit"), reverse("accounts:account_bulk_create")),
            ]
        cards.append(
            Card(
                pgettext("home", "Accounts"), accounts.account_list(user=user).count(), text, links
            )
        )
    if accounts.acts_anywhere(user, Action.GRANT_VIEW):
        links = [(_("List consent grants"), reverse("accounts:grant_list"))]
        if accounts.acts_anywhere(user, Action.GRANT_MANAGE):
            links.append((_("Record a written consent"), reverse("accounts:grant_create")))
        cards.append(
            Card(
                _("Consent grants in force"),
                accounts.grant_search(user=user, status="active").count(),
                _("Written consents that open files to others."),
                links,
            )
        )
    if accounts.acts_anywhere(user, Action.AUDIT_VIEW):
        cards.append(
            Card(
                pgettext("home", "Audit"),
                None,
                _("Who changed and who read what, and the chain check."),
                [(_("Open the audit log"), reverse("audit:log_list"))],
            )
        )
    return cards


@login_required
def home(request):
    user = request.user
    otp = twofactor.state_of(user)
    return render(
        request,
        "web/home.html",
        {"cards": dashboard(user), "suggest_2fa": not otp["has_device"]},
    )
