"""The built-in checks of the self-check: what the inspectors look at on a disclosure site.

Each returns `Finding`s linked to the staff page where the problem is fixed. Points and vetoes
(国办秘函〔2019〕19号, approximated where the indicators give a range) are registered below.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from compliance import pages
from compliance.registry import Finding, Metric, register_check, register_kind
from disclosure import policy
from disclosure.guides import elements
from disclosure.guides.models import GuideState, ServiceGuide
from disclosure.models import (
    Attachment,
    Category,
    ColumnKind,
    DocumentType,
    Entry,
    EntryState,
    UpdatePeriod,
    Validity,
)
from portal.models import SiteProfile
from portal.workdays import add_workdays

STALE_AFTER = {
    UpdatePeriod.TWO_WEEKS: dt.timedelta(days=14),
    UpdatePeriod.HALF_YEAR: dt.timedelta(days=183),
    UpdatePeriod.YEAR: dt.timedelta(days=365),
}
LATE_WINDOW = dt.timedelta(days=365)
MAX_LINKS = 300  # distinct internal links requested per run
MAX_LISTED = 50  # findings listed per kind and unit; the weight still counts them all

register_kind(
    "stale_column", "栏目长期未更新", 2, 20, veto_at=5, veto_label="5个以上栏目长期未更新"
)
register_kind("empty_column", "空白栏目", 2, 20, veto_at=5, veto_label="5个以上空白栏目")
register_kind("late_entries", "信息发布不及时（超过20个工作日）", 1, 10)
register_kind("overdue_entries", "信息超期未发布", 1, 10)
register_kind("guide_incomplete", "办事指南要素不全（服务不实用）", 2, 10)
register_kind("policy_no_validity", "规范性文件未标注有效性", 1, 5)
register_kind("policy_no_interpretation", "规范性文件未同步解读", 2, 10)
register_kind("broken_link", "站内链接不可用", 1, 10)
register_kind("broken_attachment", "附件无法打开", 1, 10)
register_kind("site_mark", "网站标识缺失（网站标识码、ICP备案、公安备案）", 5, 15)
register_kind("meta_tags", "网页元数据缺失（47号文附件）", 1, 5)


def _admin(name, *args, query=None) -> str:
    url = reverse(f"admin:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _unit_names(scope):
    return {unit.pk: unit.short_name for unit in scope.units}


@register_check
def columns(scope):
    """Empty and stale columns. Every unit must fill the first-level columns of 国办公开办函
    〔2019〕61号 (指南, 制度, 年报); the Art. 20 sub-columns hold what applies to the unit, so only
    the ones it publishes in are checked for staleness, against each column's update period."""
    leaves = [c for c in Category.objects.active() if c.is_leaf_node()]
    last = {
        (row["unit"], row["category"]): row["last"]
        for row in Entry.objects.public()
        .filter(unit__in=scope.unit_ids, category__in=leaves)
        .values("unit", "category")
        .annotate(last=Max("published_at"))
        .order_by()
    }
    names = _unit_names(scope)
    for unit in scope.units:
        for category in leaves:
            add = _admin("disclosure_entry_add", query={"unit": unit.pk, "category": category.pk})
            published = last.get((unit.pk, category.pk))
            if published is None:
                if category.column != ColumnKind.PROACTIVE:
                    yield Finding(
                        "empty_column",
                        f"{names[unit.pk]}：“{category.name}”栏目为空",
                        add,
                        unit_id=unit.pk,
                    )
                continue
            if category.update_period == UpdatePeriod.NONE:
                continue
            since = timezone.localtime(published).date()
            if scope.today - since > STALE_AFTER[category.update_period]:
                yield Finding(
                    "stale_column",
                    f"{names[unit.pk]}：“{category.name}”栏目自{since:%Y-%m-%d}起未更新",
                    add,
                    detail=f"更新周期：{category.get_update_period_display()}",
                    unit_id=unit.pk,
                )


