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


def _common(unit, year: int) -> list[dict]:
    """What every unit publishes: its guide, its rules and its budget."""
    office = unit.office_address or "本单位办公地址"
    phone = unit.office_phone or "0556-5500000"
    short = unit.short_name
    budget_rows = [
        ("一般公共预算拨款", "1,286.50"),
        ("政府性基金预算拨款", "120.00"),
        ("“三公”经费", "12.30"),
    ]
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
            "keywords": "政府信息公开 指南",
            "days_ago": 84,
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
            "document_number": f"{short[1:3]}办〔{year}〕3号",
            "keywords": "制度 保密审查",
            "days_ago": 80,
        },
        {
            "category": "czyjs",
            "title": f"{unit.name}{year}年部门预算公开",
            "summary": f"{year}年部门收支预算总表、财政拨款支出预算表及“三公”经费预算情况说明。",
            "body": _paragraphs(
                f"根据预算法和财政部门要求，现将{unit.name}{year}年部门预算公开如下，详见附件。"
            )
            + "<table><thead><tr><th>项目</th><th>预算数（万元）</th></tr></thead><tbody>"
            + "".join(f"<tr><td>{name}</td><td>{value}</td></tr>" for name, value in budget_rows)
            + "</tbody></table>",
            "keywords": "预算 三公经费",
            "days_ago": 77,
            "attachment": (
                f"{short}{year}年部门预算.pdf",
                [f"{name}：{value}" for name, value in budget_rows] + ["单位：万元"],
            ),
        },
    ]


