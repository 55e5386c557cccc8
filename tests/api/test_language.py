"""Everything the API answers is Vietnamese: its own messages, and those of Django REST
framework, whose Vietnamese catalog covers only some (the rest are in
`hoso/api/locale`, listed in `hoso/api/messages.py`)."""

from __future__ import annotations

import inspect

from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from rest_framework import exceptions, fields, pagination, relations, serializers, validators
from rest_framework.test import APIClient

from .conftest import token_client


def _drf_messages() -> set[str]:
    """Every message DRF can answer a client with, and the texts of its pagination
    parameters in the documentation, as msgids."""
    found: set[str] = set()
    for module in (exceptions, fields, relations, serializers, validators):
        for cls in vars(module).values():
            if not inspect.isclass(cls):
                continue
            if issubclass(cls, exceptions.APIException):
                found.add(str(cls.default_detail))
            for text in getattr(cls, "default_error_messages", {}).values():
                found.add(str(text))
            for attr in ("message", "missing_message"):  # validators
                if isinstance(getattr(cls, attr, None), str | Promise):
                    found.add(str(getattr(cls, attr)))
    paginator = pagination.LimitOffsetPagination
    found |= {str(paginator.limit_query_description), str(paginator.offset_query_description)}
    return found - {""}


def test_every_message_of_django_rest_framework_has_a_vietnamese_translation():
    with translation.override(None):
        msgids = _drf_messages()
    assert len(msgids) > 60  # the scan found DRF's messages
    with translation.override("vi"):
        untranslated = sorted(m for m in msgids if translation.gettext(m) == m)
    assert not untranslated, "DRF messages without Vietnamese:\n" + "\n".join(untranslated)


def test_not_found_is_vietnamese(world):
    client = token_client(world.actors["province_admin"])
    response = client.get(reverse("api:orgunit-detail", kwargs={"pk": 999999}))
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_malformed_json_is_refused_in_vietnamese(world):
    client = token_client(world.actors["province_admin"])
    response = client.post(
        reverse("api:orgunit-list"), data="{không phải json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Không đọc được nội dung yêu cầu: hãy gửi JSON đúng cú pháp."
    }


def test_a_method_the_endpoint_does_not_take_is_refused_in_vietnamese(world):
    client = token_client(world.actors["province_admin"])
    url = reverse("api:orgunit-detail", kwargs={"pk": world.in_unit.pk})
    response = client.put(url, {"name": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["detail"] == "Phương thức “PUT” không được chấp nhận."


def test_validation_messages_are_vietnamese(world):
    client = token_client(world.actors["province_admin"])
    response = client.post(
        reverse("api:orgunit-list"),
        {"name": "", "kind": "khong-co", "parent": "abc", "valid_from": "31/02/2026"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == ["Trường này là bắt buộc."]
    assert body["name"] == ["Trường này không được bỏ trống."]
    assert body["kind"] == ["“khong-co” không phải là lựa chọn hợp lệ."]
    assert body["parent"] == ["Phải là một số nguyên hợp lệ."]
    assert body["valid_from"][0].startswith("Ngày sai định dạng")


def test_a_list_needs_a_login_whatever_the_language(db):
    """The anonymous answer is Vietnamese even when the client asks for English."""
    response = APIClient().get(reverse("api:orgunit-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "xác thực" in response.json()["detail"]


def test_a_browser_gets_json_not_the_english_browsable_pages(world):
    client = token_client(world.actors["staff"])
    response = client.get(
        reverse("api:orgunit-list"),
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
