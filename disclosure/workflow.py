"""Review before publication (条例第十七条): one function per state change.

草稿 → 待审核 (submit) → 已发布 (approve, optionally scheduled) or back to 草稿 (return with a
reason); 已发布 → 已撤回 (withdraw). Each function checks the source state and the actor's role,
locks the row, saves with update_fields and appends an EntryEvent. Admin actions, the import and
the demo loader call only these.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure import index_numbers, policy, review
from disclosure.models import Entry, EntryAction, EntryEvent, EntryState
from portal import permissions


class WorkflowError(Exception):
    """A transition that is not allowed now; the message is shown to staff as it is."""


def can_edit(user, unit) -> bool:
    """A role with 修改 in the entry's unit; `None` never (the demo and commands pass SYSTEM)."""
    return permissions.can(user, "disclosure.change_entry", unit)


def can_review(user, unit) -> bool:
    """Only a 审核员 of the unit, or a 单位管理员 of it or of a unit above it, may publish."""
    return permissions.can(user, "disclosure.review_entry", unit)


def _lock(entry) -> Entry:
    # Lock only the entry row (of=self): the unit row stays free for unrelated edits, and the
    # 索引号 counter takes its own lock.
    return Entry.objects.select_for_update(of=("self",)).select_related("unit").get(pk=entry.pk)


def _check_state(locked: Entry, allowed: set, verb: str) -> None:
    review.check_state(locked, allowed, verb, title=locked.title, noun="信息", error=WorkflowError)


_record = review.record


def _sync(entry, locked) -> Entry:
    # The caller's instance reflects the saved state.
    for field in ("state", "index_number", "index_year", "index_serial", "published_at"):
        setattr(entry, field, getattr(locked, field))
    return entry


def submit(entry: Entry, actor) -> Entry:
    if not can_edit(actor, entry.unit):
        raise PermissionDenied("您不能提交其他单位的信息。")
    with transaction.atomic():
        locked = _lock(entry)
        _check_state(locked, {EntryState.DRAFT}, "提交审核")
        locked.state = EntryState.PENDING
        locked.save(update_fields=["state", "updated_at"])
        _record(locked, EntryAction.SUBMIT, EntryState.DRAFT, actor)
    return _sync(entry, locked)


def approve(entry: Entry, actor, publish_at: dt.datetime | None = None, note: str = "") -> Entry:
    """Publish now, or at `publish_at` (定时发布); the 索引号 is given here."""
    if not can_review(actor, entry.unit):
        raise PermissionDenied("只有本单位的审核员或单位管理员才能审核发布。")
    now = timezone.now()
    if publish_at is not None and publish_at < now - dt.timedelta(minutes=1):
        raise WorkflowError("定时发布时间不能早于当前时间。")
    try:
        with transaction.atomic():
            locked = _lock(entry)
            _check_state(locked, {EntryState.PENDING}, "审核发布")
            return _sync(entry, _publish(locked, actor, publish_at or now, note))
    except ValidationError as error:
        raise WorkflowError("；".join(error.messages)) from error
    except IntegrityError as error:
        raise WorkflowError("索引号与已有信息重复，请检查网站的索引号格式设置。") from error


def _publish(locked: Entry, actor, when: dt.datetime, note="", action=None) -> Entry:
    from_state = locked.state
    locked.published_at = when
    index_numbers.assign(locked, timezone.localtime(when).date())
    locked.state = EntryState.PUBLISHED
    locked.save(
        update_fields=[
            "state",
            "published_at",
            "index_number",
            "index_year",
            "index_serial",
            "updated_at",
        ]
    )
    if action is None:
        action = EntryAction.SCHEDULE if when > timezone.now() else EntryAction.APPROVE
    if action == EntryAction.SCHEDULE and not note:
        note = f"定时发布：{timezone.localtime(when):%Y-%m-%d %H:%M}"
    _record(locked, action, from_state, actor, note)
    # 47号: the documents this one amends or repeals are marked at its publication.
    policy.apply_changes_of(locked, when, actor)
    return locked


def publish_directly(entry: Entry, actor, when: dt.datetime, note: str) -> Entry:
    """For migration and demo data already reviewed elsewhere; callers check the role first."""
    with transaction.atomic():
        locked = _lock(entry)
        _check_state(locked, {EntryState.DRAFT, EntryState.PENDING}, "发布")
        return _sync(entry, _publish(locked, actor, when, note, action=EntryAction.IMPORT))


def return_entry(entry: Entry, actor, reason: str) -> Entry:
    if not can_review(actor, entry.unit):
        raise PermissionDenied("只有本单位的审核员或单位管理员才能退回。")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("退回时必须说明理由。")
    with transaction.atomic():
        locked = _lock(entry)
        _check_state(locked, {EntryState.PENDING}, "退回")
        locked.state = EntryState.DRAFT
        locked.save(update_fields=["state", "updated_at"])
        _record(locked, EntryAction.RETURN, EntryState.PENDING, actor, reason)
    return _sync(entry, locked)


def withdraw(entry: Entry, actor, reason: str = "") -> Entry:
    """Take a published entry off the public site; its 索引号 stays taken."""
    if not can_review(actor, entry.unit):
        raise PermissionDenied("只有本单位的审核员或单位管理员才能撤回。")
    with transaction.atomic():
        locked = _lock(entry)
        _check_state(locked, {EntryState.PUBLISHED}, "撤回")
        locked.state = EntryState.WITHDRAWN
        locked.save(update_fields=["state", "updated_at"])
        _record(locked, EntryAction.WITHDRAW, EntryState.PUBLISHED, actor, reason.strip())
        # The documents it amended or repealed are in force again as before.
        policy.revert_changes_of(locked, actor)
    return _sync(entry, locked)


def record_creation(entry: Entry, actor) -> EntryEvent:
    return _record(entry, EntryAction.CREATE, "", actor)
