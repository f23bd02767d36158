"""Synthetic published entries for benchmarks: `manage.py generate_entries 100000`.

Rows go in with bulk_create; 索引号 serials are reserved per unit and year in blocks from the same
counters that publication uses, so generated numbers never collide with real ones.
"""

import datetime as dt
import random
import time
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from disclosure import index_numbers, timeliness
from disclosure.models import Category, DocumentType, Entry, EntryState, SearchDocument, Validity
from disclosure.search import index as search_index
from portal.models import PublishingUnit, SiteProfile

# (topic, sentences used only with it): a realistic spread, so that a common word such as 政务
# appears in a minority of entries, as in a real catalog, not in every one.
TOPICS = [
    ("政府信息公开工作", "全面推进政务公开，坚持以公开为常态、不公开为例外。"),
    ("依申请公开办理", "依申请公开工作要严格依法办理，按时答复申请人。"),
    ("政务服务事项清单", "进一步优化政务服务，推行一网通办。"),
    ("年度财政预算", "财政资金使用情况接受社会监督，预算数据详见附表。"),
    ("部门决算", "本部门决算收支总体情况说明如下。"),
    ("三公经费", "因公出国（境）费、公务用车购置及运行费、公务接待费情况如下。"),
    ("行政许可事项", "申请人可通过线上或线下方式提交许可申请材料。"),
    ("行政处罚结果", "当事人对处罚决定不服的，可依法申请行政复议或者提起行政诉讼。"),
    ("重大建设项目批准", "项目建设地点、建设规模和总投资如下。"),
    ("政府集中采购", "采购项目名称、预算金额和中标结果公告如下。"),
    ("城乡居民医疗保险", "参保缴费标准和待遇享受时间按规定执行。"),
    ("义务教育招生", "适龄儿童入学登记时间和所需材料如下。"),
    ("就业创业补贴", "符合条件的人员可申领一次性创业补贴。"),
    ("安全生产检查", "检查发现的问题已责令限期整改。"),
    ("食品安全抽检", "本期共抽检食品样品批次，合格率情况如下。"),
    ("生态环境质量", "全市空气质量优良天数比例同比上升。"),
    ("突发事件应急预案", "各地各部门要做好应急值守和信息报送工作。"),
    ("公务员招录", "报考人员须符合招录职位要求的资格条件。"),
    ("统计公报", "全年地区生产总值按可比价格计算增长。"),
    ("年报", "现将本年度政府信息公开工作年度报告公布如下。"),
]
KINDS = ["通知", "公告", "实施意见", "管理办法", "工作方案", "情况说明", "公示", "报告"]
FILLER = [
    "请各县（市、区）人民政府、市直各单位结合实际认真贯彻执行。",
    "本通知自印发之日起施行。",
    "联系电话：0556-5349772，办公地址：安庆市振风大道100号。",
    "特此公告。",
    "各单位要明确责任分工，加强督促检查，确保各项任务落到实处。",
    "有关情况请登录本单位网站查询。",
]
GIN_INDEXES = ("searchdoc_tokens_gin", "searchdoc_sample_gin")
PREFIXES = ["宜政", "宜政办", "宜数", "宜教", "宜财", "宜环", "宜发改"]


