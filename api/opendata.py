"""Open-data downloads (数据开放): each unit's catalog and each year's request statistics, as CSV
and JSON, at stable addresses listed on one page (/shuju/).

A catalog file is streamed row by row from the database (a unit may hold a hundred thousand
entries), so it is never held in memory or in the page cache; the statistics are small.
"""

import csv
import json

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from api.views import statistics_data
from disclosure.models import Entry
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
    return render(
        request,
        "api/opendata.html",
        {
            "units": PublishingUnit.objects.active().order_by("tree_id", "lft"),
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
    rows = _catalog_rows(request, unit)
    if extension == "csv":
        writer = csv.writer(_Echo())
        keys = [key for key, _ in CATALOG_COLUMNS]
        lines = (writer.writerow([row[key] for key in keys]) for row in rows)
        header = "\ufeff" + writer.writerow([label for _, label in CATALOG_COLUMNS])
        response = StreamingHttpResponse(
            _chain([header], lines), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            _json_array(unit, rows), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'inline; filename="mulu-{unit.slug}.{extension}"'
    return response


def _chain(*parts):
    for part in parts:
        yield from part


def _json_array(unit, rows):
    yield json.dumps({"unit": unit.slug, "unit_name": unit.name}, ensure_ascii=False)[:-1]
    yield ', "entries": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


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
