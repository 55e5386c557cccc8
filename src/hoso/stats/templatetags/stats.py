"""`{% load stats %}`: a statistic's chart (`{% stats_chart stat %}`, inline SVG) and its
numbers in Vietnamese form (`{{ value|stats_number }}`: 1.234 and 12,5)."""

from django import template

from .. import charts

register = template.Library()


@register.simple_tag
def stats_chart(stat):
    return charts.render(stat)


@register.filter
def stats_number(value):
    return charts.number(value)
