"""The demo PKI of `hoso pki demo` (never for real use): a root CA, a province CA,
a certificate for Sở Nội vụ, for every unit whose head or chairman has an account, and
for every person who has an account; each key in a passphrase-protected .p12.

Idempotent: what exists in the PKI directory is kept, what is missing is issued. The
demo root goes into the trust-anchor directory and the CRLs into its `crl/`, the same
places an operator installs the government CA's roots and CRLs; the signers file binds
each account and unit to its .p12.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from hoso.accounts.models import RoleAssignment, User
from hoso.accounts.roles import Role
from hoso.org.models import OrgUnit, UnitKind

from . import pki

DEMO_PASSPHRASE = "hoso-demo-2026"
SIGNERS_MARKER = "# Written by `hoso pki demo`"
ROOT_NAME = "hoso Demo Root CA"
ROOT_FILE = "hoso-demo-root.pem"


@dataclass
class DemoPKI:
    directory: Path
    root_created: bool = False
    issued: list[Path] = field(default_factory=list)
    people: dict[str, Path] = field(default_factory=dict)  # username → p12
    units: dict[str, Path] = field(default_factory=dict)  # code → p12
    signers_written: bool = False


def _load_or_create_cas(directory: Path, passphrase: str) -> tuple[pki.DemoCA, pki.DemoCA, bool]:
    ca_dir = directory / "ca"
    if (ca_dir / "root.pem").exists() and (ca_dir / "province.pem").exists():
        root = pki.DemoCA.load(ca_dir, "root", passphrase)
        province = pki.DemoCA.load(ca_dir, "province", passphrase, chain=[root.cert])
        return root, province, False
    root = pki.DemoCA.root(ROOT_NAME)
    root_unit = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    name = "hoso Demo CA" + (f" – {root_unit.name}" if root_unit else "")
    province = root.subordinate(name)
    root.save(ca_dir, "root", passphrase)
    province.save(ca_dir, "province", passphrase)
    return root, province, True


def agency_unit() -> OrgUnit | None:
    """Sở Nội vụ (the Department of Home Affairs) of the province, if the tree has it."""
    return (
        OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, name="Sở Nội vụ", valid_to__isnull=True)
        .order_by("depth", "pk").first()
    )


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def publish_trust(root: pki.DemoCA, province: pki.DemoCA) -> None:
    anchors = Path(settings.SIGNING_TRUST_ANCHORS)
    anchors.mkdir(parents=True, exist_ok=True)
    (anchors / ROOT_FILE).write_bytes(pki.pem(root.cert))
    crl_dir = Path(settings.SIGNING_CRL_DIR) if settings.SIGNING_CRL_DIR else anchors / "crl"
    crl_dir.mkdir(parents=True, exist_ok=True)
    (crl_dir / "hoso-demo-root.crl").write_bytes(pki.crl_der(root.crl(days=30)))
    (crl_dir / "hoso-demo-province.crl").write_bytes(pki.crl_der(province.crl(days=30)))


def ensure_demo_pki(*, passphrase: str = DEMO_PASSPHRASE) -> DemoPKI:
    directory = Path(settings.SIGNING_PKI_DIR)
    result = DemoPKI(directory)
    root, province, result.root_created = _load_or_create_cas(directory, passphrase)
    for user in User.objects.filter(person__isnull=False, is_active=True).select_related(
        "person", "person__unit"
    ).order_by("username"):
        path = directory / "people" / f"{user.username}.p12"
        if not path.exists():
            issued = province.issue_person(
                full_name=user.person.full_name, id_number=user.person.id_number,
                org=user.person.unit.name,
            )
            _write(path, issued.p12(passphrase, user.username))
            result.issued.append(path)
        result.people[user.username] = path
    units = set(
        RoleAssignment.objects.active_on()
        .filter(role__in=[Role.UNIT_HEAD, Role.CHAIRMAN]).values_list("unit_id", flat=True)
    )
    agency = agency_unit()
    if agency is not None:
        units.add(agency.pk)
    for unit in OrgUnit.objects.filter(pk__in=units).order_by("code"):
        path = directory / "units" / f"{unit.code}.p12"
        if not path.exists():
            issued = province.issue_unit(name=unit.name, code=unit.code)
            _write(path, issued.p12(passphrase, unit.code))
            result.issued.append(path)
        result.units[unit.code] = path
    publish_trust(root, province)
    result.signers_written = write_signers_file(result)
    return result


def write_signers_file(result: DemoPKI) -> bool:
    """Bind each demo account and unit to its .p12 — unless an operator wrote the file."""
    path = Path(settings.SIGNING_SIGNERS_FILE)
    if path.exists() and not path.read_text(encoding="utf-8").startswith(SIGNERS_MARKER):
        return False
    lines = [SIGNERS_MARKER + " (demo keys; edit freely, then drop this line).", ""]
    for username, p12 in sorted(result.people.items()):
        lines += [f'[user."{username}"]', 'backend = "p12"', f'file = "{p12}"', ""]
    for code, p12 in sorted(result.units.items()):
        lines += [f'[unit."{code}"]', 'backend = "p12"', f'file = "{p12}"', ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return True


def revoke(cert_path: Path, *, passphrase: str = DEMO_PASSPHRASE) -> str:
    """Revoke a demo certificate (its .p12) and publish the new CRL; its serial."""
    directory = Path(settings.SIGNING_PKI_DIR)
    root, province, _created = _load_or_create_cas(directory, passphrase)
    _key, cert, _chain = pki.load_p12(cert_path.read_bytes(), passphrase)
    province.revoke(cert)
    province.save(directory / "ca", "province", passphrase)
    publish_trust(root, province)
    return format(cert.serial_number, "x")
