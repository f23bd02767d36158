"""Fixtures for 互动交流: messages created through the workflow, as the public form would.

Personas beyond tests/conftest.py: `handler_a` / `handler_b` (留言办理员 of unit A / unit B) and
`reviewer_a` (审核员 of unit A, who approves replies where the unit asks for review).
"""

import datetime as dt

import pytest
import time_machine

from interaction import workflow
from interaction.models import MessageKind


def message_data(**overrides):
    data = {
        "kind": MessageKind.CONSULT,
        "subject": "政务服务中心周末是否办理业务",
        "text": "请问政务服务中心周六是否开放？我叫张三丰，电话13912345678。",
        "name": "张三丰",
        "phone": "13912345678",
        "email": "zhangsan@example.com",
        "consent_publish": True,
    }
    data.update(overrides)
    return data


def at(day: dt.date, hour: int = 10):
    """The clock set to `day` (Asia/Shanghai office hours)."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        tick=False,
    )


def submit_on(day: dt.date, unit, **data):
    with at(day):
        return workflow.submit(unit, message_data(**data))


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def message(unit_a):
    msg, _code = submit_on(dt.date(2026, 3, 2), unit_a)
    return msg
