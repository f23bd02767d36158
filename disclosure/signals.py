"""What a change in the catalog invalidates (portal/pagecache.py), after the commit."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from mptt.signals import node_moved

from disclosure import policy
from disclosure.models import Category, Entry, EntryState, SearchSynonym
from disclosure.navigation import forget_column_categories
from disclosure.search import synonyms
from portal import pagecache


def entry_scopes(entry) -> list[str]:
    # The unit's catalog counts are keyed by these scopes too (disclosure.catalog).
    scopes = ["site", pagecache.unit(entry.unit.slug)]
    if entry.interprets_id:
        # The interpreted document's page lists its 解读 (disclosure/policy.py).
        scopes.append(pagecache.unit(entry.interprets.unit.slug))
    return scopes


def next_scheduled_publication():
    """An entry published for a later time appears when its time comes, without a write."""
    return (
        Entry.objects.filter(state=EntryState.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


pagecache.register("disclosure.Entry", entry_scopes)
pagecache.register("disclosure.Attachment", lambda attachment: entry_scopes(attachment.entry))
# Category columns appear on every unit page and in every catalog.
pagecache.register("disclosure.Category", lambda category: ["all"])
# Search pages (site scope) expand queries with the equivalent terms.
pagecache.register("disclosure.SearchSynonym", lambda synonym: ["site"])
pagecache.register_schedule(next_scheduled_publication)
# A document's 有效性 changes by itself at the midnight of its 失效日期.
pagecache.register_schedule(policy.next_change_at)


@receiver([post_save, post_delete, node_moved], sender=Category)
def category_changed(sender, **kwargs):
    forget_column_categories()


@receiver([post_save, post_delete], sender=SearchSynonym)
def synonyms_changed(sender, **kwargs):
    synonyms.forget()
