"""The standard first-level columns and the Art. 20 sub-columns (国办公开办函〔2019〕61号)."""

from django.db import migrations

# (slug, name, column, children as (slug, name))
STANDARD = [
    ("zhinan", "政府信息公开指南", "guide", []),
    ("zhidu", "政府信息公开制度", "rules", []),
    (
        "fdzdgknr",
        "法定主动公开内容",
        "proactive",
        [
            ("jgzn", "机构职能"),
            ("fgwj", "法规文件"),
            ("ghjh", "规划计划"),
            ("tjxx", "统计信息"),
            ("xzxk", "行政许可"),
            ("xzcf", "行政处罚和行政强制"),
            ("czyjs", "财政预决算"),
            ("xzsyxsf", "行政事业性收费"),
            ("zfjzcg", "政府集中采购"),
            ("zdjsxm", "重大建设项目"),
            ("mszc", "民生政策"),
            ("yjgl", "应急管理"),
            ("jdjc", "监督检查"),
            ("gwykl", "公务员招考"),
            ("qita", "其他"),
        ],
    ),
    ("nianbao", "政府信息公开年报", "annual_report", []),
]


def seed(apps, schema_editor):
    # Historical models have no MPTT manager: set the tree fields by hand (one tree per root).
    Category = apps.get_model("disclosure", "Category")
    for tree_id, (slug, name, column, children) in enumerate(STANDARD, start=1):
        if Category.objects.filter(slug=slug).exists():
            continue
        root = Category.objects.create(
            name=name,
            slug=slug,
            column=column,
            order=tree_id,
            tree_id=tree_id,
            level=0,
            lft=1,
            rght=2 + 2 * len(children),
        )
        for position, (child_slug, child_name) in enumerate(children):
            Category.objects.create(
                parent=root,
                name=child_name,
                slug=child_slug,
                column=column,
                order=position + 1,
                tree_id=tree_id,
                level=1,
                lft=2 + 2 * position,
                rght=3 + 2 * position,
            )


def unseed(apps, schema_editor):
    Category = apps.get_model("disclosure", "Category")
    Category.objects.filter(level=1).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