# Entries only one unit publishes: (category, title, summary, paragraphs, extra fields). Real
# catalogs are varied; the home page's latest list should read like one.
SPECIFIC: dict[str, list[dict]] = {
    "anqing": [
        {
            "category": "fgwj",
            "title": "安庆市人民政府办公室关于印发安庆市2026年政务公开工作要点的通知",
            "summary": "部署全年政务公开重点任务：政策文件库建设、政策解读、依申请公开规范办理和政府网站管理。",
            "paragraphs": [
                "各县（市、区）人民政府，市政府各部门、各直属机构：",
                "《安庆市2026年政务公开工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。",
                "一、加强政策发布解读。行政规范性文件与解读材料同步起草、同步审签、同步发布。",
                "二、规范依申请公开办理。严格执行法定期限，统一答复文书格式，做好答复的法制审核。",
                "三、建好政策文件库。集中公开现行有效的规章和行政规范性文件，及时标注有效性。",
            ],
            "document_number": "宜政办秘〔{year}〕18号",
            "document_type": DocumentType.NORMATIVE,
            "keywords": "政务公开 工作要点",
            "days_ago": 74,
        },
        {
            "category": "tjxx",
            "title": "{prev}年安庆市国民经济和社会发展统计公报",
            "summary": "全年地区生产总值、固定资产投资、居民收入等主要统计数据。",
            "paragraphs": [
                "{prev}年，全市经济运行总体平稳、稳中有进。",
                "初步核算，全年地区生产总值比上年增长5.6%；全体居民人均可支配收入比上年增长5.9%。",
                "本公报部分数据为初步统计数，最终以年鉴数据为准。",
            ],
            "keywords": "统计公报 国民经济",
            "days_ago": 40,
        },
        {
            "category": "yjgl",
            "title": "安庆市突发事件总体应急预案（{year}年修订）",
            "summary": "规定突发事件的分级、组织指挥体系、预警、应急处置和保障措施。",
            "paragraphs": [
                "为提高政府保障公共安全和处置突发事件的能力，最大程度地预防和减少突发事件及其造成的损害，制定本预案。",
                "本预案适用于本市行政区域内突发事件的应对工作。",
            ],
            "document_number": "宜政〔{year}〕9号",
            "keywords": "应急预案",
            "days_ago": 22,
        },
    ],
    "sjj": [
        {
            "category": "ghjh",
            "title": "安庆市数字政府建设{year}年工作要点",
            "summary": "一网通办、一网统管、一网协同三方面的年度任务和责任分工。",
            "paragraphs": [
                "围绕企业和群众办事“高效办成一件事”，推进政务服务事项全程网办。",
                "完善公共数据资源目录，推动政务数据按需共享、有序开放。",
            ],
            "keywords": "数字政府 工作要点",
            "days_ago": 66,
        },
        {
            "category": "tjxx",
            "title": "安庆市公共数据资源目录（{year}年版）",
            "summary": "全市各部门可共享、可开放的公共数据资源清单，共1,286项。",
            "paragraphs": [
                "本目录共收录市直43个部门的公共数据资源1,286项，其中无条件共享712项、有条件共享498项、不予共享76项。",
                "目录每半年更新一次，更新情况在本栏目公布。",
            ],
            "keywords": "公共数据 资源目录",
            "days_ago": 31,
            "attachment": (
                "公共数据资源目录（{year}年版）.pdf",
                [
                    "目录分类：基础信息、主题信息、部门信息",
                    "资源总数：1,286项",
                    "无条件共享：712项",
                    "有条件共享：498项",
                    "不予共享：76项",
                ],
            ),
        },
        {
            "category": "zfjzcg",
            "title": "安庆市政务云服务采购项目中标结果公告",
            "summary": "政务云服务采购项目的中标供应商、中标金额和服务期限。",
            "paragraphs": [
                "采购方式：公开招标。",
                "中标供应商：安徽某某信息技术有限公司；中标金额：人民币396.80万元；服务期限：三年。",
            ],
            "keywords": "政府采购 中标公告",
            "days_ago": 12,
        },
    ],
    "zwzx": [
        {
            "category": "tjxx",
            "title": "市政务服务中心{month}月份窗口办件情况统计",
            "summary": "各进驻部门窗口受理、办结和按时办结情况。",
            "paragraphs": [
                "本月中心共受理各类事项38,412件，办结38,097件，按时办结率99.8%。",
                "其中“一件事一次办”事项2,316件，全程网办事项占比72.4%。",
            ],
            "keywords": "办件统计",
            "days_ago": 9,
        },
        {
            "category": "xzxk",
            "title": "安庆市政务服务事项清单（{year}年版）",
            "summary": "市级行政许可、行政确认、行政给付等依申请政务服务事项共1,052项。",
            "paragraphs": [
                "根据国家、省有关要求，对市级政务服务事项清单进行动态调整，现予公布。",
                "清单中每个事项均附办事指南，列明受理条件、申请材料、办理流程和办理时限。",
            ],
            "keywords": "事项清单 办事指南",
            "days_ago": 58,
        },
        {
            "category": "qita",
            "title": "关于市政务服务中心元旦期间窗口服务安排的公告",
            "summary": "元旦假期网上办事不打烊，现场窗口安排值班。",
            "paragraphs": [
                "元旦假期期间，市政务服务中心现场窗口暂停对外服务，网上办事大厅正常受理。",
                "急需办理的企业和群众可拨打0556-12345预约。",
            ],
            "keywords": "公告 服务时间",
            "days_ago": 3,
        },
    ],
    "fgw": [
        {
            "category": "ghjh",
            "title": "安庆市{year}年重点项目投资计划",
            "summary": "全年安排市重点项目312个，年度计划投资1,046亿元。",
            "paragraphs": [
                "{year}年共安排市重点项目312个，总投资3,580亿元，年度计划投资1,046亿元。",
                "其中新开工项目128个、续建项目184个。",
            ],
            "keywords": "重点项目 投资计划",
            "days_ago": 70,
        },
        {
            "category": "zdjsxm",
            "title": "安庆长江公铁大桥连接线工程批准服务信息",
            "summary": "项目核准文号、建设地点、建设规模和总投资。",
            "paragraphs": [
                "核准文号：宜发改审批〔{year}〕21号。",
                "建设地点：安庆市迎江区、宜秀区；总投资：24.6亿元。",
            ],
            "keywords": "重大建设项目 批准服务",
            "days_ago": 27,
        },
        {
            "category": "xzsyxsf",
            "title": "安庆市行政事业性收费目录清单（{year}年）",
            "summary": "全市执行的行政事业性收费项目、标准和依据。",
            "paragraphs": ["清单之外的行政事业性收费，企业和群众有权拒绝缴纳。"],
            "keywords": "收费 目录清单",
            "days_ago": 45,
        },
    ],
    "jyj": [
        {
            "category": "mszc",
            "title": "{year}年安庆市区义务教育阶段学校招生入学工作意见",
            "summary": "市区公办、民办义务教育学校的招生对象、学区划分和报名时间。",
            "paragraphs": [
                "坚持免试就近入学，公办、民办学校同步招生。",
                "网上报名时间为7月1日至7月10日，报名网址在本平台同步公布。",
            ],
            "document_number": "宜教〔{year}〕15号",
            "document_type": DocumentType.NORMATIVE,
            "keywords": "招生 义务教育",
            "days_ago": 62,
        },
        {
            "category": "mszc",
            "title": "学生资助政策简介",
            "summary": "学前教育至高等教育各阶段的国家资助政策和申请方式。",
            "paragraphs": [
                "家庭经济困难学生可按规定申请国家助学金，中职学生和普通高中建档立卡学生免除学杂费。",
                "咨询电话：0556-5351234。",
            ],
            "keywords": "学生资助",
            "days_ago": 18,
        },
    ],
    "czj": [
        {
            "category": "czyjs",
            "title": "安庆市{prev}年市级财政决算",
            "summary": "市级一般公共预算、政府性基金预算和国有资本经营预算决算情况。",
            "paragraphs": [
                "{prev}年市级一般公共预算收入完成286.4亿元，为调整预算的101.2%。",
                "详细表格见附件。",
            ],
            "keywords": "决算 财政",
            "days_ago": 35,
            "attachment": (
                "{prev}年市级财政决算表.pdf",
                [
                    "一般公共预算收入：286.4亿元",
                    "一般公共预算支出：412.7亿元",
                    "政府性基金预算收入：158.3亿元",
                    "单位：亿元",
                ],
            ),
        },
        {
            "category": "zfjzcg",
            "title": "安庆市{year}—{next}年政府集中采购目录及标准",
            "summary": "集中采购机构采购项目、部门集中采购项目和分散采购限额标准。",
            "paragraphs": ["货物、服务类项目分散采购限额标准为100万元，工程类为120万元。"],
            "document_number": "宜财购〔{year}〕2号",
            "document_type": DocumentType.NORMATIVE,
            "keywords": "政府采购 目录",
            "days_ago": 50,
        },
    ],
    "stj": [
        {
            "category": "jdjc",
            "title": "{month}月份全市环境空气质量状况",
            "summary": "全市PM2.5平均浓度、优良天数比例和各县（市、区）排名。",
            "paragraphs": [
                "本月全市PM2.5平均浓度为36微克/立方米，同比下降5.3%；优良天数比例为87.1%。",
            ],
            "keywords": "空气质量",
            "days_ago": 6,
        },
        {
            "category": "xzcf",
            "title": "行政处罚决定书（庆环罚〔{year}〕3号）",
            "summary": "某化工企业超标排放大气污染物案的处罚决定。",
            "paragraphs": [
                "当事人：安庆某某化工有限公司。",
                "违法事实：废气排放口颗粒物排放浓度超过国家排放标准。",
                "处罚决定：罚款人民币二十万元，责令改正。",
            ],
            "keywords": "行政处罚",
            "days_ago": 15,
        },
    ],
}


