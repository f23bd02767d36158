"""The 政府网站工作年度报表 for a year, assembled from the data: the site's identity, information
published per column, policy documents and their 解读, service guides, requests, the interaction
figures contributed by other apps (`registry.register_annual_section`) and the self-check score."""

import datetime as dt
import io

from django.db.models import Count, Q
from django.utils import timezone

from compliance import registry
from compliance.models import Snapshot
from compliance.registry import AnnualSection
from disclosure.guides import elements
from disclosure.guides.models import GuideState, ItemType, ServiceGuide
from disclosure.models import Category, DocumentType, Entry, EntryState, Validity
from portal.models import PublishingUnit, SiteProfile


def _year_bounds(year: int):
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return start, end


def _published_in(year: int):
    start, end = _year_bounds(year)
    return Entry.objects.filter(
        state__in=[EntryState.PUBLISHED, EntryState.WITHDRAWN],
        published_at__gte=start,
        published_at__lt=end,
    )


def identity(year, units) -> AnnualSection:
    profile = SiteProfile.load()
    return AnnualSection(
        "一、网站基本信息",
        [
            ("网站名称", profile.site_name),
            ("首页网址", profile.portal_url or "—"),
            ("主办单位", profile.sponsor or "—"),
            ("运行维护单位", profile.operator or "—"),
            ("政府网站标识码", profile.site_code or "—"),
            ("ICP备案号", profile.icp_number or "—"),
            ("公安机关备案号", profile.police_number or "—"),
            ("信息发布单位数", len(units)),
        ],
    )


def publication(year, units) -> AnnualSection:
    published = _published_in(year).filter(unit__in=units)
    per_category = dict(
        published.values("category").annotate(n=Count("pk")).order_by().values_list("category", "n")
    )
    rows = [("信息发布总数（条）", sum(per_category.values()))]
    for category in Category.objects.all():
        ids = [c.pk for c in category.get_descendants(include_self=True)]
        count = sum(per_category.get(pk, 0) for pk in ids)
        indent = "　" * category.level
        rows.append((f"{indent}{category.name}", count))
    return AnnualSection("二、信息发布", rows)


def policy_documents(year, units) -> AnnualSection:
    published = _published_in(year).filter(unit__in=units)
    counts = published.aggregate(
        rules=Count("pk", filter=Q(document_type=DocumentType.RULE)),
        normative=Count("pk", filter=Q(document_type=DocumentType.NORMATIVE)),
        interpretations=Count("pk", filter=Q(document_type=DocumentType.INTERPRETATION)),
    )
    documents = Entry.objects.public().policy_documents().filter(unit__in=units)
    changed = documents.filter(invalid_from__year=year).with_validity_now(dt.date(year, 12, 31))
    in_force = documents.filter(made_on__year__lte=year).with_validity_now(dt.date(year, 12, 31))
    normative = published.filter(document_type=DocumentType.NORMATIVE)
    with_interpretation = normative.filter(interpretations__state=EntryState.PUBLISHED).distinct()
    rate = (
        f"{100 * with_interpretation.count() / counts['normative']:.0f}%"
        if counts["normative"]
        else "—"
    )
    return AnnualSection(
        "三、政策文件与解读",
        [
            ("本年发布规章（件）", counts["rules"]),
            ("本年发布行政规范性文件（件）", counts["normative"]),
            ("本年废止（件）", changed.filter(validity_now=Validity.REPEALED).count()),
            ("本年修改（件）", changed.filter(validity_now=Validity.AMENDED).count()),
            ("本年失效（件）", changed.filter(validity_now=Validity.EXPIRED).count()),
            ("年末现行有效（件）", in_force.filter(validity_now=Validity.VALID).count()),
            ("本年发布政策解读（条）", counts["interpretations"]),
            ("行政规范性文件配套解读比例", rate),
        ],
    )


def guides(year, units) -> AnnualSection:
    published = list(
        ServiceGuide.objects.filter(unit__in=units, state=GuideState.PUBLISHED).prefetch_related(
            "materials", "steps"
        )
    )
    by_type = dict.fromkeys(ItemType.values, 0)
    for guide in published:
        by_type[guide.item_type] += 1
    scores = [elements.completeness(g) for g in published]
    start, end = _year_bounds(year)
    rows = [
        ("已发布办事指南（项）", len(published)),
        *[(f"　{ItemType(key).label}", n) for key, n in by_type.items() if n],
        (
            "本年新发布或更新（项）",
            sum(1 for g in published if g.published_at and start <= g.published_at < end),
        ),
        ("可网上办理（项）", sum(1 for g in published if g.online_service and g.online_url)),
        ("平均要素完整度", f"{sum(scores) / len(scores):.0f}%" if scores else "—"),
    ]
    return AnnualSection("四、办事服务", rows)


def requests(year, units) -> AnnualSection:
    from applications.models import Request

    received = Request.objects.filter(unit__in=units, received_on__year=year)
    replied = Request.objects.filter(unit__in=units, replied_on__year=year)
    return AnnualSection(
        "五、依申请公开",
        [
            ("本年收到申请（件）", received.count()),
            ("本年办结（件）", replied.count()),
            ("其中逾期答复（件）", replied.replied_late().count()),
        ],
    )


def selfcheck(year, units) -> AnnualSection:
    snapshot = Snapshot.objects.filter(unit=None, taken_on__year=year).order_by("-taken_on").first()
    if snapshot is None:
        return AnnualSection("七、网站自查", [("年内最近一次全站自查", "无记录")])
    return AnnualSection(
        "七、网站自查",
        [
            ("年内最近一次全站自查", f"{snapshot.taken_on:%Y-%m-%d}"),
            ("得分", snapshot.score),
            ("单项否决", "；".join(snapshot.vetoes) or "无"),
        ],
    )


BUILT_IN = [identity, publication, policy_documents, guides, requests]


def report(year: int) -> list[AnnualSection]:
    units = list(PublishingUnit.objects.all())
    sections = [section(year, units) for section in BUILT_IN]
    contributed = [s for s in (fn(year, units) for fn in registry.annual_sections()) if s]
    if contributed:
        sections += contributed
    else:
        sections.append(
            AnnualSection("六、互动交流", [("留言办理、征集调查、在线访谈", "互动交流功能未启用")])
        )
    sections.append(selfcheck(year, units))
    return sections


def to_xlsx(year: int, sections: list[AnnualSection]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年度报表"
    sheet.append([f"政府网站工作年度报表（{year}年度）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:B1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"{SiteProfile.load().site_name}　填报日期：{timezone.localdate():%Y-%m-%d}"])
    for section in sections:
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for label, value in section.rows:
            sheet.append([label, value])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
