"""Demo requests in every state across 2025 and 2026, created through the workflow functions.

Idempotent: demo applicants use the e-mail domain below; when such a request exists, nothing is
added. Dates are relative to fixed receipt dates in the past, so the data look the same each run
(only the requests still open age as time goes on).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import workflow
from applications.models import (
    Appeal,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    Channel,
    ConsultationParty,
    DeliveryRoute,
    DocumentSettings,
    FeeMethod,
    Medium,
    OrganisationKind,
    Request,
    Result,
)
from portal import notifications
from portal.models import PublishingUnit, UnitKind
from portal.workdays import add_workdays

DEMO_DOMAIN = "demo.example.cn"

PEOPLE = ["张明", "李华", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏"]
ORGANISATIONS = [
    ("安庆皖江科技有限公司", OrganisationKind.BUSINESS),
    ("安庆市农业科学研究所", OrganisationKind.RESEARCH),
    ("安庆市绿色江豚保护协会", OrganisationKind.NONPROFIT),
    ("安徽宜城律师事务所", OrganisationKind.LEGAL),
    ("迎江区菱湖街道某社区居民委员会", OrganisationKind.OTHER),
]
TOPICS = [
    ("2024年度部门预算执行情况", "2024年度本单位部门预算执行情况及三公经费支出明细。"),
    ("政务服务窗口设置方案", "现行政务服务中心窗口设置方案及最近一次调整文件。"),
    ("老旧小区改造项目资金", "2025年老旧小区改造项目的资金安排和实施单位。"),
    ("行政处罚决定书", "2025年3月对某企业作出的行政处罚决定书（编号不详）。"),
    ("义务教育学校划片方案", "2025年城区义务教育学校招生划片方案。"),
    ("重大建设项目批准文件", "安庆长江公铁大桥连接线项目的批准文件。"),
    ("环境影响评价批复", "某化工园区项目环境影响评价批复文件。"),
    ("规划调整会议纪要", "城市规划委员会关于某地块规划调整的会议纪要。"),
]
# (slug, receipt date, scenario, channel, organisation index or None)
PLAN = [
    ("zwzx", "2025-02-17", "disclosed", Channel.ONLINE, None),
    ("zwzx", "2025-04-08", "partly", Channel.IN_PERSON, 0),
    ("zwzx", "2025-06-03", "supplement_then_reply", Channel.ONLINE, None),
    ("zwzx", "2025-09-15", "withheld", Channel.POST, 3),
    ("zwzx", "2025-12-22", "carried_over", Channel.ONLINE, None),
    ("zwzx", "2026-03-02", "fee_paid_reply", Channel.EMAIL, 1),
    ("zwzx", "2026-06-15", "late_reply", Channel.ONLINE, None),
    ("zwzx", "2026-09-01", "overdue", Channel.LETTER, None),
    ("zwzx", "recent:25", "processing", Channel.ONLINE, None),
    ("zwzx", "recent:8", "supplement_pending", Channel.ONLINE, 2),
    ("zwzx", "recent:3", "consulting", Channel.FAX, 0),
    ("zwzx", "recent:1", "due_soon", Channel.IN_PERSON, None),
    ("zwzx", "submitted", "submitted", Channel.ONLINE, None),
    ("sjj", "2025-03-10", "not_held", Channel.ONLINE, None),
    ("sjj", "2025-07-21", "supplement_expired", Channel.ONLINE, None),
    ("sjj", "2025-11-03", "withdrawn", Channel.IN_PERSON, 4),
    ("sjj", "2026-01-12", "extended_reply", Channel.ONLINE, 3),
    ("sjj", "2026-05-11", "fee_expired", Channel.POST, 0),
    ("sjj", "recent:10", "fee_pending", Channel.ONLINE, 0),
    ("sjj", "submitted", "submitted", Channel.ONLINE, None),
    ("anqing", "2025-05-12", "disclosed", Channel.ONLINE, None),
    ("anqing", "2025-10-20", "not_processed", Channel.ORAL, None),
    ("anqing", "2026-04-07", "partly", Channel.ONLINE, 3),
    ("anqing", "recent:6", "processing", Channel.ONLINE, None),
    ("fgw", "2025-08-04", "withheld_process", Channel.ONLINE, 1),
    ("fgw", "2026-02-24", "disclosed", Channel.IN_PERSON, None),
    ("fgw", "recent:12", "processing", Channel.ONLINE, None),
    ("jyj", "2025-06-16", "disclosed", Channel.ONLINE, None),
    ("jyj", "2026-07-06", "partly", Channel.ONLINE, None),
    ("czj", "2026-03-23", "disclosed", Channel.EMAIL, 0),
    ("stj", "2025-11-17", "partly", Channel.ONLINE, 2),
]


def _applicant(index, org):
    if org is None:
        name = PEOPLE[index % len(PEOPLE)]
        return {
            "applicant_type": ApplicantType.PERSON,
            "name": name,
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": f"1390556{index:04d}",
            "email": f"person{index}@{DEMO_DOMAIN}",
            "address": "安庆市迎江区人民路1号",
            "postcode": "246000",
        }
    name, kind = ORGANISATIONS[org]
    return {
        "applicant_type": ApplicantType.ORGANISATION,
        "organisation_kind": kind,
        "name": name,
        "credit_code": "91110000600037341L",
        "contact_person": PEOPLE[(index + 3) % len(PEOPLE)],
        "phone": f"0556-55{index:05d}",
        "email": f"org{index}@{DEMO_DOMAIN}",
        "address": "安庆市大观区",
    }


def _receipt(spec: str, today: dt.date) -> dt.date | None:
    if spec == "submitted":
        return None
    if spec.startswith("recent:"):
        # n working days ago, so the request is open and its clock is running now.
        day = today
        for _ in range(int(spec.split(":")[1])):
            day -= dt.timedelta(days=1)
            while day.weekday() >= 5:
                day -= dt.timedelta(days=1)
        return day
    return dt.date.fromisoformat(spec)


def _wd(day, n):
    return add_workdays(day, n)


def _run(scenario, request, clerk, received, today):
    reply = workflow.reply
    on = None
    if scenario in (
        "disclosed",
        "partly",
        "withheld",
        "withheld_process",
        "not_held",
        "not_processed",
    ):
        result = {
            "disclosed": Result.DISCLOSED,
            "partly": Result.PARTLY_DISCLOSED,
            "withheld": Result.WITHHELD_THIRD_PARTY,
            "withheld_process": Result.WITHHELD_PROCESS,
            "not_held": Result.UNABLE_NOT_HELD,
            "not_processed": Result.NOT_PROCESSED_PETITION,
        }[scenario]
        if scenario == "withheld":
            workflow.start_consultation(
                request,
                actor=clerk,
                party=ConsultationParty.THIRD_PARTY,
                on=_wd(received, 3),
                third_party="安庆某某科技有限公司",
            )
            workflow.end_consultation(request, actor=clerk, on=_wd(received, 12))
        on = _wd(received, 15)
        reply(
            request,
            actor=clerk,
            result=result,
            letter="" if not result.discloses else "现将所申请的政府信息提供给您，详见公开材料。",
            responsible_agency="安庆市自然资源和规划局（0556-5500123）"
            if scenario == "not_held"
            else "",
            delivery_route=DeliveryRoute.EMAIL,
            delivered_on=on,
            on=on,
        )
    elif scenario == "supplement_then_reply":
        workflow.request_supplement(
            request,
            actor=clerk,
            what="请写明所需文件的年份和名称。",
            period_workdays=10,
            on=_wd(received, 3),
        )
        workflow.receive_supplement(
            request, text="所需为2025年的窗口设置方案。", on=_wd(received, 8)
        )
        on = _wd(received, 20)
        reply(
            request,
            actor=clerk,
            result=Result.DISCLOSED,
            letter="现予以公开，详见公开材料。",
            delivery_route=DeliveryRoute.ONLINE,
            on=on,
        )
    elif scenario == "carried_over":
        workflow.extend(
            request,
            actor=clerk,
            workdays=15,
            approver="办公室主任",
            reason="涉及信息量较大，需要检索整理",
            on=_wd(received, 10),
        )
        on = _wd(received, 30)
        reply(
            request,
            actor=clerk,
            result=Result.PARTLY_DISCLOSED,
            letter="部分公开，详见公开材料。",
            delivery_route=DeliveryRoute.POST,
            on=on,
        )
    elif scenario == "fee_paid_reply":
        workflow.send_fee_notice(
            request, actor=clerk, method=FeeMethod.BY_PAGES, quantity=150, on=_wd(received, 5)
        )
        workflow.record_payment(request, actor=clerk, on=_wd(received, 9))
        on = _wd(received, 18)
        reply(
            request,
            actor=clerk,
            result=Result.DISCLOSED,
            letter="已收到信息处理费，现予以公开。",
            delivery_route=DeliveryRoute.POST,
            on=on,
        )
    elif scenario == "late_reply":
        on = _wd(received, 24)
        reply(
            request,
            actor=clerk,
            result=Result.UNABLE_NEEDS_CREATION,
            delivery_route=DeliveryRoute.EMAIL,
            on=on,
        )
    elif scenario == "extended_reply":
        workflow.extend(
            request,
            actor=clerk,
            workdays=20,
            approver="办公室主任",
            reason="需会商其他部门",
            on=_wd(received, 15),
        )
        workflow.start_consultation(
            request, actor=clerk, party=ConsultationParty.OTHER_AGENCY, on=_wd(received, 16)
        )
        workflow.end_consultation(request, actor=clerk, on=_wd(received, 26))
        on = _wd(received, 35)
        reply(
            request,
            actor=clerk,
            result=Result.PARTLY_DISCLOSED,
            letter="部分公开，详见公开材料。",
            delivery_route=DeliveryRoute.EMAIL,
            on=on,
        )
    elif scenario == "supplement_expired":
        workflow.request_supplement(
            request,
            actor=clerk,
            what="请提供所需信息的文号或形成时间。",
            period_workdays=10,
            on=_wd(received, 2),
        )
        on = _wd(received, 14)
        workflow.supplement_expired(request, on=on)
    elif scenario == "withdrawn":
        on = _wd(received, 4)
        workflow.withdraw(request, reason="申请人来电表示已通过其他途径获得", on=on)
    elif scenario == "fee_expired":
        # Posted: the applicant signed for the notice the next working day.
        workflow.send_fee_notice(
            request,
            actor=clerk,
            method=FeeMethod.BY_COUNT,
            quantity=12,
            on=_wd(received, 4),
            received_on=_wd(received, 5),
        )
        on = _wd(received, 26)
        workflow.fee_expired(request, on=on)
    elif scenario == "supplement_pending":
        workflow.request_supplement(
            request, actor=clerk, what="请说明所需信息的具体范围。", period_workdays=15, on=received
        )
    elif scenario == "consulting":
        workflow.start_consultation(
            request,
            actor=clerk,
            party=ConsultationParty.THIRD_PARTY,
            on=received,
            third_party="安庆某某物业服务有限公司",
        )
    elif scenario == "fee_pending":
        workflow.send_fee_notice(
            request, actor=clerk, method=FeeMethod.BY_PAGES, quantity=60, on=_wd(received, 2)
        )
    elif scenario == "due_soon":
        pass  # received a working day ago; the dashboard's "due soon" is filled by "processing" ones
    # Last year's finished files are archived; this year's stay 已答复 / 已终止 on the dashboard.
    if on and on.year < today.year and scenario != "withdrawn":
        request = workflow.archive(request, actor=clerk)
    return request


# The demo units' document settings: what each 单位管理员 fills in before issuing documents.
DOCUMENT_PREFIXES = {"anqing": "宜政", "sjj": "安数据", "zwzx": "安政务"}


def configure_documents() -> None:
    for unit in PublishingUnit.objects.all():
        top = unit.parent_id is None
        DocumentSettings.objects.get_or_create(
            unit=unit,
            defaults={
                "number_prefix": DOCUMENT_PREFIXES.get(unit.slug, unit.short_name),
                "contact_person": "政务公开工作人员",
                "review_body": "安徽省人民政府" if top else "",
                "court": "安庆市中级人民法院"
                if unit.kind == UnitKind.GOVERNMENT
                else "安庆市迎江区人民法院",
                "fee_account": "户名：安庆市财政局非税收入汇缴专户；开户银行：中国工商银行安庆分行；账号：1307 0000 0000 0000 000",
            },
        )


def load(stdout) -> None:
    configure_documents()
    if Request.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
        stdout.write("依申请公开演示数据已存在，跳过。")
        return
    # on_commit callbacks run inside the block (autocommit), so muting covers every message.
    with notifications.muted():
        made = _load()
    stdout.write(f"依申请公开演示申请：{made} 件。")


def _load() -> int:
    units = {
        unit.slug: unit for unit in PublishingUnit.objects.filter(slug__in={p[0] for p in PLAN})
    }
    clerk = get_user_model().objects.filter(username="zwzx_handler").first() or "演示数据"
    today = timezone.localdate()
    made = 0
    for index, (slug, when, scenario, channel, org) in enumerate(PLAN):
        unit = units.get(slug)
        if unit is None:
            continue
        title, description = TOPICS[index % len(TOPICS)]
        data = {
            **_applicant(index, org),
            "info_title": title,
            "info_description": description,
            "medium": Medium.EMAIL if channel in Channel.internet() else Medium.PAPER,
            "delivery": DeliveryRoute.EMAIL
            if channel in Channel.internet()
            else DeliveryRoute.POST,
        }
        received = _receipt(when, today)
        if received is not None and received > today:
            continue
        if channel == Channel.ONLINE:
            submitted_at = timezone.make_aware(
                dt.datetime.combine(received or today, dt.time(9, 30))
            )
            submitted_at = min(submitted_at, timezone.now())
            request, _ = workflow.submit_online(unit, data, submitted_at=submitted_at)
            if received is None:
                made += 1
                continue
            request = workflow.confirm(request, actor=clerk, received_on=received)
        else:
            request, _ = workflow.register_paper(
                unit,
                actor=clerk,
                channel=channel,
                received_on=received,
                data=data,
                late_reason="演示数据：按纸质登记簿补录",
            )
        request = _run(scenario, request, clerk, received, today)
        made += 1
    _appeals_and_complaints()
    return made


def _appeals_and_complaints():
    replied = list(
        Request.objects.filter(
            email__endswith=f"@{DEMO_DOMAIN}", replied_on__isnull=False
        ).order_by("replied_on")
    )
    if len(replied) < 4:
        return
    plan = [
        (replied[0], AppealKind.REVIEW, AppealOutcome.UPHELD, 30),
        (replied[1], AppealKind.REVIEW, AppealOutcome.CORRECTED, 45),
        (replied[2], AppealKind.LITIGATION_DIRECT, AppealOutcome.PENDING, None),
        (replied[3], AppealKind.LITIGATION_AFTER_REVIEW, AppealOutcome.OTHER, 90),
    ]
    for request, kind, outcome, days in plan:
        filed = request.replied_on + dt.timedelta(days=20)
        closed = filed + dt.timedelta(days=days) if days else None
        if closed and closed > timezone.localdate():
            outcome, closed = AppealOutcome.PENDING, None
        if filed <= timezone.localdate():
            Appeal.objects.create(
                request=request, kind=kind, filed_on=filed, outcome=outcome, closed_on=closed
            )
    workflow.file_complaint(replied[-1], text="答复内容与申请不符，请核查。")
