"""The names of the shipped code lists, marked for translation: the data files hold
the English names, `CodeList.display_name` translates them (catalogs/locale/vi)."""

from django.utils.translation import gettext_noop

SHIPPED_NAMES = {
    "academic_degrees": gettext_noop("Academic degrees"),
    "academic_titles": gettext_noop("Academic titles"),
    "allowance_kinds": gettext_noop("Allowance kinds"),
    "base_salaries": gettext_noop("Base salary"),
    "blood_groups": gettext_noop("Blood groups"),
    "communes": gettext_noop("Communes, wards and special zones"),
    "contract_types": gettext_noop("Labour contract types"),
    "discipline_forms": gettext_noop("Discipline forms"),
    "education_levels": gettext_noop("Professional qualification levels"),
    "ethnicities": gettext_noop("Ethnicities"),
    "evaluation_grades": gettext_noop("Annual evaluation grades"),
    "evidence_kinds": gettext_noop("Evidence document kinds"),
    "general_education": gettext_noop("General education"),
    "honorary_titles": gettext_noop("Honorary titles"),
    "it_levels": gettext_noop("IT skill levels"),
    "job_positions": gettext_noop("Job positions"),
    "language_levels": gettext_noop("Language levels"),
    "languages": gettext_noop("Languages"),
    "mass_organisations": gettext_noop("Mass organisations"),
    "military_ranks": gettext_noop("Military ranks"),
    "political_theory_levels": gettext_noop("Political theory levels"),
    "position_titles": gettext_noop("Leadership positions"),
    "provinces": gettext_noop("Provinces and centrally-run cities"),
    "ranks": gettext_noop("Civil-service ranks"),
    "relationships": gettext_noop("Family relationships"),
    "religions": gettext_noop("Religions"),
    "reward_forms": gettext_noop("Reward forms and emulation titles"),
    "salary_groups": gettext_noop("Salary groups and their coefficients"),
    "state_management_levels": gettext_noop("State-management training levels"),
    "titles": gettext_noop("Professional titles of public employees"),
    "training_forms": gettext_noop("Training forms"),
}
