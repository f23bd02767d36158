from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from disclosure import catalog
from disclosure.models import Category, Entry
from disclosure.navigation import forget_column_categories


@receiver([post_save, post_delete], sender=Category)
def category_changed(sender, **kwargs):
    forget_column_categories()


@receiver([post_save, post_delete], sender=Entry)
def entry_changed(sender, **kwargs):
    catalog.bump_version()
