"""The person whose file hoso keeps, the approved revisions of their file, and the
projection of the newest revision into indexed columns.

DESIGN principle 2: the approved file is a hash chain of revisions per person, each
holding the whole profile document (the CV form of Circular 06/2023/TT-BNV, or the
labour-contract form of Circular 05/2023/TT-BNV); revisions are never updated or
deleted (the model refuses, and database triggers refuse on both engines). Lists,
search and reports read the projection: a few columns on `Person` and the one-to-one
`Profile`, rewritten with every revision by `services.revision_create` and checked
against the newest revision by `hoso audit verify`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel
from hoso.core.canonical import chain_hash
from hoso.core.crypto import EncryptedTextField, keyed_hash
from hoso.core.text import search_key

from .validators import validate_id_number


class StaffCategory(models.TextChoices):
    CAN_BO = "can_bo", _("Cadre (cán bộ)")
    CONG_CHUC = "cong_chuc", _("Civil servant (công chức)")
    VIEN_CHUC = "vien_chuc", _("Public employee (viên chức)")
    CAP_XA = "cap_xa", _("Commune-level cadre or civil servant")
    LAO_DONG = "lao_dong", _("Contract worker (người lao động)")


class Status(models.TextChoices):
    ACTIVE = "active", _("Working")
    SECONDED = "seconded", _("Seconded (biệt phái)")
    RETIRED = "retired", _("Retired")
    RESIGNED = "resigned", _("Resigned")
    DISMISSED = "dismissed", _("Dismissed")
    TRANSFERRED_OUT = "transferred_out", _("Transferred outside the province")
    DECEASED = "deceased", _("Deceased")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "person.view") -> PersonQuerySet:
        from hoso.accounts.permissions import person_filter

        return self.filter(person_filter(user, action))

    def with_id_number(self, id_number: str) -> PersonQuerySet:
        return self.filter(id_number_hash=keyed_hash(id_number))

    # The search key (`name_key`) is derived from the name wherever people are written:
    # one by one (`Person.save`), in bulk (the demo, the benchmarks, imports) and by
    # `update(full_name=…)`; every new word of a name joins the search's vocabulary.

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.name_key = search_key(person.full_name)
        created = super().bulk_create(objs, *args, **kwargs)
        NameWord.objects.add_keys(p.name_key for p in objs)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "full_name" in fields:
            for person in objs:
                person.name_key = search_key(person.full_name)
            fields = [*fields, "name_key"] if "name_key" not in fields else fields
            NameWord.objects.add_keys(p.name_key for p in objs)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if "full_name" in kwargs and "name_key" not in kwargs:
            name = kwargs["full_name"]
            if not isinstance(name, str):
                raise TypeError("update(full_name=…) takes a plain name (name_key follows it)")
            kwargs["name_key"] = search_key(name)
            NameWord.objects.add_keys([kwargs["name_key"]])
        return super().update(**kwargs)


class NameWordManager(models.Manager):
    def add_keys(self, keys) -> None:
        """Add the words of these search keys to the vocabulary (those it lacks)."""
        words = {w for key in keys if key for w in key.split(" ")}
        if words:
            self.bulk_create(
                [NameWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
            )


class NameWord(models.Model):
    """Every word that occurs in a name's search key: the vocabulary the search corrects
    typing mistakes against ("dugn" → "dung") and completes prefixes from. Words are
    only ever added (a word nobody carries any more costs nothing but a useless
    candidate); the id grows with each new word, so a process knows its cached copy of
    the vocabulary is stale when the largest id has moved."""

    word = models.CharField(max_length=60, unique=True)

    objects = NameWordManager()

    class Meta:
        verbose_name = _("name word")
        verbose_name_plural = _("name words")

    def __str__(self) -> str:
        return self.word


class Person(AuditedModel):
    # Decree 27/2026/NĐ-CP keys each file by the 12-digit number. Encrypted at rest;
    # uniqueness and exact look-up go through the keyed hash (DESIGN principle 8).
    id_number = EncryptedTextField(_("personal identification number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150, db_index=True)
    # The name as search compares it (`hoso.core.text.search_key`: no marks, đ = d,
    # lower case), kept in step with `full_name` by `save`, the queryset's bulk writes
    # and `update`. Indexed for matching words in any order: SQLite's FTS5 index
    # `records_person_name_fts`, PostgreSQL's GIN index on its words (migration 0004).
    name_key = models.CharField(_("search key of the name"), max_length=150, default="",
                                editable=False)
    birth_date = models.DateField(_("date of birth"), db_index=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    category = models.CharField(_("staff category"), max_length=12, choices=StaffCategory.choices)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )

    objects = PersonQuerySet.as_manager()

    # `name_key` is derived from `full_name`, which the change rows already show.
    audit_exclude = ("id_number", "name_key")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # The search's indexes on `name_key` (words; sort order) are per engine:
        # `hoso.search.index`, created by migration 0004.
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        super().clean()
        if self.id_number:
            try:
                validate_id_number(self.id_number, birth_date=self.birth_date, sex=self.sex)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc

    def save(self, *args, **kwargs):
        if self.id_number:
            self.id_number_hash = keyed_hash(self.id_number)
        key = search_key(self.full_name)
        renamed = key != self.name_key or self._state.adding
        self.name_key = key
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)
        if renamed:
            NameWord.objects.add_keys([key])

    @property
    def id_number_masked(self) -> str:
        return f"{self.id_number[:3]}******{self.id_number[-3:]}" if self.id_number else ""


GENESIS = "0" * 64


class RevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("revisions are immutable")

    def delete(self):
        raise TypeError("revisions are immutable")

    def as_of(self, moment) -> RevisionQuerySet:
        """Revisions approved at or before `moment` (an aware datetime)."""
        return self.filter(created_at__lte=moment)


class Revision(models.Model):
    """One approved state of a person's whole file: a link of the person's hash chain.

    `content_hash` = sha256(parent_hash + canonical JSON of the clear document with the
    person, number, category, schema version, approver, time, reason, change request
    and evidence): whoever alters any of them, or the sealed part, is caught by
    `hoso audit verify`. The document is stored split (`sealing`): `public` in the
    clear, the restricted and secret fields in `sealed`, a Fernet token.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision number"))
    parent_hash = models.CharField(_("parent hash"), max_length=64)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    category = models.CharField(_("staff category"), max_length=12, choices=StaffCategory.choices)
    schema_version = models.CharField(_("form version"), max_length=40)
    public = models.JSONField(default=dict)
    # The only column that may ever change: `hoso keys rotate` re-encrypts it under a
    # new key (the database triggers let exactly this column through; see migration 0002).
    sealed = models.TextField(blank=True)
    created_at = models.DateTimeField(_("approved at"), db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The change request whose last approval wrote this revision (workflow app); a
    # plain id, so the chain does not depend on the workflow's tables.
    change_request_id = models.BigIntegerField(_("change request"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    evidence_ids = models.JSONField(_("evidence documents"), default=list, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["person_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="revision_person_number")
        ]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person_id}#{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("revisions are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("revisions are immutable")

    @property
    def document(self) -> dict:
        """The whole clear document (decrypted once per instance). Selectors replace it
        with the part the reading user may see (`selectors.visible_document`)."""
        if not hasattr(self, "_document"):
            from .sealing import unseal

            self._document = unseal(self.public, self.sealed)
        return self._document

    @document.setter
    def document(self, value: dict) -> None:
        self._document = value

    def hash_payload(self, document: dict) -> dict:
        return {
            "person": self.person_id,
            "number": self.number,
            "category": self.category,
            "schema_version": self.schema_version,
            "approved_by": self.approved_by_id,
            "created_at": self.created_at,
            "change_request": self.change_request_id,
            "reason": self.reason,
            "evidence_ids": list(self.evidence_ids),
            "document": document,
        }

    def compute_hash(self, document: dict) -> str:
        return chain_hash(self.parent_hash, self.hash_payload(document))


class ProfileQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for profile in objs:
            profile.party_member_tag = party_member_tag(
                profile.person_id, profile.party_member or ""
            )
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "party_member" in fields:
            for profile in objs:
                profile.party_member_tag = party_member_tag(
                    profile.person_id, profile.party_member or ""
                )
            fields = [*fields, "party_member_tag"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if "party_member" in kwargs:
            raise TypeError("party_member is written through save() or bulk_create() (its tag)")
        return super().update(**kwargs)


class Profile(models.Model):
    """The projection of a person's newest revision: what lists, search and reports
    filter and count on (ethnicity, rank, salary, education levels …), one row per
    person, with the revision and content hash it was projected from."""

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.PROTECT, related_name="profile"
    )
    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, related_name="+"
    )
    content_hash = models.CharField(max_length=64)
    birth_date_text = models.CharField(_("date of birth as declared"), max_length=10, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True, db_index=True)
    # Restricted in the schema (Nghị định 13/2023/NĐ-CP Đ2.4: religious belief is
    # sensitive personal data): kept for reports, but encrypted like the sealed part.
    religion = EncryptedTextField(_("religion"), null=True, blank=True)
    birth_province = models.CharField(_("province of birth"), max_length=10, blank=True)
    home_town_province = models.CharField(
        _("home-town province"), max_length=10, blank=True, db_index=True
    )
    managing_unit_code = models.CharField(_("managing unit"), max_length=40, blank=True)
    employing_unit_code = models.CharField(_("employing unit"), max_length=40, blank=True)
    staff_number = models.CharField(_("staff number"), max_length=30, blank=True)
    recruitment_date = models.DateField(_("recruitment date"), null=True, blank=True)
    job_position = models.CharField(_("job position"), max_length=40, blank=True, db_index=True)
    rank_code = models.CharField(_("rank or title code"), max_length=40, blank=True, db_index=True)
    salary_group = models.CharField(_("salary group"), max_length=40, blank=True, db_index=True)
    salary_step = models.PositiveSmallIntegerField(_("salary step"), null=True, blank=True)
    salary_coefficient = models.DecimalField(
        _("salary coefficient"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    salary_since = models.DateField(_("salary since"), null=True, blank=True)
    next_raise_date = models.DateField(
        _("next raise date"), null=True, blank=True, db_index=True
    )
    general_education = models.CharField(_("general education"), max_length=40, blank=True)
    education_level = models.CharField(
        _("education level"), max_length=40, blank=True, db_index=True
    )
    political_theory = models.CharField(
        _("political theory"), max_length=40, blank=True, db_index=True
    )
    state_management = models.CharField(
        _("state management"), max_length=40, blank=True, db_index=True
    )
    it_level = models.CharField(_("IT level"), max_length=40, blank=True)
    academic_title = models.CharField(_("academic title"), max_length=40, blank=True)
    academic_degree = models.CharField(_("academic degree"), max_length=40, blank=True)
    # "1" or "0", encrypted: Party membership is restricted (its dates stay sealed).
    party_member = EncryptedTextField(_("Party member"), null=True, blank=True)
    # A blind index of `party_member` for the search's filter, salted with the person:
    # a keyed hash of (person, value), so every row holds a different string and a copy
    # of the database without the hash key tells no member from anyone else (a keyed
    # hash of the bare "1"/"0" would split the table into two visible groups). The
    # search recomputes the expected tag of each candidate (`party_member_tag`).
    party_member_tag = models.CharField(max_length=32, blank=True, default="", editable=False)
    contract_type = models.CharField(_("contract type"), max_length=40, blank=True)
    contract_to = models.DateField(_("contract ends"), null=True, blank=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile projection")
        verbose_name_plural = _("profile projections")

    def __str__(self) -> str:
        return f"{self.person_id}@{self.revision_id}"

    def save(self, *args, **kwargs):
        self.party_member_tag = party_member_tag(self.person_id, self.party_member or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "party_member" in update_fields:
            kwargs["update_fields"] = {*update_fields, "party_member_tag"}
        super().save(*args, **kwargs)


def party_member_tag(person_id: int, value: str) -> str:
    """The blind index of one person's Party membership ("1", "0" or "" unknown)."""
    return keyed_hash(f"records.profile.party_member:{person_id}:{value}")[:32]
