from django.apps import AppConfig


class GuidesConfig(AppConfig):
    """办事指南: part of the disclosure app, with its own tables."""

    name = "disclosure.guides"
    label = "guides"
    verbose_name = "办事指南"

    def ready(self):
        from disclosure import views as catalog_views
        from disclosure.guides import views
        from disclosure.guides.models import GuideMaterial
        from portal import pagecache, uploads

        uploads.track_new_files(GuideMaterial, "blank_form", "sample")

        # A guide's unit pages (its list and its page) and the site (search, home).
        pagecache.register(
            "guides.ServiceGuide", lambda guide: ["site", pagecache.unit(guide.unit.slug)]
        )
        # The catalog entry a guide is filed as opens the guide's own page.
        catalog_views.FILED_PAGE_RESOLVERS.append(views.filed_guide_url)
