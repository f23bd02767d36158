"""Open-data downloads (数据开放): each unit's catalog and service guides, each year's request
statistics and published messages (互动交流), as CSV and JSON, at stable addresses listed on one
page (/shuju/).

Catalog, guide and message files are streamed row by row from the database (a unit may hold a
hundred thousand entries), so they are never held in memory or in the page cache; the statistics
are small. Messages are read with their public columns alone (as api/interaction.py).
"""

import csv
import json

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from api.interaction import PUBLIC_COLUMNS as MESSAGE_COLUMNS
from api.views import statistics_data
from disclosure.guides.models import ServiceGuide
from disclosure.models import Entry
from interaction.models import Message
from portal import pagecache
from portal.models import PublishingUnit

CATALOG_COLUMNS = [
    ("index_number", "索引号"),
    ("title", "名称"),
    ("category", "信息分类"),
    ("document_number", "文号"),
    ("made_on", "生成日期"),
    ("published_on", "发布日期"),
    ("validity", "有效性"),
    ("url", "网址"),
]
FIRST_STATISTICS_YEAR = 2019


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_STATISTICS_YEAR - 1, -1))


@pagecache.cache_public_page(pagecache.site)
def index(request):
    units = PublishingUnit.objects.active().order_by("tree_id", "lft")
    return render(
        request,
        "api/opendata.html",
        {
            "units": units,
            # A guide's save bumps "site": the list follows publications and withdrawals.
            "guide_units": units.filter(pk__in=ServiceGuide.objects.published().values("unit_id")),
            "years": _years(),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _catalog_rows(request, unit):
    base = request.build_absolute_uri("/").rstrip("/")
    rows = (
        Entry.objects.public()
        .filter(unit=unit)
        .select_related("category")
        .only(
            "pk",
            "unit_id",
            "index_number",
            "title",
            "category__name",
            "document_number",
            "made_on",
            "published_at",
            "validity",
        )
        .order_by("-published_at", "-pk")
    )
    for entry in rows.iterator(chunk_size=2000):
        yield {
            "index_number": entry.index_number,
            "title": entry.title,
            "category": entry.category.name,
            "document_number": entry.document_number,
            "made_on": entry.made_on.isoformat(),
            "published_on": timezone.localtime(entry.published_at).date().isoformat(),
            "validity": entry.get_validity_display(),
            "url": base + reverse("disclosure:entry", args=[unit.slug, entry.pk]),
        }


def catalog(request, unit_slug, extension):
    unit = get_object_or_404(PublishingUnit.objects.active(), slug=unit_slug)
    head = {"unit": unit.slug, "unit_name": unit.name}
    rows = _catalog_rows(request, unit)
    return _stream(rows, CATALOG_COLUMNS, head, "entries", f"mulu-{unit.slug}", extension)


def _stream(rows, columns, head: dict, key: str, filename: str, extension: str):
    """`rows` (dicts) as a CSV table of `columns` or as `{**head, key: [rows]}` in JSON."""
    if extension == "csv":
        writer = csv.writer(_Echo())
        keys = [name for name, _ in columns]
        lines = (writer.writerow([row[name] for name in keys]) for row in rows)
        header = "\ufeff" + writer.writerow([label for _, label in columns])
        response = StreamingHttpResponse(
            _chain([header], lines), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            _json_array(head, key, rows), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'inline; filename="{filename}.{extension}"'
    return response


def _chain(*parts):
    for part in parts:
        yield from part


def _json_array(head: dict, key: str, rows):
    yield json.dumps(head, ensure_ascii=False)[:-1]
    yield f', "{key}": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


GUIDE_COLUMNS = [
    ("name", "事项名称"),
    ("code", "事项编码"),
    ("item_type", "事项类型"),
    ("basis", "设定依据"),
    ("accepting_body", "受理机构"),
    ("conditions", "申请条件"),
    ("location", "办理地点"),
    ("hours", "办理时间"),
    ("legal_limit_days", "法定时限（工作日）"),
    ("promised_limit_days", "承诺时限（工作日）"),
    ("visits", "到现场次数"),
    ("fees", "收费标准及依据"),
    ("consult_phone", "咨询电话"),
    ("complaint_phone", "监督投诉电话"),
    ("published_on", "发布日期"),
    ("url", "网址"),
]


# The columns copied from the guide as they are (the others are worded or built below).
GUIDE_FIELDS = [
    name for name, _ in GUIDE_COLUMNS if name not in ("item_type", "published_on", "url")
]


def guides(request, unit_slug, extension):
    """A unit's published guides; materials and steps are in each guide's API answer."""
    unit = get_object_or_404(PublishingUnit.objects.active(), slug=unit_slug)
    base = request.build_absolute_uri("/").rstrip("/")
    rows = (
        {
            **{name: getattr(guide, name) for name in GUIDE_FIELDS},
            "item_type": guide.get_item_type_display(),
            "published_on": timezone.localtime(guide.published_at).date().isoformat(),
            "url": base + reverse("guides:detail", args=[unit.slug, guide.pk]),
        }
        for guide in ServiceGuide.objects.published()
        .filter(unit=unit)
        .order_by("item_type", "name", "pk")
        .iterator(chunk_size=2000)
    )
    head = {"unit": unit.slug, "unit_name": unit.name}
    return _stream(rows, GUIDE_COLUMNS, head, "guides", f"bszn-{unit.slug}", extension)


MESSAGE_FILE_COLUMNS = [
    ("number", "留言编号"),
    ("subject", "标题"),
    ("kind", "留言类型"),
    ("unit", "办理单位"),
    ("reply_unit", "答复部门"),
    ("received_on", "受理日期"),
    ("replied_on", "答复日期"),
    ("published_on", "公开日期"),
    ("question", "留言内容"),
    ("reply", "答复内容"),
    ("url", "网址"),
]


def messages(request, year, extension):
    """The messages published in `year`, in their public version only."""
    year = int(year)
    if year not in _years():
        raise Http404("没有该年度的留言。")
    base = request.build_absolute_uri("/").rstrip("/")
    rows = (
        {
            "number": message.number,
            "subject": message.public_subject,
            "kind": message.get_kind_display(),
            "unit": message.unit.name,
            "reply_unit": message.reply_unit.name,
            "received_on": message.received_on.isoformat(),
            "replied_on": message.replied_on.isoformat(),
            "published_on": timezone.localtime(message.published_at).date().isoformat(),
            "question": message.public_text,
            "reply": message.public_reply,
            "url": base + message.get_absolute_url(),
        }
        for message in Message.objects.published()
        .filter(published_at__year=year)
        .select_related("unit", "reply_unit")
        .only(*MESSAGE_COLUMNS, "public_text", "public_reply")
        .order_by("-published_at", "-pk")
        .iterator(chunk_size=2000)
    )
    return _stream(
        rows, MESSAGE_FILE_COLUMNS, {"year": year}, "messages", f"liuyan-{year}", extension
    )


STATISTICS_COLUMNS = [
    ("received", "本年收到申请"),
    ("online", "网上申请"),
    ("written", "书面申请"),
    ("replied", "本年办结"),
    ("on_time", "按期办结"),
    ("median_workdays", "办理用时中位数（工作日）"),
]


@pagecache.cache_public_page(pagecache.site)
def statistics(request, year, extension):
    year = int(year)
    if year not in _years():
        raise Http404("没有该年度的统计。")
    per_unit = [
        (unit, statistics_data(year, unit))
        for unit in PublishingUnit.objects.active().order_by("tree_id", "lft")
    ]
    total = statistics_data(year)
    if extension == "json":
        from django.http import JsonResponse

        return JsonResponse(
            {"year": year, "total": total, "units": [data for _, data in per_unit]},
            json_dumps_params={"ensure_ascii": False},
        )
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="tongji-{year}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 only with a BOM
    writer = csv.writer(response)
    result_labels = [item["label"] for item in total["by_result"]]
    writer.writerow(["单位", *[label for _, label in STATISTICS_COLUMNS], *result_labels])
    for name, data in [(unit.name, data) for unit, data in per_unit] + [("合计", total)]:
        writer.writerow(
            [
                name,
                *[data[key] if data[key] is not None else "" for key, _ in STATISTICS_COLUMNS],
                *[item["count"] for item in data["by_result"]],
            ]
        )
    return response
