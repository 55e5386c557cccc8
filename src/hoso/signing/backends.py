"""One signer interface, three backends (Lâm Đồng Đ3.4: "ký số" is the use of a device
holding the signer's key):

- `p12`: a software key in a passphrase-protected PKCS#12 file;
- `pkcs11`: a USB token or HSM through its PKCS#11 library (tested against SoftHSM2);
- `remote`: a remote-signing service over HTTPS, confirmed on the user's phone.

`open_signer(spec, secret=...)` gives an `OpenSigner`: a pyHanko signer plus the
certificate and whom it names. The passphrase or PIN is asked when signing and passed
in; it is never stored, logged or put in an error message.

Which backend a user or a unit signs with is configured in the signers file
(`HOSO_SIGNERS_FILE`, TOML; `hoso pki demo` writes one):

    [remote.smartca]                 # a remote-signing service
    url = "https://ky-so.example.vn"
    ca_file = "/etc/hoso/ky-so-ca.pem"
    client_secret_env = "HOSO_SMARTCA_SECRET"

    [user."syt.giamdoc"]             # by user name
    backend = "remote"
    service = "smartca"              # the user is known there by their ID number

    [unit."000.00.02.H38"]           # by QĐ 20 code; sub-units inherit it
    backend = "pkcs11"
    lib = "/usr/lib/softhsm/libsofthsm2.so"
    token = "SNV"
    key = "snv-ky-so"

    [user."snv.quantri"]
    backend = "p12"
    file = "var/pki/people/snv.quantri.p12"
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from hoso.core.errors import DomainError

from .pki import Identity, identity_of
from .remote import RemoteClient, RemoteService

BACKENDS = ("p12", "pkcs11", "remote")


@dataclass(frozen=True)
class SignerSpec:
    backend: str
    file: str = ""  # p12
    lib: str = ""  # pkcs11
    token: str = ""
    key: str = ""
    service: str = ""  # remote
    remote_user: str = ""  # the user's id at the service (default: their ID number)

    def describe(self) -> str:
        if self.backend == "p12":
            return f"PKCS#12 {self.file}"
        if self.backend == "pkcs11":
            return f"PKCS#11 {self.token}" + (f"/{self.key}" if self.key else "")
        return f"remote {self.service}"


@dataclass
class OpenSigner:
    """A signer ready to sign, and what its certificate says."""

    signer: signers.Signer
    backend: str
    certificate: x509.Certificate
    chain: list[asn1_x509.Certificate] = field(default_factory=list)
    _close: object = None
    # The PKCS#11 session, when there is one (the tests "pull the token" by closing it).
    session: object = None

    @property
    def identity(self) -> Identity:
        return identity_of(self.certificate)

    @property
    def asn1_certificate(self) -> asn1_x509.Certificate:
        return self.signer.signing_cert

    def close(self) -> None:
        if callable(self._close):
            self._close()
            self._close = None


# --- configuration -----------------------------------------------------------------


class ConfigError(DomainError):
    code = "signer_config"


@dataclass(frozen=True)
class SignersConfig:
    users: dict[str, SignerSpec]
    units: dict[str, SignerSpec]
    services: dict[str, RemoteService]


def _spec(where: str, data: dict, services: dict) -> SignerSpec:
    backend = data.get("backend")
    if backend not in BACKENDS:
        raise ConfigError(
            _("%(where)s: the backend must be one of p12, pkcs11, remote.") % {"where": where}
        )
    if backend == "p12" and not data.get("file"):
        raise ConfigError(_("%(where)s: a p12 signer needs “file”.") % {"where": where})
    if backend == "pkcs11" and not (data.get("lib") and data.get("token")):
        raise ConfigError(
            _("%(where)s: a pkcs11 signer needs “lib” and “token”.") % {"where": where}
        )
    if backend == "remote" and data.get("service") not in services:
        raise ConfigError(
            _("%(where)s: the remote-signing service “%(service)s” is not configured.")
            % {"where": where, "service": data.get("service", "")}
        )
    return SignerSpec(
        backend=backend, file=str(data.get("file", "")), lib=str(data.get("lib", "")),
        token=str(data.get("token", "")), key=str(data.get("key", "")),
        service=str(data.get("service", "")), remote_user=str(data.get("remote_user", "")),
    )


def parse_config(text: str, *, source: str = "") -> SignersConfig:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("The signers file %(file)s is not valid TOML: %(error)s")
            % {"file": source, "error": exc}
        ) from exc
    services = {}
    for name, data in (raw.get("remote") or {}).items():
        if not isinstance(data, dict) or not data.get("url"):
            raise ConfigError(
                _("remote.%(name)s: a remote-signing service needs “url”.") % {"name": name}
            )
        services[name] = RemoteService.from_config(name, data)
    users = {
        name: _spec(f"user.{name}", data, services)
        for name, data in (raw.get("user") or {}).items()
    }
    units = {
        code: _spec(f"unit.{code}", data, services)
        for code, data in (raw.get("unit") or {}).items()
    }
    return SignersConfig(users, units, services)


def signers_config() -> SignersConfig:
    path = Path(settings.SIGNING_SIGNERS_FILE)
    if not path.exists():
        return SignersConfig({}, {}, {})
    return parse_config(path.read_text(encoding="utf-8"), source=str(path))


def remote_service(name: str) -> RemoteService:
    service = signers_config().services.get(name)
    if service is None:
        raise ConfigError(
            _("The remote-signing service “%(service)s” is not configured.") % {"service": name}
        )
    return service


# --- opening a signer ----------------------------------------------------------------


def _trust_intermediates() -> list[asn1_x509.Certificate]:
    from .trust import trust_store

    return list(trust_store().intermediates)


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _crypto(cert: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def open_p12(path: str, passphrase: str) -> OpenSigner:
    file = Path(path)
    if not file.is_file():
        raise DomainError(_("The key file %(file)s does not exist.") % {"file": path}, code="p12")
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            file.read_bytes(), other_certs=_trust_intermediates(),
            passphrase=(passphrase or "").encode("utf-8"),
        )
    except ValueError as exc:
        raise DomainError(
            _("The passphrase of the key file is wrong (or the file is damaged)."),
            code="wrong_secret",
        ) from exc
    chain = [c for c in signer.cert_registry if c != signer.signing_cert]
    return OpenSigner(signer, "p12", _crypto(signer.signing_cert), chain)


# Exceptions of python-pkcs11 that mean the device went away (pulled out, session
# dropped): they turn into one message and abort the batch.
def _token_gone_errors() -> tuple[type[Exception], ...]:
    from pkcs11 import exceptions as e

    names = (
        "DeviceRemoved", "TokenNotPresent", "SessionClosed", "SessionHandleInvalid",
        "DeviceError", "TokenNotRecognised", "KeyHandleInvalid", "ObjectHandleInvalid",
        "CryptokiNotInitialised", "UserNotLoggedIn",
    )
    return tuple(getattr(e, n) for n in names if hasattr(e, n))


def token_removed_error() -> DomainError:
    return DomainError(
        _("The signing token was removed or stopped answering; nothing was signed."),
        code="token_removed",
    )


def open_pkcs11(lib_path: str, token_label: str, pin: str, key_label: str = "") -> OpenSigner:
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as e
    from pyhanko.sign.pkcs11 import PKCS11Signer

    if not Path(lib_path).is_file():
        raise DomainError(
            _("The PKCS#11 library %(lib)s does not exist.") % {"lib": lib_path}, code="pkcs11"
        )
    try:
        lib = pkcs11.lib(lib_path)
        try:
            try:
                token = lib.get_token(token_label=token_label)
            except e.GeneralError:
                # A token pulled out earlier can leave the library unable to list its
                # slots until it is initialised again (SoftHSM2 does this).
                lib.reinitialize()
                token = lib.get_token(token_label=token_label)
        except (e.NoSuchToken, e.MultipleTokensReturned) as exc:
            raise DomainError(
                _("No signing token labelled “%(token)s” is plugged in.") % {"token": token_label},
                code="no_token",
            ) from exc
        try:
            session = token.open(user_pin=pin or "")
        except (e.PinIncorrect, e.PinLenRange, e.ArgumentsBad) as exc:
            raise DomainError(_("The token's PIN is wrong."), code="wrong_secret") from exc
        except e.PinLocked as exc:
            raise DomainError(
                _("The token's PIN is locked after too many wrong tries."), code="pin_locked"
            ) from exc
    except e.PKCS11Error as exc:
        if isinstance(exc, _token_gone_errors()):
            raise token_removed_error() from exc
        raise DomainError(
            _("The signing token could not be used (%(error)s).") % {"error": type(exc).__name__},
            code="pkcs11",
        ) from exc
    try:
        if not key_label:
            keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY,
                                             Attribute.SIGN: True}))
            if len(keys) != 1:
                raise DomainError(
                    _("The token holds %(count)d signing keys: name one with its label.")
                    % {"count": len(keys)}, code="pkcs11",
                )
            key_label = keys[0][Attribute.LABEL]
        signer = PKCS11Signer(
            session, key_label=key_label, cert_label=key_label, other_certs_to_pull=None,
            ca_chain=_trust_intermediates(),
        )
        signer._load_objects()
        # EC keys: hash here and sign the hash on the token (CKM_ECDSA), which every
        # token has; not all have the hash-and-sign mechanisms (SoftHSM2 has not).
        signer.use_raw_mechanism = signer.signing_cert.public_key.algorithm == "ec"
    except DomainError:
        session.close()
        raise
    except Exception as exc:  # noqa: BLE001 — pyHanko wraps the token's errors
        session.close()
        raise DomainError(
            _("The token holds no key and certificate labelled “%(key)s”.") % {"key": key_label},
            code="pkcs11",
        ) from exc
    chain = [c for c in signer.cert_registry if c != signer.signing_cert]

    def _close():
        with contextlib.suppress(Exception):
            session.close()

    return OpenSigner(signer, "pkcs11", _crypto(signer.signing_cert), chain, _close, session)


class RemoteSigner(signers.Signer):
    """A pyHanko signer whose raw signatures come from a remote-signing service.

    `prefetch(...)` signs many hashes in one request (one confirmation on the phone);
    `async_sign_raw` then uses them, or asks for one signature at a time."""

    def __init__(self, client: RemoteClient, credential_id: str, cert, chain, description=""):
        registry = SimpleCertificateStore()
        registry.register_multiple(chain)
        super().__init__(signing_cert=cert, cert_registry=registry)
        self.client = client
        self.credential_id = credential_id
        self.description = description
        self._ready: dict[bytes, bytes] = {}

    def prefetch(self, to_sign: list[bytes]) -> None:
        digests = [hashlib.sha256(d).digest() for d in to_sign]
        for digest, sig in zip(
            digests, self.client.sign_hashes(self.credential_id, digests, self.description),
            strict=True,
        ):
            self._ready[digest] = sig

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(72)
        if digest_algorithm.lower() != "sha256":
            raise DomainError(_("The remote-signing service signs SHA-256 hashes only."))
        digest = hashlib.sha256(data).digest()
        if digest in self._ready:
            return self._ready.pop(digest)
        loop = asyncio.get_running_loop()
        sigs = await loop.run_in_executor(
            None, self.client.sign_hashes, self.credential_id, [digest], self.description
        )
        return sigs[0]


def open_remote(service_name: str, user_id: str, description: str = "") -> OpenSigner:
    service = remote_service(service_name)
    client = RemoteClient(service)
    credential_id, cert_der, chain_der = client.credential(user_id)
    try:
        cert = asn1_x509.Certificate.load(cert_der)
        chain = [asn1_x509.Certificate.load(c) for c in chain_der]
        cert.native  # noqa: B018 — parse now, fail here
    except ValueError as exc:
        raise DomainError(
            _("The remote-signing service “%(name)s” sent an answer hoso cannot read.")
            % {"name": service_name}, code="remote",
        ) from exc
    signer = RemoteSigner(client, credential_id, cert, chain + _trust_intermediates(),
                          description)
    return OpenSigner(signer, "remote", _crypto(cert), chain)


def open_signer(spec: SignerSpec, *, secret: str | None = None, remote_user: str = "",
                description: str = "") -> OpenSigner:
    if spec.backend == "p12":
        return open_p12(spec.file, secret or "")
    if spec.backend == "pkcs11":
        return open_pkcs11(spec.lib, spec.token, secret or "", spec.key)
    if spec.backend == "remote":
        user = spec.remote_user or remote_user
        if not user:
            raise DomainError(_("The remote-signing service needs the user's ID number."))
        return open_remote(spec.service, user, description)
    raise ConfigError(_("Unknown signer backend “%(backend)s”.") % {"backend": spec.backend})


@contextlib.contextmanager
def opened(spec: SignerSpec, **kwargs) -> Iterator[OpenSigner]:
    signer = open_signer(spec, **kwargs)
    try:
        yield signer
    finally:
        signer.close()
