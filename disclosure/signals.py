from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from disclosure import catalog
from disclosure.models import Category, Entry, SearchSynonym
from disclosure.search import synonyms
from portal import pagecache
from portal.navigation import forget_column_roots


@receiver([post_save, post_delete], sender=Category)
def category_changed(sender, **kwargs):
    forget_column_roots()


@receiver([post_save, post_delete], sender=Entry)
def entry_changed(sender, **kwargs):
    catalog.bump_version()


@receiver([post_save, post_delete], sender=SearchSynonym)
def synonyms_changed(sender, **kwargs):
    synonyms.forget()
    # Search pages are cached under the site scope.
    pagecache.bump("site")
