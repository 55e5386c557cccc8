"""The sections of the personnel file that access can be granted to.

The CV form's sections (domain/cv-form.md); the personnel-file issue attaches the
fields to them. A written-consent grant opens a subset of these.
"""

from django.utils.translation import gettext_lazy as _

SECTIONS = {
    "personal": _("Personal details"),
    "employment": _("Employment, rank and salary"),
    "training": _("Education and training"),
    "politics": _("Party and mass-organisation membership"),
    "family": _("Family relations"),
    "history": _("Work history and self-history"),
    "evaluation": _("Evaluations, rewards and discipline"),
    "health": _("Health and policy status"),
}
SECTION_KEYS = tuple(SECTIONS)