@register_check
def timeliness(scope):
    """Art. 26: published more than 20 working days after 生成日期, and due but unpublished."""
    since = timezone.make_aware(dt.datetime.combine(scope.today - LATE_WINDOW, dt.time.min))
    rows = (
        Entry.objects.filter(
            unit__in=scope.unit_ids,
            state__in=[EntryState.PUBLISHED, EntryState.WITHDRAWN],
            published_at__gte=since,
            published_at__lte=timezone.now(),
        )
        .values("unit")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(published_at__date__gt=F("due_on"))))
        .order_by()
    )
    totals = {row["unit"]: row["total"] for row in rows}
    late = {row["unit"]: row["late"] for row in rows if row["late"]}
    names = _unit_names(scope)
    all_total = sum(totals.values())
    all_late = sum(late.values())
    rate = f"{100 * all_late / all_total:.1f}%" if all_total else "—"
    scope.metrics.append(Metric("近12个月发布信息", f"{all_total}条"))
    scope.metrics.append(Metric("其中逾期发布（超过20个工作日）", f"{all_late}条（{rate}）"))
    for unit_id, count in late.items():
        share = 100 * count / totals[unit_id]
        yield Finding(
            "late_entries",
            f"{names[unit_id]}：近12个月{count}条信息在生成后超过20个工作日才发布（占{share:.1f}%）",
            _admin(
                "disclosure_entry_changelist",
                query={"timeliness": "late", "unit__id__exact": unit_id},
            ),
            unit_id=unit_id,
            weight=count,
        )
    overdue = (
        Entry.objects.unpublished()
        .filter(unit__in=scope.unit_ids, due_on__lt=scope.today)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in overdue:
        yield Finding(
            "overdue_entries",
            f"{names[row['unit']]}：{row['n']}条信息已超过应公开日期仍未发布",
            _admin(
                "disclosure_entry_changelist",
                query={"timeliness": "overdue", "unit__id__exact": row["unit"]},
            ),
            unit_id=row["unit"],
            weight=row["n"],
        )


@register_check
def guides(scope):
    """Published guides missing one of the ten elements; the units' average completeness."""
    published = list(
        ServiceGuide.objects.filter(unit__in=scope.unit_ids, state=GuideState.PUBLISHED)
        .select_related("unit")
        .prefetch_related("materials", "steps")
    )
    scores = []
    for guide in published:
        materials, steps = list(guide.materials.all()), list(guide.steps.all())
        scores.append(elements.completeness(guide, materials, steps))
        missing = elements.missing_required(guide, materials, steps)
        if missing:
            yield Finding(
                "guide_incomplete",
                f"{guide.unit.short_name}：办事指南“{guide.name}”缺少{'、'.join(e.label for e in missing)}",
                _admin("guides_serviceguide_change", guide.pk),
                detail="已发布的指南须先撤回，补齐后重新审核发布。",
                unit_id=guide.unit_id,
            )
    average = f"{sum(scores) / len(scores):.0f}%" if scores else "—"
    scope.metrics.append(Metric("已发布办事指南", f"{len(published)}项，平均完整度{average}"))


@register_check
def policy_documents(scope):
    """规范性文件 in force without 施行日期 (有效性 incomplete) or without 解读 after 3 working days."""
    interpreted = Entry.objects.public().filter(
        interprets=OuterRef("pk"), document_type=DocumentType.INTERPRETATION
    )
    documents = (
        Entry.objects.public()
        .filter(unit__in=scope.unit_ids, document_type__in=policy.POLICY_TYPES)
        .with_validity_now(scope.today)
        .filter(validity_now=Validity.VALID)
        .annotate(has_interpretation=Exists(interpreted))
        .select_related("unit")
        .only(
            "pk",
            "title",
            "unit__short_name",
            "unit_id",
            "published_at",
            "valid_from",
            "document_type",
        )
    )
    zcjd = Category.objects.filter(slug="zcjd").values_list("pk", flat=True).first()
    for doc in documents:
        change = _admin("disclosure_entry_change", doc.pk)
        if doc.valid_from is None:
            yield Finding(
                "policy_no_validity",
                f"{doc.unit.short_name}：《{doc.title}》未标注施行日期，有效性不完整",
                change,
                unit_id=doc.unit_id,
            )
        if doc.document_type != DocumentType.NORMATIVE or doc.has_interpretation:
            continue
        published_on = timezone.localtime(doc.published_at).date()
        if add_workdays(published_on, policy.INTERPRETATION_WITHIN_WORKDAYS) < scope.today:
            query = {
                "unit": doc.unit_id,
                "document_type": DocumentType.INTERPRETATION,
                "interprets": doc.pk,
            }
            if zcjd:
                query["category"] = zcjd
            yield Finding(
                "policy_no_interpretation",
                f"{doc.unit.short_name}：《{doc.title}》发布超过3个工作日仍无政策解读",
                _admin("disclosure_entry_add", query=query),
                detail=f"发布日期：{published_on:%Y-%m-%d}",
                unit_id=doc.unit_id,
            )


@register_check
def links_and_attachments(scope):
    """Internal links in public entries that lead nowhere; attachments whose file is gone."""
    fetch = scope.fetch
    checked = 0
    candidates = (
        Entry.objects.public()
        .filter(unit__in=scope.unit_ids, body__contains="href=")
        .select_related("unit")
        .only("pk", "title", "body", "unit__short_name", "unit_id")
    )
    for entry in candidates.iterator(chunk_size=200) if fetch else []:
        for path in dict.fromkeys(pages.internal_links(entry.body)):
            if checked >= MAX_LINKS:
                break
            if path not in fetch.seen:
                checked += 1
            status, _ = fetch(path)
            if status >= 400:
                yield Finding(
                    "broken_link",
                    f"{entry.unit.short_name}：《{entry.title}》中的链接 {path} 无法打开（{status}）",
                    _admin("disclosure_entry_change", entry.pk),
                    detail="已发布的信息须撤回后修改，或恢复链接指向的页面。",
                    unit_id=entry.unit_id,
                )
    attachments = Attachment.objects.filter(
        entry__in=Entry.objects.public().filter(unit__in=scope.unit_ids)
    ).select_related("entry__unit")
    for attachment in attachments.iterator(chunk_size=200):
        if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
            yield Finding(
                "broken_attachment",
                f"{attachment.entry.unit.short_name}：《{attachment.entry.title}》的附件“{attachment}”无法打开",
                _admin("disclosure_entry_change", attachment.entry_id),
                unit_id=attachment.entry.unit_id,
            )


def _sample_pages(scope) -> list[tuple[str, bool, str]]:
    """(path, is an article page, where to fix) for every kind of public page of the scope."""
    samples = []
    if scope.site_wide:
        samples += [("/", False, ""), (reverse("disclosure:policy_library"), False, "")]
    for unit in scope.units:
        samples += [
            (unit.get_absolute_url(), False, ""),
            (reverse("disclosure:catalog", args=[unit.slug]), False, ""),
            (reverse("guides:unit_guides", args=[unit.slug]), False, ""),
        ]
        entry = (
            Entry.objects.public()
            .filter(unit=unit, annual_report__isnull=True, service_guide__isnull=True)
            .only("pk", "unit_id")
            .order_by("-published_at")
            .first()
        )
        if entry is not None:
            entry.unit = unit
            samples.append(
                (entry.get_absolute_url(), True, _admin("disclosure_entry_change", entry.pk))
            )
        guide = ServiceGuide.objects.published().filter(unit=unit).only("pk").first()
        if guide is not None:
            guide.unit = unit
            samples.append(
                (guide.get_absolute_url(), True, _admin("guides_serviceguide_change", guide.pk))
            )
    return samples


@register_check
def page_metadata(scope):
    """47号 meta tags on each kind of public page; on the site-wide run, the footer's marks."""
    fetch = scope.fetch
    if fetch is None:
        return
    profile_url = _admin("portal_siteprofile_change", SiteProfile.load().pk)
    names = _unit_names(scope)
    for path, article, fix in _sample_pages(scope):
        status, html = fetch(path)
        if status != 200:
            if status >= 400:
                yield Finding("broken_link", f"页面 {path} 无法打开（{status}）", path)
            continue
        missing = pages.missing_meta(html, article)
        if missing:
            site_level = {"SiteName", "SiteDomain", "SiteIDCode"} & set(missing)
            unit_id = next((u.pk for u in scope.units if f"/{u.slug}/" in path), None)
            yield Finding(
                "meta_tags",
                f"{names.get(unit_id, '全站')}：页面 {path} 缺少元数据 {'、'.join(missing)}",
                profile_url if site_level else (fix or path),
                unit_id=unit_id,
            )
    if not scope.site_wide:
        return
    status, html = fetch("/")
    footer = pages.footer_text(html) if status == 200 else ""
    profile = SiteProfile.load()
    for label, value in (
        ("网站标识码", profile.site_code),
        ("ICP备案号", profile.icp_number),
        ("公安机关备案号", profile.police_number),
    ):
        if not value or value not in footer:
            yield Finding("site_mark", f"页脚未显示{label}", profile_url)
