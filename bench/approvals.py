"""Benchmark of the final approval (issue 5): applying approved change requests.

    python bench/approvals.py                      SQLite, 100k people, 10,000 requests
    python bench/approvals.py --postgres URL       PostgreSQL (a database of its own)

The people come from the shared generator (`common.generate`, as in
`bench/visible_to.py`: the shipped Lâm Đồng tree; a second run on the same database
reuses them). On top of them it makes `--requests`
change requests, each a full CV document (`hoso.demo.profiles.fake_document`, 3 rows
per repeating table) for a person without an approved file yet, standing at the last
step of Lâm Đồng's chain (Quy chế Đ7.3: the HR officer has checked, the head of agency
approves and signs within 10 working days; no monthly window to wait for). The requests
are set up in bulk; what is timed is the approval itself.

Each approval: the request locked and its state and the approver's authority checked
through the permission path, the document validated by the schema, the revision written
(sealed, hashed, chained) with its projection, signed with the approver's X.509 key (a
detached CMS over the revision's canonical JSON, certificate path and revocation
checked), the step and the request closed, every write audited. Three ways:

- `--requests` (10,000) in the month's window, ticked in the queue by `--batch` (200):
  `workflow.decisions.approve_many`, one transaction and one signing session (the key
  opened and its certificate checked once) per batch;
- `--single` one by one (`decisions.approve`, one transaction each), the key opened
  once as a head approving page after page in one sitting would;
- `--reopen` one by one, the key opened again with its passphrase for each.

The floor is plain SQL: the same rows the approvals wrote (the revisions, the
projections, the signatures, the audit rows; the steps and the requests updated),
inserted again by hand into scratch copies of the tables through `connection.cursor()`,
grouped in transactions as they were — what the database alone costs, without
validating, sealing, hashing, signing or deciding anything.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402

PASSPHRASE = "bench"
APPROVER = "bench.pheduyet"


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=None, national=False)
    p.add_argument("--requests", type=int, default=10_000,
                   help="approvals given together, by --batch (10000)")
    p.add_argument("--batch", type=int, default=200, help="requests per act (200)")
    p.add_argument("--single", type=int, default=500,
                   help="approvals one by one, key opened once (500)")
    p.add_argument("--reopen", type=int, default=100,
                   help="approvals one by one, key opened for each (100)")
    return common.parse(p, argv)


# --- set-up ----------------------------------------------------------------------------


def approver_and_key(tmp: Path):
    """The head of the province's agencies (unit_head on the root, with the sub-tree),
    with a personnel file; a demo CA trusted by the data dir; the head's key in a
    PKCS#12 file configured as their signer."""
    from hoso.accounts.models import RoleAssignment, User
    from hoso.accounts.permissions import SYSTEM
    from hoso.accounts.roles import Role
    from hoso.accounts.services import account_create, role_grant
    from hoso.org.models import OrgUnit
    from hoso.records.models import Person

    root = OrgUnit.objects.filter(depth=0).order_by("pk").first()
    user = User.objects.filter(username=APPROVER).first()
    if user is None:
        donor = Person.objects.filter(unit=root).exclude(account__isnull=False).first() or \
            Person.objects.filter(account__isnull=True, revisions__isnull=True).order_by(
                "-pk").first()
        user = account_create(actor=SYSTEM, full_name=donor.full_name, unit=donor.unit,
                              person=donor, username=APPROVER).user
    if not RoleAssignment.objects.active_on().filter(user=user, role=Role.UNIT_HEAD).exists():
        role_grant(actor=SYSTEM, user=user, role=Role.UNIT_HEAD, unit=root,
                   include_subtree=True, valid_from=dt.date(2025, 7, 1))
    p12 = common.demo_signer(user, tmp, ca_name="hoso Bench CA", ca_crl="province.crl",
                             org=root.name, passphrase=PASSPHRASE)
    return User.objects.get(pk=user.pk), p12


