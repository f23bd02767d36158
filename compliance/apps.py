from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "网站自查"

    def ready(self):
        from django.apps import apps

        from compliance import annual, checks  # noqa: F401 - register the built-in checks

        if apps.is_installed("interaction"):
            from compliance import interaction  # noqa: F401 - messages and consultations
