"""Review before publication of a guide, as for catalog entries: one function per state change.

草稿 → 待审核 (submit) → 已发布 (approve) or back to 草稿 (return with a reason); 已发布 → 已撤回
(withdraw) → 草稿 (revise). Submitting and approving are refused while one of the ten required
elements is missing. Approval files the guide in its unit's catalog under 办事指南 as an entry with
an 索引号, so the catalog, feeds and search find it; withdrawal withdraws that entry.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from disclosure import review
from disclosure import workflow as entry_workflow
from disclosure.guides import elements
from disclosure.guides.models import GuideAction, GuideEvent, GuideState, ServiceGuide
from disclosure.models import Category, DocumentType, Entry, EntryState
from portal import permissions

GUIDE_CATEGORY = "bszn"


class GuideError(Exception):
    """A transition that is not allowed now; the message is shown to staff as it is."""


def can_edit(user, unit) -> bool:
    """A role with 修改 in the guide's unit; `None` never (the demo and commands pass SYSTEM)."""
    return permissions.can(user, "guides.change_serviceguide", unit)


def can_review(user, unit) -> bool:
    return permissions.can(user, "guides.review_serviceguide", unit)


def _lock(guide) -> ServiceGuide:
    return (
        ServiceGuide.objects.select_for_update(of=("self",)).select_related("unit").get(pk=guide.pk)
    )


def _check_state(locked, allowed: set, verb: str) -> None:
    review.check_state(locked, allowed, verb, title=locked.name, noun="办事指南", error=GuideError)


def _check_required(locked) -> None:
    missing = elements.missing_required(locked)
    if missing:
        raise GuideError(
            f"“{locked.name}”缺少必备要素：{'、'.join(e.label for e in missing)}，不能发布。"
        )


_record = review.record


def _sync(guide, locked) -> ServiceGuide:
    for field in ("state", "published_at", "entry_id"):
        setattr(guide, field, getattr(locked, field))
    return guide


def record_creation(guide, actor) -> GuideEvent:
    return _record(guide, GuideAction.CREATE, "", actor)


def submit(guide: ServiceGuide, actor) -> ServiceGuide:
    if not can_edit(actor, guide.unit):
        raise PermissionDenied("您不能提交其他单位的办事指南。")
    with transaction.atomic():
        locked = _lock(guide)
        _check_state(locked, {GuideState.DRAFT}, "提交审核")
        _check_required(locked)
        locked.state = GuideState.PENDING
        locked.save(update_fields=["state", "updated_at"])
        _record(locked, GuideAction.SUBMIT, GuideState.DRAFT, actor)
    return _sync(guide, locked)


def approve(guide: ServiceGuide, actor, note: str = "") -> ServiceGuide:
    if not can_review(actor, guide.unit):
        raise PermissionDenied("只有本单位的审核员或单位管理员才能审核发布办事指南。")
    with transaction.atomic():
        locked = _lock(guide)
        _check_state(locked, {GuideState.PENDING}, "审核发布")
        _check_required(locked)
        now = timezone.now()
        locked.state = GuideState.PUBLISHED
        locked.published_at = now
        locked.entry = _file_in_catalog(locked, actor, now)
        locked.save(update_fields=["state", "published_at", "entry", "updated_at"])
        _record(locked, GuideAction.APPROVE, GuideState.PENDING, actor, note)
    return _sync(guide, locked)


def return_guide(guide: ServiceGuide, actor, reason: str) -> ServiceGuide:
    if not can_review(actor, guide.unit):
        raise PermissionDenied("只有本单位的审核员或单位管理员才能退回。")
    reason = (reason or "").strip()
    if not reason:
        raise GuideError("退回时必须说明理由。")
    with transaction.atomic():
        locked = _lock(guide)
        _check_state(locked, {GuideState.PENDING}, "退回")
        locked.state = GuideState.DRAFT
        locked.save(update_fields=["state", "updated_at"])
        _record(locked, GuideAction.RETURN, GuideState.PENDING, actor, reason)
    return _sync(guide, locked)


def withdraw(guide: ServiceGuide, actor, reason: str = "") -> ServiceGuide:
    """Off the public site; the catalog entry is withdrawn too (its 索引号 stays taken)."""
    if not can_review(actor, guide.unit):
        raise PermissionDenied("只有本单位的审核员或单位管理员才能撤回。")
    with transaction.atomic():
        locked = _lock(guide)
        _check_state(locked, {GuideState.PUBLISHED}, "撤回")
        if locked.entry and locked.entry.state == EntryState.PUBLISHED:
            entry_workflow.withdraw(locked.entry, actor, reason or "办事指南撤回")
        locked.state = GuideState.WITHDRAWN
        locked.entry = None
        locked.save(update_fields=["state", "entry", "updated_at"])
        _record(locked, GuideAction.WITHDRAW, GuideState.PUBLISHED, actor, reason.strip())
    return _sync(guide, locked)


def revise(guide: ServiceGuide, actor) -> ServiceGuide:
    """A withdrawn guide goes back to draft to be corrected and reviewed again."""
    if not can_edit(actor, guide.unit):
        raise PermissionDenied("您不能修改其他单位的办事指南。")
    with transaction.atomic():
        locked = _lock(guide)
        _check_state(locked, {GuideState.WITHDRAWN}, "重新编辑")
        locked.state = GuideState.DRAFT
        locked.save(update_fields=["state", "updated_at"])
        _record(locked, GuideAction.REVISE, GuideState.WITHDRAWN, actor)
    return _sync(guide, locked)


def render_body(guide: ServiceGuide) -> str:
    """The guide as HTML: the catalog entry's body, so search finds its full text."""
    return render_to_string(
        "guides/includes/guide_body.html",
        {
            "guide": guide,
            "materials": list(guide.materials.all()),
            "steps": list(guide.steps.all()),
            "for_catalog": True,
        },
    )


def _file_in_catalog(guide: ServiceGuide, actor, when: dt.datetime) -> Entry:
    category = Category.objects.filter(slug=GUIDE_CATEGORY).first()
    if category is None:
        raise GuideError("信息公开目录中没有“办事指南”分类，请先在“信息分类”中建立。")
    entry = Entry.objects.create(
        unit=guide.unit,
        category=category,
        title=f"{guide.name}办事指南",
        summary=f"{guide.get_item_type_display()}事项“{guide.name}”的设定依据、申请条件、"
        "申请材料、办理流程、办理时限和收费标准。",
        body=render_body(guide),
        document_number=guide.code,
        made_on=timezone.localdate(when),
        keywords=f"办事指南 {guide.get_item_type_display()} {guide.name}",
        document_type=DocumentType.OTHER,
        created_by=permissions.recorded(actor),
    )
    try:
        return entry_workflow.publish_directly(entry, actor, when, note="办事指南发布")
    except ValidationError as error:
        raise GuideError("；".join(error.messages)) from error
