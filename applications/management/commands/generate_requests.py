"""Bulk synthetic requests for benchmarks (`manage.py generate_requests 100000`).

Rows are written with bulk_create, bypassing the workflow for speed, but they keep every invariant
the workflow keeps: numbers reserved from the per-year counter, a RECEIVED event per received
request, results always with a date on or after receipt. Due dates are the statutory 20 working
days after receipt (no pauses or extensions are generated); 办理用时 is only approximated from
calendar days (five in seven), which is enough for load tests but not for a statistics check.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from applications import deadlines
from applications.models import (
    NUMBER_PREFIX,
    ApplicantType,
    Channel,
    DeliveryRoute,
    EventKind,
    Medium,
    NumberCounter,
    OrganisationKind,
    Request,
    RequestEvent,
    Result,
    State,
)
from portal import access_codes, counters
from portal.models import PublishingUnit
from portal.workdays import add_workdays

BATCH = 2000


class Command(BaseCommand):
    help = "批量生成演示/压测用的政府信息公开申请。"

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--year", type=int, default=None, help="编号年度，默认今年。")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, year=None, seed=1, **options):
        if count < 1:
            raise CommandError("数量应为正整数。")
        units = list(PublishingUnit.objects.active().values_list("pk", flat=True))
        if not units:
            raise CommandError("没有发布单位，请先运行 load_demo。")
        rng = random.Random(seed)
        today = timezone.localdate()
        year = year or today.year
        first_day = dt.date(year, 1, 1)
        last_day = min(dt.date(year, 12, 31), today)
        span = (last_day - first_day).days
        # Twenty working days of calendar are enough to tell every due date from its receipt.
        due_cache: dict[dt.date, dt.date] = {}
        code_hash = Request.hash_access_code(
            access_codes.new_code()
        )  # one shared code: benchmark data
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                first = counters.take(NumberCounter, "last", count=size, year=year)
                rows = []
                for i in range(size):
                    serial = first + i
                    received = first_day + dt.timedelta(days=rng.randint(0, span))
                    if received not in due_cache:
                        due_cache[received] = add_workdays(received, deadlines.STATUTORY_WORKDAYS)
                    due = due_cache[received]
                    organisation = rng.random() < 0.25
                    replied = None
                    result = ""
                    state = State.PROCESSING
                    if due < today or rng.random() < 0.6:
                        replied = min(received + dt.timedelta(days=rng.randint(1, 35)), today)
                        replied = max(replied, received)
                        result = rng.choice(list(Result)).value
                        state = State.REPLIED
                    rows.append(
                        Request(
                            number=counters.tracking_number(NUMBER_PREFIX, year, serial),
                            year=year,
                            serial=serial,
                            access_code_hash=code_hash,
                            unit_id=rng.choice(units),
                            state=state,
                            channel=rng.choice(list(Channel)).value,
                            received_on=received,
                            due_on=due,
                            applicant_type=ApplicantType.ORGANISATION
                            if organisation
                            else ApplicantType.PERSON,
                            organisation_kind=rng.choice(list(OrganisationKind)).value
                            if organisation
                            else "",
                            name=f"压测申请人{serial}",
                            phone="13800000000",
                            info_description="压测数据",
                            medium=Medium.PAPER,
                            delivery=DeliveryRoute.POST,
                            replied_on=replied,
                            result=result,
                            workdays_taken=max((replied - received).days * 5 // 7, 0)
                            if replied
                            else None,
                        )
                    )
                created = Request.objects.bulk_create(rows)
                RequestEvent.objects.bulk_create(
                    [
                        RequestEvent(
                            request=row,
                            kind=EventKind.RECEIVED,
                            effective_on=row.received_on,
                            actor_label="压测",
                        )
                        for row in created
                    ]
                )
            made += size
            self.stdout.write(f"已生成 {made}/{count}")
        self.stdout.write(self.style.SUCCESS(f"共生成 {count} 件申请（{year}年）。"))
