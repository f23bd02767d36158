from django.apps import AppConfig, apps


class InteractionConfig(AppConfig):
    name = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        from interaction import signals  # noqa: F401 - page-cache invalidation

        if apps.is_installed("compliance"):
            from interaction import selfcheck  # noqa: F401 - findings and the 年度报表 section
