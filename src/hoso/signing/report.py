"""What a verification found, in words a user reads: who signed, when, whether the
document changed since, whether the certificate chains to a trusted root and was
valid. Built from pyHanko's status objects; rendered by the web page and, as text,
by `hoso sign verify`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.validation.status import (
    ModificationLevel,
    SignatureCoverageLevel,
    StandardCMSSignatureStatus,
)

from .pki import Identity, common_name, fingerprint, identity_of, organisation


def local(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


@dataclass
class SignatureCheck:
    number: int
    signer: str = ""
    organisation: str = ""
    identity: Identity = field(default_factory=lambda: Identity("", ""))
    issuer: str = ""
    serial: str = ""
    fingerprint: str = ""
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None
    signing_time: dt.datetime | None = None
    timestamp_time: dt.datetime | None = None
    field_name: str = ""
    reason: str = ""
    intact: bool = False
    trusted: bool = False
    valid_at_signing: bool = False
    unchanged: bool = True  # the document was not changed after this signature
    only_signatures_added: bool = False
    # ok (required and checked) | soft (checked where information was to be had) |
    # revoked | unknown | not_checked
    revocation: str = "not_checked"
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.valid_at_signing and self.unchanged \
            and not self.problems

    @property
    def signing_time_text(self) -> str:
        return local(self.timestamp_time or self.signing_time)

    @property
    def identity_text(self) -> str:
        if self.identity.kind == "person":
            return _("personal ID number %(number)s") % {
                "number": f"{self.identity.value[:3]}******{self.identity.value[-3:]}"
            }
        if self.identity.kind == "unit":
            return _("agency code %(code)s") % {"code": self.identity.value}
        return ""

    def lines(self) -> list[str]:
        out = [_("Signature %(n)d: %(state)s") % {
            "n": self.number, "state": _("VALID") if self.ok else _("NOT VALID")}]
        who = self.signer + (f" ({self.identity_text})" if self.identity_text else "")
        out.append("  " + _("Signed by: %(who)s") % {"who": who})
        if self.organisation:
            out.append("  " + _("Agency: %(org)s") % {"org": self.organisation})
        if self.timestamp_time:
            out.append("  " + _("Signing time (trusted timestamp): %(t)s") % {
                "t": local(self.timestamp_time)})
        elif self.signing_time:
            out.append("  " + _("Signing time (stated by the signer): %(t)s") % {
                "t": local(self.signing_time)})
        if self.reason:
            out.append("  " + _("Reason: %(reason)s") % {"reason": self.reason})
        out.append("  " + _("Certificate issued by: %(issuer)s, valid %(start)s – %(end)s") % {
            "issuer": self.issuer, "start": local(self.valid_from), "end": local(self.valid_to)})
        out.append("  " + (_("Content: intact") if self.intact
                           else _("Content: ALTERED or the signature is broken")))
        if self.intact:
            if not self.unchanged:
                out.append("  " + _("The document was CHANGED after this signature."))
            elif self.only_signatures_added:
                out.append("  " + _("Only further signatures were added after this one."))
            else:
                out.append("  " + _("The document has not changed since it was signed."))
        out.append("  " + (_("Certificate: chains to a trusted root") if self.trusted
                           else _("Certificate: NOT trusted")))
        out.append("  " + (_("Certificate valid at signing time: yes") if self.valid_at_signing
                           else _("Certificate valid at signing time: NO")))
        out.append("  " + {
            "ok": _("Revocation: checked, not revoked"),
            "soft": _("Revocation: checked where the information was available, not revoked"),
            "revoked": _("Revocation: REVOKED"),
            "unknown": _("Revocation: could not be checked"),
            "not_checked": _("Revocation: not checked"),
        }[self.revocation])
        for problem in self.problems:
            out.append("  ! " + problem)
        return out


@dataclass
class VerificationReport:
    kind: str  # "pdf" | "data"
    name: str = ""
    content_hash: str = ""
    signatures: list[SignatureCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)

    def text(self) -> str:
        head = _("File: %(name)s") % {"name": self.name} if self.name else ""
        lines = [head] if head else []
        if self.kind == "data" and self.content_hash:
            lines.append(_("Data hash (SHA-256): %(hash)s") % {"hash": self.content_hash})
        for problem in self.problems:
            lines.append("! " + problem)
        for sig in self.signatures:
            lines.extend(sig.lines())
        lines.append(
            _("Result: every signature is intact and trusted.") if self.ok
            else _("Result: NOT every signature is intact and trusted.")
        )
        return "\n".join(lines)


_TRUST_PROBLEMS = {
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        lambda: _("The certificate does not chain to a trusted certification authority."),
    AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE:
        lambda: _("The certificate chain could not be checked."),
    AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
        lambda: _("The certificate may not be used for signing."),
    AdESIndeterminate.EXPIRED:
        lambda: _("The certificate had expired when the signature was checked."),
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE:
        lambda: _("The certificate was not valid at the time of signing."),
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED:
        lambda: _("The certificate was not valid at the time of signing."),
    AdESIndeterminate.NOT_YET_VALID: lambda: _("The certificate was not yet valid."),
    AdESFailure.NOT_YET_VALID: lambda: _("The certificate was not yet valid."),
    AdESIndeterminate.REVOKED_NO_POE: lambda: _("The certificate has been revoked."),
    AdESIndeterminate.REVOKED_CA_NO_POE:
        lambda: _("A certificate of the issuing authority has been revoked."),
    AdESFailure.REVOKED: lambda: _("The certificate has been revoked."),
    AdESIndeterminate.TRY_LATER:
        lambda: _("The certificate's revocation status could not be checked."),
    AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE:
        lambda: _("The certificate's revocation status could not be checked."),
    AdESIndeterminate.NO_POE:
        lambda: _("The certificate's revocation status could not be checked."),
}


def check_from_status(number: int, status: StandardCMSSignatureStatus, *,
                      revocation_mode: str) -> SignatureCheck:
    from cryptography import x509 as crypto_x509

    cert = crypto_x509.load_der_x509_certificate(status.signing_cert.dump())
    check = SignatureCheck(
        number=number,
        signer=common_name(cert),
        organisation=organisation(cert),
        identity=identity_of(cert),
        issuer=common_name_of_issuer(cert),
        serial=format(cert.serial_number, "x"),
        fingerprint=fingerprint(cert),
        valid_from=cert.not_valid_before_utc,
        valid_to=cert.not_valid_after_utc,
        signing_time=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
    )
    ts = status.timestamp_validity
    if ts is not None:
        if ts.intact and ts.valid and ts.trusted:
            check.timestamp_time = ts.timestamp
        else:
            check.problems.append(_("The signature's timestamp is not valid or not trusted."))
    if not check.intact:
        return check
    indic = status.trust_problem_indic
    check.trusted = indic is None
    moment = check.timestamp_time or check.signing_time or timezone.now()
    within = check.valid_from <= moment <= check.valid_to
    check.valid_at_signing = within and indic not in (
        AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED, AdESIndeterminate.NOT_YET_VALID,
        AdESFailure.NOT_YET_VALID,
    )
    if not within:
        check.problems.append(_("The certificate was not valid at the time of signing."))
    if indic is not None:
        if indic in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE,
                     AdESFailure.REVOKED):
            check.revocation = "revoked"
            # a certificate revoked after a trusted time of signing still signed validly
        elif indic in (AdESIndeterminate.TRY_LATER, AdESIndeterminate.NO_POE,
                       AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE):
            check.revocation = "unknown"
        message = _TRUST_PROBLEMS.get(indic, lambda: _("The certificate could not be validated."))()
        if message not in check.problems:
            check.problems.append(message)
    elif revocation_mode == "require":
        check.revocation = "ok"
    elif revocation_mode == "soft":
        check.revocation = "soft"
    if status.revocation_details is not None:
        check.revocation = "revoked"
        when = local(status.revocation_details.revocation_date)
        check.problems.append(_("The certificate was revoked on %(when)s.") % {"when": when})
    return check


def common_name_of_issuer(cert) -> str:
    from cryptography.x509.oid import NameOID

    values = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else cert.issuer.rfc4514_string()


def apply_pdf_modification(check: SignatureCheck, status) -> None:
    """Whether the document changed after this signature (PAdES: later incremental
    updates are allowed only if they add signatures or fill the form)."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return
    level = status.modification_level
    if (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and level is not None
        and level <= ModificationLevel.FORM_FILLING
        and status.docmdp_ok is not False
    ):
        check.only_signatures_added = True
        return
    check.unchanged = False
    check.problems.append(_("The document was changed after it was signed."))
