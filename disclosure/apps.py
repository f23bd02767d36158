import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seed_standard_categories(sender, using="default", **kwargs):
    """After every migrate (and a test flush), an empty catalog gets its standard columns back."""
    from django.apps import apps

    Category = apps.get_model("disclosure", "Category")
    if not Category.objects.using(using).exists():
        importlib.import_module("disclosure.migrations.0002_seed_categories").seed(apps, None)
        importlib.import_module("disclosure.migrations.0010_policy_and_guide_columns").seed(apps)


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "主动公开"

    def ready(self):
        from disclosure import signals, workbench  # noqa: F401 - receivers, start-page panel
        from disclosure.models import Attachment
        from portal import uploads

        uploads.track_new_files(Attachment, "file", "thumbnail")

        post_migrate.connect(
            seed_standard_categories, sender=self, dispatch_uid="disclosure-seed-categories"
        )
