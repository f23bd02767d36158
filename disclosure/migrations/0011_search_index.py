"""The search index moves from a column of the entry to its own narrow table (SearchDocument),
with field, filter and sample tokens (disclosure/search/); equivalent terms and the count of
queries that found nothing.

On PostgreSQL the tokens are a text[] with a GIN index; fastupdate is off so that a search never
reads a pending list that grows with every publication.
"""

import disclosure.models
import django.db.models.deletion
import django.utils.timezone
from types import SimpleNamespace

from django.db import migrations, models


GIN = (
    "CREATE INDEX searchdoc_tokens_gin ON disclosure_searchdocument "
    "USING gin (tokens) WITH (fastupdate = off)"
)
SYNONYMS = [
    "年报 = 年度报告",
    "依申请 = 依申请公开",
    "信息公开 = 政务公开",
    "三公 = 三公经费",
    "预算 = 部门预算",
    "决算 = 部门决算",
    "规范性文件 = 行政规范性文件",
    "招聘 = 招录",
]


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GIN)


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS searchdoc_tokens_gin")


def fill_index(apps, schema_editor):
    from disclosure.search.index import document_tokens, is_indexed
    from disclosure.search.tokens import as_document
    from django.utils import timezone

    Entry = apps.get_model("disclosure", "Entry")
    SearchDocument = apps.get_model("disclosure", "SearchDocument")
    batch = []
    # Plain values: the historical Entry still has the old column, named like the new relation.
    rows = (
        Entry.objects.filter(state="published")
        .exclude(index_number="")
        .values(
            "pk", "state", "index_number", "published_at", "title", "summary", "body",
            "document_number", "unit_id", "category_id", "validity",
        )
    )
    for values in rows.iterator(2000):
        entry = SimpleNamespace(**values)
        if not is_indexed(entry):
            continue
        batch.append(
            SearchDocument(
                entry_id=entry.pk,
                unit_id=entry.unit_id,
                category_id=entry.category_id,
                published_at=entry.published_at,
                year=timezone.localtime(entry.published_at).year,
                validity=entry.validity,
                tokens=as_document(document_tokens(entry)),
            )
        )
        if len(batch) >= 2000:
            SearchDocument.objects.bulk_create(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("disclosure", "SearchSynonym")
    for terms in SYNONYMS:
        SearchSynonym.objects.get_or_create(terms=terms)


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0010_policy_and_guide_columns'),
        ('portal', '0004_admin_log_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('terms', models.CharField(help_text='用空格或“=”分隔，例如：年报 = 年度报告。检索其中任一词时，同时检索其他词。', max_length=200, unique=True, verbose_name='等同词')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='修改时间')),
            ],
            options={
                'verbose_name': '检索同义词',
                'verbose_name_plural': '检索同义词',
                'ordering': ['terms'],
            },
        ),
        migrations.CreateModel(
            name='SearchMiss',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(max_length=40, verbose_name='检索词')),
                ('week', models.DateField(verbose_name='所在周（周一）')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='次数')),
                ('last_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='最近一次')),
            ],
            options={
                'verbose_name': '无结果检索',
                'verbose_name_plural': '无结果检索',
                'ordering': ['-week', '-count'],
                'indexes': [models.Index(fields=['week', '-count'], name='searchmiss_week_count')],
                'constraints': [models.UniqueConstraint(fields=('query', 'week'), name='searchmiss_query_week_unique')],
            },
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='disclosure.entry', verbose_name='公开信息')),
                ('published_at', models.DateTimeField(verbose_name='发布时间')),
                ('year', models.PositiveSmallIntegerField(verbose_name='发布年份')),
                ('validity', models.CharField(choices=[('valid', '现行有效'), ('amended', '已修改'), ('repealed', '已废止'), ('expired', '已失效')], max_length=20, verbose_name='有效性')),
                ('tokens', disclosure.models.SearchTokensField(verbose_name='检索词元')),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='disclosure.category', verbose_name='信息分类')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.publishingunit', verbose_name='发布机构')),
            ],
            options={
                'verbose_name': '检索索引',
                'verbose_name_plural': '检索索引',
                'ordering': ['-published_at', '-entry'],
                'indexes': [models.Index(fields=['-published_at', '-entry'], name='searchdoc_published'), models.Index(fields=['unit', '-published_at'], name='searchdoc_unit_published')],
            },
        ),
        # Filled before the GIN index is built: one index build instead of 100,000 inserts.
        migrations.RunPython(fill_index, migrations.RunPython.noop),
        migrations.RunPython(create_gin_index, drop_gin_index),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='entry',
            name='search_document',
        ),
    ]
