"""Writes to people. The personnel-file work routes these through change requests;
for now a person is created by an HR officer (or the import) within their scope."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.accounts.permissions import require
from hoso.accounts.roles import Action
from hoso.core.crypto import keyed_hash
from hoso.core.errors import DomainError

from .models import Person


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    require(actor, Action.PERSON_CHANGE, fields["unit"])
    person = Person(**fields)
    person.full_clean(exclude=["id_number_hash"])
    if Person.objects.filter(id_number_hash=keyed_hash(person.id_number)).exists():
        raise DomainError(
            _("A file with this identification number already exists."), field="id_number"
        )
    person.save()
    return person
