"""Staff pages of messages: unit scope by permission, one page per action, personal data, the
工作台 with its alarms."""

import datetime as dt

import pytest
from django.urls import reverse

from interaction import workflow
from interaction.models import Message, MessageState, UnitInteractionSettings
from portal.models import Role, UnitMembership
from tests.conftest import make_staff
from tests.interaction.conftest import at, submit_on

pytestmark = pytest.mark.django_db
D = dt.date


def change_url(message):
    return reverse("admin:interaction_message_change", args=[message.pk])


def action_url(message, action):
    return reverse("admin:interaction_message_action", args=[message.pk, action])


def test_list_is_scoped_and_masked(login, message, handler_a, handler_b):
    body = login(handler_a).get(reverse("admin:interaction_message_changelist")).content.decode()
    assert message.number in body
    # Masked as the request lists mask an applicant (one rule, portal.personal_data).
    assert "张三丰" not in body and "13912345678" not in body and "张*丰" in body
    body = login(handler_b).get(reverse("admin:interaction_message_changelist")).content.decode()
    assert message.number not in body
    assert login(handler_b).get(change_url(message)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/interaction/message/?phone__startswith=139",
        "/admin/interaction/message/?phone__contains=1234",
        "/admin/interaction/message/?name__startswith=张",
        "/admin/interaction/message/?email__contains=zhangsan",
        "/admin/interaction/consultationcomment/?phone__startswith=139",
        "/admin/interaction/consultationcomment/?name__contains=王",
        "/admin/interaction/rating/?message__phone__startswith=139",
    ],
)
def test_no_query_string_filter_on_the_citizens_data(login, message, handler_a, url):
    # Such a filter would reveal a phone number digit by digit, in the URL, past the logged page.
    response = login(handler_a).get(url)
    assert response.status_code == 400
    assert "13912345678" not in response.content.decode()


def test_ordinary_message_filters_still_work(login, message, handler_a):
    response = login(handler_a).get(
        reverse("admin:interaction_message_changelist"), {"state__exact": message.state}
    )
    assert response.status_code == 200 and message in response.context["cl"].result_list


def test_a_request_handler_is_not_a_message_handler(login, message, clerk_a):
    assert login(clerk_a).get(reverse("admin:interaction_message_changelist")).status_code == 403


def test_a_role_in_another_unit_does_not_open_this_units_messages(
    login, django_user_model, message, unit_a, unit_b
):
    # 留言办理员 of unit B and 信息发布员 of unit A: the messages of A stay closed.
    mixed = make_staff(django_user_model, "mixed", unit_b, Role.MESSAGE_HANDLER)
    UnitMembership.objects.create(user=mixed, unit=unit_a, role=Role.PUBLISHER)
    assert login(mixed).get(change_url(message)).status_code == 404
    assert login(mixed).get(action_url(message, "reply")).status_code == 404


def test_accept_transfer_and_reply_through_action_pages(login, message, handler_a, unit_b):
    client = login(handler_a)
    page = client.get(change_url(message)).content.decode()
    for label in ("受理", "答复", "转办", "不予受理", "查看留言人信息"):
        assert label in page
    assert client.post(action_url(message, "accept"), {"note": ""}).status_code == 302
    response = client.post(action_url(message, "reply"), {"text": ""})
    assert "请填写答复内容" in response.content.decode()
    response = client.post(
        action_url(message, "transfer"), {"to_unit": unit_b.pk, "note": "教育局"}
    )
    # Out of the clerk's units now: back to the list.
    assert response.status_code == 302 and response.url.endswith("/interaction/message/")
    message.refresh_from_db()
    assert message.unit == unit_b and message.state == MessageState.SUBMITTED


def test_posting_the_message_page_changes_nothing_and_says_so(login, message, handler_a):
    # Every field is read-only, yet a POST (a stale tab) saved the whole message row, logged
    # "没有字段被修改" and answered "已修改". Now nothing is saved or logged, and the page says so.
    from django.contrib.admin.models import LogEntry

    client = login(handler_a)
    assert 'name="_save"' not in client.get(change_url(message)).content.decode()
    response = client.post(change_url(message), {}, follow=True)
    assert [str(note) for note in response.context["messages"]] == [
        "未作任何修改：本页的内容只能通过办理操作更改。"
    ]
    assert not LogEntry.objects.exists()


