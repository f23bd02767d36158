"""Recreate the search index (SearchDocument) from the published entries."""

from django.core.management.base import BaseCommand

from disclosure.search import index


class Command(BaseCommand):
    help = "重建站内检索索引（例如调整分词方式之后）。"

    def handle(self, **options):
        count = index.rebuild()
        self.stdout.write(self.style.SUCCESS(f"已重建检索索引：{count}条公开信息。"))
