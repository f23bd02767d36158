"""Demo catalog: a guide and rules per unit, normative documents, budgets with a PDF attachment,
and licensing results. (The annual reports come from disclosure.reports.demo.) Safe to run again."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from disclosure import workflow
from disclosure.models import Attachment, Category, DocumentType, Entry, Validity
from portal.models import PublishingUnit
from portal.uploads import FileKind

DEMO_SLUGS = ["anqing", "sjj", "zwzx", "fgw", "jyj", "czj", "stj"]


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A small real PDF with Chinese text (reportlab's built-in CID font, no font file needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    width, height = A4
    pdf.setFont("STSong-Light", 16)
    pdf.drawCentredString(width / 2, height - 72, title)
    pdf.setFont("STSong-Light", 11)
    y = height - 110
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 20
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def _plan(unit, year: int) -> list[dict]:
    office = unit.office_address or "本单位办公地址"
    phone = unit.office_phone or "0556-5500000"
    short = unit.short_name
    return [
        {
            "category": "zhinan",
            "title": f"{unit.name}政府信息公开指南",
            "summary": f"{unit.name}主动公开的范围、方式和依申请公开的办理程序。",
            "body": "<h2>一、主动公开</h2>"
            + _paragraphs(
                f"{short}主动公开本机关的机构职能、法规文件、规划计划、财政预决算等政府信息，"
                "通过本平台、政府公报、政务服务场所等途径公开。"
            )
            + "<h2>二、依申请公开</h2>"
            + _paragraphs(
                "公民、法人或者其他组织可以通过本平台在线提交，或者以信函、传真、当面递交等方式提出申请。",
                "行政机关收到申请后能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。",
            )
            + "<h2>三、工作机构</h2>"
            + f"<ul><li>地址：{office}</li><li>电话：{phone}</li>"
            "<li>办公时间：工作日 上午8:30-12:00，下午2:30-5:30</li></ul>",
            "made_on": dt.date(year, 1, 6),
            "keywords": "政府信息公开 指南",
        },
        {
            "category": "zhidu",
            "title": f"{unit.name}政府信息公开工作制度",
            "summary": "主动公开、依申请公开、保密审查和考核等工作规定。",
            "body": _paragraphs(
                "第一条 为规范本机关政府信息公开工作，根据《中华人民共和国政府信息公开条例》，制定本制度。",
                "第二条 本机关政府信息公开工作由办公室负责日常工作。",
                "第三条 拟公开的政府信息应当依法进行保密审查，经审核后发布。",
            ),
            "made_on": dt.date(year, 2, 10),
            "document_number": f"{short[:2]}办〔{year}〕3号",
            "keywords": "制度 保密审查",
        },
        {
            "category": "fgwj",
            "title": "关于进一步做好政务公开工作的实施意见",
            "summary": "明确政务公开重点任务和责任分工。",
            "body": _paragraphs(
                "各科室、直属单位：为深入推进决策、执行、管理、服务、结果公开，现提出如下实施意见。"
            )
            + "<ol><li>加强政策解读。</li><li>做好依申请公开。</li><li>规范政府网站信息发布。</li></ol>",
            "made_on": dt.date(year, 3, 15),
            "document_number": f"{short[:2]}〔{year}〕12号",
            "document_type": DocumentType.NORMATIVE,
            "valid_from": dt.date(year, 4, 1),
        },
        {
            "category": "fgwj",
            "title": f"{short}行政事业性收费管理暂行办法",
            "summary": "已被新办法替代。",
            "body": _paragraphs("本办法已于文中所列日期废止。"),
            "made_on": dt.date(year - 3, 5, 8),
            "document_number": f"{short[:2]}〔{year - 3}〕5号",
            "document_type": DocumentType.NORMATIVE,
            "validity": Validity.REPEALED,
            "valid_from": dt.date(year - 3, 6, 1),
            "invalid_from": dt.date(year, 1, 1),
        },
        {
            "category": "czyjs",
            "title": f"{unit.name}{year}年部门预算公开",
            "summary": f"{year}年部门收支预算总表、财政拨款支出预算表及“三公”经费预算情况说明。",
            "body": _paragraphs(
                f"根据预算法和财政部门要求，现将{unit.name}{year}年部门预算公开如下，详见附件。"
            )
            + "<table><thead><tr><th>项目</th><th>预算数（万元）</th></tr></thead><tbody>"
            "<tr><td>一般公共预算拨款</td><td>1,286.50</td></tr>"
            "<tr><td>“三公”经费</td><td>12.30</td></tr></tbody></table>",
            "made_on": dt.date(year, 2, 20),
            "keywords": "预算 三公经费",
            "attachment": f"{unit.short_name}{year}年部门预算.pdf",
        },
        {
            "category": "xzxk",
            "title": f"{short}行政许可结果公示（{year}年第1期）",
            "summary": "本期办结的行政许可事项及结果。",
            "body": "<table><thead><tr><th>申请人</th><th>许可事项</th><th>结果</th></tr></thead><tbody>"
            "<tr><td>安庆市某某科技有限公司</td><td>设立审批</td><td>准予许可</td></tr>"
            "<tr><td>安庆市某某商贸有限公司</td><td>变更登记</td><td>准予许可</td></tr>"
            "</tbody></table>",
            "made_on": dt.date(year, 3, 2),
        },
    ]


def load(stdout) -> None:
    categories = {c.slug: c for c in Category.objects.all()}
    units = {u.slug: u for u in PublishingUnit.objects.filter(slug__in=DEMO_SLUGS)}
    if not units or not categories:
        stdout.write("未找到演示单位或信息分类，跳过主动公开演示数据。")
        return
    year = timezone.localdate().year
    created = 0
    with transaction.atomic():
        for slug in DEMO_SLUGS:
            unit = units.get(slug)
            if unit is None or not (unit.credit_code or unit.unit_code):
                continue
            plan = _plan(unit, year)
            for offset, item in enumerate(plan):
                if Entry.objects.filter(unit=unit, title=item["title"]).exists():
                    continue
                entry = Entry.objects.create(
                    unit=unit,
                    category=categories[item["category"]],
                    title=item["title"],
                    summary=item.get("summary", ""),
                    body=item["body"],
                    document_number=item.get("document_number", ""),
                    made_on=item["made_on"],
                    keywords=item.get("keywords", ""),
                    document_type=item.get("document_type", DocumentType.OTHER),
                    validity=item.get("validity", Validity.VALID),
                    valid_from=item.get("valid_from"),
                    invalid_from=item.get("invalid_from"),
                )
                workflow.record_creation(entry, None)
                if name := item.get("attachment"):
                    pdf = make_pdf(item["title"], [item["summary"], "单位：万元", "详见正文。"])
                    attachment = Attachment(
                        entry=entry, name=name, kind=FileKind.PDF, size=len(pdf)
                    )
                    attachment.file.save(name, ContentFile(pdf), save=False)
                    attachment.save()
                published = item.get("published") or timezone.make_aware(
                    dt.datetime.combine(item["made_on"] + dt.timedelta(days=3 + offset), dt.time(9))
                )
                workflow.publish_directly(entry, None, min(published, timezone.now()), "演示数据")
                created += 1
    stdout.write(f"主动公开演示信息：新增{created}条。")