def test_personal_data_page_needs_the_permission(login, message, handler_a, reviewer_a):
    url = reverse("admin:interaction_message_personal", args=[message.pk])
    body = login(handler_a).get(url).content.decode()
    assert "张三丰" in body and "13912345678" in body and "留言人信息" in body
    assert login(reviewer_a).get(url).status_code == 403


def test_reviewer_approves_where_the_unit_asks(login, message, handler_a, reviewer_a):
    UnitInteractionSettings.objects.create(unit=message.unit, requires_review=True)
    login(handler_a).post(action_url(message, "reply"), {"text": "初稿"})
    message.refresh_from_db()
    assert message.state == MessageState.REVIEW
    # The handler cannot approve; the reviewer sees the action and approves (with a correction).
    assert login(handler_a).get(action_url(message, "approve")).status_code == 403
    page = login(reviewer_a).get(change_url(message)).content.decode()
    assert "审核通过并发送" in page and "退回修改" in page
    login(reviewer_a).post(action_url(message, "approve"), {"text": "定稿"})
    message.refresh_from_db()
    assert message.state == MessageState.REPLIED and message.reply == "定稿"


def test_publish_form_starts_without_personal_data(login, message, handler_a):
    workflow.reply(message, actor=handler_a, text="张三丰您好：周六上午开放。")
    page = login(handler_a).get(action_url(message, "publish")).content.decode()
    form_part = page[page.index('id="action-form"') :]
    assert "张三丰" not in form_part and "13912345678" not in form_part
    response = login(handler_a).post(
        action_url(message, "publish"),
        {
            "public_subject": "周末办理",
            "public_text": "请问周六是否开放？",
            "public_reply": "您好：周六上午开放。",
            "is_faq": "on",
        },
    )
    assert response.status_code == 302
    assert Message.objects.published().get() == message


def test_dashboard_shows_overdue_and_the_sixty_day_alarm(login, unit_a, handler_a):
    old, _ = submit_on(D(2026, 1, 5), unit_a)
    recent, _ = submit_on(D(2026, 3, 2), unit_a)
    with at(D(2026, 3, 18)):
        body = login(handler_a).get(reverse("admin:interaction_message_dashboard")).content.decode()
    assert "超过60日未答复的留言（1件）" in body
    assert old.number in body and recent.number not in body
    assert "2026-04-06" in body  # the veto day of the old message
    with at(D(2026, 3, 18)):
        overdue = login(handler_a).get(
            reverse("admin:interaction_message_changelist") + "?due=overdue"
        )
    assert old.number in overdue.content.decode() and recent.number in overdue.content.decode()


def test_only_the_unit_admin_edits_the_settings(login, unit_a, handler_a, admin_a):
    url = reverse("admin:interaction_unitinteractionsettings_add")
    assert login(handler_a).get(url).status_code == 403
    response = login(admin_a).post(
        url,
        {
            "unit": unit_a.pk,
            "requires_review": "on",
            "periods-TOTAL_FORMS": "1",
            "periods-INITIAL_FORMS": "0",
            "periods-0-kind": "complain",
            "periods-0-workdays": "61",
        },
    )
    assert "答复时限不能超过60个工作日" in response.content.decode()
    assert not UnitInteractionSettings.objects.exists()


def test_start_page_panel_shows_the_alarm(login, unit_a, handler_a, publisher_a):
    submit_on(D(2026, 1, 5), unit_a)
    submit_on(D(2026, 3, 2), unit_a)
    with at(D(2026, 3, 18)):
        body = login(handler_a).get(reverse("admin:index")).content.decode()
    assert "互动交流 · 今日待办" in body
    assert "1</strong> 件留言超过60日未答复" in body
    assert "2</strong> 件留言已超过答复期限" in body
    # Someone who handles no messages sees no such panel.
    assert (
        "互动交流 · 今日待办" not in login(publisher_a).get(reverse("admin:index")).content.decode()
    )
