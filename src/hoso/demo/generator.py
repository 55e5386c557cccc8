"""A realistic demo province: the shipped Lâm Đồng tree, people, and one login per role.

Used by `hoso demo` and by the benchmarks of `bench/`, so it must be fast at scale:
people are written with `bulk_create` in batches, each batch in one transaction with
its change rows (one "create" row per person, written by `audit.services.log_changes`,
the same row `person_create` leaves through the audit signal). One row per person
rather than one summary row per batch: every file then has its complete history from
its first line, and `hoso audit verify` checks the demo data as it checks real data.
The cost is one hash per person (about a fifth of the generation time).

Generated people are consistent the way real files are: the 12-digit identification
number carries the birth-registration province, the sex and century digit and the
birth year (Thông tư 59/2021/TT-BCA, Điều 7); nobody is "retired" before the
retirement age (Labour Code 2019, Art. 169; Decree 135/2020/NĐ-CP); units of the
three-level structure, closed on 30/06/2025, keep only the files of people who left
before the reform.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

import hoso.org
from hoso.accounts.models import RoleAssignment, User
from hoso.accounts.permissions import SYSTEM
from hoso.accounts.roles import REQUIRES_2FA, Role
from hoso.accounts.services import account_create, role_grant
from hoso.audit.services import log_changes
from hoso.core.crypto import keyed_hash
from hoso.org.loader import LoadResult, load_units
from hoso.org.models import TWO_LEVEL_FROM, OrgUnit, UnitKind
from hoso.records.models import Person, Sex, StaffCategory, Status
from hoso.records.services import person_create
from hoso.records.validators import sex_century_digit

from .names import FAMILY, GIVEN, MIDDLE

TREE = Path(hoso.org.__file__).resolve().parent / "data" / "lam-dong.yaml"
ROOT_CODE = "000.00.00.H38"
# Known to every tester; the accounts are demo accounts only (never on real data: the
# command refuses a database that holds another province's tree).
DEMO_PASSWORD = "Demo@hoso2026"
TOTP_DEVICE_NAME = "demo"

# Birth-registration province codes (Thông tư 59/2021/TT-BCA): most staff were born in
# the province; the rest came from the provinces that send most migrants to the
# Central Highlands. Lâm Đồng has absorbed Đắk Nông (067) and Bình Thuận (060) since
# 1/7/2025: their communes' staff were mostly born there.
LAM_DONG, DAK_NONG, BINH_THUAN = "068", "067", "060"
ELSEWHERE = ("001", "036", "038", "040", "042", "046", "049", "051", "034", "079", "066", "064")
DAK_NONG_PLACES = ("Gia Nghĩa",)
BINH_THUAN_PLACES = ("Phan Thiết", "Mũi Né", "Hàm Thắng", "La Gi", "Phú Quý")

BIRTH_YEARS = (1966, 2003)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    role_unit: str  # code of the unit the role is held on
    unit: str  # code of the unit the person works in
    include_subtree: bool = True
    focal: bool = False

    @property
    def needs_2fa(self) -> bool:
        return self.role in REQUIRES_2FA


# One login per role, on units that suit it: the province roles on the province (held
# by Sở Nội vụ staff), a department's roles on Sở Y tế, a chairman on a ward of the
# two-level structure, a staff member of Sở Y tế.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("snv.quantri", Role.PROVINCE_ADMIN, ROOT_CODE, "000.04.02.H38"),
    DemoAccount("snv.pheduyet", Role.PROVINCE_APPROVER, ROOT_CODE, "000.00.02.H38"),
    DemoAccount("snv.kiemtra", Role.AUDITOR, ROOT_CODE, "000.01.02.H38"),
    DemoAccount("syt.quantri", Role.UNIT_ADMIN, "000.00.15.H38", "000.02.15.H38", focal=True),
    DemoAccount("syt.tccb", Role.HR_OFFICER, "000.00.15.H38", "000.02.15.H38"),
    DemoAccount("syt.truongtccb", Role.HR_HEAD, "000.00.15.H38", "000.02.15.H38"),
    DemoAccount("syt.giamdoc", Role.UNIT_HEAD, "000.00.15.H38", "000.00.15.H38"),
    DemoAccount("xuanhuong.chutich", Role.CHAIRMAN, "000.00.41.H38", "000.00.41.H38"),
    DemoAccount(
        "syt.nhanvien", Role.STAFF, "000.03.15.H38", "000.03.15.H38", include_subtree=False
    ),
)


# --- the tree ------------------------------------------------------------------------


def load_tree(*, path: Path = TREE) -> LoadResult:
    """The shipped tree, through the loader (idempotent: a second run changes nothing)."""
    return load_units(actor=SYSTEM, path=path)


# --- people --------------------------------------------------------------------------


def retirement_date(birth: dt.date, sex: str) -> dt.date:
    """When the normal retirement age is reached (Decree 135/2020/NĐ-CP, Art. 4).

    Men: 60 years 3 months in 2021, +3 months a year up to 62; women: 55 years 4
    months in 2021, +4 months a year up to 60. The age that applies is the one of the
    year in which it is reached; the month reached ends the working life.
    """
    year = 2021
    while True:
        if sex == Sex.MALE:
            months = min(60 * 12 + 3 + 3 * (year - 2021), 62 * 12)
        else:
            months = min(55 * 12 + 4 + 4 * (year - 2021), 60 * 12)
        total = birth.year * 12 + birth.month - 1 + months
        reached = dt.date(total // 12, total % 12 + 1, 1)
        if reached.year <= year:
            return reached
        year += 1


@dataclass(frozen=True)
class _UnitProfile:
    pk: int
    weight: float
    categories: tuple[tuple[str, ...], tuple[float, ...]]
    active: bool
    birth_provinces: tuple[tuple[str, ...], tuple[float, ...]]


_C = StaffCategory
_PROFILES = {
    # (categories, cumulative weights are built below)
    "public_service": ((_C.VIEN_CHUC, _C.LAO_DONG), (88, 12)),
    "commune_3": ((_C.CAP_XA, _C.LAO_DONG), (85, 15)),
    "commune_2": ((_C.CONG_CHUC, _C.CAN_BO, _C.LAO_DONG), (72, 14, 14)),
    "district": ((_C.CONG_CHUC, _C.CAN_BO, _C.LAO_DONG), (82, 6, 12)),
    "department": ((_C.CONG_CHUC, _C.LAO_DONG, _C.VIEN_CHUC, _C.CAN_BO), (82, 12, 4, 2)),
    "province": ((_C.CAN_BO, _C.CONG_CHUC), (60, 40)),
    "association": ((_C.CAN_BO, _C.LAO_DONG), (35, 65)),
}
# Women are most of the teachers and nurses, fewer of the administrators.
FEMALE_SHARE = {
    _C.VIEN_CHUC: 0.68, _C.CONG_CHUC: 0.45, _C.CAN_BO: 0.3, _C.CAP_XA: 0.4, _C.LAO_DONG: 0.5,
}


def _unit_weight(unit: OrgUnit, parent: OrgUnit | None, has_children: bool) -> float:
    """How many people a unit holds, relatively: hospitals and schools hold most."""
    name = unit.name
    if unit.kind == UnitKind.PUBLIC_SERVICE:
        if name.startswith("Bệnh viện"):
            weight = 12.0 if has_children else 40.0
        elif name.startswith("Trung tâm Y tế"):
            weight = 25.0
        elif name.startswith("Trường Cao đẳng"):
            weight = 20.0
        elif name.startswith("Trường THPT") or name.startswith("Trường Phổ thông"):
            weight = 12.0
        elif name.startswith("Trường"):
            weight = 7.0
        else:
            weight = 4.0
    elif unit.kind == UnitKind.DIVISION:
        weight = 8.0 if parent is not None and parent.name.startswith("Bệnh viện") else 3.0
    elif unit.kind == UnitKind.COMMUNE:
        weight = 5.0
    else:
        weight = {
            UnitKind.PROVINCE: 0.5, UnitKind.DEPARTMENT: 2.0, UnitKind.PROVINCE_AGENCY: 2.0,
            UnitKind.DISTRICT: 2.0, UnitKind.ASSOCIATION: 0.5,
        }.get(unit.kind, 1.0)
    return weight


def _profile_key(unit: OrgUnit, parent: OrgUnit | None) -> str:
    owner = parent if unit.kind == UnitKind.DIVISION and parent is not None else unit
    if unit.kind == UnitKind.PUBLIC_SERVICE or owner.kind == UnitKind.PUBLIC_SERVICE:
        return "public_service"
    if owner.kind == UnitKind.COMMUNE:
        three_level = owner.valid_to is not None and owner.valid_to < TWO_LEVEL_FROM
        return "commune_3" if three_level else "commune_2"
    if owner.kind in (UnitKind.DISTRICT, UnitKind.PROVINCE, UnitKind.ASSOCIATION):
        return owner.kind
    return "department"


def _birth_provinces(unit: OrgUnit, parent: OrgUnit | None) -> tuple[tuple[str, ...], tuple]:
    text = unit.name + " " + (parent.name if parent else "")
    home = LAM_DONG
    if any(p in text for p in DAK_NONG_PLACES):
        home = DAK_NONG
    elif any(p in text for p in BINH_THUAN_PLACES):
        home = BINH_THUAN
    codes = (home, LAM_DONG, *ELSEWHERE) if home != LAM_DONG else (LAM_DONG, *ELSEWHERE)
    weights = [72.0] + ([8.0] if home != LAM_DONG else []) + [20.0 / len(ELSEWHERE)] * len(
        ELSEWHERE
    )
    return codes, tuple(itertools.accumulate(weights))


def unit_profiles(units: list[OrgUnit], today: dt.date) -> list[_UnitProfile]:
    by_pk = {u.pk: u for u in units}
    parents_with_children = {u.parent_id for u in units if u.parent_id}
    profiles = []
    for unit in units:
        parent = by_pk.get(unit.parent_id)
        active = unit.is_active_on(today)
        weight = _unit_weight(unit, parent, unit.pk in parents_with_children)
        if not active:
            # closed units keep the files of those who left before the change
            weight *= 0.25 if unit.valid_to and unit.valid_to < today else 0.0
        if weight <= 0:
            continue
        cats, w = _PROFILES[_profile_key(unit, parent)]
        profiles.append(
            _UnitProfile(
                pk=unit.pk, weight=weight,
                categories=(tuple(cats), tuple(itertools.accumulate(w))),
                active=active, birth_provinces=_birth_provinces(unit, parent),
            )
        )
    return profiles


class PeopleGenerator:
    """Unsaved, consistent `Person` objects, reproducible from a seed."""

    def __init__(
        self, *, units: list[OrgUnit], seed: int | str = 1, today: dt.date | None = None,
        taken_hashes: set[str] | None = None,
    ):
        # Reproducible demo data, not secrets: a seeded generator is the point.
        self.rng = random.Random(str(seed))  # noqa: S311
        self.today = today or timezone.localdate()
        self.profiles = unit_profiles(units, self.today)
        if not self.profiles:
            raise ValueError("no unit can hold people")
        self.cum_unit = list(itertools.accumulate(p.weight for p in self.profiles))
        self.family = [n for n, _ in FAMILY]
        self.cum_family = list(itertools.accumulate(w for _, w in FAMILY))
        self.middle = {s: [n for n, _ in v] for s, v in MIDDLE.items()}
        self.cum_middle = {
            s: list(itertools.accumulate(w for _, w in v)) for s, v in MIDDLE.items()
        }
        self.taken_hashes = taken_hashes or set()
        self.issued: set[str] = set()

    def _pick(self, values, cum):
        return values[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def name(self, sex: str) -> str:
        family = self._pick(self.family, self.cum_family)
        middle = self._pick(self.middle[sex], self.cum_middle[sex])
        given = self.rng.choice(GIVEN[sex])
        if middle == given:
            given = self.rng.choice(GIVEN[sex])
        return f"{family} {middle} {given}"

    def birth_date(self) -> dt.date:
        first = dt.date(BIRTH_YEARS[0], 1, 1).toordinal()
        last = dt.date(BIRTH_YEARS[1], 12, 31).toordinal()
        return dt.date.fromordinal(self.rng.randint(first, last))

    def id_number(self, province: str, birth: dt.date, sex: str) -> tuple[str, str]:
        """A number free in this run and in the database, and its keyed hash."""
        prefix = f"{province}{sex_century_digit(sex, birth.year)}{birth.year % 100:02d}"
        while True:
            number = f"{prefix}{self.rng.randrange(1_000_000):06d}"
            if number in self.issued:
                continue
            digest = keyed_hash(number)
            if digest in self.taken_hashes:
                continue
            self.issued.add(number)
            return number, digest

    def status(self, profile: _UnitProfile, birth: dt.date, sex: str) -> str:
        r = self.rng.random()
        # nobody retires before 55 (the earliest age of the rule): skip the computation
        old_enough = birth.year <= self.today.year - 55
        if old_enough and retirement_date(birth, sex) <= self.today and r < 0.9:
            return Status.RETIRED
        if not profile.active:
            if r < 0.45:
                return Status.RESIGNED
            if r < 0.90:
                return Status.TRANSFERRED_OUT
            return Status.DECEASED if r < 0.96 else Status.DISMISSED
        for status, upto in (
            (Status.SECONDED, 0.015), (Status.RESIGNED, 0.03), (Status.TRANSFERRED_OUT, 0.045),
            (Status.DECEASED, 0.048), (Status.DISMISSED, 0.05),
        ):
            if r < upto:
                return status
        return Status.ACTIVE

    def person(self, profile: _UnitProfile | None = None, **fixed) -> Person:
        profile = profile or self._pick(self.profiles, self.cum_unit)
        category = fixed.get("category") or self._pick(*profile.categories)
        sex = Sex.FEMALE if self.rng.random() < FEMALE_SHARE[category] else Sex.MALE
        sex = fixed.get("sex", sex)
        birth = fixed.get("birth_date") or self.birth_date()
        province = self._pick(*profile.birth_provinces)
        number, digest = self.id_number(province, birth, sex)
        return Person(
            id_number=number,
            id_number_hash=digest,
            full_name=self.name(sex),
            birth_date=birth,
            sex=sex,
            category=category,
            unit_id=profile.pk,
            status=fixed.get("status") or self.status(profile, birth, sex),
        )

    def people(self, count: int) -> Iterator[Person]:
        for _ in range(count):
            yield self.person()


def create_people(
    *,
    count: int,
    seed: int | str = 1,
    units: list[OrgUnit] | None = None,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write `count` generated people, batch by batch, each batch with its change rows.

    The caller sets the acting context (`acting_as(label="system:demo")`). A batch is
    one transaction: the audit chain is whole after every batch, even if the run stops.
    """
    if count <= 0:
        return 0
    units = units if units is not None else list(OrgUnit.objects.order_by("path"))
    taken = set(Person.objects.values_list("id_number_hash", flat=True).iterator(chunk_size=10000))
    gen = PeopleGenerator(units=units, seed=f"{seed}:{len(taken)}", taken_hashes=taken)
    done = 0
    stream = gen.people(count)
    while done < count:
        batch = list(itertools.islice(stream, min(batch_size, count - done)))
        with transaction.atomic():
            Person.objects.bulk_create(batch, batch_size=1000)
            log_changes(("create", p, None, p.audit_snapshot()) for p in batch)
        done += len(batch)
        if progress:
            progress(done, count)
    # Fresh statistics after a bulk load: without them SQLite's planner scans the whole
    # people table to count a department's staff (bench/visible_to.py: 65 ms → 2 ms).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return done


