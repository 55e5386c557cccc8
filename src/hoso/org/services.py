"""Writes to the org tree. Each is one transaction and audits every unit it touches."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from hoso.accounts.permissions import require
from hoso.audit.services import log_changes

from .models import ALLOWED_PARENTS, TWO_LEVEL_FROM, OrgUnit, UnitKind

EDITABLE = ("code", "name", "short_name", "kind", "parent", "valid_from", "valid_to")


def check_unit_rules(
    *, kind: str, parent: OrgUnit | None, valid_from: dt.date | None, valid_to: dt.date | None
) -> None:
    """The structural rules of a unit, with messages that say what would be right."""
    errors: dict[str, list[str]] = {}
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENTS.get(kind, set()):
        allowed = [str(UnitKind(k).label) for k in ALLOWED_PARENTS.get(kind, set()) if k]
        errors.setdefault("parent", []).append(
            _("A unit of kind “%(kind)s” cannot be placed under %(parent)s; allowed: %(allowed)s.")
            % {
                "kind": UnitKind(kind).label,
                "parent": UnitKind(parent_kind).label if parent_kind else _("nothing (top level)"),
                "allowed": ", ".join(allowed) or _("top level only"),
            }
        )
    if kind == UnitKind.DISTRICT and (valid_to is None or valid_to >= TWO_LEVEL_FROM):
        errors.setdefault("valid_to", []).append(
            _(
                "District People's Committees exist only in the three-level structure: "
                "the end date must be before 01/07/2025."
            )
        )
    if valid_from and valid_to and valid_to < valid_from:
        errors.setdefault("valid_to", []).append(
            _("The end date must not be before the start date.")
        )
    if parent is not None:
        if parent.valid_from and (valid_from is None or valid_from < parent.valid_from):
            errors.setdefault("valid_from", []).append(
                _("The unit cannot start before its parent unit (%(date)s).")
                % {"date": parent.valid_from.strftime("%d/%m/%Y")}
            )
        if parent.valid_to and (valid_to is None or valid_to > parent.valid_to):
            errors.setdefault("valid_to", []).append(
                _("The unit cannot outlive its parent unit (%(date)s).")
                % {"date": parent.valid_to.strftime("%d/%m/%Y")}
            )
    if errors:
        raise ValidationError(errors)


def _validate(unit: OrgUnit, *, parent: OrgUnit | None, exclude: list[str]) -> None:
    """The model's field checks and the structural rules, reported together so a form
    shows every mistake at once. The date-range constraint is left to
    `check_unit_rules`, whose message says what is wrong (the database still enforces it)."""
    errors: dict = {}
    try:
        unit.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if "kind" not in errors:  # the rules read the kind: only a valid one
        try:
            check_unit_rules(
                kind=unit.kind, parent=parent, valid_from=unit.valid_from, valid_to=unit.valid_to
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _set_path(unit: OrgUnit) -> None:
    parent_path = unit.parent.path if unit.parent_id else ""
    unit.path = parent_path + unit.segment
    unit.depth = unit.path.count(".") - 1
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


@transaction.atomic
def unit_create(*, actor, parent: OrgUnit | None, **fields) -> OrgUnit:
    """Create a unit under `parent`; the actor needs org.change on the parent."""
    if parent is None:
        require(actor, "org.change_root", None)
    else:
        require(actor, "org.change", parent)
    unit = OrgUnit(parent=parent, **fields)
    _validate(unit, parent=parent, exclude=["path", "depth"])
    unit.save()
    _set_path(unit)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: OrgUnit, **fields) -> OrgUnit:
    """Change a unit's attributes, and its parent (which moves its whole sub-tree)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    require(actor, "org.change", unit)
    new_parent = fields.pop("parent", unit.parent)
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(unit, name, value)
    moving = (new_parent.pk if new_parent else None) != unit.parent_id
    if moving:
        # First: under its own sub-tree, every other rule is meaningless.
        _check_move(actor, unit, new_parent)
    _validate(unit, parent=new_parent, exclude=["path", "depth", "parent"])
    old_path = unit.path
    unit.parent = new_parent
    unit.save()
    if moving:
        _move_subtree(unit, old_path)
    return unit


def _check_move(actor, unit: OrgUnit, new_parent: OrgUnit | None) -> None:
    if new_parent is None:
        raise ValidationError({"parent": [_("Only the province itself is at the top level.")]})
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            {"parent": [_("A unit cannot be moved under itself or one of its own sub-units.")]}
        )
    require(actor, "org.change", new_parent)


def _move_subtree(unit: OrgUnit, old_path: str) -> None:
    """Re-root the paths of the unit and its descendants; audit each one moved."""
    new_path = (unit.parent.path if unit.parent_id else "") + unit.segment
    moved = list(OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)),
        depth=F("depth") + (new_path.count(".") - old_path.count(".")),
    )
    unit.path, unit.depth = new_path, new_path.count(".") - 1
    # The descendants' own columns did not change, only where they hang: one row each
    # records that the move carried them along.
    log_changes(
        ("update", u, {"path_root": old_path}, {"path_root": new_path, "moved_with": unit.pk})
        for u in moved
    )
