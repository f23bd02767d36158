"""Every staff opening of a message sender's personal data (the 留言人信息 page, the attachment) is
written to an append-only log that the 单位管理员 of the message's unit reads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from interaction import workflow
from interaction.models import SenderDataAccess, SenderDataAccessKind
from portal.models import Role
from tests.conftest import make_staff
from tests.disclosure.conftest import pdf_bytes
from tests.interaction.conftest import at, message_data

pytestmark = pytest.mark.django_db
LOG = "/admin/interaction/senderdataaccess/"
PDF = pdf_bytes()


def with_attachment(unit):
    upload = SimpleUploadedFile("证明材料.pdf", PDF, "application/pdf")
    with at(dt.date(2026, 3, 2)):
        return workflow.submit(unit, message_data(), attachment=upload)[0]


@pytest.fixture
def message_a(unit_a, private_media):
    return with_attachment(unit_a)


@pytest.fixture
def message_b(unit_b, private_media):
    return with_attachment(unit_b)


def open_sender_data(client, message):
    """The two openings a handler makes: the 留言人信息 page and the attachment."""
    page = client.get(reverse("admin:interaction_message_personal", args=[message.pk]))
    assert page.status_code == 200 and "13912345678" in page.content.decode()
    download = client.get(reverse("admin:interaction_message_attachment", args=[message.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_each_opening_of_the_senders_data_is_logged(login, message_a, handler_a):
    open_sender_data(login(handler_a), message_a)
    rows = SenderDataAccess.objects.order_by("at", "pk")
    assert [(r.message, r.user, r.what) for r in rows] == [
        (message_a, handler_a, SenderDataAccessKind.SENDER),
        (message_a, handler_a, SenderDataAccessKind.ATTACHMENT),
    ]
    assert [r.get_what_display() for r in rows] == ["查看留言人信息", "下载留言附件"]


def test_a_refused_opening_logs_nothing(login, message_a, reviewer_a, handler_b):
    url = reverse("admin:interaction_message_personal", args=[message_a.pk])
    assert login(reviewer_a).get(url).status_code == 403  # no 查看留言人个人信息 permission
    assert login(handler_b).get(url).status_code == 404  # another unit's message
    attachment = reverse("admin:interaction_message_attachment", args=[message_a.pk])
    assert login(handler_b).get(attachment).status_code == 404
    assert not SenderDataAccess.objects.exists()


def refused(operation) -> bool:
    try:
        with transaction.atomic():
            operation()
    except DatabaseError:
        return True
    return False


def test_the_log_cannot_be_rewritten(login, message_a, handler_a):
    open_sender_data(login(handler_a), message_a)
    rows = SenderDataAccess.objects.all()
    assert refused(lambda: rows.update(what=SenderDataAccessKind.ATTACHMENT))
    if connection.vendor == "postgresql":  # SQLite refuses changes only (portal/append_only.py)
        assert refused(lambda: rows.delete())
    assert sorted(rows.values_list("what", flat=True)) == ["attachment", "sender"]
    row = rows.first()
    with pytest.raises(ValueError, match="留言人信息查看记录只能追加，不能修改"):
        row.save()
    with pytest.raises(ValueError, match="只能追加，不能删除"):
        row.delete()


def test_a_unit_admin_reads_the_openings_in_their_unit_only(
    login,
    django_user_model,
    unit_b,
    government,
    message_a,
    message_b,
    handler_a,
    handler_b,
    admin_a,
    superuser,
    django_assert_max_num_queries,
):
    open_sender_data(login(handler_a), message_a)
    open_sender_data(login(handler_b), message_b)
    in_a = list(SenderDataAccess.objects.filter(message=message_a))
    in_b = list(SenderDataAccess.objects.filter(message=message_b))
    admin_b = make_staff(django_user_model, "admin_b", unit_b, Role.UNIT_ADMIN)
    admin_gov = make_staff(django_user_model, "admin_gov", government, Role.UNIT_ADMIN)

    for user, seen, unseen in (
        (admin_a, in_a, in_b),
        (admin_b, in_b, in_a),
        (admin_gov, in_a + in_b, []),
        (superuser, in_a + in_b, []),
    ):
        client = login(user)
        response = client.get(LOG)
        assert response.status_code == 200, user
        assert set(response.context["cl"].result_list) == set(seen), user
        assert "留言人信息查看记录" in response.content.decode()
        for row in seen:
            page = client.get(f"{LOG}{row.pk}/change/")
            assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        for row in unseen:
            assert client.get(f"{LOG}{row.pk}/change/").status_code == 404, user
        # Kept as written: nothing added, changed or deleted here.
        assert client.get(f"{LOG}add/").status_code == 403
        assert client.post(f"{LOG}{seen[0].pk}/delete/", {"post": "yes"}).status_code == 403
    assert SenderDataAccess.objects.count() == 4

    # The handlers who open the data do not read the log.
    assert login(handler_a).get(LOG).status_code == 403
    # Nor does the query string reach the sender's data through the message.
    client = login(admin_a)
    assert client.get(LOG, {"message__phone__startswith": "139"}).status_code == 400

    # The list costs the same however many rows it shows.
    client.get(LOG)
    with django_assert_max_num_queries(12) as few:
        client.get(LOG)
    queries = len(few.captured_queries)
    assert queries > 0
    open_sender_data(login(handler_a), message_a)
    open_sender_data(login(handler_a), message_a)
    client = login(admin_a)
    with django_assert_max_num_queries(queries):
        response = client.get(LOG)
    assert len(response.context["cl"].result_list) == 6
