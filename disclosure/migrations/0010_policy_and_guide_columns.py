"""Columns for the policy library and service guides, and each standard column's update period.

`seed` is idempotent: the post_migrate hook (disclosure.apps) runs it again after a test flush,
when 0002's standard columns come back without these.
"""

from django.db import migrations
from django.db.models import F

# (slug, name, update period) appended under 法定主动公开内容.
# 政策解读 follow their documents (三同步 is checked per document), so no period of their own.
EXTRA = [("zcjd", "政策解读", "none"), ("bszn", "办事指南", "1y")]
PERIODS = {"fgwj": "6m", "zhinan": "none", "zhidu": "none", "fdzdgknr": "none"}


def seed(apps, schema_editor=None):
    # Historical models have no MPTT manager: append each child at the right end of its tree.
    Category = apps.get_model("disclosure", "Category")
    root = Category.objects.filter(slug="fdzdgknr").first()
    if root is None:
        return
    for slug, name, period in EXTRA:
        if Category.objects.filter(slug=slug).exists():
            continue
        position = root.rght
        Category.objects.filter(tree_id=root.tree_id, rght__gte=position).exclude(
            pk=root.pk
        ).update(rght=F("rght") + 2)
        Category.objects.filter(tree_id=root.tree_id, lft__gt=position).update(
            lft=F("lft") + 2
        )
        Category.objects.create(
            parent=root,
            name=name,
            slug=slug,
            column="proactive",
            order=Category.objects.filter(parent=root).count() + 1,
            tree_id=root.tree_id,
            level=root.level + 1,
            lft=position,
            rght=position + 1,
            update_period=period,
        )
        root.rght += 2
        root.save(update_fields=["rght"])
    for slug, period in PERIODS.items():
        Category.objects.filter(slug=slug, update_period="1y").update(update_period=period)


def unseed(apps, schema_editor):
    Category = apps.get_model("disclosure", "Category")
    Category.objects.filter(slug__in=[slug for slug, _, _ in EXTRA], entries=None).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0009_policy_library")]
    operations = [migrations.RunPython(seed, unseed)]