# A repealed document, so that the catalog shows 有效性 (数据资源局 only).
REPEALED = {
    "category": "fgwj",
    "title": "市数据资源局行政事业性收费管理暂行办法",
    "summary": "已被新办法替代。",
    "paragraphs": ["本办法已于文中所列日期废止。"],
    "document_number": "宜数据〔{old}〕5号",
    "document_type": DocumentType.NORMATIVE,
    "validity": Validity.REPEALED,
    "days_ago": 3 * 365,
}


def _fill(text: str, today) -> str:
    return text.format(
        year=today.year,
        prev=today.year - 1,
        next=today.year + 1,
        old=today.year - 3,
        month=f"{(today.replace(day=1) - dt.timedelta(days=1)).month}",
    )


def _plan(unit, today) -> list[dict]:
    items = _common(unit, today.year)
    for item in SPECIFIC.get(unit.slug, []) + ([REPEALED] if unit.slug == "sjj" else []):
        item = dict(item)
        for key in ("title", "summary", "document_number"):
            if key in item:
                item[key] = _fill(item[key], today)
        item["body"] = _paragraphs(*(_fill(text, today) for text in item.pop("paragraphs")))
        if "attachment" in item:
            name, lines = item["attachment"]
            item["attachment"] = (_fill(name, today), [_fill(line, today) for line in lines])
        items.append(item)
    return items


def load(stdout) -> None:
    categories = {c.slug: c for c in Category.objects.all()}
    units = {u.slug: u for u in PublishingUnit.objects.filter(slug__in=DEMO_SLUGS)}
    if not units or not categories:
        stdout.write("未找到演示单位或信息分类，跳过主动公开演示数据。")
        return
    now = timezone.now()
    today = timezone.localdate()
    plan = []
    for order, slug in enumerate(DEMO_SLUGS):
        unit = units.get(slug)
        if unit is None or not (unit.credit_code or unit.unit_code):
            continue
        for item in _plan(unit, today):
            published = now - dt.timedelta(days=item["days_ago"], minutes=7 * order)
            plan.append((published, unit, item))
    # Published in time order, so each unit's 索引号 serials follow the publication dates.
    plan.sort(key=lambda row: row[0])
    created = 0
    with transaction.atomic():
        for published, unit, item in plan:
            if Entry.objects.filter(unit=unit, title=item["title"]).exists():
                continue
            made_on = timezone.localdate(published) - dt.timedelta(days=item.get("made_days", 3))
            entry = Entry.objects.create(
                unit=unit,
                category=categories[item["category"]],
                title=item["title"],
                summary=item.get("summary", ""),
                body=item["body"],
                document_number=item.get("document_number", ""),
                made_on=made_on,
                keywords=item.get("keywords", ""),
                document_type=item.get("document_type", DocumentType.OTHER),
                validity=item.get("validity", Validity.VALID),
                valid_from=made_on if item.get("document_type") else None,
                invalid_from=today.replace(month=1, day=1) if item.get("validity") else None,
            )
            workflow.record_creation(entry, None)
            if attachment := item.get("attachment"):
                name, lines = attachment
                pdf = make_pdf(item["title"], [item.get("summary", ""), *lines])
                stored = Attachment(entry=entry, name=name, kind=FileKind.PDF, size=len(pdf))
                stored.file.save(name, ContentFile(pdf), save=False)
                stored.save()
            workflow.publish_directly(entry, None, published, "演示数据")
            created += 1
    stdout.write(f"主动公开演示信息：新增{created}条。")
