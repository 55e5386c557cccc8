"""Benchmark of data signatures: a batch of revision-sized documents signed with the
software key (PKCS#12) and with a PKCS#11 token (SoftHSM2), then verified.

    python bench/signing.py [--count 10000] [--full-verify 1000]

Each document is the canonical JSON of a generated profile (CV form: personal data,
work history, training, salary history, family; 3–5 KB, Vietnamese text), signed as
`hoso.signing.services.sign_batch_and_store` signs a batch (`data.sign_many`: detached
CMS, CAdES-BES attributes, one signer for the batch). The floor is the raw operation on
the same bytes with `cryptography`: SHA-256 + ECDSA P-256 sign (or verify), no CMS.

Verification is timed two ways: the integrity check `hoso audit verify` runs on every
stored signature (CMS signature over the stored hash, on all documents), and the full
check the verification page runs (integrity + certificate path to the trust anchor +
revocation from the installed CRLs) on `--full-verify` of them.

Everything runs in a temporary data dir with its own demo CA and SoftHSM2 token
(SOFTHSM2_CONF points there); nothing outside it is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, timing)

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--count", type=int, default=10_000, help="documents in the batch")
    p.add_argument("--full-verify", type=int, default=1_000,
                   help="documents verified with the full certificate-path check")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args(argv)


def documents(count: int, seed: int) -> list[bytes]:
    from hoso.core.canonical import canonical_json
    from hoso.demo.names import FAMILY, GIVEN, MIDDLE

    rnd = random.Random(seed)

    def name(sex: str = "male") -> str:
        return " ".join((rnd.choice(FAMILY)[0], rnd.choice(MIDDLE[sex])[0], rnd.choice(GIVEN[sex])))

    out = []
    for i in range(count):
        born = 1966 + rnd.randrange(38)
        doc = {
            "kind": "hoso.revision", "person": 100_000 + i, "number": 1 + rnd.randrange(9),
            "parent_hash": hashlib.sha256(b"p%d" % i).hexdigest(),
            "content_hash": hashlib.sha256(b"c%d" % i).hexdigest(),
            "approved_by": 17, "created_at": "2026-06-25T09:30:00+07:00",
            "category": "cong_chuc", "schema_version": "tt06-2023.1", "reason": "Cập nhật",
            "document": {
                "full_name": name(),
                "birth_date": f"{born}-0{1 + rnd.randrange(9)}-1{rnd.randrange(9)}",
                "sex": rnd.choice(["male", "female"]), "ethnicity": "01", "religion": "00",
                "birth_place": {"province": "68", "text": "Xã Đức Trọng, tỉnh Lâm Đồng"},
                "home_town": {"province": "40", "text": "Xã Nghi Lộc, tỉnh Nghệ An"},
                "permanent_address": {"province": "68", "text": "Số 12 đường Trần Phú, "
                                      "phường Xuân Hương – Đà Lạt"},
                "id_number": f"068{rnd.randrange(10**9):09d}", "managing_unit": "000.00.15.H38",
                "employing_unit": "000.02.15.H38", "rank_code": "01.003", "salary_step": 3,
                "salary_coefficient": "3.00", "salary_since": "2024-07-01",
                "education_level": "dai_hoc", "political_theory": "trung_cap",
                "work_history": [
                    {"from": f"{born + 22 + k * 4}-09", "to": f"{born + 26 + k * 4}-08",
                     "unit": "Phòng Tổ chức cán bộ, Sở Y tế tỉnh Lâm Đồng",
                     "position": "Chuyên viên"} for k in range(4)],
                "training": [
                    {"from": f"{born + 18}-09", "to": f"{born + 22}-06", "school":
                     "Trường Đại học Đà Lạt", "major": "Quản trị nhân lực", "form": "chinh_quy",
                     "degree": "Cử nhân"},
                    {"from": "2019-03", "to": "2019-06", "school": "Học viện Hành chính quốc gia",
                     "major": "Quản lý nhà nước ngạch chuyên viên", "form": "boi_duong"}],
                "salary_history": [
                    {"from": f"{2012 + 3 * k}-07", "rank_code": "01.003", "step": 1 + k,
                     "coefficient": f"{2.34 + 0.33 * k:.2f}"} for k in range(4)],
                "family_own": [
                    {"relationship": r, "name": name(), "birth_year": born - 25 + j,
                     "details": "Nông dân, thường trú tại xã Nghi Lộc, tỉnh Nghệ An"}
                    for j, r in enumerate(["bo", "me", "anh", "em"])],
                "evaluations": [{"year": 2020 + k, "grade": "hoan_thanh_tot"} for k in range(5)],
            },
        }
        out.append(canonical_json(doc))
    return out


def softhsm_token(directory: Path, issued, chain) -> None:
    (directory / "tokens").mkdir(parents=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {directory / 'tokens'}\n"
                    "objectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "BENCH",
                    "--so-pin", "12345678", "--pin", "2468"], check=True, capture_output=True)
    import pkcs11

    from hoso.signing import pki

    token = pkcs11.lib(SOFTHSM_LIB).get_token(token_label="BENCH")
    with token.open(rw=True, user_pin="2468") as session:
        pki.store_in_token(session, issued.key, issued.cert, "bench", chain)


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="hoso-bench-signing-"))
    os.environ["HOSO_REVOCATION"] = "soft"
    common.start_django(tmp / "var")
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.conf import settings

    from hoso.signing import data, pki
    from hoso.signing.backends import open_p12, open_pkcs11

    try:
        root = pki.DemoCA.root("hoso Bench Root CA")
        province = root.subordinate("hoso Bench CA")
        issued = province.issue_person(full_name="Nguyễn Văn Ký", id_number="068090000001",
                                       org="Sở Nội vụ")
        common.trust_anchors(Path(settings.SIGNING_TRUST_ANCHORS), root, province,
                             ca_crl="province.crl")
        p12 = tmp / "bench.p12"
        p12.write_bytes(issued.p12("bench"))

        t = time.perf_counter()
        docs = documents(args.count, args.seed)
        sizes = sorted(len(d) for d in docs)
        print(f"{args.count:,} documents generated in {time.perf_counter() - t:.1f} s "
              f"(median {sizes[len(sizes) // 2]:,} bytes, max {sizes[-1]:,})")

        rows = []
        # floor: SHA-256 + ECDSA P-256 on the same bytes
        key = issued.key
        with common.Timer() as floor_sign:
            raw_sigs = [key.sign(d, ec.ECDSA(hashes.SHA256())) for d in docs]
        pub = key.public_key()
        with common.Timer() as floor_verify:
            for d, s in zip(docs, raw_sigs, strict=True):
                pub.verify(s, d, ec.ECDSA(hashes.SHA256()))

        software = open_p12(str(p12), "bench")
        with common.Timer() as t:
            soft_sigs = data.sign_many(software, docs)
        rows.append(("sign, software key (PKCS#12)", len(docs), t, floor_sign))

        softhsm_token(tmp / "softhsm", issued, [province.cert])
        token = open_pkcs11(SOFTHSM_LIB, "BENCH", "2468", "bench")
        with common.Timer() as t:
            hsm_sigs = data.sign_many(token, docs)
        token.close()
        rows.append(("sign, SoftHSM2 token (PKCS#11)", len(docs), t, floor_sign))

        digests = [hashlib.sha256(d).digest() for d in docs]
        with common.Timer() as t:
            ok = all(data.cms_intact(s, dg) for s, dg in zip(soft_sigs, digests, strict=True))
        assert ok and data.cms_intact(hsm_sigs[0], digests[0])
        rows.append(("verify, integrity (hoso audit verify)", len(docs), t, floor_verify))

        n = min(args.full_verify, len(docs))
        from hoso.signing.trust import trust_store

        store = trust_store()
        with common.Timer() as t:
            for d, s in zip(docs[:n], soft_sigs[:n], strict=True):
                report = data.verify_detached(d, s, store=store)
                assert report.ok, report.text()
        rows.append((f"verify, full: certificate path + CRLs ({n:,})", n, t, floor_verify))

        print()
        print(f"{'operation':<46} {'per s':>7} {'per CPU-s':>10} {'floor/CPU-s':>12} "
              f"{'ratio':>6}")
        for label, count, t, floor in rows:
            ours_cpu = rate(count, t.cpu)
            floor_cpu = rate(len(docs), floor.cpu)
            print(f"{label:<46} {rate(count, t.wall):>7,.0f} {ours_cpu:>10,.0f} "
                  f"{floor_cpu:>12,.0f} {floor_cpu / ours_cpu:>6.1f}")
        print(f"\n{dt.date.today():%d/%m/%Y}, {os.cpu_count()} CPU(s); floor = "
              "cryptography SHA-256 + ECDSA P-256 on the same bytes; ratio = how many "
              "times the floor's CPU time")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
