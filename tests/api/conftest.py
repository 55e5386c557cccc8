"""API clients for the actors of the shared `world` (tests/conftest.py)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_actor(world):
    """`as_actor("unit_admin")`: a client sending that actor's token."""
    return lambda key: token_client(world.actors[key])
