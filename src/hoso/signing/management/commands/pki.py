"""`hoso pki`: the demo PKI (for trying hoso and its tests; never for real signatures).

    hoso pki demo              root CA, province CA, certificates for Sở Nội vụ, the units
                               with a head and every person with an account (.p12 files)
    hoso pki revoke FILE.p12   revoke a demo certificate and publish the new CRL
    hoso pki to-token FILE.p12 --pkcs11-lib LIB --token LABEL --label KEY
                     --secret-env VAR --pin-env VAR
                               write a (demo) EC key and its certificate into a PKCS#11
                               token, e.g. a SoftHSM2 token to try token signing with
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hoso.signing import demo


class Command(BaseCommand):
    help = "Demo PKI: `hoso pki demo` issues demo certificates; `hoso pki revoke FILE.p12`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("demo", help="create (or complete) the demo PKI")
        revoke = sub.add_parser("revoke", help="revoke a demo certificate")
        revoke.add_argument("p12", help="the .p12 file of the certificate to revoke")
        token = sub.add_parser("to-token", help="write a .p12's key into a PKCS#11 token")
        token.add_argument("p12")
        token.add_argument("--pkcs11-lib", required=True)
        token.add_argument("--token", required=True)
        token.add_argument("--label", required=True, help="label of the key on the token")
        token.add_argument("--secret-env", required=True,
                           help="environment variable holding the .p12 passphrase")
        token.add_argument("--pin-env", required=True,
                           help="environment variable holding the token's user PIN")

    def handle(self, *args, action=None, **options):
        if action == "to-token":
            self._to_token(options)
            return
        if action == "revoke":
            path = Path(options["p12"])
            if not path.is_file():
                raise CommandError(_("The file %(file)s does not exist.") % {"file": path})
            try:
                serial = demo.revoke(path)
            except ValueError as exc:
                raise CommandError(_("This is not a demo key file.")) from exc
            self.stdout.write(
                _("Certificate %(serial)s revoked; the new CRL is in %(dir)s.")
                % {"serial": serial, "dir": settings.SIGNING_TRUST_ANCHORS}
            )
            return
        result = demo.ensure_demo_pki()
        if result.root_created:
            self.stdout.write(_("Demo certification authorities created in %(dir)s.")
                              % {"dir": result.directory / "ca"})
        self.stdout.write(
            _("Demo PKI ready: %(people)d personal and %(units)d agency certificates "
              "(%(new)d new).")
            % {"people": len(result.people), "units": len(result.units),
               "new": len(result.issued)}
        )
        self.stdout.write(_("Personal keys: %(dir)s/<user name>.p12")
                          % {"dir": result.directory / "people"})
        self.stdout.write(_("Agency keys: %(dir)s/<unit code>.p12")
                          % {"dir": result.directory / "units"})
        self.stdout.write(_("Passphrase of every demo key (demo only): %(p)s")
                          % {"p": demo.DEMO_PASSPHRASE})
        self.stdout.write(_("Trusted root installed in %(dir)s.")
                          % {"dir": settings.SIGNING_TRUST_ANCHORS})
        if result.signers_written:
            self.stdout.write(_("Signers file written: %(file)s")
                              % {"file": settings.SIGNING_SIGNERS_FILE})
        else:
            self.stdout.write(_("The signers file %(file)s was written by an operator; it "
                                "was left as it is.") % {"file": settings.SIGNING_SIGNERS_FILE})

    def _to_token(self, o) -> None:
        import pkcs11
        from cryptography.hazmat.primitives.asymmetric import ec

        from hoso.signing import pki

        secrets = {}
        for option in ("secret_env", "pin_env"):
            value = os.environ.get(o[option])
            if value is None:
                raise CommandError(_("The environment variable %(name)s is not set.")
                                   % {"name": o[option]})
            secrets[option] = value
        path = Path(o["p12"])
        if not path.is_file():
            raise CommandError(_("The file %(file)s does not exist.") % {"file": path})
        try:
            key, cert, chain = pki.load_p12(path.read_bytes(), secrets["secret_env"])
        except ValueError as exc:
            raise CommandError(
                _("The passphrase of the key file is wrong (or the file is damaged).")
            ) from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise CommandError(_("Only EC keys can be written into a token this way."))
        try:
            token = pkcs11.lib(o["pkcs11_lib"]).get_token(token_label=o["token"])
            with token.open(rw=True, user_pin=secrets["pin_env"]) as session:
                pki.store_in_token(session, key, cert, o["label"], chain)
        except pkcs11.exceptions.PKCS11Error as exc:
            raise CommandError(
                _("The signing token could not be used (%(error)s).")
                % {"error": type(exc).__name__}
            ) from exc
        self.stdout.write(_("Key and certificate written into the token “%(token)s” as "
                            "“%(label)s”.") % {"token": o["token"], "label": o["label"]})
