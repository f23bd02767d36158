from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "网站自查"

    def ready(self):
        # Other apps register their own checks and annual-report sections in their ready()
        # (interaction/selfcheck.py: unanswered messages, the 3-month veto, 互动交流 figures).
        from compliance import annual, checks  # noqa: F401 - register the built-in checks
