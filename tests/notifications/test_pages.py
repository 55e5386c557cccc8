"""The notifications pages and API: the list (unread first), marking read, the header
badge, and nobody reading or marking another's notifications."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hoso.notifications.models import Notification
from hoso.notifications.services import notify

from ..clients import client_for


def _three(user):
    old = notify(user, kind="review.overdue", message="Cũ đã đọc", url="/changes/1/",
                 email=False)
    old.read_at = timezone.now()
    old.save()
    first = notify(user, kind="review.due_soon", message="Mới thứ nhất", url="/changes/2/",
                   email=False)
    second = notify(user, kind="import.finished", message="Mới thứ hai", email=False)
    Notification.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    return old, first, second


def test_the_list_shows_unread_first_then_newest(world):
    staff = world.actors["staff"]
    _three(staff)
    html = client_for(staff).get(reverse("notifications:list")).content.decode()
    assert html.index("Mới thứ hai") < html.index("Mới thứ nhất") < html.index("Cũ đã đọc")
    assert "Chưa đọc (2)" in html and "Đánh dấu tất cả là đã đọc" in html
    assert "Thông báo" in html  # the kind label of a kind hoso does not name


def test_the_unread_tab_hides_what_was_read(world):
    staff = world.actors["staff"]
    _three(staff)
    html = client_for(staff).get(reverse("notifications:list") + "?unread=1").content.decode()
    assert "Mới thứ hai" in html and "Cũ đã đọc" not in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world):
    staff = world.actors["staff"]
    _old, first, _second = _three(staff)
    response = client_for(staff).post(reverse("notifications:read", args=[first.pk]),
                                      {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/changes/2/"
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_read_returns_to_the_list(world):
    staff = world.actors["staff"]
    _old, _first, second = _three(staff)
    client = client_for(staff)
    response = client.post(reverse("notifications:read", args=[second.pk]),
                           {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_another_users_notification_is_not_found(world):
    staff, other = world.actors["staff"], world.actors["hr_officer"]
    n = notify(staff, kind="x.y", message="Riêng", email=False)
    client = client_for(other)
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    assert "Riêng" not in client.get(reverse("notifications:list")).content.decode()
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_says_how_many(world):
    staff = world.actors["staff"]
    _three(staff)
    client = client_for(staff)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()


def test_the_badge_shows_the_unread_count_and_nothing_when_all_is_read(world):
    staff = world.actors["staff"]
    client = client_for(staff)
    html = client.get(reverse("notifications:badge")).content.decode()
    assert 'class="badge' not in html and reverse("notifications:list") in html
    _three(staff)
    html = client.get(reverse("notifications:badge")).content.decode()
    assert '<span class="badge pending" aria-label="2 chưa đọc">2</span>' in html
    assert "<html" not in html


def test_the_badge_asks_a_visitor_to_log_in(world):
    from django.test import Client

    response = Client().get(reverse("notifications:badge"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def _api(user) -> APIClient:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_api_lists_ones_own_notifications_unread_first(world):
    staff = world.actors["staff"]
    _three(staff)
    notify(world.actors["hr_officer"], kind="x.y", message="Của người khác", email=False)
    body = _api(staff).get("/api/v1/notifications/").json()
    assert [r["message"] for r in body["results"]] == ["Mới thứ hai", "Mới thứ nhất", "Cũ đã đọc"]
    assert body["results"][1]["kind_label"] == "Sắp đến hạn duyệt"
    unread = _api(staff).get("/api/v1/notifications/?unread=1").json()
    assert unread["count"] == 2


def test_the_api_marks_read_and_refuses_anothers(world):
    staff, other = world.actors["staff"], world.actors["hr_officer"]
    _old, first, _second = _three(staff)
    assert _api(other).post(f"/api/v1/notifications/{first.pk}/read/").status_code == 404
    response = _api(staff).post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert _api(staff).post("/api/v1/notifications/read-all/").json() == {"marked": 1}
