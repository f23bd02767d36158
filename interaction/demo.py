"""Demo content of 互动交流: published Q&As (one a 常见问题), messages still open (one past the
60-day alarm), a 差评 with its follow-up, and consultations open, closed and adopted."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from interaction import workflow
from interaction.models import Consultation, Message, MessageKind, RatingLevel
from portal import notifications
from portal.models import PublishingUnit
from portal.workdays import add_workdays

DEMO_DOMAIN = "demo-liuyan.example.cn"

# (unit slug, days ago, kind, subject, text, reply, publish as: None | "qa" | "faq")
QAS = [
    (
        "zwzx",
        40,
        MessageKind.CONSULT,
        "政务服务中心周末是否办理业务",
        "请问市政务服务中心周六是否开放？我想办理不动产登记，工作日没有时间。",
        "您好：市政务服务中心实行周六“不打烊”服务，每周六上午9:00至12:00开放不动产登记、"
        "社保、公积金等窗口。咨询电话：0556-5349772。",
        "faq",
    ),
    (
        "jyj",
        35,
        MessageKind.CONSULT,
        "小学入学报名需要哪些材料",
        "孩子今年满六周岁，请问小学入学报名需要准备哪些材料？户口不在本区可以报名吗？",
        "您好：小学入学报名需提供户口簿、房产证明或租赁备案证明、儿童预防接种证。"
        "非本区户籍的，按随迁子女入学政策，另需提供父母一方在本市的居住证和社保缴纳证明。",
        "qa",
    ),
    (
        "stj",
        30,
        MessageKind.COMPLAIN,
        "夜间工地施工噪声扰民",
        "小区旁边的工地每天晚上十一点以后还在施工，噪声很大，影响休息，请处理。",
        "您好：经现场核查，该工地未办理夜间施工许可。我局已责令其停止夜间施工并立案调查，"
        "后续将加强巡查。如再发现夜间施工，请拨打12369环保举报热线。",
        "qa",
    ),
    (
        "zwzx",
        20,
        MessageKind.SITE_ERROR,
        "办事指南页面链接打不开",
        "“企业开办”办事指南中的“下载申请表”链接打不开，提示页面不存在。",
        "您好：感谢您的指正。该链接已修复，申请表可正常下载。",
        "qa",
    ),
    (
        "fgw",
        18,
        MessageKind.SUGGEST,
        "建议增加新能源汽车充电桩",
        "建议在老城区公共停车场增加新能源汽车充电桩。",
        "您好：感谢您的建议。我委已会同有关部门制定充电基础设施建设计划，"
        "年内将在老城区新增公共充电桩200个。",
        None,
    ),
]
# Still open: (unit slug, days ago, kind, subject)
OPEN = [
    ("czj", 70, MessageKind.HELP, "惠民补贴资金何时发放"),
    ("jyj", 16, MessageKind.CONSULT, "教师资格认定的时间安排"),
    ("zwzx", 2, MessageKind.CONSULT, "营业执照遗失如何补办"),
]


def load(stdout) -> None:
    if Message.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
        stdout.write("互动交流演示数据已存在，跳过。")
        return
    with notifications.muted():
        made = _load()
    stdout.write(f"互动交流演示留言：{made} 件；意见征集：{Consultation.objects.count()} 件。")


def _past(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _data(index: int, kind, subject, text) -> dict:
    return {
        "kind": kind,
        "subject": subject,
        "text": text,
        "name": f"市民{index + 1}",
        "phone": f"1390556{index:04d}",
        "email": f"citizen{index}@{DEMO_DOMAIN}",
        "consent_publish": True,
    }


def _load() -> int:
    units = {unit.slug: unit for unit in PublishingUnit.objects.all()}
    staff = get_user_model().objects.filter(username="zwzx_liuyan").first() or "演示数据"
    today = timezone.localdate()
    made = 0
    for index, (slug, days, kind, subject, text, reply, publish) in enumerate(QAS):
        if slug not in units:
            continue
        message, _ = workflow.submit(
            units[slug], _data(index, kind, subject, text), submitted_at=_past(days)
        )
        replied = min(add_workdays(message.received_on, 3), today)
        message = workflow.reply(message, actor=staff, text=reply, on=replied)
        if publish:
            workflow.publish(
                message,
                actor=staff,
                public_subject=subject,
                public_text=text,
                public_reply=reply,
                is_faq=publish == "faq",
            )
        if index == 2:
            rating = workflow.rate_message(
                message, level=RatingLevel.DISSATISFIED, comment="希望加强夜间巡查。"
            )
            workflow.record_followup(
                rating,
                actor=staff,
                outcome="已电话回访留言人，说明处理结果；已将该工地列为夜间重点巡查对象。",
            )
        elif index == 0:
            workflow.rate_message(message, level=RatingLevel.VERY_SATISFIED)
        made += 1
    for index, (slug, days, kind, subject) in enumerate(OPEN, start=len(QAS)):
        if slug in units:
            text = f"{subject}？请告知具体办理要求。"
            workflow.submit(
                units[slug], _data(index, kind, subject, text), submitted_at=_past(days)
            )
            made += 1
    _consultations(units, staff, today)
    return made


def _consultations(units, staff, today):
    plans = [
        ("fgw", -10, 35, "《安庆市充电基础设施建设三年行动计划（征求意见稿）》", ""),
        ("jyj", -60, -25, "《安庆市义务教育阶段招生入学办法（征求意见稿）》", ""),
        ("stj", -50, -10, "《安庆市扬尘污染防治办法（征求意见稿）》", ""),
    ]
    for index, (slug, opens, closes, title, reason) in enumerate(plans):
        if slug not in units:
            continue
        consultation = Consultation.objects.create(
            unit=units[slug],
            title=title,
            text=f"为广泛听取社会各界意见，现将{title}全文公布，欢迎提出修改意见和建议。",
            opens_on=today + dt.timedelta(days=opens),
            closes_on=today + dt.timedelta(days=closes),
            short_period_reason=reason,
        )
        # Published while open (the workflow refuses a past closing date), as staff did then.
        Consultation.objects.filter(pk=consultation.pk).update(
            state="published", published_at=_past(-opens)
        )
        if index == 1:
            Consultation.objects.filter(pk=consultation.pk).update(
                adoption="共收到意见12条，采纳5条（调整划片公示时间等）；未采纳7条，"
                "主要涉及跨区入学，与现行政策不符。",
                adoption_published_on=consultation.closes_on + dt.timedelta(days=5),
            )
