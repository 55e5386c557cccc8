"""Matrix entries for the oversight app: the province batch and the compliance dashboard.

The province batch is Sở Nội vụ's (Vĩnh Phúc Đ12.4, Cần Thơ Đ5.3, Quảng Nam Đ5.3):
`province.approve`, held province-wide by the province approver and the province
administrator. Its pages take no scoped object: the batch the URL names is made for
each request (an open one, or a signed one with a stand-in signature) by the route's
`kwargs`, inside the matrix's rolled-back transaction.

The compliance dashboard is for whoever approves in a unit's chain (`person.approve`):
Sở Nội vụ and the province approver everywhere, the head of unit, the chairman and the
head of HR on their sub-tree (Cần Thơ Đ11.4, Đ13.5; Quảng Nam Đ16.4).
"""

from __future__ import annotations

import hashlib

from .spec import Route

PROVINCE_APPROVERS = frozenset({"province_admin", "province_approver"})
CHAIN_APPROVERS = frozenset(
    {"province_admin", "province_approver", "hr_head", "unit_head", "chairman"}
)


def _open_batch():
    from hoso.org.models import OrgUnit
    from hoso.oversight.models import ProvinceBatch

    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    return ProvinceBatch.objects.create(province_unit=root, province_unit_code=root.code,
                                        policy="vinh-phuc", year=2026, month=3)


def _signed_batch():
    """A signed batch whose signature is a stand-in (the matrix checks who may download
    the package, not the signature: tests/oversight checks that)."""
    from django.utils import timezone

    from hoso.oversight.manifest import manifest_bytes, manifest_of
    from hoso.oversight.models import BatchStatus
    from hoso.signing.models import Purpose, Signature

    batch = _open_batch()
    digest = hashlib.sha256(manifest_bytes(manifest_of(batch))).hexdigest()
    signature = Signature.objects.create(
        purpose=Purpose.PROVINCE_APPROVAL, subject_type="oversight.provincebatch",
        subject_id=str(batch.pk), content_hash=digest, cms=b"the matrix's stand-in",
        backend="p12", cert_fingerprint="0" * 64, cert_serial="1", cert_subject="CN=x",
        cert_issuer="CN=y", signer_name="x", signed_at=timezone.now(), actor_label="matrix",
    )
    batch.status, batch.signature, batch.manifest_hash = BatchStatus.SIGNED, signature, digest
    batch.signed_at = signature.signed_at
    batch.save()
    return batch


def _open(obj):
    return {"pk": _open_batch().pk}


def _signed(obj):
    return {"pk": _signed_batch().pk}


def _wrong_secret(world, obj):
    return {"version": 0, "secret": "không-phải-mật-khẩu"}


ROUTES: list[Route] = [
    Route("oversight:batch_current", allowed=PROVINCE_APPROVERS),
    Route("oversight:batch_prepare", method="POST", allowed=PROVINCE_APPROVERS),
    Route("oversight:batch_list", allowed=PROVINCE_APPROVERS),
    Route("oversight:batch_detail", allowed=PROVINCE_APPROVERS, extra={"kwargs": _open}),
    # no signing key configured: the form answers (200) for who may sign, nothing signed
    Route("oversight:batch_sign", method="POST", allowed=PROVINCE_APPROVERS,
          data=_wrong_secret, extra={"kwargs": _open}),
    Route("oversight:batch_package", allowed=PROVINCE_APPROVERS, extra={"kwargs": _signed}),
    Route("oversight:compliance", allowed=CHAIN_APPROVERS, query="?year=2026&month=3"),
    Route("oversight:compliance_export", allowed=CHAIN_APPROVERS,
          query="?year=2026&month=3&format=csv"),
    # API
    Route("api:oversight-batch-list", allowed=PROVINCE_APPROVERS, api=True),
    Route("api:oversight-batch-detail", allowed=PROVINCE_APPROVERS, api=True,
          extra={"kwargs": _open}),
    Route("api:oversight-batch-package", allowed=PROVINCE_APPROVERS, api=True,
          extra={"kwargs": _signed}),
    Route("api:oversight-compliance-list", allowed=CHAIN_APPROVERS, api=True,
          query="?year=2026&month=3"),
]
