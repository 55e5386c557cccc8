"""Start-up checks of the province rules (DESIGN principle 4: "adding a province is
adding a file, validated at start-up with clear errors") and of the working-day files
(principle 5).

hoso.E201  the policy file of settings.PROVINCE is missing or wrong
hoso.E202  the administrator's working-day file (settings.WORKDAY_OVERRIDES) is wrong
hoso.E203  the shipped working-day file (core/data/workdays.toml) is wrong
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from hoso.core import calendar as cal
from hoso.core._toml import ConfigFileError


@checks.register("hoso")
def check_province_rules(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from hoso.core.policy import get_policy, policy_path

    errors = []
    try:
        cal.load_adjustments(cal.SHIPPED_FILE)
    except ConfigFileError as exc:
        errors.append(checks.Error(exc.message, id="hoso.E203", obj=str(cal.SHIPPED_FILE)))
    if getattr(settings, "WORKDAY_OVERRIDES", ""):
        try:
            cal.load_adjustments(settings.WORKDAY_OVERRIDES)
        except ConfigFileError as exc:
            errors.append(checks.Error(
                exc.message, id="hoso.E202", obj=str(settings.WORKDAY_OVERRIDES),
                hint="HOSO_WORKDAY_OVERRIDES; docs/policies.md",
            ))
    try:
        get_policy()
    except ConfigFileError as exc:
        try:
            where = str(policy_path())
        except ConfigFileError:
            where = str(settings.PROVINCE)
        errors.append(checks.Error(exc.message, id="hoso.E201", obj=where,
                                   hint="HOSO_PROVINCE, HOSO_POLICY_DIR; docs/policies.md"))
    return errors
