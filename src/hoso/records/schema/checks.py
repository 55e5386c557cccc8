"""Start-up check of the form definitions and the province's extensions (issue 4:
extending the form is a data change, validated at start-up with clear errors)."""

from __future__ import annotations

from django.core import checks

from .loader import FORMS, SchemaError, build


@checks.register("hoso")
def check_schema(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for form in FORMS:
        try:
            build(form)
        except SchemaError as exc:
            errors += [
                checks.Error(problem, id="hoso.E101", obj=f"schema:{form}")
                for problem in exc.problems
            ]
    # The same problem of an extension that applies to both forms is reported once.
    return list({e.msg: e for e in errors}.values())
