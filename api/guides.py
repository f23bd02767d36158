"""/api/v1/guides/: the service guides (办事指南) exactly as their public pages show them.

Only published guides (a withdrawn one goes back to draft before it changes); the fields of the
guide page (disclosure/guides/views.py, templates/guides/includes/guide_body.html), with the blank
forms' and samples' download addresses. A guide's save bumps "site" (disclosure.guides.apps), the
scope these answers are cached under.
"""

import datetime as dt

from django.db.models import F, Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from api.schema import OBJECTS, Field, Param, declare, declare_page, endpoint
from api.views import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    _absolute,
    _int,
    _json,
    api_view,
    choice_param,
    keyset_page,
    unit_param,
)
from disclosure.guides.models import ItemType, ServiceGuide
from portal import pagecache

GUIDE = declare(
    "Guide",
    id=Field("integer", "编号"),
    name=Field("string", "事项名称"),
    code=Field("string", "事项编码（可为空字符串）"),
    item_type=Field("string", "事项类型标识：" + "、".join(ItemType.values)),
    item_type_name=Field("string", "事项类型"),
    unit=Field("string", "实施单位标识"),
    unit_name=Field("string", "实施单位"),
    promised_limit_days=Field("integer", "承诺时限（工作日）", nullable=True),
    visits=Field("integer", "到现场次数", nullable=True),
    published_at=Field("string", "发布时间", format="date-time"),
    url=Field("string", "办事指南页面", format="uri"),
    api_url=Field("string", "本指南接口", format="uri"),
)
GUIDE_MATERIAL = declare(
    "GuideMaterial",
    name=Field("string", "材料名称"),
    form=Field("string", "材料形式标识：original、copy、both、electronic"),
    form_name=Field("string", "材料形式（原件、复印件……）"),
    copies=Field("integer", "份数"),
    note=Field("string", "说明（可为空字符串）"),
    blank_form_url=Field("string", "空白表格下载地址", nullable=True, format="uri"),
    sample_url=Field("string", "示例样表下载地址", nullable=True, format="uri"),
)
GUIDE_STEP = declare(
    "GuideStep",
    name=Field("string", "环节"),
    description=Field("string", "办理内容（可为空字符串）"),
    time_limit=Field("string", "时限（可为空字符串）"),
)
GUIDE_QUESTION = declare(
    "GuideQuestion", question=Field("string", "问题"), answer=Field("string", "解答")
)
GUIDE_DETAIL = declare(
    "GuideDetail",
    **OBJECTS[GUIDE],
    index_number=Field("string", "目录索引号", nullable=True),
    basis=Field("string", "设定依据"),
    accepting_body=Field("string", "受理机构"),
    deciding_body=Field("string", "决定机构（可为空字符串）"),
    conditions=Field("string", "申请条件"),
    window_service=Field("boolean", "可窗口办理"),
    online_service=Field("boolean", "可网上办理"),
    online_url=Field("string", "网上办理地址", nullable=True, format="uri"),
    location=Field("string", "办理地点"),
    hours=Field("string", "办理时间"),
    legal_limit_days=Field("integer", "法定时限（工作日）", nullable=True),
    fees=Field("string", "收费标准及依据"),
    result=Field("string", "审批结果（可为空字符串）"),
    delivery=Field("string", "结果送达（可为空字符串）"),
    consult_phone=Field("string", "咨询电话"),
    complaint_phone=Field("string", "监督投诉电话（可为空字符串）"),
    materials=Field("array", "申请材料", items="GuideMaterial"),
    steps=Field("array", "办理流程（按顺序）", items="GuideStep"),
    faq=Field("array", "常见问题", items="GuideQuestion"),
)
GUIDE_LIST = declare_page("GuideList", "Guide", "本页办事指南")


