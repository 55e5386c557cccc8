"""X.509 certificates for signing: identities, issuing, PKCS#12 files, CRLs.

A Vietnamese signing certificate names its holder the way the national CAs do: a
person by the 12-digit personal identification number in the subject's UID
(`CCCD:<number>`), an agency by its electronic identifier code of QĐ 20/2020/QĐ-TTg
(`MDDT:<code>`). `identity_of(cert)` reads them back, so that a signature made with a
certificate of another person is caught (Lâm Đồng Đ3.4: the key belongs to the signer).

`DemoCA` issues what `hoso pki demo`, the tests and the benchmarks need: a root, a
subordinate (province) CA, leaf certificates on EC P-256 keys (fast), a time-stamping
certificate, and CRLs. It is a demo and test tool: production certificates come from
the government's or a licensed provider's CA, whose roots are installed as trust
anchors (`HOSO_TRUST_ANCHORS`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PERSON_PREFIX = "CCCD:"
UNIT_PREFIX = "MDDT:"


@dataclass(frozen=True)
class Identity:
    """Whom a certificate names: a person (`kind="person"`, `value` = ID number) or an
    agency (`kind="unit"`, `value` = QĐ 20 code); `kind=""` when it names neither."""

    kind: str
    value: str

    @property
    def label(self) -> str:
        prefix = {"person": PERSON_PREFIX, "unit": UNIT_PREFIX}.get(self.kind, "")
        return f"{prefix}{self.value}" if self.kind else ""


def identity_of(cert: x509.Certificate) -> Identity:
    for oid in (NameOID.USER_ID, NameOID.SERIAL_NUMBER):
        for attr in cert.subject.get_attributes_for_oid(oid):
            value = str(attr.value).strip()
            if value.upper().startswith(PERSON_PREFIX):
                return Identity("person", value[len(PERSON_PREFIX):].strip())
            if value.upper().startswith(UNIT_PREFIX):
                return Identity("unit", value[len(UNIT_PREFIX):].strip())
    return Identity("", "")


def name_attr(cert: x509.Certificate, oid) -> str:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def common_name(cert: x509.Certificate) -> str:
    return name_attr(cert, NameOID.COMMON_NAME) or cert.subject.rfc4514_string()


def organisation(cert: x509.Certificate) -> str:
    return name_attr(cert, NameOID.ORGANIZATION_NAME)


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def load_certificate(data: bytes) -> x509.Certificate:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def load_certificates(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


# --- issuing ---------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(*, cn: str, org: str = "", uid: str = "", province: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if uid:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, uid))
    return x509.Name(attrs)


@dataclass
class Issued:
    key: object
    cert: x509.Certificate
    chain: list[x509.Certificate]  # issuing CAs, nearest first (root last)

    def p12(self, passphrase: str, friendly_name: str = "hoso") -> bytes:
        """Passphrase-protected PKCS#12 (AES-256, PBKDF2): what providers hand out."""
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(20000)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(passphrase.encode("utf-8"))
        )
        return pkcs12.serialize_key_and_certificates(
            friendly_name.encode("utf-8"), self.key, self.cert, self.chain, encryption
        )


