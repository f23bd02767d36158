from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        # The self-check's findings and 年度报表 section come from compliance/interaction.py.
        from interaction import signals, workbench  # noqa: F401 - page cache, start-page panel
