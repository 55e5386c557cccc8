"""Template helpers of the annual report: numbers as Vietnamese write them."""

from django import template

register = template.Library()


@register.filter
def vn_int(value) -> str:
    """1234567 → "1.234.567"."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.filter
def at(values, index):
    """`values[index]` in a template."""
    try:
        return values[index]
    except (IndexError, KeyError, TypeError):
        return ""
