"""/api/v1/messages/ and /api/v1/consultations/: 互动交流 as its public pages show it.

A message appears only once published (answered, with the citizen's consent, in the version staff
edited to remove personal data: interaction.workflow.publish), and only that version: the rows
are loaded with the public columns alone, so the citizen's name, phone, e-mail, own text,
attachment and the unedited reply never leave the database. A consultation appears once published,
with its comments only after moderation and without the commenter's name or phone.

Every change in 互动交流 bumps the "interaction" scope (interaction.signals), the scope these
answers are cached under; a consultation opening or closing at midnight is scheduled there too.
"""

import datetime as dt

from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from api.schema import OBJECTS, Field, Param, declare, declare_page, endpoint
from api.views import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    BadRequest,
    _absolute,
    _int,
    _json,
    api_view,
    choice_param,
    keyset_page,
    unit_param,
)
from interaction.models import (
    CommentState,
    Consultation,
    ConsultationComment,
    Message,
    MessageEvent,
    MessageEventKind,
    MessageKind,
)
from interaction.views import _search as search_messages


def _interaction(request, *args, **kwargs):
    return ["interaction"]


# ---- messages ---------------------------------------------------------------------------------

# The columns a public message page shows; nothing else is read.
PUBLIC_COLUMNS = [
    "number",
    "kind",
    "public_subject",
    "received_on",
    "replied_on",
    "published_at",
    "is_faq",
    "unit",
    "unit__slug",
    "unit__name",
    "reply_unit",
    "reply_unit__slug",
    "reply_unit__name",
]

MESSAGE = declare(
    "Message",
    number=Field("string", "留言编号"),
    subject=Field("string", "标题（公开的版本）"),
    kind=Field("string", "留言类型标识：" + "、".join(MessageKind.values)),
    kind_name=Field("string", "留言类型"),
    unit=Field("string", "办理单位标识"),
    unit_name=Field("string", "办理单位"),
    reply_unit=Field("string", "答复部门标识"),
    reply_unit_name=Field("string", "答复部门"),
    received_on=Field("string", "受理日期", format="date"),
    replied_on=Field("string", "答复日期", format="date"),
    published_at=Field("string", "公开时间", format="date-time"),
    is_faq=Field("boolean", "列为常见问题"),
    url=Field("string", "留言页面", format="uri"),
    api_url=Field("string", "本留言接口", format="uri"),
)
MESSAGE_DETAIL = declare(
    "MessageDetail",
    **OBJECTS[MESSAGE],
    question=Field("string", "留言内容（公开的版本，已去除个人信息）"),
    reply=Field("string", "答复内容（公开的版本）"),
)
MESSAGE_LIST = declare_page("MessageList", "Message", "本页留言")


def _message(request, message) -> dict:
    return {
        "number": message.number,
        "subject": message.public_subject,
        "kind": message.kind,
        "kind_name": message.get_kind_display(),
        "unit": message.unit.slug,
        "unit_name": message.unit.name,
        "reply_unit": message.reply_unit.slug,
        "reply_unit_name": message.reply_unit.name,
        "received_on": message.received_on.isoformat(),
        "replied_on": message.replied_on.isoformat(),
        "published_at": timezone.localtime(message.published_at).isoformat(),
        "is_faq": message.is_faq,
        "url": _absolute(request, message.get_absolute_url()),
        "api_url": _absolute(request, reverse("api:message", args=[message.number])),
    }


def _public_changed(**message_filters) -> dt.datetime | None:
    """When the public version of the messages matching `message_filters` last changed. A
    message row keeps no modification time; each publication, re-publication with edited text
    and withdrawal is an event."""
    return MessageEvent.objects.filter(
        kind__in=[MessageEventKind.PUBLISHED, MessageEventKind.UNPUBLISHED],
        **{f"message__{key}": value for key, value in message_filters.items()},
    ).aggregate(at=Max("created_at"))["at"]


