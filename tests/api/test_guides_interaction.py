"""The API's service guides (/api/v1/guides/) and 互动交流 (/api/v1/messages/,
/api/v1/consultations/), and their open-data files (/shuju/bszn/, /shuju/liuyan/): only what the
public pages show, built with the fixtures and workflows of those pages."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from api.schema import conforms
from disclosure.guides import workflow as guide_workflow
from disclosure.guides.models import GuideMaterial, GuideState
from disclosure.reports import figures
from disclosure.reports import workflow as report_workflow
from disclosure.reports.models import AnnualReport
from interaction import workflow
from interaction.models import Consultation, ConsultationAttachment, Message, MessageKind
from portal import pagecache
from portal.permissions import SYSTEM
from tests.interaction.conftest import at, submit_on

pytestmark = pytest.mark.django_db
D = dt.date
RECEIVED = D(2026, 3, 2)

RAW_TEXT = "请问政务服务中心周六是否开放？我叫张三丰，身份证号340811199001011234，电话13912345678。"
PUBLIC_TEXT = "请问政务服务中心周六是否开放？"
PUBLIC_REPLY = "您好：周六上午9时至12时开放。"
# What the citizen, a commenter or the handler typed or is: never in any answer or file.
PERSONAL = [
    "张三丰",
    "13912345678",
    "340811199001011234",
    "zhangsan@example.com",
    "我叫",  # the citizen's own text, unedited
    "secret-scan",  # the citizen's attachment
    "李四",
    "13800001111",
    "handler_a",
]
# Rows the public pages do not show.
UNPUBLISHED = [
    "草稿中的办事指南",
    "待审核的办事指南",
    "已撤回的办事指南",
    "已答复未公开的留言",
    "未同意公开的留言",
    "待受理的留言",
    "不予受理的留言",
    "已取消公开的留言",
    "草稿中的意见征集",
    "待审核的意见",
    "不予公开的意见",
]


def get(client, path, **params):
    response = client.get(path, params)
    assert response["Content-Type"].startswith("application/json"), path
    return response, json.loads(response.content)


def answered(unit, handler, day=RECEIVED, **data):
    message, _ = submit_on(day, unit, **{"text": RAW_TEXT, **data})
    with at(day + dt.timedelta(days=2)):
        return workflow.reply(message, actor=handler, text="张三丰您好：周六上午9时至12时开放。")


def published(unit, handler, day=RECEIVED, public_subject="政务服务中心周末是否办理业务", **data):
    faq = data.pop("faq", False)
    message = answered(unit, handler, day, **data)
    with at(day + dt.timedelta(days=3)):
        return workflow.publish(
            message,
            actor=handler,
            public_subject=public_subject,
            public_text=PUBLIC_TEXT,
            public_reply=PUBLIC_REPLY,
            is_faq=faq,
        )


def new_consultation(unit, title, opens_on, closes_on, actor):
    consultation = Consultation.objects.create(
        unit=unit,
        title=title,
        text="现将征求意见稿全文公布。",
        opens_on=opens_on,
        closes_on=closes_on,
    )
    with at(opens_on - dt.timedelta(days=1)):
        return workflow.publish_consultation(consultation, actor=actor)


@pytest.fixture
def services(unit_a, unit_b, handler_a, make_guide):
    """Of each kind, what the public pages show beside what they must not."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        guide = make_guide(unit_a)
    material = guide.materials.get(order=1)
    material.blank_form = "guides/forms/2026/03/blank.pdf"
    material.blank_form_kind = "pdf"
    material.save()
    other_guide = make_guide(unit_b, name="义务教育入学登记", code="", item_type="public_service")
    make_guide(unit_a, name="草稿中的办事指南", code="D1", state=GuideState.DRAFT)
    make_guide(unit_a, name="待审核的办事指南", code="D2", state=GuideState.PENDING)
    withdrawn = make_guide(unit_a, name="已撤回的办事指南", code="D3")
    guide_workflow.withdraw(withdrawn, SYSTEM, "测试撤回")

    message = published(unit_a, handler_a, faq=True)
    Message.objects.filter(pk=message.pk).update(attachment="messages/2026/03/secret-scan.pdf")
    other_message = published(
        unit_b,
        handler_a,
        day=D(2026, 4, 1),
        public_subject="小学入学报名需要哪些材料",
        kind=MessageKind.SUGGEST,
    )
    answered(unit_a, handler_a, subject="已答复未公开的留言")
    answered(unit_a, handler_a, subject="未同意公开的留言", consent_publish=False)
    submit_on(D(2026, 3, 2), unit_a, subject="待受理的留言")
    rejected, _ = submit_on(D(2026, 3, 2), unit_a, subject="不予受理的留言")
    with at(D(2026, 3, 3)):
        workflow.reject(rejected, actor=handler_a, reason="duplicate")
    withdrawn_message = published(unit_a, handler_a, public_subject="已取消公开的留言")
    with at(D(2026, 3, 6)):
        workflow.unpublish(withdrawn_message, actor=handler_a, note="留言人要求撤回")

    today = timezone.localdate()
    closed = new_consultation(
        unit_a, "扬尘污染防治办法征求意见", D(2026, 3, 2), D(2026, 3, 31), handler_a
    )
    ConsultationAttachment.objects.create(
        consultation=closed,
        file="consultations/2026/03/draft.pdf",
        name="征求意见稿.pdf",
        kind="pdf",
        size=12,
    )
    with at(D(2026, 3, 10)):
        for text in ("建议明确工地围挡高度。", "待审核的意见", "不予公开的意见"):
            workflow.submit_comment(closed, name="李四", phone="13800001111", text=text)
    first, _pending, refused = closed.comments.order_by("pk")
    with at(D(2026, 3, 11)):
        workflow.moderate_comment(first, actor=handler_a, publish=True)
        workflow.moderate_comment(refused, actor=handler_a, publish=False)
    Consultation.objects.filter(pk=closed.pk).update(
        adoption="采纳1条：增加围挡高度要求。", adoption_published_on=D(2026, 4, 2)
    )
    running = new_consultation(
        unit_b,
        "学区划分方案征求意见",
        today - dt.timedelta(days=5),
        today + dt.timedelta(days=30),
        handler_a,
    )
    upcoming = new_consultation(
        unit_a,
        "公交线网优化征求意见",
        today + dt.timedelta(days=10),
        today + dt.timedelta(days=45),
        handler_a,
    )
    Consultation.objects.create(
        unit=unit_a,
        title="草稿中的意见征集",
        text="未发布。",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    return {
        "guide": guide,
        "other_guide": other_guide,
        "message": message,
        "other_message": other_message,
        "closed": closed,
        "running": running,
        "upcoming": upcoming,
    }


def every_answer(client, services):
    paths = [
        "/api/v1/",
        "/api/v1/guides/",
        "/api/v1/guides/?unit=zwzx",
        "/api/v1/guides/?q=许可",
        f"/api/v1/guides/{services['guide'].pk}/",
        "/api/v1/messages/",
        "/api/v1/messages/?unit=zwzx",
        "/api/v1/messages/?year=2026&kind=consult",
        "/api/v1/messages/?q=周六",
        "/api/v1/messages/?faq=1",
        f"/api/v1/messages/{services['message'].number}/",
        "/api/v1/consultations/",
        f"/api/v1/consultations/{services['closed'].pk}/",
        f"/api/v1/consultations/{services['running'].pk}/",
        "/api/v1/openapi.json",
        "/api/v1/docs/",
        "/shuju/",
        "/shuju/bszn/zwzx.csv",
        "/shuju/bszn/zwzx.json",
        "/shuju/liuyan/2026.csv",
        "/shuju/liuyan/2026.json",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        yield path, body.decode("utf-8-sig")


def test_nothing_unpublished_and_no_personal_data(client, services):
    seen = ""
    for path, body in every_answer(client, services):
        seen += body
        for hidden in PERSONAL + UNPUBLISHED:
            assert hidden not in body, (path, hidden)
    # The published versions are there, so the search above looked at the right answers.
    for shown in (
        "公共场所卫生许可",
        "政务服务中心周末是否办理业务",
        PUBLIC_TEXT,
        PUBLIC_REPLY,
        "建议明确工地围挡高度",
        "采纳1条",
    ):
        assert shown in seen, shown


def test_unpublished_details_are_404(client, services):
    hidden_guide = services["guide"].unit.guides.get(name="已撤回的办事指南")
    assert client.get(f"/api/v1/guides/{hidden_guide.pk}/").status_code == 404
    numbers = [
        Message.objects.get(subject=s).number for s in ("已答复未公开的留言", "待受理的留言")
    ]
    numbers.append(Message.objects.get(public_subject="已取消公开的留言").number)
    for number in numbers:
        response, data = get(client, f"/api/v1/messages/{number}/")
        assert response.status_code == 404 and data["error"], number
    draft = Consultation.objects.get(title="草稿中的意见征集")
    assert client.get(f"/api/v1/consultations/{draft.pk}/").status_code == 404


def test_every_declared_path_answers_as_declared(client, services, make_entry, unit_a):
    """Each path of the OpenAPI document exists and answers with the object it declares."""
    entry = make_entry(unit_a)
    report = AnnualReport.objects.create(unit=unit_a, year=2025, overview="<p>总体情况。</p>")
    figures.apply_computed(report)
    report_workflow.publish(report, SYSTEM, published_on=D(2026, 1, 20))
    values = {
        "{id}": {
            "/api/v1/entries/{id}/": entry.pk,
            "/api/v1/guides/{id}/": services["guide"].pk,
            "/api/v1/consultations/{id}/": services["closed"].pk,
        },
        "{number}": services["message"].number,
        "{unit}": "zwzx",
        "{year}": 2025,
    }
    schema = get(client, "/api/v1/openapi.json")[1]
    for template, operation in schema["paths"].items():
        path = template
        for name, value in values.items():
            if name in path:
                path = path.replace(
                    name, str(value[template] if isinstance(value, dict) else value)
                )
        response, data = get(client, path)
        assert response.status_code == 200, path
        name = operation["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert conforms(data, name.rsplit("/", 1)[-1]) == [], path
    assert {
        "/api/v1/guides/",
        "/api/v1/guides/{id}/",
        "/api/v1/messages/",
        "/api/v1/messages/{number}/",
        "/api/v1/consultations/",
        "/api/v1/consultations/{id}/",
    } <= set(schema["paths"])
    docs = client.get("/api/v1/docs/").content.decode()
    for text in ("GET /api/v1/guides/{id}/", "GET /api/v1/messages/{number}/", "GuideMaterial"):
        assert text in docs
    index = get(client, "/api/v1/")[1]
    assert index["guides"] == "http://testserver/api/v1/guides/"


def test_guides_as_on_their_pages(client, services):
    guide = services["guide"]
    _, data = get(client, "/api/v1/guides/")
    assert [g["name"] for g in data["results"]] == ["义务教育入学登记", "公共场所卫生许可"]
    assert data["next"] is None
    _, data = get(client, "/api/v1/guides/", unit="zwzx")
    assert [g["name"] for g in data["results"]] == ["公共场所卫生许可"]
    assert (
        get(client, "/api/v1/guides/", item_type="public_service")[1]["results"][0]["unit"] == "jyj"
    )
    assert get(client, "/api/v1/guides/", q="XK-0012")[1]["results"][0]["id"] == guide.pk
    assert get(client, "/api/v1/guides/", q="不存在")[1]["results"] == []
    _, detail = get(client, f"/api/v1/guides/{guide.pk}/")
    assert detail["unit_name"] == "安庆市人民政府政务服务中心"
    assert detail["index_number"] == guide.entry.index_number
    assert (detail["legal_limit_days"], detail["promised_limit_days"]) == (20, 5)
    assert (detail["consult_phone"], detail["complaint_phone"]) == ("0556-5349772", "0556-12345")
    assert detail["basis"] == "《公共场所卫生管理条例》第八条"
    assert detail["online_url"] is None
    material = GuideMaterial.objects.get(guide=guide, order=1)
    assert detail["materials"] == [
        {
            "name": "公共场所卫生许可申请书",
            "form": "original",
            "form_name": "原件",
            "copies": 1,
            "note": "",
            "blank_form_url": f"http://testserver/bszn/cailiao/{material.pk}/blank/",
            "sample_url": None,
        },
        {
            "name": "营业执照",
            "form": "copy",
            "form_name": "复印件",
            "copies": 1,
            "note": "",
            "blank_form_url": None,
            "sample_url": None,
        },
    ]
    assert [s["name"] for s in detail["steps"]] == ["申请", "受理", "审查", "决定", "送达"]
    assert detail["faq"] == [
        {"question": "营业执照未办好可以申请吗？", "answer": "可以先行申请，发证前补交。"}
    ]


def test_messages_filters_and_detail(client, services):
    message = services["message"]
    _, data = get(client, "/api/v1/messages/")
    assert [m["subject"] for m in data["results"]] == [
        "小学入学报名需要哪些材料",
        "政务服务中心周末是否办理业务",
    ]
    first = data["results"][1]
    assert (first["received_on"], first["replied_on"]) == ("2026-03-02", "2026-03-04")
    assert (first["unit"], first["reply_unit_name"]) == ("zwzx", "安庆市人民政府政务服务中心")
    assert (first["kind"], first["kind_name"], first["is_faq"]) == ("consult", "咨询", True)
    assert first["url"] == f"http://testserver/hudong/liuyan/{message.number}/"

    def numbers(**params):
        return [m["number"] for m in get(client, "/api/v1/messages/", **params)[1]["results"]]

    assert numbers(unit="zwzx") == [message.number]
    assert numbers(kind="suggest") == [services["other_message"].number]
    assert numbers(year="2026", faq="1") == [message.number]
    assert numbers(year="2025") == []
    assert numbers(q="9时至12时") == [services["other_message"].number, message.number]
    assert numbers(q="张三丰") == []  # only the public version is searched
    _, detail = get(client, f"/api/v1/messages/{message.number}/")
    assert (detail["question"], detail["reply"]) == (PUBLIC_TEXT, PUBLIC_REPLY)


def test_consultations_status_comments_and_adoption(client, services):
    _, data = get(client, "/api/v1/consultations/")
    assert [(c["title"], c["status"]) for c in data["results"]] == [
        ("公交线网优化征求意见", "upcoming"),
        ("学区划分方案征求意见", "open"),
        ("扬尘污染防治办法征求意见", "closed"),
    ]
    _, data = get(client, "/api/v1/consultations/", status="open", unit="jyj")
    assert [c["id"] for c in data["results"]] == [services["running"].pk]
    _, detail = get(client, f"/api/v1/consultations/{services['closed'].pk}/")
    assert detail["comments"] == [{"submitted_on": "2026-03-10", "text": "建议明确工地围挡高度。"}]
    assert detail["adoption"] == "采纳1条：增加围挡高度要求。"
    assert detail["adoption_published_on"] == "2026-04-02" and detail["period_days"] == 30
    (attachment,) = detail["attachments"]
    assert attachment["name"] == "征求意见稿.pdf" and attachment["url"].startswith(
        "http://testserver/hudong/zhengji/fujian/"
    )
    assert get(client, f"/api/v1/consultations/{services['running'].pk}/")[1]["adoption"] is None


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/guides/", {"unit": "nope"}),
        ("/api/v1/guides/", {"item_type": "nope"}),
        ("/api/v1/guides/", {"cursor": "!!!"}),
        ("/api/v1/guides/", {"cursor": "bm9wZQ"}),
        ("/api/v1/messages/", {"kind": "nope"}),
        ("/api/v1/messages/", {"year": "20x6"}),
        ("/api/v1/messages/", {"limit": "101"}),
        ("/api/v1/consultations/", {"status": "nope"}),
        ("/api/v1/consultations/", {"cursor": "MjAyNi0xMy0wMXwx"}),  # 2026-13-01|1
    ],
)
def test_bad_parameters_are_a_400_in_chinese(client, services, path, params):
    response, data = get(client, path, **params)
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["error"])