def _guide(request, guide) -> dict:
    return {
        "id": guide.pk,
        "name": guide.name,
        "code": guide.code,
        "item_type": guide.item_type,
        "item_type_name": guide.get_item_type_display(),
        "unit": guide.unit.slug,
        "unit_name": guide.unit.name,
        "promised_limit_days": guide.promised_limit_days,
        "visits": guide.visits,
        "published_at": timezone.localtime(guide.published_at).isoformat(),
        "url": _absolute(request, guide.get_absolute_url()),
        "api_url": _absolute(request, reverse("api:guide", args=[guide.pk])),
    }


@endpoint(
    "/api/v1/guides/",
    "办事指南列表",
    GUIDE_LIST,
    [
        Param("unit", "实施单位标识（只含该单位，不含下级）"),
        Param("item_type", "事项类型标识：" + "、".join(ItemType.values)),
        Param("q", "事项名称或编码中的文字（与单位办事指南页面的查找相同）"),
        Param("limit", f"每页条数，1–{MAX_PAGE_SIZE}，默认 {PAGE_SIZE}", "integer"),
        Param("cursor", "上一页返回的 next 中的游标"),
    ],
    "只含已发布的办事指南，按发布时间从新到旧。游标分页：请求 next 给出的地址取下一页。",
)
@api_view(pagecache.site)
def guides(request):
    scope = ServiceGuide.objects.all()
    if (unit := unit_param(request)) is not None:
        scope = scope.filter(unit=unit)
    if item_type := choice_param(request, "item_type", ItemType):
        scope = scope.filter(item_type=item_type)
    if query := " ".join(request.GET.get("q", "").split())[:50]:
        scope = scope.filter(Q(name__icontains=query) | Q(code__icontains=query))
    limit = _int(request, "limit", 1, MAX_PAGE_SIZE, PAGE_SIZE)
    rows = scope.published().select_related("unit")
    page, next_url = keyset_page(request, rows, "published_at", dt.datetime.fromisoformat, limit)
    # Over every state: a withdrawal changes the list, and the withdrawn row's time says when.
    changed = scope.aggregate(at=Max("updated_at"))["at"]
    return _json(
        {"next": next_url, "results": [_guide(request, guide) for guide in page]},
        last_modified=changed,
    )


@endpoint(
    "/api/v1/guides/{id}/",
    "一份办事指南（含申请材料、办理流程和常见问题）",
    GUIDE_DETAIL,
    [Param("id", "编号", "integer", where="path")],
)
@api_view(pagecache.site)
def guide(request, pk):
    found = get_object_or_404(
        ServiceGuide.objects.published()
        .select_related("unit")
        .annotate(index_number=F("entry__index_number")),
        pk=pk,
    )
    return _json(
        {
            **_guide(request, found),
            "index_number": found.index_number or None,
            "basis": found.basis,
            "accepting_body": found.accepting_body,
            "deciding_body": found.deciding_body,
            "conditions": found.conditions,
            "window_service": found.window_service,
            "online_service": found.online_service,
            # The page links the address only while online service is offered.
            "online_url": found.online_url if found.online_service and found.online_url else None,
            "location": found.location,
            "hours": found.hours,
            "legal_limit_days": found.legal_limit_days,
            "fees": found.fees,
            "result": found.result,
            "delivery": found.delivery,
            "consult_phone": found.consult_phone,
            "complaint_phone": found.complaint_phone,
            "materials": [_material(request, material) for material in found.materials.all()],
            "steps": [
                {"name": step.name, "description": step.description, "time_limit": step.time_limit}
                for step in found.steps.all()
            ],
            "faq": [
                {"question": question, "answer": answer} for question, answer in found.faq_items()
            ],
        },
        last_modified=found.updated_at,
    )


def _material(request, material) -> dict:
    def file_url(which, stored):
        return _absolute(request, material.file_url(which)) if stored else None

    return {
        "name": material.name,
        "form": material.form,
        "form_name": material.get_form_display(),
        "copies": material.copies,
        "note": material.note,
        "blank_form_url": file_url("blank", material.blank_form),
        "sample_url": file_url("sample", material.sample),
    }
