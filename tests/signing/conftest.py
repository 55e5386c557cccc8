"""A test PKI made once per session (EC keys: fast), a SoftHSM2 token made in a temporary
directory (SOFTHSM2_CONF points there: no global state), a remote-signing service and a
time-stamping server on loopback. Each test gets its own trust-anchor directory."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hoso.records.models import Sex
from hoso.signing import pki

from ..factories import PersonFactory, id_number_for
from .remote_server import RemoteSigningService, tls_server_certificate
from .tsa_server import TSAServer

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"
PIN, SO_PIN = "2468", "13572468"
TOKEN, PULL_TOKEN = "HOSO-TEST", "HOSO-PULL"
PASSPHRASE = "mật-khẩu-thử"
# People whose keys live on the SoftHSM token (made before any test's database exists).
HSM_BIRTH = dt.date(1980, 5, 17)
HSM_PERSON_ID = id_number_for(HSM_BIRTH, Sex.MALE, 900001)
REMOTE_SECRET = "bi-mat-cua-hoso"


@dataclass
class TestPKI:
    root: pki.DemoCA
    province: pki.DemoCA
    stranger: pki.DemoCA  # a CA nobody trusts
    tsa: pki.Issued
    directory: Path
    issued: list = field(default_factory=list)

    def p12(self, issued: pki.Issued, name: str, passphrase: str = PASSPHRASE) -> Path:
        path = self.directory / f"{name}.p12"
        path.write_bytes(issued.p12(passphrase))
        return path

    def person(self, person, *, ca: pki.DemoCA | None = None, **kw) -> pki.Issued:
        return (ca or self.province).issue_person(
            full_name=person.full_name, id_number=person.id_number, org=person.unit.name, **kw
        )

    def unit(self, unit, *, ca: pki.DemoCA | None = None, **kw) -> pki.Issued:
        return (ca or self.province).issue_unit(name=unit.name, code=unit.code, **kw)

    def install(self, anchors: Path) -> None:
        """The trust a deployment has: our root, and the current CRLs."""
        anchors.mkdir(parents=True, exist_ok=True)
        (anchors / "root.pem").write_bytes(pki.pem(self.root.cert))
        crl = anchors / "crl"
        crl.mkdir(exist_ok=True)
        (crl / "root.crl").write_bytes(pki.crl_der(self.root.crl()))
        (crl / "province.crl").write_bytes(pki.crl_der(self.province.crl()))


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory) -> TestPKI:
    root = pki.DemoCA.root("hoso Test Root CA")
    province = root.subordinate("hoso Test CA tỉnh")
    stranger = pki.DemoCA.root("Untrusted Root CA").subordinate("Untrusted CA")
    return TestPKI(root, province, stranger, root.issue_tsa("hoso Test TSA"),
                   tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trust(settings, test_pki, tmp_path) -> Path:
    """Settings pointing at this test's own trust anchors and signers file."""
    anchors = tmp_path / "trust"
    test_pki.install(anchors)
    settings.SIGNING_TRUST_ANCHORS = anchors
    settings.SIGNING_CRL_DIR = ""
    settings.SIGNING_REVOCATION = "soft"
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_PKI_DIR = tmp_path / "pki"
    settings.SIGNING_SIGNERS_FILE = tmp_path / "signers.toml"
    return anchors


@dataclass
class SoftHSM:
    lib: str
    conf: Path
    pin: str = PIN

    def pull(self, label: str) -> None:
        """What pulling the USB token out does to the next operation."""
        subprocess.run(["softhsm2-util", "--delete-token", "--token", label],
                       check=True, capture_output=True, env=os.environ.copy())


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory, test_pki) -> SoftHSM:
    """A SoftHSM2 configuration of our own with two tokens, keys and certificates
    written through PKCS#11 (python-pkcs11), as a provider personalises a token."""
    assert Path(SOFTHSM_LIB).is_file() and shutil.which("softhsm2-util"), (
        "SoftHSM2 is required (Debian package softhsm2; `.ci/run` installs it)"
    )
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\nslots.removable = true\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    for label in (TOKEN, PULL_TOKEN):
        subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", label,
             "--so-pin", SO_PIN, "--pin", PIN],
            check=True, capture_output=True,
        )
    import pkcs11

    lib = pkcs11.lib(SOFTHSM_LIB)
    holder = test_pki.province.issue_person(
        full_name="Trần Văn Token", id_number=HSM_PERSON_ID, org="Sở Nội vụ"
    )
    for label in (TOKEN, PULL_TOKEN):
        with lib.get_token(token_label=label).open(rw=True, user_pin=PIN) as session:
            pki.store_in_token(session, holder.key, holder.cert, "ky-so",
                               [test_pki.province.cert])
    return SoftHSM(SOFTHSM_LIB, conf)


@pytest.fixture
def hsm_person(world):
    """The person whose key is on the SoftHSM token, with an account."""
    from ..factories import UserFactory

    person = PersonFactory(unit=world.in_unit, full_name="Trần Văn Token",
                           birth_date=HSM_BIRTH, id_number=HSM_PERSON_ID)
    return UserFactory(username="token.holder", unit=world.in_unit, person=person,
                       full_name=person.full_name)


@pytest.fixture(scope="session")
def remote_service(tmp_path_factory):
    directory = tmp_path_factory.mktemp("remote")
    cert, key, ca_file = tls_server_certificate(directory)
    service = RemoteSigningService(client_secret=REMOTE_SECRET)
    service.start(cert, key)
    service.ca_file = ca_file
    yield service
    service.stop()


@pytest.fixture
def remote(remote_service, trust, settings, monkeypatch):
    """The reference service configured as `ky-so-tu-xa` in this test's signers file."""
    monkeypatch.setenv("HOSO_TEST_REMOTE_SECRET", REMOTE_SECRET)
    remote_service.auto = "confirm"
    Path(settings.SIGNING_SIGNERS_FILE).write_text(
        f'[remote.ky-so-tu-xa]\nurl = "{remote_service.url}"\n'
        f'ca_file = "{remote_service.ca_file}"\n'
        'client_secret_env = "HOSO_TEST_REMOTE_SECRET"\npoll_seconds = 0.05\n'
        'timeout_seconds = 5\n',
        encoding="utf-8",
    )
    return remote_service


@pytest.fixture(scope="session")
def tsa_server(test_pki):
    server = TSAServer(test_pki.tsa)
    server.start()
    yield server
    server.stop()

