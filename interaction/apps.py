from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        from interaction import signals  # noqa: F401 - page-cache invalidation
