"""Which certificates hoso trusts, and whether a certificate may sign now.

Trust anchors are configured, never built in (`HOSO_TRUST_ANCHORS`: a directory of PEM
or DER certificates; self-signed ones are the roots, the others are intermediates
offered to path building), so that the government CA's roots (Decree 68/2024/NĐ-CP,
Lâm Đồng Đ15.1) or a licensed provider's can be installed beside, or instead of, the
demo root that `hoso pki demo` writes there. Revocation is checked as
`HOSO_REVOCATION` says: `require` (no status, no trust), `soft` (use what can be had:
CRLs from `HOSO_CRL_DIR` and the certificates' own CRL/OCSP addresses) or `off`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors

from hoso.core.errors import DomainError

from . import aio

REVOCATION_MODES = {"require": "require", "soft": "soft-fail", "off": "soft-fail"}


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def _load_certs(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        from asn1crypto import pem as asn1_pem

        return [
            asn1_x509.Certificate.load(der)
            for kind, _h, der in asn1_pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    try:
        return [asn1_x509.Certificate.load(data)] if data else []
    except ValueError:
        return []


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[asn1_x509.Certificate, ...]
    intermediates: tuple[asn1_x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...]
    revocation: str

    def context(self, *, moment: dt.datetime | None = None) -> ValidationContext:
        """A fresh validation context (they cache what they learn): at `moment` (an
        earlier point in time: only the installed CRLs count) or now."""
        mode = self.revocation
        crls = list(self.crls) if mode != "off" else None
        kwargs = dict(
            trust_roots=list(self.roots),
            other_certs=list(self.intermediates),
            revocation_mode=REVOCATION_MODES[mode],
        )
        if moment is not None:
            return ValidationContext(
                **kwargs, moment=moment, crls=crls or [], ocsps=[], allow_fetching=False,
                retroactive_revinfo=True,
            )
        return ValidationContext(
            **kwargs, crls=crls, allow_fetching=mode != "off",
            retroactive_revinfo=True,
        )


def trust_store() -> TrustStore:
    """Read the anchors and CRLs from disk (a few small files: cheap, always current)."""
    roots, intermediates = [], []
    anchors = Path(settings.SIGNING_TRUST_ANCHORS)
    for path in _files(anchors):
        for cert in _load_certs(path):
            (roots if cert.self_signed else intermediates).append(cert)
    crls = []
    crl_dir = Path(settings.SIGNING_CRL_DIR) if settings.SIGNING_CRL_DIR else anchors / "crl"
    for path in _files(crl_dir):
        data = path.read_bytes()
        if b"-----BEGIN" in data:
            from asn1crypto import pem as asn1_pem

            data = asn1_pem.unarmor(data)[2]
        try:
            crls.append(asn1_crl.CertificateList.load(data))
        except ValueError:
            continue
    mode = settings.SIGNING_REVOCATION
    if mode not in REVOCATION_MODES:
        mode = "require"  # an unknown setting must not weaken the check
    return TrustStore(tuple(roots), tuple(intermediates), tuple(crls), mode)


def describe_certificate_error(exc: Exception) -> str:
    """A Vietnamese sentence for what the certificate validator found."""
    if isinstance(exc, cv_errors.RevokedError):
        return _("The certificate has been revoked.")
    if isinstance(exc, cv_errors.ExpiredError):
        return _("The certificate has expired.")
    if isinstance(exc, cv_errors.NotYetValidError):
        return _("The certificate is not valid yet.")
    if isinstance(exc, cv_errors.PathBuildingError):
        return _("The certificate does not chain to a trusted certification authority.")
    if isinstance(exc, cv_errors.InsufficientRevinfoError | cv_errors.StaleRevinfoError):
        return _("The certificate's revocation status could not be checked.")
    if isinstance(exc, cv_errors.InvalidCertificateError):
        return _("The certificate may not be used for signing.")
    return _("The certificate could not be validated.")


def check_signing_certificate(
    cert: asn1_x509.Certificate, chain: list[asn1_x509.Certificate] | tuple = ()
) -> None:
    """Refuse a certificate that may not sign now: expired, not yet valid, revoked,
    without a path to a trusted root, or without the signing key usages."""
    store = trust_store()
    context = store.context()
    validator = CertificateValidator(
        cert, intermediate_certs=list(chain), validation_context=context
    )
    try:
        aio.run(validator.async_validate_usage({"digital_signature"}))
    except (cv_errors.ValidationError, cv_errors.PathError) as exc:
        raise DomainError(
            _("This certificate cannot sign: %(reason)s")
            % {"reason": describe_certificate_error(exc)},
            code="certificate",
        ) from exc
