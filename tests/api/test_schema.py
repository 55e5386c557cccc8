"""The OpenAPI schema documents every endpoint without a warning, validates, and is
served with its Swagger page from local assets (no CDN: the province's network may be
closed)."""

from __future__ import annotations

import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from .conftest import token_client


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yaml"
    GENERATOR_STATS.reset()  # warnings count per process: only this generation's
    # raises CommandError on any warning or on a schema that fails validation
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "vi", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]
    assert len(operations) >= 20
    undocumented = [f"{m.upper()} {p}" for p, m, op in operations if not op.get("summary")]
    assert not undocumented, f"operations without a summary: {undocumented}"
    assert schema["paths"]["/api/v1/org-units/"]["get"]["summary"] == "Các đơn vị bạn được xem"


def test_the_schema_and_docs_are_served_to_logged_in_users_only(world):
    client = token_client(world.actors["staff"])
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/persons/" in response.json()["paths"]
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    anonymous = APIClient().get(reverse("api:schema"))
    assert anonymous.status_code == 401