def walk(client, path, **params):
    seen, url = [], path
    while url:
        _, data = get(client, url, **params) if url == path else get(client, url)
        seen += data["results"]
        url = data["next"] and data["next"].replace("http://testserver", "")
    return seen


def test_cursor_pagination_walks_every_row_once(client, unit_a, handler_a, make_guide):
    # Three to a moment: the cursor must break ties by id.
    for n in range(7):
        with time_machine.travel(dt.datetime(2026, 3, 2 + n % 3, 2, tzinfo=dt.UTC), tick=False):
            make_guide(unit_a, name=f"事项{n}", code=f"C{n}")
    guides = walk(client, "/api/v1/guides/", limit=3)
    assert len({g["id"] for g in guides}) == len(guides) == 7
    for n in range(7):
        published(unit_a, handler_a, day=D(2026, 3, 2 + 7 * (n % 3)))
    messages = walk(client, "/api/v1/messages/", limit=3)
    assert len({m["number"] for m in messages}) == len(messages) == 7
    for n in range(5):
        opens = timezone.localdate() + dt.timedelta(days=1 + n % 2)
        new_consultation(unit_a, f"征求意见{n}", opens, opens + dt.timedelta(days=30), handler_a)
    consultations = walk(client, "/api/v1/consultations/", limit=2)
    assert len({c["id"] for c in consultations}) == len(consultations) == 5