def make_requests(count: int, approver) -> list[int]:
    """`count` requests at their last step (Lâm Đồng's chain), set up in bulk: people
    without a revision, a full document each, the HR check approved."""
    from django.db import transaction
    from django.utils import timezone

    from hoso.core.policy import get_policy
    from hoso.demo.profiles import fake_document
    from hoso.records.models import Person
    from hoso.workflow.models import ChangeRequest, Origin, ReviewStep, Status, StepStatus
    from hoso.workflow.routing import agency_of

    policy = get_policy()
    waiting = list(ChangeRequest.objects.filter(status=Status.IN_REVIEW, current_step=2)
                   .order_by("pk").values_list("pk", flat=True)[:count])
    if len(waiting) >= count:
        return waiting
    taken = ChangeRequest.objects.values("person_id")
    people = list(
        Person.objects.filter(revisions__isnull=True).exclude(pk__in=taken)
        .exclude(pk=approver.person_id).select_related("unit").order_by("pk")
        [: count - len(waiting)]
    )
    rng = random.Random("bench-approvals")
    agencies: dict[int, object] = {}
    now = timezone.now()
    t = time.monotonic()
    for start in range(0, len(people), 500):
        chunk = people[start:start + 500]
        crs = []
        for person in chunk:
            cr = ChangeRequest(person=person, origin=Origin.IMPORT, status=Status.IN_REVIEW,
                               category=person.category, schema_version="bench",
                               submitted_at=now, policy=policy.code, current_step=2,
                               steps_total=2)
            cr.document = fake_document(rng, person=person, category=person.category, rows=3)
            crs.append(cr)
        with transaction.atomic():
            ChangeRequest.objects.bulk_create(crs)
            steps = []
            for cr, person in zip(crs, chunk, strict=True):
                if person.unit_id not in agencies:
                    agencies[person.unit_id] = agency_of(person.unit)
                unit = agencies[person.unit_id]
                steps.append(ReviewStep(
                    change_request=cr, round=1, number=1, key="hr_check", role="hr_officer",
                    unit=unit, status=StepStatus.APPROVED, deadline_days=10,
                    deadline_kind="working", clock="submitted", started_at=now,
                    decided_at=now, document_hash=cr.document_hash))
                steps.append(ReviewStep(
                    change_request=cr, round=1, number=2, key="unit_head", role="unit_head",
                    label="Head of the unit approves and signs", unit=unit,
                    status=StepStatus.ACTIVE, deadline_days=10, deadline_kind="working",
                    clock="submitted", signs=True, delegable=True, final=True,
                    started_at=now, due_date=(now + dt.timedelta(days=14)).date()))
            ReviewStep.objects.bulk_create(steps)
        done = start + len(chunk)
        if done % 2000 == 0 or done == len(people):
            out(f"  requests set up: {len(waiting) + done:,}/{count:,} "
                f"({done / (time.monotonic() - t):,.0f}/s)")
    return list(ChangeRequest.objects.filter(status=Status.IN_REVIEW, current_step=2)
                .order_by("pk").values_list("pk", flat=True)[:count])


# --- measuring -------------------------------------------------------------------------


def _seq():
    from hoso.audit.models import ChangeLog

    return ChangeLog.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def approve_all(pks, approver, *, signer=None, reopen=False, batch=0):
    """Approve the requests (one by one, or `batch` at a time); (timer, seconds per
    request, groups: (request ids, audit seq range) per transaction)."""
    from hoso.workflow import decisions
    from hoso.workflow.models import ChangeRequest

    groups, each = [], []
    size = batch or 1
    last = _seq()
    with common.Timer() as timer:
        for start in range(0, len(pks), size):
            chunk = pks[start:start + size]
            t = time.perf_counter()
            if batch:
                decisions.approve_many(actor=approver, change_requests=chunk, signer=signer)
            elif reopen:
                decisions.approve(actor=approver, change_request=ChangeRequest(pk=chunk[0]),
                                  secret=PASSPHRASE)
            else:
                decisions.approve(actor=approver, change_request=ChangeRequest(pk=chunk[0]),
                                  signer=signer)
            spent = time.perf_counter() - t
            each += [spent / len(chunk)] * len(chunk)
            now = _seq()
            groups.append((chunk, last, now))
            last = now
            done = start + len(chunk)
            if done % 1000 < size or done == len(pks):
                out(f"  approved {done:,}/{len(pks):,} ({done / sum(each):,.1f}/s)")
    return timer, each, groups


SCRATCH = {
    "records_revision": "bench_floor_revision",
    "records_profile": "bench_floor_profile",
    "signing_signature": "bench_floor_signature",
    "audit_changelog": "bench_floor_changelog",
}


