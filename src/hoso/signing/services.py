"""Signing writes: sign data and keep the signature, one item or a whole batch.

`sign_and_store` is what the review and approval work calls when a head of unit
approves (Cần Thơ Đ5.1.đ, Quảng Nam Đ5.1, Lâm Đồng Đ7.3), a person signs their file
(Lâm Đồng Đ7.2) or Sở Nội vụ signs the province's data (Vĩnh Phúc Đ12.4). Before
anything is signed the certificate is checked: it must name the acting user (their
personal identification number) or the unit they sign for (its QĐ 20 code), chain to
a trusted root, be within its validity and not revoked. A batch is all or nothing: a
wrong PIN, a refused confirmation or a token pulled out half-way leaves no signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM, as_user, can
from hoso.accounts.roles import Action
from hoso.audit.services import log_changes
from hoso.core.canonical import canonical_json
from hoso.core.context import current_actor
from hoso.core.errors import DomainError, PermissionDenied

from . import subjects
from .backends import OpenSigner, SignerSpec, open_signer
from .data import sign_many
from .models import Purpose, Signature
from .pki import common_name, fingerprint
from .selectors import signer_for
from .trust import check_signing_certificate


@dataclass(frozen=True)
class SignItem:
    """One thing to sign: a registered subject object, or a JSON document (with a
    reference saying what it is), or both (the document then must be the subject's)."""

    subject: Any = None
    document: Any = None
    reference: str = ""


def may_sign_for(actor, unit) -> bool:
    """Whether `actor` may apply `unit`'s signature: those who approve for the unit (head
    of unit, chairman, head of HR) or for the province, asked of the permission path."""
    if actor is SYSTEM:
        return True
    return can(actor, Action.PERSON_APPROVE, unit) or can(actor, Action.PROVINCE_APPROVE, unit)


def check_identity(opened: OpenSigner, *, actor, on_behalf_of=None) -> None:
    """The certificate must name whoever signs: the unit signed for, else the person."""
    identity = opened.identity
    if on_behalf_of is not None:
        if identity.kind != "unit" or identity.value != on_behalf_of.code:
            raise DomainError(
                _("This certificate is not the certificate of %(unit)s: it names someone "
                  "else.") % {"unit": on_behalf_of.name},
                code="wrong_holder",
            )
        return
    if actor is SYSTEM:
        return
    person = getattr(actor, "person", None)
    if person is None:
        raise DomainError(
            _("Your account is not linked to a personnel file, so no certificate can be "
              "matched to you."), code="wrong_holder",
        )
    if identity.kind != "person" or identity.value != person.id_number:
        raise DomainError(
            _("This certificate belongs to another person: it does not carry your "
              "personal identification number."),
            code="wrong_holder",
        )


def _documents(items: Sequence[SignItem]) -> list[bytes]:
    out = []
    for item in items:
        if item.subject is not None and subjects.is_registered(subjects.label_of(item.subject)):
            expected = subjects.payload_for(item.subject)
            if item.document is not None and canonical_json(item.document) != canonical_json(
                expected
            ):
                raise DomainError(_("The document to sign is not the object's current data."))
            out.append(canonical_json(expected))
        elif item.document is not None:
            out.append(canonical_json(item.document))
        else:
            raise DomainError(_("There is nothing to sign."))
    return out


def sign_batch_and_store(
    *, actor, purpose: str, items: Sequence[SignItem], secret: str | None = None,
    on_behalf_of=None, signer: OpenSigner | None = None, spec: SignerSpec | None = None,
    description: str = "", progress: Callable[[int], None] | None = None,
) -> list[Signature]:
    """Sign every item with one signer and keep the signatures, all or nothing."""
    if purpose not in Purpose.values:
        raise DomainError(_("Unknown purpose of signature “%(p)s”.") % {"p": purpose})
    if not items:
        raise DomainError(_("There is nothing to sign."))
    if on_behalf_of is not None and not may_sign_for(actor, on_behalf_of):
        raise PermissionDenied(
            _("You may not sign on behalf of %(unit)s.") % {"unit": on_behalf_of.name}
        )
    payloads = _documents(items)
    own = signer is None
    if own:
        spec = spec or signer_for(user=None if actor is SYSTEM else actor, unit=on_behalf_of)
        person = getattr(actor, "person", None)
        signer = open_signer(
            spec, secret=secret, description=description,
            remote_user=on_behalf_of.code if on_behalf_of is not None else (
                person.id_number if person is not None else ""),
        )
    try:
        check_identity(signer, actor=actor, on_behalf_of=on_behalf_of)
        check_signing_certificate(signer.asn1_certificate, signer.chain)
        when = dt.datetime.now(dt.UTC).replace(microsecond=0)
        cms_list = sign_many(signer, payloads, when=when, progress=progress)
    finally:
        if own:
            signer.close()
    return _store(actor=actor, purpose=purpose, items=items, payloads=payloads,
                  cms_list=cms_list, opened=signer, when=when, on_behalf_of=on_behalf_of)


@transaction.atomic
def _store(*, actor, purpose, items, payloads, cms_list, opened: OpenSigner, when,
           on_behalf_of) -> list[Signature]:
    cert = opened.certificate
    ctx = current_actor()
    batch_id = uuid.uuid4() if len(items) > 1 else None
    common = dict(
        purpose=purpose, batch_id=batch_id, backend=opened.backend,
        cert_fingerprint=fingerprint(cert), cert_serial=format(cert.serial_number, "x"),
        cert_subject=cert.subject.rfc4514_string()[:500],
        cert_issuer=cert.issuer.rfc4514_string()[:500], signer_name=common_name(cert)[:200],
        signed_at=when, signed_by=as_user(actor), actor_label=ctx.label[:100],
        on_behalf_of=on_behalf_of, request_id=ctx.request_id,
    )
    rows = []
    for item, data, cms in zip(items, payloads, cms_list, strict=True):
        subject = item.subject
        rows.append(Signature(
            subject_type=subjects.label_of(subject) if subject is not None else "",
            subject_id=str(subject.pk) if subject is not None else "",
            reference=item.reference[:200], content_hash=hashlib.sha256(data).hexdigest(),
            cms=cms, **common,
        ))
    if len(rows) == 1:
        rows[0].save()  # the audit signal writes its change row
        return rows
    created = Signature.objects.bulk_create(rows, batch_size=500)
    log_changes(("create", row, None, row.audit_snapshot()) for row in created)
    return created


def sign_and_store(
    *, actor, purpose: str, subject=None, document=None, reference: str = "",
    secret: str | None = None, on_behalf_of=None, signer: OpenSigner | None = None,
    spec: SignerSpec | None = None, description: str = "",
) -> Signature:
    """Sign one subject or document and keep the signature."""
    return sign_batch_and_store(
        actor=actor, purpose=purpose,
        items=[SignItem(subject=subject, document=document, reference=reference)],
        secret=secret, on_behalf_of=on_behalf_of, signer=signer, spec=spec,
        description=description,
    )[0]
