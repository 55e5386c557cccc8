"""Detached signatures over data: the canonical JSON of a revision, a review decision,
a batch, an exchange package (DESIGN principle 6; Vĩnh Phúc Đ12.4: Sở Nội vụ signs the
province's data before it goes to the national database).

The signature is a CMS SignedData (RFC 5652, CAdES-BES profile): no content inside,
signed attributes content-type, message-digest (SHA-256 of the canonical bytes),
signing-time and signing-certificate-v2; the signer's certificate and chain; an RFC
3161 signature timestamp when `HOSO_TSA_URL` is set.

A *data package* carries data and signatures in one file: a ZIP holding `data.json`
(canonical JSON) and `data.json.p7s` (DER), plus `data.json.2.p7s`, … when several
parties signed. `hoso sign json IN OUT.sig` writes the bare detached signature instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence

from asn1crypto import cms
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import attributes
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import async_validate_detached_cms

from hoso.core.canonical import canonical_json
from hoso.core.errors import DomainError

from . import aio
from .backends import OpenSigner, RemoteSigner, _token_gone_errors, token_removed_error
from .report import VerificationReport, check_from_status
from .trust import TrustStore, trust_store

PACKAGE_DATA = "data.json"
PACKAGE_SIG = "data.json.p7s"
MAX_PACKAGE_BYTES = 50 * 1024 * 1024


def timestamper():
    """The RFC 3161 client, when a TSA is configured."""
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=15)


def canonical_bytes(document) -> bytes:
    return canonical_json(document)


class _FixedAttr(attributes.CMSAttributeProvider):
    def __init__(self, attribute_type: str, value):
        self.attribute_type = attribute_type
        self._value = value

    async def build_attr_value(self, dry_run=False):
        return self._value


class _DataAttrSpec(attributes.SignedAttributeProviderSpec):
    """The CAdES-BES signed attributes (signing-certificate-v2, signing-time), the
    first encoded once per batch: asn1crypto re-encodes a freshly built
    signing-certificate-v2 on every dump, which made it most of a signature's cost."""

    def __init__(self, signing_cert, when: dt.datetime):
        value = as_signing_certificate_v2(signing_cert)
        self._scv2 = type(value).load(value.dump())
        self._when = when

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        yield _FixedAttr("signing_certificate_v2", self._scv2)
        yield attributes.SigningTimeProvider(timestamp=self._when)


async def _sign_one(signer, data: bytes, when: dt.datetime, ts) -> bytes:
    ci = await signer.async_sign_general_data(
        data, "sha256", detached=True, use_cades=True, timestamper=ts,
        signed_attr_settings=PdfCMSSignedAttributes(signing_time=when),
    )
    return ci.dump()


async def _prefetch_remote(signer: RemoteSigner, items: Sequence[bytes], when) -> None:
    """Compute each signature's signed attributes, then have the service sign all their
    hashes in one request: the user confirms the batch once."""
    to_sign = []
    for data in items:
        attrs = await signer.signed_attrs(
            hashlib.sha256(data).digest(), "sha256",
            attr_settings=PdfCMSSignedAttributes(signing_time=when),
            use_pades=True, is_pdf_sig=False, content_type="data",
        )
        to_sign.append(attrs.dump())
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, signer.prefetch, to_sign)


