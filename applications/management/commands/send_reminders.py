"""Daily: refresh paused due dates and tell handlers about requests due soon or overdue.

Idempotent: a request is reminded at most once a day (a REMINDED event marks it), so a timer that
fires twice, or a rerun after a failure, sends nothing twice.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from applications import workflow
from applications.models import DUE_SOON_WORKDAYS, Request, State


class Command(BaseCommand):
    help = f"向办理人员发送{DUE_SOON_WORKDAYS}个工作日内到期及已超期的申请提醒（每天运行一次，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--close-expired",
            action="store_true",
            help="同时终止补正期限或缴费期限已届满的申请（计入其他处理1、2）。",
        )

    def handle(self, *args, close_expired=False, **options):
        today = timezone.localdate()
        paused = Request.objects.filter(state__in=[State.CONSULTING, State.AWAITING_PAYMENT])
        for request in paused.only("pk"):
            workflow.refresh_due_date(request, on=today)

        closed = 0
        if close_expired:
            closed = self._close_expired(today)

        sent = 0
        due = Request.objects.filter(
            Request.objects.due_soon_q(today) | Request.objects.overdue_q(today)
        )
        for request in due.only("pk").order_by("due_on"):
            if workflow.remind(request, on=today):
                sent += 1
        self.stdout.write(f"已发送到期提醒 {sent} 件；终止逾期未补正/未缴费申请 {closed} 件。")
        if apps.is_installed("interaction"):
            from interaction import reminders

            self.stdout.write(f"已发送留言到期提醒 {reminders.send(today)} 件。")

    def _close_expired(self, today) -> int:
        closed = 0
        expiring = [
            (State.SUPPLEMENT, workflow.supplement_expired),
            (State.AWAITING_PAYMENT, workflow.fee_expired),
        ]
        for state, close in expiring:
            for request in Request.objects.filter(state=state).only("pk"):
                try:
                    close(request, on=today)
                except workflow.WorkflowError:
                    continue  # the period has not run out yet
                closed += 1
        return closed
