import time

from django.core.management.base import BaseCommand

from portal.mail import deliver_due


class Command(BaseCommand):
    help = "发送邮件队列中到期的邮件（失败的稍后重试）；--loop 持续运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="每隔 --interval 秒发送一次，直到被停止"
        )
        parser.add_argument("--interval", type=int, default=30)

    def handle(self, *args, loop=False, interval=30, **options):
        while True:
            sent, failed = deliver_due()
            if sent or failed:
                self.stdout.write(f"已发送 {sent} 封，失败 {failed} 封（将重试）。")
            if not loop:
                return
            time.sleep(interval)