def queries(client, path) -> int:
    pagecache.bump("all")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200 and response["X-Page-Cache"] == "miss", path
    return len(captured)


def test_queries_do_not_grow_with_the_rows(client, services, unit_a, handler_a, make_guide):
    guide, closed = services["guide"], services["closed"]
    paths = [
        "/api/v1/guides/",
        "/api/v1/guides/?unit=zwzx&q=许可",
        f"/api/v1/guides/{guide.pk}/",
        "/api/v1/messages/",
        "/api/v1/messages/?unit=zwzx&kind=consult&year=2026&q=周六",
        f"/api/v1/messages/{services['message'].number}/",
        "/api/v1/consultations/",
        f"/api/v1/consultations/{closed.pk}/",
    ]
    few = [queries(client, path) for path in paths]
    for n in range(3):
        make_guide(unit_a, name=f"公共场所卫生许可{n}", code=f"M{n}")
        GuideMaterial.objects.create(guide=guide, order=10 + n, name=f"补充材料{n}")
        published(unit_a, handler_a)
        new_consultation(
            unit_a,
            f"征求意见{n}",
            timezone.localdate() + dt.timedelta(days=1),
            timezone.localdate() + dt.timedelta(days=40),
            handler_a,
        )
        with at(D(2026, 3, 12)):
            workflow.submit_comment(closed, name="李四", phone="", text=f"意见{n}")
    with at(D(2026, 3, 13)):
        for comment in closed.comments.filter(state="pending", text__startswith="意见"):
            workflow.moderate_comment(comment, actor=handler_a, publish=True)
    assert [queries(client, path) for path in paths] == few


