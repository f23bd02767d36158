"""Demo policy library: 解读 of the demo's normative documents, and a new 数据资源局 measure that
repeals its old 暂行办法 (so both pages show the link). Runs after disclosure.demo; safe to run
again."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from disclosure import workflow
from disclosure.models import Category, ChangeKind, DocumentChange, DocumentType, Entry
from portal.permissions import SYSTEM

INTERPRETED = [
    ("安庆市2026年政务公开工作要点", "图解：《安庆市政务公开工作要点》"),
    ("义务教育阶段学校招生入学工作意见", "一图读懂市区义务教育招生入学政策"),
]


def _publish(entry, when):
    workflow.record_creation(entry, SYSTEM)
    workflow.publish_directly(entry, SYSTEM, when, "演示数据")


def load(stdout) -> None:
    categories = {c.slug: c for c in Category.objects.filter(slug__in=["zcjd", "fgwj"])}
    if len(categories) < 2:
        stdout.write("未找到政策解读或法规文件分类，跳过政策文件演示数据。")
        return
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for fragment, title in INTERPRETED:
            document = (
                Entry.objects.public()
                .filter(title__contains=fragment, document_type=DocumentType.NORMATIVE)
                .first()
            )
            if document is None or Entry.objects.filter(title=title).exists():
                continue
            published = max(
                document.published_at + dt.timedelta(days=1), now - dt.timedelta(days=1)
            )
            published = min(published, now)
            entry = Entry.objects.create(
                unit=document.unit,
                category=categories["zcjd"],
                title=title,
                summary=f"对《{document.title}》的背景依据、主要内容和关键词的解读。",
                body="<h2>一、出台背景</h2><p>为贯彻落实上级部署，结合本地实际制定。</p>"
                "<h2>二、主要内容</h2><p>明确了重点任务、责任分工和完成时限。</p>"
                "<h2>三、关键词</h2><p>同步起草、同步审签、同步发布。</p>",
                made_on=timezone.localdate(published),
                keywords="政策解读",
                document_type=DocumentType.INTERPRETATION,
                interprets=document,
            )
            _publish(entry, published)
            created += 1
        old = Entry.objects.filter(title="市数据资源局行政事业性收费管理暂行办法").first()
        title = "市数据资源局行政事业性收费管理办法"
        if old is not None and not Entry.objects.filter(title=title).exists():
            start = timezone.localdate().replace(month=1, day=1)
            new = Entry.objects.create(
                unit=old.unit,
                category=categories["fgwj"],
                title=title,
                summary="规范本局行政事业性收费的项目、标准和公示。",
                body="<p>第一条 为规范行政事业性收费管理，制定本办法。</p>"
                "<p>第十条 本办法自印发之日起施行，《市数据资源局行政事业性收费管理暂行办法》同时废止。</p>",
                document_number=f"宜数据〔{start.year}〕1号",
                made_on=start - dt.timedelta(days=10),
                keywords="行政事业性收费",
                document_type=DocumentType.NORMATIVE,
                valid_from=start,
            )
            DocumentChange.objects.create(document=new, target=old, kind=ChangeKind.REPEALS)
            when = timezone.make_aware(
                dt.datetime.combine(start - dt.timedelta(days=5), dt.time(10))
            )
            _publish(new, min(when, now))
            created += 1
    stdout.write(f"政策文件演示数据：新增{created}条。")
