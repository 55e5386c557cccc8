"""`hoso sign`: sign and verify files, for Sở Nội vụ's batch work and for scripts.

    hoso sign pdf IN OUT  SIGNER [--reason R] [--location L] [--field NAME]
    hoso sign json IN OUT SIGNER          OUT.zip: a data package; else a detached .sig
    hoso sign verify FILE [--sig FILE.sig]

SIGNER is one of  --p12 FILE | --pkcs11-lib LIB --token LABEL [--key-label L] |
--remote NAME [--remote-user ID]. The passphrase or PIN is read from the environment
variable named by --secret-env, else asked at the terminal; never from the command
line. --user USERNAME / --unit CODE make the command refuse a certificate that does not
name that person or unit. `verify` exits with 0 only when every signature is intact
and trusted.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.accounts.models import User
from hoso.accounts.permissions import SYSTEM
from hoso.core.context import acting_as
from hoso.core.errors import DomainError
from hoso.org.models import OrgUnit
from hoso.signing import data as data_signing
from hoso.signing import pdf as pdf_signing
from hoso.signing.backends import SignerSpec, open_signer
from hoso.signing.services import check_identity
from hoso.signing.trust import check_signing_certificate


def _signer_options(parser) -> None:
    parser.add_argument("--p12", help="PKCS#12 key file")
    parser.add_argument("--pkcs11-lib", help="PKCS#11 library of the token")
    parser.add_argument("--token", help="label of the token")
    parser.add_argument("--key-label", default="", help="label of the key on the token")
    parser.add_argument("--remote", help="name of a configured remote-signing service")
    parser.add_argument("--remote-user", default="", help="user id at the remote service")
    parser.add_argument("--secret-env", default="",
                        help="environment variable holding the passphrase or PIN")
    parser.add_argument("--user", default="", help="refuse a certificate not of this user")
    parser.add_argument("--unit", default="", help="refuse a certificate not of this unit")


class Command(BaseCommand):
    help = "Sign PDFs and JSON data, verify signed files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        pdf = sub.add_parser("pdf", help="add a PAdES signature to a PDF")
        pdf.add_argument("input")
        pdf.add_argument("output")
        pdf.add_argument("--reason", default="")
        pdf.add_argument("--location", default="")
        pdf.add_argument("--field", default="")
        _signer_options(pdf)
        js = sub.add_parser("json", help="sign the canonical JSON of a file or package")
        js.add_argument("input")
        js.add_argument("output")
        _signer_options(js)
        verify = sub.add_parser("verify", help="verify a signed PDF, package or JSON + .sig")
        verify.add_argument("file")
        verify.add_argument("--sig", default="")

    def handle(self, *args, action=None, **options):
        with acting_as(label="system:sign"):
            try:
                if action == "verify":
                    return self._verify(options)
                if action == "pdf":
                    return self._sign_pdf(options)
                return self._sign_json(options)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc

    # --- signer ---

    def _spec(self, o) -> SignerSpec:
        chosen = [k for k in ("p12", "pkcs11_lib", "remote") if o.get(k)]
        if len(chosen) != 1:
            raise CommandError(_("Choose one signer: --p12, --pkcs11-lib with --token, or "
                                 "--remote."))
        if o.get("p12"):
            return SignerSpec("p12", file=o["p12"])
        if o.get("pkcs11_lib"):
            if not o.get("token"):
                raise CommandError(_("--pkcs11-lib needs --token."))
            return SignerSpec("pkcs11", lib=o["pkcs11_lib"], token=o["token"],
                              key=o.get("key_label", ""))
        return SignerSpec("remote", service=o["remote"], remote_user=o.get("remote_user", ""))

    def _secret(self, o, spec: SignerSpec) -> str | None:
        if spec.backend == "remote":
            return None
        if o.get("secret_env"):
            value = os.environ.get(o["secret_env"])
            if value is None:
                raise CommandError(_("The environment variable %(name)s is not set.")
                                   % {"name": o["secret_env"]})
            return value
        if sys.stdin.isatty():
            prompt = _("Passphrase: ") if spec.backend == "p12" else _("PIN: ")
            return getpass.getpass(prompt)
        raise CommandError(_("A passphrase or PIN is needed: name the environment variable "
                             "that holds it with --secret-env."))

    def _open(self, o):
        spec = self._spec(o)
        unit = None
        if o.get("unit"):
            unit = OrgUnit.objects.filter(code=o["unit"]).first()
            if unit is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": o["unit"]})
        actor = SYSTEM
        if o.get("user"):
            actor = User.objects.select_related("person").filter(username=o["user"]).first()
            if actor is None:
                raise CommandError(_("No account is named %(name)s.") % {"name": o["user"]})
        remote_user = ""
        if unit is not None:
            remote_user = unit.code
        elif actor is not SYSTEM and actor.person is not None:
            remote_user = actor.person.id_number
        opened = open_signer(spec, secret=self._secret(o, spec), remote_user=remote_user,
                             description="hoso sign")
        try:
            if unit is not None or actor is not SYSTEM:
                check_identity(opened, actor=actor, on_behalf_of=unit)
            check_signing_certificate(opened.asn1_certificate, opened.chain)
        except BaseException:
            opened.close()
            raise
        return opened

    # --- actions ---

    def _read(self, path: str) -> bytes:
        p = Path(path)
        if not p.is_file():
            raise CommandError(_("The file %(file)s does not exist.") % {"file": path})
        return p.read_bytes()

    def _write(self, path: str, content: bytes) -> None:
        Path(path).write_bytes(content)

    def _sign_pdf(self, o) -> None:
        source = self._read(o["input"])
        opened = self._open(o)
        try:
            out = pdf_signing.sign_pdf(source, opened, reason=o["reason"],
                                       location=o["location"], field_name=o["field"])
        finally:
            opened.close()
        self._write(o["output"], out)
        self.stdout.write(_("Signed: %(file)s") % {"file": o["output"]})

    def _sign_json(self, o) -> None:
        raw = self._read(o["input"])
        previous: list[bytes] = []
        if raw[:2] == b"PK":
            content, previous = data_signing.read_package(raw)
            content = data_signing.json_bytes(content)
        else:
            content = data_signing.json_bytes(raw)
        opened = self._open(o)
        try:
            cms = data_signing.sign_many(opened, [content])[0]
        finally:
            opened.close()
        if o["output"].lower().endswith(".zip"):
            self._write(o["output"], data_signing.make_package(content, [*previous, cms]))
        else:
            self._write(o["output"], cms)
        self.stdout.write(_("Signed: %(file)s") % {"file": o["output"]})

    def _verify(self, o) -> None:
        raw = self._read(o["file"])
        name = Path(o["file"]).name
        if o.get("sig"):
            report = data_signing.verify_detached(
                data_signing.json_bytes(raw), self._read(o["sig"]), name=name
            )
        elif raw.startswith(b"%PDF"):
            report = pdf_signing.verify_pdf(raw, name=name)
        elif raw[:2] == b"PK":
            report = data_signing.verify_package(raw, name=name)
        else:
            raise CommandError(_("Give a signed PDF, a data package (.zip), or a JSON file "
                                 "with its signature (--sig)."))
        self.stdout.write(report.text())
        if not report.ok:
            raise CommandError(_("Verification failed."), returncode=1)