def floor(groups) -> tuple[common.Timer, list[float]]:
    """The same rows inserted again by hand: per group of requests approved in one
    transaction, their revisions, projections, signatures and audit rows into scratch
    copies, and the steps' and the requests' updates, in one transaction."""
    from django.db import connection, transaction

    from hoso.workflow.models import ChangeRequest

    with connection.cursor() as c:
        for table, scratch in SCRATCH.items():
            c.execute(f"DROP TABLE IF EXISTS {scratch}")
            c.execute(f"CREATE TABLE {scratch} AS SELECT * FROM {table} WHERE 1 = 0")

    def rows(sql, params):
        with connection.cursor() as c:
            c.execute(sql, params)
            cols = [d[0] for d in c.description]
            return cols, c.fetchall()

    # read everything first: the timed part is the writes only
    plan = []
    for pks, lo, hi in groups:
        crs = list(ChangeRequest.objects.filter(pk__in=pks))
        revs = [cr.revision_id for cr in crs]
        marks = ", ".join(["%s"] * len(revs))
        inserts = [
            ("records_revision", rows(f"SELECT * FROM records_revision WHERE id IN ({marks})",
                                      revs)),
            ("records_profile", rows(
                f"SELECT * FROM records_profile WHERE revision_id IN ({marks})", revs)),
            ("signing_signature", rows(
                f"SELECT * FROM signing_signature WHERE subject_type = %s AND subject_id IN "
                f"({marks})", ["records.revision", *[str(r) for r in revs]])),
            ("audit_changelog", rows("SELECT * FROM audit_changelog WHERE seq > %s AND "
                                     "seq <= %s", [lo, hi])),
        ]
        steps = [cr.steps.get(final=True) for cr in crs]
        plan.append((crs, steps, inserts))
    each = []
    with common.Timer() as timer:
        for crs, steps, inserts in plan:
            t = time.perf_counter()
            with transaction.atomic(), connection.cursor() as c:
                for table, (cols, values) in inserts:
                    if not values:
                        continue
                    marks = ", ".join(["%s"] * len(cols))
                    c.executemany(f"INSERT INTO {SCRATCH[table]} ({', '.join(cols)}) "
                                  f"VALUES ({marks})", values)
                c.executemany(
                    "UPDATE workflow_reviewstep SET status = %s, decided_at = %s, "
                    "decided_by_id = %s, signature_id = %s, document_hash = %s WHERE id = %s",
                    [[s.status, s.decided_at, s.decided_by_id, s.signature_id,
                      s.document_hash, s.pk] for s in steps])
                c.executemany(
                    "UPDATE workflow_changerequest SET status = %s, decided_at = %s, "
                    "revision_id = %s, current_step = NULL, version = %s WHERE id = %s",
                    [[cr.status, cr.decided_at, cr.revision_id, cr.version, cr.pk]
                     for cr in crs])
            spent = time.perf_counter() - t
            each += [spent / len(crs)] * len(crs)
    with connection.cursor() as c:
        for scratch in SCRATCH.values():
            c.execute(f"DROP TABLE IF EXISTS {scratch}")
    return timer, each


def check(pks) -> None:
    """Every approval wrote what it should: the request closed with its revision, whose
    signature covers it."""
    from hoso.signing.models import Signature
    from hoso.workflow.models import ChangeRequest, Status

    done = ChangeRequest.objects.filter(pk__in=pks)
    assert done.filter(status=Status.APPROVED, revision__isnull=False).count() == len(pks)
    revisions = [str(r) for r in done.values_list("revision_id", flat=True)]
    signed = Signature.objects.filter(subject_type="records.revision", subject_id__in=revisions)
    assert signed.count() == len(pks)


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ["HOSO_PROVINCE"] = "lam-dong"
    with common.session(args):
        import tempfile

        from django.db import connection

        from hoso.core.context import acting_as
        from hoso.signing.backends import open_p12

        total = args.requests + args.single + args.reopen
        out(f"hoso bench: approvals on {connection.vendor}, {args.people:,} people, "
            f"{args.requests:,} requests given {args.batch} at a time, {args.single:,} one "
            f"by one, {args.reopen:,} one by one reopening the key")
        common.generate(args)
        keys = Path(tempfile.mkdtemp(prefix="hoso-bench-keys-"))
        with acting_as(label="system:bench"):
            approver, p12 = approver_and_key(keys)
            t = time.monotonic()
            pks = make_requests(total, approver)
            out(f"{len(pks):,} requests at their last step ({time.monotonic() - t:.1f} s)")
        batched = pks[: args.requests]
        single = pks[args.requests: args.requests + args.single]
        again = pks[args.requests + args.single:]
        signer = open_p12(str(p12), PASSPHRASE)
        results = []
        with acting_as(approver):
            if batched:
                out("together:")
                results.append((f"together, {args.batch} per act", batched,
                                approve_all(batched, approver, signer=signer,
                                            batch=args.batch)))
            if single:
                out("one by one:")
                results.append(("one by one, key opened once", single,
                                approve_all(single, approver, signer=signer)))
            signer.close()
            if again:
                out("one by one, key reopened:")
                results.append(("one by one, key reopened each time", again,
                                approve_all(again, approver, reopen=True)))
        check(pks)

        out()
        out(f"{'approval (validate + write + sign)':44} {'n':>7} {'per s':>8} "
            f"{'per CPU-s':>10} {'ms each':>8} {'floor/s':>9} {'ratio':>6}")
        for label, chunk, (timer, each, groups) in results:
            floor_timer, _floor_each = floor(groups)
            rate, floor_rate = len(chunk) / timer.wall, len(chunk) / floor_timer.wall
            out(f"{label:44} {len(chunk):7,} {rate:8.1f} {len(chunk) / timer.cpu:10.1f} "
                f"{statistics.median(each) * 1000:8.1f} {floor_rate:9.1f} "
                f"{floor_rate / rate:6.1f}")


if __name__ == "__main__":
    main()
