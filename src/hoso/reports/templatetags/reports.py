"""`{% load reports %}{% cv_print_links person %}`: the "print" links of a file page,
shown only when the user may print and there is something to print
(`selectors.print_options` asks the permission path), and, once the file has an
approved revision, the link to its signed copies (`exports.signed_copies`)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("reports/_print_links.html", takes_context=True)
def cv_print_links(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"person": person, "options": selectors.print_options(user=user, person=person)}