@endpoint(
    "/api/v1/messages/",
    "互动交流：公开的留言",
    MESSAGE_LIST,
    [
        Param("unit", "办理单位标识（只含该单位，不含下级）"),
        Param("kind", "留言类型标识：" + "、".join(MessageKind.values)),
        Param("year", "公开年份", "integer"),
        Param("faq", "1：只列常见问题"),
        Param("q", "检索词（公开的标题、留言内容和答复内容，与互动交流页面的检索相同）"),
        Param("limit", f"每页条数，1–{MAX_PAGE_SIZE}，默认 {PAGE_SIZE}", "integer"),
        Param("cursor", "上一页返回的 next 中的游标"),
    ],
    "只含经留言人同意、已答复并公开的留言，内容为去除个人信息后公开的版本；"
    "按公开时间从新到旧。游标分页：请求 next 给出的地址取下一页。",
)
@api_view(_interaction)
def messages(request):
    filters = {}
    if (unit := unit_param(request)) is not None:
        filters["unit"] = unit
    if kind := choice_param(request, "kind", MessageKind):
        filters["kind"] = kind
    rows = Message.objects.published().filter(**filters)
    if (year := _int(request, "year", 2008, 2100)) is not None:
        rows = rows.filter(published_at__year=year)
    if request.GET.get("faq") == "1":
        rows = rows.filter(is_faq=True)
    if query := (request.GET.get("q") or "").strip()[:50]:
        rows = search_messages(rows, query)
    limit = _int(request, "limit", 1, MAX_PAGE_SIZE, PAGE_SIZE)
    rows = rows.select_related("unit", "reply_unit").only(*PUBLIC_COLUMNS)
    page, next_url = keyset_page(request, rows, "published_at", dt.datetime.fromisoformat, limit)
    return _json(
        {"next": next_url, "results": [_message(request, message) for message in page]},
        # Over the unit and kind, not the year or words: a withdrawn message matches neither.
        last_modified=_public_changed(**filters),
    )


@endpoint(
    "/api/v1/messages/{number}/",
    "一条公开的留言及答复",
    MESSAGE_DETAIL,
    [Param("number", "留言编号，如 LY-2026-000123", where="path")],
)
@api_view(_interaction)
def message(request, number):
    found = get_object_or_404(
        Message.objects.published()
        .select_related("unit", "reply_unit")
        .only(*PUBLIC_COLUMNS, "public_text", "public_reply"),
        number=number,
    )
    return _json(
        {
            **_message(request, found),
            "question": found.public_text,
            "reply": found.public_reply,
        },
        last_modified=_public_changed(pk=found.pk),
    )


# ---- consultations ----------------------------------------------------------------------------

CONSULTATION_STATUS = {"upcoming": "未开始", "open": "征集中", "closed": "已结束"}

CONSULTATION = declare(
    "Consultation",
    id=Field("integer", "编号"),
    title=Field("string", "标题"),
    unit=Field("string", "征集单位标识"),
    unit_name=Field("string", "征集单位"),
    opens_on=Field("string", "开始日期", format="date"),
    closes_on=Field("string", "截止日期（含当日）", format="date"),
    period_days=Field("integer", "征集期（日）"),
    short_period_reason=Field("string", "征集期少于30日的理由（可为空字符串）"),
    status=Field(
        "string", "状态：" + "，".join(f"{k} {v}" for k, v in CONSULTATION_STATUS.items())
    ),
    status_name=Field("string", "状态"),
    published_at=Field("string", "发布时间", format="date-time"),
    adoption_published_on=Field("string", "意见采纳情况公布日期", nullable=True, format="date"),
    url=Field("string", "意见征集页面", format="uri"),
    api_url=Field("string", "本意见征集接口", format="uri"),
)
CONSULTATION_COMMENT = declare(
    "ConsultationComment",
    submitted_on=Field("string", "提交日期", format="date"),
    text=Field("string", "意见建议（经审核公开，不含提出人信息）"),
)
CONSULTATION_DETAIL = declare(
    "ConsultationDetail",
    **OBJECTS[CONSULTATION],
    text=Field("string", "征求意见稿说明及正文"),
    attachments=Field("array", "附件", items="Attachment"),
    adoption=Field("string", "意见采纳情况（公布后）", nullable=True),
    comments=Field("array", "经审核公开的公众意见", items="ConsultationComment"),
)
CONSULTATION_LIST = declare_page("ConsultationList", "Consultation", "本页意见征集")


