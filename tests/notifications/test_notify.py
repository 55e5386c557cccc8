"""`notify`: the in-app notification, its e-mail copy after the commit, the key that
makes it once, and what a bad call is refused with."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from hoso.audit.models import ChangeLog
from hoso.core.errors import DomainError
from hoso.notifications.models import Notification
from hoso.notifications.services import Outgoing, deliver, mark_all_read, mark_read, notify

from ..factories import UserFactory

MESSAGE = "Yêu cầu thay đổi số 12 (hồ sơ của Nguyễn Văn Dũng) đang chờ bạn duyệt."


@pytest.fixture
def reader(db):
    return UserFactory(username="hoa", full_name="Lê Thị Hoa", email="hoa@sonoivu.gov.vn")


def test_notify_stores_the_message_and_emails_it_after_the_commit(
    reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notify(reader, kind="review.due_soon", message=MESSAGE, url="/changes/12/")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert Notification.objects.get() == n and n.read_at is None
    (letter,) = mail.outbox
    assert letter.to == ["hoa@sonoivu.gov.vn"]
    assert letter.subject == "[hoso] Sắp đến hạn duyệt"
    assert MESSAGE in letter.body and "/changes/12/" in letter.body


def test_a_rolled_back_notification_sends_no_email(reader, django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
            notify(reader, kind="review.due_soon", message=MESSAGE)
            raise RuntimeError("the caller's write failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_same_key_twice_is_one_notification_and_one_email(
    reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(reader, kind="import.finished", message="Nhập xong.", key="import:7")
        second = notify(reader, kind="import.finished", message="Nhập xong.", key="import:7")
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=reader).count() == 1
    assert len(mail.outbox) == 1


def test_a_key_is_unique_per_recipient_not_across_recipients(reader):
    other = UserFactory(username="nam", email="")
    assert notify(reader, kind="x.y", message="A", key="k", email=False)
    assert notify(other, kind="x.y", message="A", key="k", email=False)
    assert Notification.objects.count() == 2


def test_without_a_key_every_call_is_a_notification(reader):
    notify(reader, kind="x.y", message="A", email=False)
    notify(reader, kind="x.y", message="A", email=False)
    assert Notification.objects.count() == 2


def test_no_email_without_an_address_or_when_not_asked(reader, django_capture_on_commit_callbacks):
    silent = UserFactory(username="silent", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(silent, kind="x.y", message="A")
        notify(reader, kind="x.y", message="B", email=False)
    assert Notification.objects.count() == 2
    assert mail.outbox == []


def test_the_audit_trail_keeps_the_messages_hash_not_the_message(reader):
    n = notify(reader, kind="x.y", message=MESSAGE, email=False)
    row = ChangeLog.objects.get(object_type="notifications.notification", object_id=str(n.pk))
    assert row.action == "create"
    assert "message" not in row.after and "Nguyễn Văn Dũng" not in str(row.after)
    assert row.after["message_hash"] == n.message_hash and len(n.message_hash) == 64


def test_a_failing_mail_server_leaves_the_notification_in_place(
    reader, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(reader, kind="x.y", message=MESSAGE)
    assert Notification.objects.filter(pk=n.pk).exists()
    assert "e-mail of notifications failed" in caplog.text
    assert "hoa@" not in caplog.text and "Dũng" not in caplog.text


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("message", {"message": "   "}),
        ("kind", {"kind": ""}),
        ("kind", {"kind": "x" * 41}),
        ("url", {"url": "https://evil.example/phish"}),
        ("url", {"url": "//evil.example/"}),
        ("key", {"key": "k" * 201}),
    ],
)
def test_a_bad_notification_is_refused_in_vietnamese_and_nothing_is_written(
    reader, field, kwargs
):
    args = {"kind": "x.y", "message": "Nội dung", **kwargs}
    with pytest.raises(DomainError) as exc:
        notify(reader, **args)
    assert exc.value.field == field
    assert Notification.objects.count() == 0


def test_deliver_writes_many_in_one_go_and_skips_the_keys_already_there(reader):
    other = UserFactory(username="nam")
    notify(reader, kind="x.y", message="cũ", key="a", email=False)
    created = deliver(
        [
            Outgoing(reader, "x.y", "1", key="a"),  # already there
            Outgoing(reader, "x.y", "2", key="b"),
            Outgoing(reader, "x.y", "3", key="b"),  # twice in the same batch
            Outgoing(other, "x.y", "4", key="a"),
        ],
        email=False,
    )
    assert sorted(n.message for n in created) == ["2", "4"]
    assert Notification.objects.count() == 3
    rows = ChangeLog.objects.filter(object_type="notifications.notification")
    assert rows.count() == 3  # one audit row per notification, the bulk ones included


def test_mark_read_is_for_the_recipient_only(reader):
    from hoso.core.errors import NotFound

    n = notify(reader, kind="x.y", message="A", email=False)
    other = UserFactory(username="nam")
    with pytest.raises(NotFound):
        mark_read(user=other, pk=n.pk)
    assert mark_read(user=reader, pk=n.pk).read_at is not None


def test_mark_all_read_marks_only_the_users_unread_ones(reader):
    other = UserFactory(username="nam")
    for text in "ABC":
        notify(reader, kind="x.y", message=text, email=False)
    theirs = notify(other, kind="x.y", message="D", email=False)
    assert mark_all_read(user=reader) == 3
    assert mark_all_read(user=reader) == 0
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    updates = ChangeLog.objects.filter(object_type="notifications.notification", action="update")
    assert updates.count() == 3
