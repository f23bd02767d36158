import importlib
import importlib.util
import secrets

from django.core.management.base import BaseCommand

# Each app that has demo content provides `<app>.demo.load(stdout, ...)`; order matters.
# The catalog comes last: its entries are published after last year's reports, in time order.
DEMO_MODULES = [
    "portal.demo",
    "applications.demo",
    "disclosure.reports.demo",
    "disclosure.demo",
    "disclosure.demo_policy",
    "disclosure.guides.demo",
    "interaction.demo",
]


class Command(BaseCommand):
    help = "载入演示数据（可重复运行，不会重复创建）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="仅当数据库中没有发布单位时载入。"
        )

    def handle(self, *args, if_empty=False, **options):
        from portal.models import PublishingUnit

        if if_empty and PublishingUnit.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据。")
            return
        staff_password = secrets.token_urlsafe(12)
        created_staff = []
        for name in DEMO_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            if name == "portal.demo":
                created_staff = module.load(self.stdout, staff_password=staff_password)
            else:
                module.load(self.stdout)
        if created_staff:
            # Shown once: the password is stored nowhere but in the users' hashes.
            self.stdout.write(f"演示工作人员密码（仅显示一次）：{staff_password}")
        self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