def _status(consultation, today: dt.date) -> str:
    if consultation.opens_on > today:
        return "upcoming"
    return "closed" if consultation.is_closed(today) else "open"


def _consultation(request, consultation, today: dt.date) -> dict:
    status = _status(consultation, today)
    adopted = consultation.adoption_published_on
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "unit": consultation.unit.slug,
        "unit_name": consultation.unit.name,
        "opens_on": consultation.opens_on.isoformat(),
        "closes_on": consultation.closes_on.isoformat(),
        "period_days": consultation.period_days,
        "short_period_reason": consultation.short_period_reason,
        "status": status,
        "status_name": CONSULTATION_STATUS[status],
        "published_at": timezone.localtime(consultation.published_at).isoformat(),
        "adoption_published_on": adopted.isoformat() if adopted else None,
        "url": _absolute(request, consultation.get_absolute_url()),
        "api_url": _absolute(request, reverse("api:consultation", args=[consultation.pk])),
    }


@endpoint(
    "/api/v1/consultations/",
    "意见征集",
    CONSULTATION_LIST,
    [
        Param("unit", "征集单位标识（只含该单位，不含下级）"),
        Param("status", "状态：upcoming 未开始，open 征集中，closed 已结束"),
        Param("limit", f"每页条数，1–{MAX_PAGE_SIZE}，默认 {PAGE_SIZE}", "integer"),
        Param("cursor", "上一页返回的 next 中的游标"),
    ],
    "只含已发布的意见征集，按开始日期从新到旧。状态随日期变化，故不带 Last-Modified（以 ETag 为准）。"
    "游标分页：请求 next 给出的地址取下一页。",
)
@api_view(_interaction)
def consultations(request):
    today = timezone.localdate()
    rows = Consultation.objects.published().select_related("unit").defer("text", "adoption")
    if (unit := unit_param(request)) is not None:
        rows = rows.filter(unit=unit)
    status = request.GET.get("status", "")
    if status == "upcoming":
        rows = rows.filter(opens_on__gt=today)
    elif status == "open":
        rows = rows.filter(opens_on__lte=today, closes_on__gte=today)
    elif status == "closed":
        rows = rows.filter(closes_on__lt=today)
    elif status:
        raise BadRequest("参数 status 应为 upcoming、open 或 closed。")
    limit = _int(request, "limit", 1, MAX_PAGE_SIZE, PAGE_SIZE)
    page, next_url = keyset_page(request, rows, "opens_on", dt.date.fromisoformat, limit)
    return _json(
        {"next": next_url, "results": [_consultation(request, c, today) for c in page]},
    )


@endpoint(
    "/api/v1/consultations/{id}/",
    "一项意见征集（含正文、附件、公开的意见和采纳情况）",
    CONSULTATION_DETAIL,
    [Param("id", "编号", "integer", where="path")],
)
@api_view(_interaction)
def consultation(request, pk):
    public_comments = ConsultationComment.objects.filter(state=CommentState.PUBLISHED).only(
        "consultation", "created_at", "text"
    )
    found = get_object_or_404(
        Consultation.objects.published()
        .select_related("unit")
        .prefetch_related("attachments", Prefetch("comments", queryset=public_comments)),
        pk=pk,
    )
    return _json(
        {
            **_consultation(request, found, timezone.localdate()),
            "text": found.text,
            "attachments": [
                {
                    "name": str(attachment).rsplit("/", 1)[-1],
                    "kind": attachment.kind,
                    "size": attachment.size,
                    "url": _absolute(request, attachment.get_absolute_url()),
                }
                for attachment in found.attachments.all()
            ],
            "adoption": found.adoption if found.adoption_published_on else None,
            "comments": [
                {
                    "submitted_on": timezone.localdate(comment.created_at).isoformat(),
                    "text": comment.text,
                }
                for comment in found.comments.all()
            ],
        }
    )