def test_conditional_get_and_last_modified(
    client, services, handler_a, django_capture_on_commit_callbacks
):
    guide = services["guide"]
    for path in (
        f"/api/v1/guides/{guide.pk}/",
        f"/api/v1/messages/{services['message'].number}/",
        "/api/v1/messages/",
        "/api/v1/guides/",
    ):
        first = client.get(path)
        assert first["ETag"] and first["Last-Modified"], path
        assert first["Access-Control-Allow-Origin"] == "*"
        assert client.get(path)["X-Page-Cache"] == "hit"
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, path
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # Published again with edited text: the message row keeps its publication time, yet the
    # answer is newer than before.
    path = f"/api/v1/messages/{services['message'].number}/"
    before = client.get(path)["Last-Modified"]
    with at(timezone.localdate() + dt.timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish(
                services["message"],
                actor=handler_a,
                public_subject="政务服务中心周六是否办理业务",
                public_text=PUBLIC_TEXT,
                public_reply=PUBLIC_REPLY,
            )
        response = client.get(path, HTTP_IF_MODIFIED_SINCE=before)
    assert response.status_code == 200 and "周六是否办理" in response.content.decode()
    response = client.get("/api/v1/consultations/")
    assert response["ETag"] and not response.has_header("Last-Modified")  # status follows the date


def test_withdrawal_moves_the_lists_last_modified(
    client, services, handler_a, django_capture_on_commit_callbacks
):
    """A list's Last-Modified is its newest change, a withdrawal included: a client sending the
    old date gets the shorter list, not a 304."""
    guide = services["guide"]
    before = client.get("/api/v1/guides/")["Last-Modified"]
    later = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            guide_workflow.withdraw(guide, SYSTEM, "事项取消")
        response = client.get("/api/v1/guides/", HTTP_IF_MODIFIED_SINCE=before)
    assert response.status_code == 200
    assert response["Last-Modified"] == http_date(later.timestamp())
    assert [g["name"] for g in json.loads(response.content)["results"]] == ["义务教育入学登记"]
    message = services["message"]
    before = client.get("/api/v1/messages/")["Last-Modified"]
    with at(timezone.localdate() + dt.timedelta(days=2)):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.unpublish(message, actor=handler_a, note="留言人要求撤回")
        response = client.get("/api/v1/messages/", HTTP_IF_MODIFIED_SINCE=before)
    assert response.status_code == 200
    assert message.number not in response.content.decode()


def test_a_published_reply_reaches_the_cached_answers(
    client, unit_a, handler_a, django_capture_on_commit_callbacks
):
    paths = ["/api/v1/messages/", "/api/v1/messages/?unit=zwzx"]
    for path in paths:
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
    message = answered(unit_a, handler_a)
    number = message.number
    assert client.get(f"/api/v1/messages/{number}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True), at(D(2026, 3, 5)):
        workflow.publish(
            message,
            actor=handler_a,
            public_subject="政务服务中心周末是否办理业务",
            public_text=PUBLIC_TEXT,
            public_reply=PUBLIC_REPLY,
        )
    for path in paths:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss" and number in response.content.decode(), path
    detail = client.get(f"/api/v1/messages/{number}/")
    assert detail.status_code == 200
    assert client.get(f"/api/v1/messages/{number}/")["X-Page-Cache"] == "hit"
    assert number in b"".join(client.get("/shuju/liuyan/2026.json").streaming_content).decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(message, actor=handler_a, note="留言人要求撤回")
    assert client.get(f"/api/v1/messages/{number}/").status_code == 404
    assert number not in client.get(paths[0]).content.decode()


def test_guide_and_consultation_changes_reach_the_cached_answers(
    client, services, handler_a, django_capture_on_commit_callbacks
):
    guide, closed = services["guide"], services["closed"]
    guide_path = f"/api/v1/guides/{guide.pk}/"
    consultation_path = f"/api/v1/consultations/{closed.pk}/"
    for path in (guide_path, consultation_path):
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        guide_workflow.withdraw(guide, SYSTEM, "事项取消")
    assert client.get(guide_path).status_code == 404
    pending = closed.comments.get(text="待审核的意见")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.moderate_comment(pending, actor=handler_a, publish=True)
    assert "待审核的意见" in client.get(consultation_path).content.decode()


def test_opendata_guides_and_messages(client, services):
    page = client.get("/shuju/").content.decode()
    assert 'href="/shuju/bszn/zwzx.csv"' in page and 'href="/shuju/bszn/jyj.json"' in page
    assert 'href="/shuju/bszn/sjj.csv"' not in page  # no published guide
    assert 'href="/shuju/liuyan/2026.json"' in page
    lines = b"".join(client.get("/shuju/bszn/zwzx.csv").streaming_content).decode("utf-8-sig")
    lines = lines.splitlines()
    assert lines[0].startswith("事项名称,事项编码,事项类型,设定依据")
    assert len(lines) == 2 and "公共场所卫生许可,340800-XK-0012,行政许可" in lines[1]
    data = json.loads(b"".join(client.get("/shuju/bszn/jyj.json").streaming_content))
    assert data["unit"] == "jyj" and [g["name"] for g in data["guides"]] == ["义务教育入学登记"]
    data = json.loads(b"".join(client.get("/shuju/liuyan/2026.json").streaming_content))
    assert [m["subject"] for m in data["messages"]] == [
        "小学入学报名需要哪些材料",
        "政务服务中心周末是否办理业务",
    ]
    assert data["messages"][1]["question"] == PUBLIC_TEXT
    csv_text = b"".join(client.get("/shuju/liuyan/2026.csv").streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("留言编号,标题,留言类型")
    assert (
        json.loads(b"".join(client.get("/shuju/liuyan/2025.json").streaming_content))["messages"]
        == []
    )
    assert client.get("/shuju/liuyan/2018.csv").status_code == 404
    assert client.get("/shuju/bszn/nope.csv").status_code == 404