class DemoCA:
    """A certification authority held in memory (key + certificate)."""

    def __init__(self, key, cert: x509.Certificate, chain: list[x509.Certificate] | None = None,
                 crl_url: str = ""):
        self.key = key
        self.cert = cert
        self.chain = chain or []  # above this CA, nearest first
        self.crl_url = crl_url
        self.revoked: dict[int, dt.datetime] = {}

    @classmethod
    def root(cls, name: str = "hoso Demo Root CA", *, years: int = 20,
             not_before: dt.datetime | None = None) -> DemoCA:
        key = new_ec_key()
        subject = _name(cn=name, org="hoso (demo)")
        start = not_before or _now() - dt.timedelta(days=1)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    def subordinate(self, name: str, *, years: int = 10, crl_url: str = "") -> DemoCA:
        key = new_ec_key()
        start = _now() - dt.timedelta(days=1)
        builder = (
            self._builder(_name(cn=name, org="hoso (demo)"), key.public_key(), start,
                          start + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_usage(), critical=True)
        )
        cert = builder.sign(self.key, hashes.SHA256())
        return DemoCA(key, cert, [self.cert, *self.chain], crl_url=crl_url)

    def _builder(self, subject: x509.Name, public_key, start, end) -> x509.CertificateBuilder:
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        )
        if self.crl_url:
            builder = builder.add_extension(
                x509.CRLDistributionPoints([
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(self.crl_url)],
                        relative_name=None, reasons=None, crl_issuer=None,
                    )
                ]),
                critical=False,
            )
        return builder

    def issue(
        self, *, cn: str, org: str = "", uid: str = "", province: str = "",
        key=None, days: int = 3 * 365, not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> Issued:
        """A signing certificate (digital signature + non-repudiation)."""
        key = key or new_ec_key()
        start = not_before or _now() - dt.timedelta(hours=1)
        end = not_after or start + dt.timedelta(days=days)
        cert = (
            self._builder(_name(cn=cn, org=org, uid=uid, province=province),
                          key.public_key(), start, end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=False,
                    crl_sign=False, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )
        return Issued(key, cert, [self.cert, *self.chain])

    def issue_person(self, *, full_name: str, id_number: str, org: str = "",
                     province: str = "", **kw) -> Issued:
        return self.issue(cn=full_name, org=org, uid=f"{PERSON_PREFIX}{id_number}",
                          province=province, **kw)

    def issue_unit(self, *, name: str, code: str, province: str = "", **kw) -> Issued:
        return self.issue(cn=name, org=name, uid=f"{UNIT_PREFIX}{code}", province=province, **kw)

    def issue_tsa(self, name: str = "hoso Demo TSA") -> Issued:
        """A time-stamping unit's certificate; RSA because pyHanko's test TSA signs RSA."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        start = _now() - dt.timedelta(hours=1)
        cert = (
            self._builder(_name(cn=name, org="hoso (demo)"), key.public_key(), start,
                          start + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=False,
                    crl_sign=False, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )
        return Issued(key, cert, [self.cert, *self.chain])

    def revoke(self, cert: x509.Certificate, when: dt.datetime | None = None) -> None:
        self.revoked[cert.serial_number] = when or _now() - dt.timedelta(minutes=1)

    def crl(self, *, days: int = 7) -> x509.CertificateRevocationList:
        now = _now()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now - dt.timedelta(minutes=5))
            .next_update(now + dt.timedelta(days=days))
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        )
        for serial, when in sorted(self.revoked.items()):
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
            )
        return builder.sign(self.key, hashes.SHA256())

    # --- storage (demo) ---

    def save(self, directory: Path, name: str, passphrase: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        key_path = directory / f"{name}.key"
        key_path.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
            )
        )
        key_path.chmod(0o600)
        (directory / f"{name}.pem").write_bytes(pem(self.cert))
        revoked = "\n".join(f"{s} {w.isoformat()}" for s, w in sorted(self.revoked.items()))
        (directory / f"{name}.revoked").write_text(revoked)

    @classmethod
    def load(cls, directory: Path, name: str, passphrase: str,
             chain: list[x509.Certificate] | None = None, crl_url: str = "") -> DemoCA:
        key = serialization.load_pem_private_key(
            (directory / f"{name}.key").read_bytes(), passphrase.encode("utf-8")
        )
        cert = x509.load_pem_x509_certificate((directory / f"{name}.pem").read_bytes())
        ca = cls(key, cert, chain, crl_url=crl_url)
        revoked = directory / f"{name}.revoked"
        if revoked.exists():
            for line in revoked.read_text().splitlines():
                if line.strip():
                    serial, when = line.split(" ", 1)
                    ca.revoked[int(serial)] = dt.datetime.fromisoformat(when)
        return ca


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
        encipher_only=False, decipher_only=False,
    )


def crl_der(crl: x509.CertificateRevocationList) -> bytes:
    return crl.public_bytes(serialization.Encoding.DER)


def load_p12(data: bytes, passphrase: str):
    """(key, certificate, other certificates); ValueError on a wrong passphrase."""
    return pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))


def store_in_token(session, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate,
                   label: str, chain: list[x509.Certificate] = ()) -> None:
    """Write an EC key pair and its certificate (and chain) into a PKCS#11 token, as a
    provider does when it issues a USB token (the demo and tests use SoftHSM2)."""
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.ec import encode_named_curve_parameters

    der = cert.public_bytes(serialization.Encoding.DER)
    key_id = hashlib.sha256(der).digest()[:8]
    params = encode_named_curve_parameters("1.2.840.10045.3.1.7")  # P-256
    numbers = key.private_numbers()
    session.create_object({
        Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.KEY_TYPE: KeyType.EC,
        Attribute.EC_PARAMS: params, Attribute.VALUE: numbers.private_value.to_bytes(32, "big"),
        Attribute.TOKEN: True, Attribute.PRIVATE: True, Attribute.SENSITIVE: True,
        Attribute.EXTRACTABLE: False, Attribute.SIGN: True,
        Attribute.LABEL: label, Attribute.ID: key_id,
    })
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    from asn1crypto.core import OctetString

    session.create_object({
        Attribute.CLASS: ObjectClass.PUBLIC_KEY, Attribute.KEY_TYPE: KeyType.EC,
        Attribute.EC_PARAMS: params, Attribute.EC_POINT: OctetString(point).dump(),
        Attribute.TOKEN: True, Attribute.VERIFY: True, Attribute.LABEL: label,
        Attribute.ID: key_id,
    })
    for i, c in enumerate([cert, *chain]):
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.VALUE: c.public_bytes(serialization.Encoding.DER),
            Attribute.SUBJECT: c.subject.public_bytes(),
            Attribute.TOKEN: True,
            Attribute.LABEL: label if i == 0 else f"{label}-ca{i}",
            Attribute.ID: key_id if i == 0 else key_id + bytes([i]),
        })
