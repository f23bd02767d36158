"""Demo service guides: a few real-looking items of the 政务服务中心 and the 教育局, one of them
left as an incomplete draft so staff see the completeness check. Safe to run again."""

from django.core.files.base import ContentFile
from django.db import transaction

from disclosure.demo import make_pdf
from disclosure.guides import workflow
from disclosure.guides.models import GuideMaterial, GuideState, GuideStep, ServiceGuide
from portal.models import PublishingUnit
from portal.permissions import SYSTEM

HOURS = "工作日 上午8:30-12:00，下午2:30-5:30（法定节假日除外）"
STEPS = [
    ("申请", "申请人通过窗口或网上提交申请材料。", "即时"),
    (
        "受理",
        "材料齐全、符合法定形式的，当场受理；不齐全的，一次性告知需补正的全部内容。",
        "1个工作日",
    ),
    ("审查", "对申请材料进行审查，必要时进行现场核查。", "3个工作日"),
    ("决定", "作出准予或不予许可的书面决定。", "1个工作日"),
    ("送达", "窗口领取或邮寄送达。", "即时"),
]

GUIDES = {
    "zwzx": [
        {
            "name": "公共场所卫生许可",
            "code": "340800-XK-0012",
            "item_type": "licensing",
            "basis": "《公共场所卫生管理条例》第八条：公共场所经营单位应当取得卫生许可证。\n"
            "《公共场所卫生管理条例实施细则》第二十二条。",
            "accepting_body": "安庆市人民政府政务服务中心",
            "deciding_body": "安庆市卫生健康委员会",
            "conditions": "1. 有固定的经营场所；\n2. 卫生设施和布局符合卫生标准和要求；\n"
            "3. 从业人员取得健康合格证明。",
            "online_service": True,
            "online_url": "https://www.ahzwfw.gov.cn/",
            "location": "安庆市振风大道100号东部新城综合写字楼辅一楼 B12窗口",
            "legal_limit_days": 20,
            "promised_limit_days": 5,
            "fees": "不收费",
            "result": "公共场所卫生许可证",
            "delivery": "窗口领取或免费邮寄送达",
            "complaint_phone": "0556-12345",
            "faq": "营业执照还没有办好，可以先申请卫生许可吗？\n可以。实行告知承诺的，发证前补交营业执照复印件即可。\n\n"
            "卫生许可证有效期多长？\n有效期4年，期满前30日申请延续。",
            "visits": 1,
            "materials": [
                ("公共场所卫生许可申请表", "original", 1, True),
                ("营业执照", "copy", 1, False),
                ("从业人员健康合格证明", "copy", 1, False),
                ("经营场所平面布局图", "original", 1, False),
            ],
        },
        {
            "name": "户外广告设施设置审批",
            "code": "340800-XK-0031",
            "item_type": "licensing",
            "basis": "《安徽省城市市容和环境卫生管理条例》第二十一条。",
            "accepting_body": "安庆市人民政府政务服务中心",
            "deciding_body": "安庆市城市管理局",
            "conditions": "设置地点符合户外广告设置规划；设施结构安全可靠。",
            "location": "安庆市振风大道100号东部新城综合写字楼辅一楼 C03窗口",
            "legal_limit_days": 20,
            "promised_limit_days": 7,
            "fees": "不收费",
            "result": "户外广告设施设置许可决定书",
            "delivery": "窗口领取",
            "complaint_phone": "0556-12345",
            "visits": 1,
            "materials": [
                ("户外广告设施设置申请表", "original", 1, True),
                ("设计效果图和结构图", "original", 2, False),
            ],
        },
        {
            "name": "企业投资项目备案",
            "code": "340800-QT-0005",
            "item_type": "other_power",
            "basis": "《企业投资项目核准和备案管理条例》第十三条。",
            "accepting_body": "安庆市人民政府政务服务中心",
            "deciding_body": "安庆市发展和改革委员会",
            "conditions": "属于备案管理的企业投资项目。",
            "online_service": True,
            "online_url": "https://www.ahzwfw.gov.cn/",
            "location": "安庆市振风大道100号东部新城综合写字楼辅一楼 A01窗口",
            "promised_limit_days": 1,
            "fees": "不收费",
            "result": "项目备案信息",
            "delivery": "网上告知",
            "visits": 0,
            "materials": [("项目备案信息表", "electronic", 1, False)],
        },
    ],
    "jyj": [
        {
            "name": "教师资格认定",
            "code": "340800-QR-0101",
            "item_type": "confirmation",
            "basis": "《中华人民共和国教师法》第十三条；《教师资格条例》第十三条。",
            "accepting_body": "安庆市教育局教师资格认定窗口",
            "deciding_body": "安庆市教育局",
            "conditions": "具备国家规定的学历；普通话水平达到二级乙等以上；身体健康；教育教学能力考试合格。",
            "online_service": True,
            "online_url": "https://www.jszg.edu.cn/",
            "location": "安庆市龙山路17号市教育局一楼服务大厅",
            "legal_limit_days": 30,
            "promised_limit_days": 20,
            "fees": "不收费",
            "result": "教师资格证书",
            "delivery": "窗口领取或邮寄",
            "complaint_phone": "0556-5508000",
            "visits": 1,
            "materials": [
                ("身份证", "copy", 1, False),
                ("学历证书", "copy", 1, False),
                ("体检表", "original", 1, True),
            ],
        },
        {
            # An incomplete draft: no 设定依据, no 收费标准, no steps.
            "name": "民办学校设立审批",
            "item_type": "licensing",
            "accepting_body": "安庆市教育局",
            "conditions": "举办者具备法定条件；有符合规定的校舍和办学经费。",
            "location": "安庆市龙山路17号市教育局一楼服务大厅",
            "state": GuideState.DRAFT,
            "steps": [],
            "materials": [("民办学校设立申请书", "original", 1, False)],
        },
    ],
}


