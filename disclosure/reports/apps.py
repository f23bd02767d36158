from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Annual reports (政府信息公开工作年度报告): part of the disclosure app, with its own tables."""

    name = "disclosure.reports"
    label = "reports"
    verbose_name = "政府信息公开年报"

    def ready(self):
        from disclosure.reports import signals  # noqa: F401
