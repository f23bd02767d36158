from django.core.management.base import BaseCommand

from compliance import selfcheck
from disclosure import policy


class Command(BaseCommand):
    help = "每日自查：存储到期文件的有效性变更，检查每个单位和全站并保存结果（用于12周趋势）。"

    def handle(self, *args, **options):
        changed = policy.apply_due_changes()
        snapshots = selfcheck.run_all()
        site = snapshots[-1]
        self.stdout.write(
            f"有效性到期变更{changed}件；已检查{len(snapshots) - 1}个单位和全站，"
            f"全站得分{site.score}分，问题{len(site.findings)}个。"
        )
