"""Annual report sections 三 and 四 from the register, and the public 统计结果 summary."""

import datetime as dt
import itertools

import pytest

from applications import statistics
from applications.models import (
    Appeal,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    Channel,
    Request,
    Result,
    State,
)

pytestmark = pytest.mark.django_db
D = dt.date
_serial = itertools.count(1)


def make(
    unit, *, kind="", received=None, replied=None, result="", channel=Channel.IN_PERSON, due=None
):
    serial = next(_serial)
    state = (
        State.SUBMITTED if received is None else (State.REPLIED if replied else State.PROCESSING)
    )
    return Request.objects.create(
        number=f"YSQ-2099-{serial:06d}",
        year=2099,
        serial=serial,
        unit=unit,
        channel=channel,
        state=state,
        applicant_type=ApplicantType.ORGANISATION if kind else ApplicantType.PERSON,
        organisation_kind=kind,
        name="申请人",
        phone="1",
        info_description="x",
        medium="paper",
        delivery="post",
        received_on=received,
        due_on=due or (received and received + dt.timedelta(days=28)),
        replied_on=replied,
        result=result,
        workdays_taken=(replied - received).days if replied else None,
    )


@pytest.fixture
def register(unit_a, unit_b):
    make(unit_a, received=D(2025, 3, 1), replied=D(2025, 3, 20), result=Result.DISCLOSED)
    make(
        unit_a,
        kind="business",
        received=D(2025, 12, 20),
        replied=D(2026, 1, 10),
        result=Result.PARTLY_DISCLOSED,
    )
    make(unit_a, kind="research", received=D(2025, 12, 28))
    make(
        unit_a,
        received=D(2026, 2, 2),
        replied=D(2026, 2, 20),
        result=Result.WITHHELD_STATE_SECRET,
        channel=Channel.ONLINE,
    )
    make(unit_a, kind="legal", received=D(2026, 12, 25), channel=Channel.EMAIL)
    make(
        unit_a, kind="nonprofit", received=D(2026, 5, 5), replied=D(2026, 7, 1), result=Result.OTHER
    )
    make(unit_a)  # online, never confirmed: not received, not counted
    make(unit_b, received=D(2026, 3, 3))  # another unit


def test_section_three_2026(register, unit_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = statistics.section_three([unit_a.pk], 2026)
    assert len(table.rows) == 25 and len(table.columns) == 7
    assert [label for _, label in table.columns] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    cells = table.as_dict()
    assert cells["new"] == {
        "person": 1,
        "business": 0,
        "research": 0,
        "nonprofit": 1,
        "legal": 1,
        "other": 0,
        "total": 3,
    }
    assert cells["carried_in"] == {
        "person": 0,
        "business": 1,
        "research": 1,
        "nonprofit": 0,
        "legal": 0,
        "other": 0,
        "total": 2,
    }
    assert cells[Result.PARTLY_DISCLOSED]["business"] == 1
    assert cells[Result.WITHHELD_STATE_SECRET]["person"] == 1
    assert cells[Result.OTHER]["nonprofit"] == 1
    assert cells[Result.DISCLOSED]["total"] == 0  # replied in 2025
    assert cells["results_total"]["total"] == 3
    assert cells["carried_out"] == {
        "person": 0,
        "business": 0,
        "research": 1,
        "nonprofit": 0,
        "legal": 1,
        "other": 0,
        "total": 2,
    }
    assert table.rows[2].label == "（一）予以公开" and table.rows[22].key == Result.OTHER


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_section_three_arithmetic_holds_every_year(register, unit_a, unit_b, year):
    table = statistics.section_three([unit_a.pk, unit_b.pk], year)
    for key, _ in table.columns:
        col = {row.key: row.values[key] for row in table.rows}
        assert col["new"] + col["carried_in"] == col["results_total"] + col["carried_out"]
        assert col["results_total"] == sum(col[r.value] for r in Result)
    for row in table.rows:
        assert row.values["total"] == sum(row.values[c] for c in statistics.APPLICANT_COLUMNS)


def test_carried_out_of_one_year_is_carried_into_the_next(register, unit_a):
    out_2025 = statistics.section_three([unit_a.pk], 2025).cell("carried_out", "total")
    in_2026 = statistics.section_three([unit_a.pk], 2026).cell("carried_in", "total")
    assert out_2025 == in_2026 == 2


def test_section_four(paper_like, unit_a, django_assert_num_queries):
    request = paper_like
    Appeal.objects.create(
        request=request,
        kind=AppealKind.REVIEW,
        filed_on=D(2026, 4, 1),
        outcome=AppealOutcome.UPHELD,
        closed_on=D(2026, 6, 1),
    )
    Appeal.objects.create(
        request=request,
        kind=AppealKind.REVIEW,
        filed_on=D(2026, 11, 1),
        outcome=AppealOutcome.CORRECTED,
        closed_on=D(2027, 1, 5),
    )
    Appeal.objects.create(
        request=request, kind=AppealKind.LITIGATION_DIRECT, filed_on=D(2026, 5, 1)
    )
    Appeal.objects.create(
        request=request,
        kind=AppealKind.LITIGATION_AFTER_REVIEW,
        filed_on=D(2026, 7, 1),
        outcome=AppealOutcome.OTHER,
        closed_on=D(2026, 9, 1),
    )
    Appeal.objects.create(
        request=request,
        kind=AppealKind.REVIEW,
        filed_on=D(2025, 7, 1),
        outcome=AppealOutcome.UPHELD,
        closed_on=D(2025, 9, 1),
    )
    with django_assert_num_queries(1):
        table = statistics.section_four([unit_a.pk], 2026)
    assert table["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert table["litigation_direct"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }
    assert table["litigation_after_review"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 1,
        "pending": 0,
        "total": 1,
    }
    assert sum(len(cells) for cells in table.values()) == 15
    assert statistics.section_four([unit_a.pk], 2027)["review"]["total"] == 0


@pytest.fixture
def paper_like(unit_a):
    return make(unit_a, received=D(2026, 3, 1))


def test_summary(register, unit_a):
    summary = statistics.summary([unit_a.pk], 2026)
    assert summary.received == 3 and summary.online == 2 and summary.written == 1
    assert summary.replied == 3 and summary.on_time == 2  # the withdrawal came after its due date
    assert summary.median_workdays == 21  # of 21, 18 and 57
    assert dict(summary.by_applicant)["自然人"] == 1