def sign_many(
    opened: OpenSigner, items: Sequence[bytes], *, when: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[bytes]:
    """DER CMS signatures over each item, all or nothing: any failure raises a
    DomainError and returns no signature at all."""
    when = when or dt.datetime.now(dt.UTC).replace(microsecond=0)
    ts = timestamper()
    signer = opened.signer

    async def run() -> list[bytes]:
        signer.signed_attr_prov_spec = _DataAttrSpec(signer.signing_cert, when)
        if isinstance(signer, RemoteSigner) and len(items) > 1:
            await _prefetch_remote(signer, items, when)
        out = []
        for i, data in enumerate(items):
            out.append(await _sign_one(signer, data, when, ts))
            if progress:
                progress(i + 1)
        return out

    with signing_errors():
        try:
            return aio.run(run())
        finally:
            signer.signed_attr_prov_spec = None


@contextlib.contextmanager
def signing_errors():
    """What a signer, a token or a timestamp server throws, as one Vietnamese
    DomainError: whatever failed, nothing was signed (the callers store nothing)."""
    try:
        yield
    except DomainError:
        raise
    except _token_gone_errors() as exc:
        raise token_removed_error() from exc
    except Exception as exc:
        if _caused_by(exc, _token_gone_errors()):
            raise token_removed_error() from exc
        from pyhanko.sign.timestamps.common_utils import TimestampRequestError

        if _caused_by(exc, TimestampRequestError):
            raise DomainError(
                _("The timestamp server did not answer; nothing was signed."), code="tsa"
            ) from exc
        raise DomainError(
            _("Signing failed (%(error)s); nothing was signed.") % {"error": type(exc).__name__},
            code="sign_failed",
        ) from exc


def _caused_by(exc: BaseException | None, types) -> bool:
    """Whether `exc` or one of the exceptions it came from is one of `types`."""
    for _depth in range(10):
        if exc is None:
            return False
        if isinstance(exc, types):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def sign_document(opened: OpenSigner, document, **kw) -> tuple[bytes, bytes]:
    """(canonical bytes, DER CMS) of one JSON document."""
    data = canonical_bytes(document)
    return data, sign_many(opened, [data], **kw)[0]


# --- verification --------------------------------------------------------------------


def _signed_data(cms_der: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(cms_der)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed data")
        signed = info["content"]
        signed["signer_infos"][0]  # noqa: B018 — parse now
        return signed
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise DomainError(_("The signature file is not a CMS signature."), code="garbage") from exc


def verify_detached(data: bytes, cms_der: bytes, *, store: TrustStore | None = None,
                    moment: dt.datetime | None = None, name: str = "") -> VerificationReport:
    """Check one detached signature over `data`: intact, trusted, valid when made."""
    store = store or trust_store()
    signed = _signed_data(cms_der)
    report = VerificationReport(kind="data", name=name,
                                content_hash=hashlib.sha256(data).hexdigest())
    context = store.context(moment=moment)
    try:
        status = aio.run(
            async_validate_detached_cms(data, signed, signer_validation_context=context)
        )
    except Exception as exc:  # noqa: BLE001 — a malformed signature is a finding
        report.problems.append(
            _("The signature could not be checked (%(error)s).") % {"error": type(exc).__name__}
        )
        return report
    check = check_from_status(1, status, revocation_mode=store.revocation)
    if not check.intact:
        check.problems.append(_("The data was changed after it was signed, or the signature "
                                "is broken."))
        check.unchanged = False
    report.signatures.append(check)
    return report


_HASHES = {"sha256": "SHA256", "sha384": "SHA384", "sha512": "SHA512"}


def cms_intact(cms_der: bytes, digest: bytes) -> bool:
    """Whether the CMS is a valid signature over a content whose SHA-256 is `digest`
    (integrity only, no trust path: what `hoso audit verify` re-checks on every stored
    signature). Checked with `cryptography` on the few fields it needs; pyHanko's full
    integrity check costs about ten times as much in ASN.1 handling."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    try:
        signed = cms.ContentInfo.load(cms_der)["content"]
        info = signed["signer_infos"][0]
        attrs = info["signed_attrs"]
        found = {a["type"].native: a["values"][0].native for a in attrs
                 if a["type"].native in ("message_digest", "content_type")}
        if found.get("message_digest") != digest or found.get("content_type") != "data":
            return False
        sid = info["sid"].chosen
        serial, issuer = sid["serial_number"].native, sid["issuer"].dump()
        cert = next(
            c.chosen for c in signed["certificates"]
            if c.name == "certificate" and c.chosen.serial_number == serial
            and c.chosen.issuer.dump() == issuer
        )
        public = x509.load_der_x509_certificate(cert.dump()).public_key()
        algo = getattr(hashes, _HASHES[info["digest_algorithm"]["algorithm"].native])()
        # the signature covers the attributes' DER with the SET tag, not the [0] tag
        to_verify = b"\x31" + attrs.dump()[1:]
        signature = info["signature"].native
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, to_verify, ec.ECDSA(algo))
        elif isinstance(public, rsa.RSAPublicKey):
            mech = info["signature_algorithm"]["algorithm"].native
            if mech == "rsassa_pss":
                params = info["signature_algorithm"]["parameters"]
                pad = padding.PSS(padding.MGF1(algo), params["salt_length"].native)
            else:
                pad = padding.PKCS1v15()
            public.verify(signature, to_verify, pad, algo)
        else:
            return False
        return True
    except (InvalidSignature, StopIteration, KeyError, ValueError, TypeError, IndexError,
            AttributeError):
        return False


def signer_certificate(cms_der: bytes):
    from cryptography import x509
    from pyhanko.sign.general import extract_certificate_info

    cert = extract_certificate_info(_signed_data(cms_der)).signer_cert
    return x509.load_der_x509_certificate(cert.dump())


def json_bytes(raw: bytes) -> bytes:
    """The canonical bytes of a JSON file, whatever its layout; a clear error else."""
    try:
        return canonical_bytes(json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError(_("The data file is not JSON."), code="garbage") from exc


# --- packages ------------------------------------------------------------------------


def make_package(data: bytes, signatures: Sequence[bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(PACKAGE_DATA, data)
        for i, sig in enumerate(signatures):
            z.writestr(PACKAGE_SIG if i == 0 else f"{PACKAGE_DATA}.{i + 1}.p7s", sig)
    return out.getvalue()


def read_package(raw: bytes) -> tuple[bytes, list[bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = z.namelist()
            if PACKAGE_DATA not in names:
                raise DomainError(
                    _("The package holds no %(name)s.") % {"name": PACKAGE_DATA}, code="garbage"
                )
            total = sum(i.file_size for i in z.infolist())
            if total > MAX_PACKAGE_BYTES:
                raise DomainError(_("The package is too large."), code="too_large")
            data = z.read(PACKAGE_DATA)
            sig_names = sorted(
                (n for n in names if n.startswith(PACKAGE_DATA) and n.endswith(".p7s")),
                key=lambda n: (len(n), n),
            )
            return data, [z.read(n) for n in sig_names]
    except zipfile.BadZipFile as exc:
        raise DomainError(_("The file is not a data package (ZIP)."), code="garbage") from exc


def verify_package(raw: bytes, *, name: str = "", store: TrustStore | None = None
                   ) -> VerificationReport:
    data, sigs = read_package(raw)
    report = VerificationReport(kind="data", name=name,
                                content_hash=hashlib.sha256(data).hexdigest())
    if not sigs:
        report.problems.append(_("The package holds no signature."))
        return report
    store = store or trust_store()
    for i, sig in enumerate(sigs, start=1):
        one = verify_detached(data, sig, store=store)
        report.problems.extend(one.problems)
        for check in one.signatures:
            check.number = i
            report.signatures.append(check)
    return report
