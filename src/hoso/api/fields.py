"""Serializer fields shared by the domains' APIs."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from rest_framework import serializers


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A key among the objects a selector lets the caller see: `selector(user=…)` lists
    them (for the documentation, without a request, it is asked for an anonymous user
    and so lists nothing). A key outside reads as "does not exist", like an object of
    someone else's scope. Keys are integers (hoso's models all have integer keys),
    which also types them in the schema."""

    def __init__(self, selector: Callable, **kwargs):
        self.selector = selector
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.selector(user=getattr(request, "user", None) or AnonymousUser())
