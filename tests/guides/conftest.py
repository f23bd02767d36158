"""Guide fixtures: a complete guide (every required element) for any unit."""

import pytest

from disclosure.guides import workflow
from disclosure.guides.models import GuideMaterial, GuideState, GuideStep, ItemType, ServiceGuide
from portal.permissions import SYSTEM

COMPLETE = {
    "name": "公共场所卫生许可",
    "code": "340800-XK-0012",
    "item_type": ItemType.LICENSING,
    "basis": "《公共场所卫生管理条例》第八条",
    "accepting_body": "安庆市人民政府政务服务中心",
    "deciding_body": "安庆市卫生健康委员会",
    "conditions": "有固定的营业场所；卫生设施符合要求。",
    "location": "安庆市振风大道100号政务服务中心二楼B12窗口",
    "hours": "工作日 上午8:30-12:00，下午2:30-5:30",
    "legal_limit_days": 20,
    "promised_limit_days": 5,
    "fees": "不收费",
    "result": "公共场所卫生许可证",
    "delivery": "窗口领取或邮寄送达",
    "consult_phone": "0556-5349772",
    "complaint_phone": "0556-12345",
    "faq": "营业执照未办好可以申请吗？\n可以先行申请，发证前补交。",
    "visits": 1,
}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def make_guide(db):
    def _make(unit, state=GuideState.PUBLISHED, materials=True, steps=True, **fields):
        guide = ServiceGuide.objects.create(unit=unit, **{**COMPLETE, **fields})
        if materials:
            GuideMaterial.objects.create(guide=guide, order=1, name="公共场所卫生许可申请书")
            GuideMaterial.objects.create(
                guide=guide, order=2, name="营业执照", form="copy", copies=1
            )
        if steps:
            for order, name in enumerate(["申请", "受理", "审查", "决定", "送达"], start=1):
                GuideStep.objects.create(
                    guide=guide, order=order, name=name, time_limit="1个工作日"
                )
        if state == GuideState.DRAFT:
            return guide
        workflow.submit(guide, SYSTEM)
        if state == GuideState.PENDING:
            return guide
        workflow.approve(guide, SYSTEM)
        guide.refresh_from_db()
        return guide

    return _make