def load(stdout) -> None:
    units = {u.slug: u for u in PublishingUnit.objects.filter(slug__in=GUIDES)}
    created = 0
    with transaction.atomic():
        for slug, guides in GUIDES.items():
            unit = units.get(slug)
            if unit is None:
                continue
            for spec in guides:
                spec = dict(spec)
                if ServiceGuide.objects.filter(unit=unit, name=spec["name"]).exists():
                    continue
                materials = spec.pop("materials")
                steps = spec.pop("steps", STEPS)
                state = spec.pop("state", GuideState.PUBLISHED)
                guide = ServiceGuide.objects.create(
                    unit=unit,
                    hours=HOURS,
                    consult_phone=unit.office_phone,
                    **spec,
                )
                workflow.record_creation(guide, SYSTEM)
                for order, (name, form, copies, with_form) in enumerate(materials, start=1):
                    material = GuideMaterial(
                        guide=guide, order=order, name=name, form=form, copies=copies
                    )
                    if with_form:
                        blank = make_pdf(name, ["申请人（签章）：", "联系电话：", "申请日期："])
                        sample = make_pdf(
                            f"{name}（示例）",
                            ["申请人（签章）：安庆市某某酒店有限公司", "联系电话：0556-5555555"],
                        )
                        material.blank_form.save(f"{name}.pdf", ContentFile(blank), save=False)
                        material.blank_form_kind = "pdf"
                        material.sample.save(f"{name}-示例.pdf", ContentFile(sample), save=False)
                        material.sample_kind = "pdf"
                    material.save()
                for order, (name, description, limit) in enumerate(steps, start=1):
                    GuideStep.objects.create(
                        guide=guide,
                        order=order,
                        name=name,
                        description=description,
                        time_limit=limit,
                    )
                if state == GuideState.PUBLISHED:
                    workflow.submit(guide, SYSTEM)
                    workflow.approve(guide, SYSTEM, "演示数据")
                created += 1
    stdout.write(f"办事指南演示数据：新增{created}项。")