class Command(BaseCommand):
    help = "生成N条已发布的模拟公开信息（用于性能测试）。"

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=20190515)
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, count, seed, batch_size, **options):
        if count < 1:
            raise CommandError("数量必须大于0。")
        all_units = list(PublishingUnit.objects.active())
        units = [unit for unit in all_units if unit.credit_code or unit.unit_code]
        if not units:
            raise CommandError(
                "没有可生成索引号的发布单位（需有统一社会信用代码或单位编码），"
                "请先运行 load_demo 或在后台添加单位。"
            )
        skipped = [unit.name for unit in all_units if unit not in units]
        if skipped:
            self.stderr.write(
                f"以下单位缺少统一社会信用代码和单位编码，已跳过：{'、'.join(skipped)}"
            )
        categories = [c for c in Category.objects.active() if c.is_leaf_node()]
        pattern = SiteProfile.load().index_number_pattern
        index_numbers.validate_pattern(pattern)
        rng = random.Random(seed)
        started = time.monotonic()
        today = timezone.localdate()
        now = timezone.now()
        first_year = today.year - 7
        due_cache: dict[dt.date, dt.date] = {}

        plans = []
        for _ in range(count):
            unit = rng.choice(units)
            year = rng.randint(first_year, today.year)
            made_on = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            made_on = min(made_on, today)
            published_on = min(made_on + dt.timedelta(days=rng.choice([0, 1, 3, 7, 14, 40])), today)
            published_at = timezone.make_aware(
                dt.datetime.combine(published_on, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
            )
            plans.append((unit, made_on, min(published_at, now)))

        per_unit_year = defaultdict(int)
        for unit, _made, published_at in plans:
            per_unit_year[(unit.pk, timezone.localtime(published_at).year)] += 1
        units_by_pk = {unit.pk: unit for unit in units}
        next_serial = {
            key: index_numbers.reserve_block(units_by_pk[key[0]], key[1], n)
            for key, n in per_unit_year.items()
        }

        batch, texts = [], []
        created = 0
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # A benchmark load, not production data: skip the per-commit fsync.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        if connection.vendor == "postgresql":
            # Row by row, the GIN index (fastupdate off for searches) would take minutes; a
            # pending list merged once at the end takes seconds.
            with connection.cursor() as cursor:
                for index in GIN_INDEXES:
                    cursor.execute(f"ALTER INDEX {index} SET (fastupdate = on)")
        with transaction.atomic():
            for unit, made_on, published_at in plans:
                local = timezone.localtime(published_at)
                key = (unit.pk, local.year)
                serial = next_serial[key]
                next_serial[key] += 1
                topic, sentence = rng.choice(TOPICS)
                kind = rng.choice(KINDS)
                title = f"{unit.short_name}关于{made_on.year}年{topic}的{kind}"
                paragraphs = [sentence] + [rng.choice(FILLER) for _ in range(rng.randint(1, 4))]
                body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
                summary = f"{unit.name}发布{topic}相关{kind}。"
                document_number = (
                    f"{rng.choice(PREFIXES)}〔{made_on.year}〕{rng.randint(1, 200)}号"
                    if rng.random() < 0.6
                    else ""
                )
                document_type = rng.choices(
                    [DocumentType.OTHER, DocumentType.NORMATIVE, DocumentType.RULE], [85, 12, 3]
                )[0]
                validity = rng.choices(
                    [Validity.VALID, Validity.EXPIRED, Validity.REPEALED], [90, 6, 4]
                )[0]
                if made_on not in due_cache:
                    due_cache[made_on] = timeliness.due_date(made_on)
                batch.append(
                    Entry(
                        unit=unit,
                        category=rng.choice(categories),
                        title=title,
                        summary=summary,
                        body=body,
                        document_number=document_number,
                        made_on=made_on,
                        due_on=due_cache[made_on],
                        published_at=published_at,
                        keywords=topic,
                        document_type=document_type,
                        validity=validity,
                        valid_from=made_on,
                        invalid_from=None if validity == Validity.VALID else today,
                        state=EntryState.PUBLISHED,
                        index_year=local.year,
                        index_serial=serial,
                        index_number=index_numbers.format_number(
                            pattern, index_numbers.unit_code(unit), local.date(), serial
                        ),
                    )
                )
                texts.append(" ".join(paragraphs))
                if len(batch) >= batch_size:
                    created += self._insert(batch, texts)
                    batch, texts = [], []
            if batch:
                created += self._insert(batch, texts)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for index in GIN_INDEXES:
                    cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
                    cursor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
                cursor.execute("ANALYZE disclosure_entry")
                cursor.execute("ANALYZE disclosure_searchdocument")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"已生成{created}条公开信息，用时{elapsed:.1f}秒。"))

    @staticmethod
    def _insert(entries, body_texts) -> int:
        Entry.objects.bulk_create(entries)
        SearchDocument.objects.bulk_create(
            [
                search_index.document_for(entry, text)
                for entry, text in zip(entries, body_texts, strict=True)
            ]
        )
        return len(entries)
