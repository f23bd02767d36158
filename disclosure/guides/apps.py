from django.apps import AppConfig


class GuidesConfig(AppConfig):
    """办事指南: part of the disclosure app, with its own tables."""

    name = "disclosure.guides"
    label = "guides"
    verbose_name = "办事指南"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from disclosure import views as catalog_views
        from disclosure.guides import models, views

        for signal in (post_save, post_delete):
            signal.connect(
                models.guide_changed, sender=models.ServiceGuide, dispatch_uid=f"guide-{signal}"
            )
        # The catalog entry a guide is filed as opens the guide's own page.
        catalog_views.FILED_PAGE_RESOLVERS.append(views.filed_guide_url)
