"""意见征集: a draft published for at least 30 days (or with a reason), comments moderated before
they appear without personal data, the 采纳情况 after closing, and the 工作台 reminder."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interaction import workflow
from interaction.models import CommentState, Consultation, ConsultationState
from portal.botcheck import sign_started
from tests.interaction.conftest import at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media", "site_profile", "_quick"),
]
D = dt.date


@pytest.fixture
def _quick(settings, tmp_path):
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def add_form(unit, opens, closes, reason="", files=()):
    data = {
        "unit": unit.pk,
        "title": "《安庆市扬尘污染防治办法（征求意见稿）》",
        "text": "现将征求意见稿全文公布。",
        "opens_on": opens,
        "closes_on": closes,
        "short_period_reason": reason,
        "attachments-TOTAL_FORMS": str(len(files)),
        "attachments-INITIAL_FORMS": "0",
    }
    for index, upload in enumerate(files):
        data[f"attachments-{index}-name"] = ""
        data[f"attachments-{index}-file"] = upload
    return data


def test_staff_draft_checks_period_and_attachment_content(login, unit_a, handler_a):
    staff = login(handler_a)
    url = reverse("admin:interaction_consultation_add")
    body = staff.post(url, add_form(unit_a, "2026-03-02", "2026-03-20")).content.decode()
    assert "少于30日，请说明理由" in body
    fake = SimpleUploadedFile("征求意见稿.pdf", b"MZ not a pdf", "application/pdf")
    body = staff.post(
        url, add_form(unit_a, "2026-03-02", "2026-03-31", files=[fake])
    ).content.decode()
    assert "不是允许的文件类型" in body
    pdf = SimpleUploadedFile("征求意见稿.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    response = staff.post(url, add_form(unit_a, "2026-03-02", "2026-03-31", files=[pdf]))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.state == ConsultationState.DRAFT
    assert consultation.attachments.get().kind == "pdf"
    # Shorter with a reason is allowed.
    response = staff.post(url, add_form(unit_a, "2026-03-02", "2026-03-16", reason="应急立法"))
    assert response.status_code == 302


def draft(unit):
    return Consultation.objects.create(
        unit=unit,
        title="《征求意见稿》",
        text="全文。",
        opens_on=D(2026, 3, 2),
        closes_on=D(2026, 3, 31),
    )


def test_publish_comment_moderate_and_adopt(
    client, login, unit_a, handler_a, unit_b, handler_b, django_capture_on_commit_callbacks
):
    consultation = draft(unit_a)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    publish_url = reverse("admin:interaction_consultation_publish", args=[consultation.pk])
    assert login(handler_b).post(publish_url).status_code == 404  # another unit's
    with at(D(2026, 3, 1)):
        login(handler_a).post(publish_url)
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.PUBLISHED

    comment_url = reverse("interaction:comment", args=[consultation.pk])
    with at(D(2026, 3, 10)):
        client.post(
            comment_url,
            {
                "text": "建议明确工地围挡高度。",
                "name": "李四",
                "phone": "13800001111",
                "website": "",
                "started": sign_started(),
            },
        )
        page = client.get(consultation.get_absolute_url()).content.decode()
    comment = consultation.comments.get()
    assert comment.state == CommentState.PENDING
    assert "建议明确工地围挡高度" not in page  # not before moderation

    changelist = reverse("admin:interaction_consultationcomment_changelist")
    staff = login(handler_a)
    listing = staff.get(changelist).content.decode()
    assert "李*" in listing and "13800001111" not in listing
    # Cached public pages are invalidated when the change commits.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(changelist, {"action": "publish_selected", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED
    client.logout()
    with at(D(2026, 3, 11)):
        page = client.get(consultation.get_absolute_url()).content.decode()
    assert "建议明确工地围挡高度" in page and "李四" not in page and "13800001111" not in page

    adoption_url = reverse("admin:interaction_consultation_adoption", args=[consultation.pk])
    # Staff sessions last 30 minutes and the clock jumps: log in again at each date.
    with at(D(2026, 3, 20)):
        staff = login(handler_a)
        body = staff.post(adoption_url, {"text": "采纳1条。"}).content.decode()
    assert "征集截止后才能公布" in body
    with at(D(2026, 4, 2)):
        staff = login(handler_a)
        dashboard = staff.get(reverse("admin:interaction_message_dashboard")).content.decode()
        assert "尚未公布意见采纳情况" in dashboard and "《征求意见稿》" in dashboard
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(adoption_url, {"text": "收到意见1条，采纳1条：增加围挡高度要求。"})
        dashboard = staff.get(reverse("admin:interaction_message_dashboard")).content.decode()
        assert "没有已截止而未公布采纳情况的意见征集" in dashboard
    client.logout()
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "意见采纳情况（2026-04-02）" in page and "增加围挡高度要求" in page


def test_comments_only_while_open(client, unit_a):
    consultation = draft(unit_a)
    Consultation.objects.filter(pk=consultation.pk).update(
        state=ConsultationState.PUBLISHED, published_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    url = reverse("interaction:comment", args=[consultation.pk])
    with at(D(2026, 4, 1)):
        response = client.get(url, follow=True)
    assert "不在征集期内" in response.content.decode()
    with pytest.raises(workflow.WorkflowError, match="不在征集期内"), at(D(2026, 4, 1)):
        workflow.submit_comment(consultation, name="王五", phone="", text="意见")


def test_attachments_download_only_once_published(client, login, unit_a, handler_a):
    consultation = draft(unit_a)
    pdf = SimpleUploadedFile("稿.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    attachment = consultation.attachments.create(name="稿.pdf", kind="pdf", size=14)
    attachment.file.save("稿.pdf", pdf)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    with at(D(2026, 3, 1)):
        workflow.publish_consultation(consultation, actor=handler_a)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_cached_page_follows_the_closing_day(client, unit_a, handler_a):
    consultation = draft(unit_a)
    with at(D(2026, 3, 1)):
        workflow.publish_consultation(consultation, actor=handler_a)
    button = "提交意见建议"
    with at(D(2026, 3, 31)):
        assert button in client.get(consultation.get_absolute_url()).content.decode()
        assert client.get(consultation.get_absolute_url())["X-Page-Cache"] == "hit"
    with at(D(2026, 4, 1)):
        response = client.get(consultation.get_absolute_url())
    assert response["X-Page-Cache"] == "miss" and button not in response.content.decode()