# --- files ---------------------------------------------------------------------------


def create_revisions(
    *,
    seed: int | str = 1,
    rows: int = 3,
    batch_size: int = 250,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Give every person without an approved file its first revision: a full, valid
    document (`profiles.fake_document`) written through `records.services.
    revision_create` as the system, which validates it, chains it and projects it.

    Idempotent: people who already have a revision are skipped, so a second run (or a
    run after more people were added) writes only what is missing. Each batch is one
    transaction. The caller sets the acting context.
    """
    from hoso.records.services import revision_create

    from .profiles import fake_document

    todo = list(
        Person.objects.filter(revisions__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    today = timezone.localdate()
    done = 0
    for start in range(0, len(todo), batch_size):
        ids = todo[start:start + batch_size]
        with transaction.atomic():
            for person in Person.objects.filter(pk__in=ids).select_related("unit").order_by("pk"):
                # Reproducible per person, whatever the batch it falls in.
                rng = random.Random(f"{seed}:file:{person.pk}")  # noqa: S311 (demo data)
                document = fake_document(
                    rng, person=person, category=person.category, rows=rows, today=today,
                    unit_code=person.unit.code,
                )
                revision_create(
                    actor=SYSTEM, person=person, document=document,
                    reason=str(gettext_lazy("Demo data: the file as the unit keeps it")),
                )
        done += len(ids)
        if progress:
            progress(done, len(todo))
    return done


# Where the demo's reviewers find work: Sở Y tế, whose HR officer, head of HR and
# director have demo logins.
REVIEW_UNIT = "000.00.15.H38"


def create_change_requests(*, count: int = 12, seed: int | str = 1) -> int:
    """Change requests in review, so that the demo's reviewers find a queue: `count`
    people of Sở Y tế (not the demo logins) with a new phone number, each submitted as
    a correction by the system and routed through the province's review chain with its
    due dates (`workflow.services.submit`). Only on a database without any change
    request, so a second run adds nothing. The caller sets the acting context."""
    from hoso.core.errors import DomainError
    from hoso.workflow import services
    from hoso.workflow.models import ChangeRequest

    if ChangeRequest.objects.exists():
        return 0
    unit = OrgUnit.objects.filter(code=REVIEW_UNIT).first()
    if unit is None:
        return 0
    logins = User.objects.exclude(person=None).values_list("person_id", flat=True)
    people = (
        Person.objects.filter(unit__path__startswith=unit.path, status=Status.ACTIVE,
                              revisions__isnull=False)
        .exclude(pk__in=logins).distinct().order_by("pk")[:count]
    )
    rng = random.Random(f"{seed}:requests")  # noqa: S311 (demo data)
    done = 0
    for person in people:
        try:
            with transaction.atomic():
                draft = services.draft_start(actor=SYSTEM, person=person)
                phone = f"09{rng.randrange(10**8):08d}"
                services.draft_update(actor=SYSTEM, draft=draft, changes={"phone": phone})
                services.submit(draft, actor=SYSTEM)
        except DomainError:
            continue  # a file the chain cannot take (nothing is left of it)
        done += 1
    return done


# --- logins --------------------------------------------------------------------------


@dataclass
class DemoLogin:
    account: DemoAccount
    user: User
    unit: OrgUnit
    totp_secret: str = ""


def _totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def ensure_accounts(*, seed: int | str = 1) -> list[DemoLogin]:
    """One account per role (created once; a second run finds them), each with its own
    personnel file, the demo password, and a confirmed TOTP device where 2FA is required."""
    units = {u.code: u for u in OrgUnit.objects.filter(
        code__in={a.unit for a in DEMO_ACCOUNTS} | {a.role_unit for a in DEMO_ACCOUNTS}
    )}
    gen = PeopleGenerator(units=list(units.values()), seed=f"accounts:{seed}",
                          taken_hashes=set(Person.objects.values_list("id_number_hash", flat=True)))
    logins = []
    for account in DEMO_ACCOUNTS:
        unit, role_unit = units[account.unit], units[account.role_unit]
        user = User.objects.filter(username=account.username).first()
        if user is None:
            profile = next(p for p in gen.profiles if p.pk == unit.pk)
            category = _C.CAN_BO if account.role == Role.CHAIRMAN else _C.CONG_CHUC
            draft = gen.person(profile, status=Status.ACTIVE, category=category)
            person = person_create(
                actor=SYSTEM, id_number=draft.id_number, full_name=draft.full_name,
                birth_date=draft.birth_date, sex=draft.sex, category=draft.category,
                unit=unit, status=Status.ACTIVE,
            )
            user = account_create(
                actor=SYSTEM, full_name=person.full_name, unit=unit, person=person,
                username=account.username, password=DEMO_PASSWORD,
            ).user
            # A demo login goes straight to its role's pages: no forced change.
            user.must_change_password = False
            user.save()
        if not RoleAssignment.objects.active_on().filter(
            user=user, role=account.role, unit=role_unit
        ).exists():
            role_grant(
                actor=SYSTEM, user=user, role=account.role, unit=role_unit,
                include_subtree=account.include_subtree, focal=account.focal,
                valid_from=TWO_LEVEL_FROM, decision="Demo",
            )
        login = DemoLogin(account, user, unit)
        if account.needs_2fa:
            device = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
            login.totp_secret = _totp_secret(device)
        logins.append(login)
    return logins


def demo_exists() -> bool:
    return User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == len(
        DEMO_ACCOUNTS
    )


def current_totp(username: str, at: float | None = None) -> tuple[str, int]:
    """The current code of a demo account's device, and the seconds it stays valid.

    Only the demo's own accounts: this is for testers without a phone, never a way
    around the second factor of a real account.
    """
    if username not in {a.username for a in DEMO_ACCOUNTS}:
        raise LookupError(username)
    device = TOTPDevice.objects.filter(
        user__username=username, name=TOTP_DEVICE_NAME, confirmed=True
    ).first()
    if device is None:
        raise LookupError(username)
    now = time.time() if at is None else at
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now
    remaining = device.step - int(now - device.t0) % device.step
    return f"{totp.token():0{device.digits}d}", remaining
