"""Fixtures for 依申请公开: requests created through the workflow functions, as staff would."""

import datetime as dt

import pytest
import time_machine

from applications import workflow
from applications.models import ApplicantType, Channel, DeliveryRoute, Medium


def person_data(**overrides):
    data = {
        "applicant_type": ApplicantType.PERSON,
        "name": "张三丰",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "email": "zhangsan@example.com",
        "address": "安庆市迎江区人民路1号",
        "postcode": "246000",
        "info_title": "2025年政务服务中心窗口设置方案",
        "info_description": "2025年政务服务中心各办事窗口的设置方案及调整文件。",
        "medium": Medium.EMAIL,
        "delivery": DeliveryRoute.ONLINE,
    }
    data.update(overrides)
    return data


def org_data(kind="business", **overrides):
    data = person_data(
        applicant_type=ApplicantType.ORGANISATION,
        organisation_kind=kind,
        name="安庆某某科技有限公司",
        id_type="",
        id_number="",
        credit_code="91340800MA2N0XXX0X",
        contact_person="李四",
    )
    data.update(overrides)
    return data


@pytest.fixture
def mail_outbox(mailoutbox):
    return mailoutbox


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def register_on(day: dt.date, unit, actor, channel=Channel.IN_PERSON, **data):
    """A paper request received on `day`, registered (with the clock set to that day)."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)):
        request, code = workflow.register_paper(
            unit, actor=actor, channel=channel, received_on=day, data=person_data(**data)
        )
    return request


@pytest.fixture
def paper_request(unit_a, clerk_a, private_media):
    return register_on(dt.date(2026, 3, 2), unit_a, clerk_a)
