"""The public read-only API, /api/v1/: units, catalog entries, annual reports, request statistics;
service guides in api/guides.py, 互动交流 (messages, consultations) in api/interaction.py.

Only what the public pages show: published entries (scheduled ones once due), published reports,
aggregate request figures; never a draft, an applicant or a staff member. Answers are JSON, kept
in the page cache like the pages (portal/pagecache.py) and carry an ETag (ConditionalGetMiddleware,
or the cache on a hit) and, where the data has a time, Last-Modified; clients send If-None-Match
or If-Modified-Since and get 304. Rate limit and CORS: api/middleware.py.
"""

import base64
import binascii
import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from api.schema import (
    ENDPOINTS,
    OBJECTS,
    Field,
    Param,
    declare,
    declare_page,
    endpoint,
    openapi,
)
from applications import statistics
from disclosure import catalog as catalog_rules
from disclosure import search
from disclosure.models import Category, Entry, Validity
from disclosure.reports import tables
from disclosure.reports.models import AnnualReport
from portal import pagecache
from portal.models import PublishingUnit

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Deep offsets of a search are as costly as deep pages of the site (disclosure.views.MAX_PAGE).
MAX_SEARCH_OFFSET = 20_000
STATS_CACHE_SECONDS = 300


class BadRequest(Exception):
    pass


def _json(data, status=200, last_modified: dt.datetime | None = None) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def api_view(*scope_functions):
    """A GET view answering JSON: errors as {"error": "…"} with the right status, never HTML;
    kept in the page cache under `scope_functions` (see pagecache.cache_public_page)."""

    def decorator(view):
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return _json({"error": "只支持 GET 请求。"}, status=405)
            try:
                return view(request, *args, **kwargs)
            except BadRequest as error:
                return _json({"error": str(error)}, status=400)
            except Http404 as error:
                return _json({"error": str(error) or "不存在或未公开。"}, status=404)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        wrapped.api_response = getattr(view, "api_response", None)
        return pagecache.cache_public_page(*scope_functions)(wrapped)

    return decorator


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _int(request, name, minimum, maximum, default=None):
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise BadRequest(f"参数 {name} 应为 {minimum} 到 {maximum} 之间的整数。")
    return int(raw)


# ---- units ------------------------------------------------------------------------------------

UNIT = declare(
    "Unit",
    slug=Field("string", "单位标识，用于其他接口的 unit 参数"),
    name=Field("string", "单位全称"),
    short_name=Field("string", "简称"),
    kind=Field("string", "单位类型：government 人民政府，department 政府部门，institution 其他"),
    url=Field("string", "单位页面", format="uri"),
    catalog_url=Field("string", "信息公开目录页面", format="uri"),
    entries_api_url=Field("string", "本单位公开信息接口", format="uri"),
    children=Field("array", "下级单位", items="Unit"),
)
UNIT_LIST = declare("UnitList", results=Field("array", "单位树（顶级单位）", items="Unit"))


@endpoint("/api/v1/units/", "发布机构（树）", UNIT_LIST)
@api_view(pagecache.site)
def units(request):
    rows = list(PublishingUnit.objects.active().order_by("tree_id", "lft"))
    by_parent: dict[int | None, list] = {}
    active = {unit.pk for unit in rows}
    for unit in rows:
        parent = unit.parent_id if unit.parent_id in active else None
        by_parent.setdefault(parent, []).append(unit)

    def node(unit):
        return {
            "slug": unit.slug,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "url": _absolute(request, reverse("portal:unit", args=[unit.slug])),
            "catalog_url": _absolute(request, reverse("disclosure:catalog", args=[unit.slug])),
            "entries_api_url": _absolute(request, reverse("api:entries") + f"?unit={unit.slug}"),
            "children": [node(child) for child in by_parent.get(unit.pk, [])],
        }

    return _json({"results": [node(unit) for unit in by_parent.get(None, [])]})


# ---- entries ----------------------------------------------------------------------------------

ENTRY = declare(
    "Entry",
    id=Field("integer", "编号"),
    index_number=Field("string", "索引号"),
    title=Field("string", "名称"),
    unit=Field("string", "发布机构标识"),
    unit_name=Field("string", "发布机构"),
    category=Field("string", "信息分类标识"),
    category_name=Field("string", "信息分类"),
    document_number=Field("string", "文号（可为空字符串）"),
    made_on=Field("string", "生成日期", format="date"),
    published_at=Field("string", "发布时间", format="date-time"),
    validity=Field("string", "有效性：valid 有效，expired 失效，repealed 废止"),
    document_type=Field("string", "文件类型：rule 规章，normative 行政规范性文件，other 其他"),
    url=Field("string", "信息页面", format="uri"),
    api_url=Field("string", "本条信息接口", format="uri"),
)
ATTACHMENT = declare(
    "Attachment",
    name=Field("string", "文件名"),
    kind=Field("string", "文件类型（pdf、docx……）"),
    size=Field("integer", "大小（字节）"),
    url=Field("string", "下载地址", format="uri"),
)
ENTRY_DETAIL = declare(
    "EntryDetail",
    **OBJECTS[ENTRY],
    summary=Field("string", "内容概述"),
    body_html=Field("string", "正文（已净化的 HTML）"),
    keywords=Field("string", "主题词"),
    valid_from=Field("string", "生效日期", nullable=True, format="date"),
    invalid_from=Field("string", "失效/废止日期", nullable=True, format="date"),
    attachments=Field("array", "附件", items="Attachment"),
)
ENTRY_LIST = declare_page(
    "EntryList",
    "Entry",
    "本页信息",
    count=Field("integer", "符合条件的条数（仅检索时提供）", nullable=True),
    count_is_estimate=Field("boolean", "count 是否为估计值（宽泛的检索词）"),
)

ENTRY_FILTERS = [
    Param("unit", "发布机构标识（只含该单位，不含下级）"),
    Param("category", "信息分类标识（含下级分类）"),
    Param("year", "发布年份", "integer"),
    Param("validity", "有效性：valid、expired、repealed"),
    Param("q", "检索词（与站内检索相同：名称、概述、正文、文号；按相关度排序）"),
    Param("limit", f"每页条数，1–{MAX_PAGE_SIZE}，默认 {PAGE_SIZE}", "integer"),
    Param("cursor", "上一页返回的 next 中的游标"),
]


class _Addresses:
    """The absolute addresses of a list's entries (page and API), built from one reverse() per
    unit rather than two reverse() and two build_absolute_uri() per entry."""

    def __init__(self, request):
        root = request.build_absolute_uri("/")[:-1]
        # An entry's API address is the list's address followed by its id (api/urls.py).
        self.api = root + reverse("api:entries")
        self.pages = catalog_rules.EntryAddresses(root)

    def page(self, entry) -> str:
        return self.pages(entry.unit, entry.pk)


def _with_units(request, entries) -> list:
    """`entries` (loaded without their unit and category) with those of the shared lists (a
    unit or category created since is loaded)."""
    units = {unit.pk: unit for unit in catalog_rules.all_units(request)}
    categories = {category.pk: category for category in catalog_rules.all_categories(request)}
    for entry in entries:
        if entry.unit_id in units:
            entry.unit = units[entry.unit_id]
        if entry.category_id in categories:
            entry.category = categories[entry.category_id]
    return entries


def _entry(request, entry, addresses: _Addresses | None = None) -> dict:
    addresses = addresses or _Addresses(request)
    return {
        "id": entry.pk,
        "index_number": entry.index_number,
        "title": entry.title,
        "unit": entry.unit.slug,
        "unit_name": entry.unit.name,
        "category": entry.category.slug,
        "category_name": entry.category.name,
        "document_number": entry.document_number,
        "made_on": entry.made_on.isoformat(),
        "published_at": timezone.localtime(entry.published_at).isoformat(),
        "validity": entry.validity,
        "document_type": entry.document_type,
        "url": addresses.page(entry),
        "api_url": f"{addresses.api}{entry.pk}/",
    }


def _encode(cursor: str) -> str:
    return base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")


def _decode(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadRequest("游标无效，请使用上一页返回的 next 地址。") from None


def _next_url(request, cursor: str) -> str:
    params = request.GET.copy()
    params["cursor"] = _encode(cursor)
    return _absolute(request, f"{request.path}?{params.urlencode()}")


def keyset_page(request, rows, field: str, parse, limit: int):
    """One page of `rows`, newest first by (`field`, pk), after the request's cursor
    `<field value>|<pk>`, and the address of the next page (None on the last page)."""
    if request.GET.get("cursor"):
        at, _, pk = _decode(request.GET["cursor"]).rpartition("|")
        try:
            at, pk = parse(at), int(pk)
        except ValueError:
            raise BadRequest("游标无效，请使用上一页返回的 next 地址。") from None
        rows = rows.filter(Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": pk}))
    page = list(rows.order_by(f"-{field}", "-pk")[: limit + 1])
    if len(page) <= limit:
        return page, None
    page = page[:limit]
    return page, _next_url(request, f"{getattr(page[-1], field).isoformat()}|{page[-1].pk}")


def unit_param(request):
    """The unit of `?unit=<slug>` (only that unit, not its subtree, as the catalog), or None."""
    if not (slug := request.GET.get("unit")):
        return None
    unit = PublishingUnit.objects.active().filter(slug=slug).first()
    if unit is None:
        raise BadRequest(f"没有标识为 {slug} 的发布机构。")
    return unit


def choice_param(request, name: str, choices) -> str | None:
    """A value of a TextChoices from the query string; an unknown one is a 400."""
    value = request.GET.get(name, "")
    if value and value not in choices.values:
        raise BadRequest(f"参数 {name} 应为 {'、'.join(choices.values)} 之一。")
    return value or None


def _entry_filters(request):
    """The catalog's filters from the query string; an unknown value is a 400, not an empty list."""
    filters = {}
    if slug := request.GET.get("unit"):
        filters["unit"] = PublishingUnit.objects.active().filter(slug=slug).first()
        if filters["unit"] is None:
            raise BadRequest(f"没有标识为 {slug} 的发布机构。")
    if slug := request.GET.get("category"):
        categories = list(Category.objects.all())
        category = next((c for c in categories if c.slug == slug), None)
        if category is None:
            raise BadRequest(f"没有标识为 {slug} 的信息分类。")
        filters["category_ids"] = catalog_rules.subtree_ids(category, categories)
    filters["year"] = _int(request, "year", 1900, 2200)
    validity = request.GET.get("validity", "")
    if validity and validity not in Validity.values:
        raise BadRequest("参数 validity 应为 valid、expired 或 repealed。")
    filters["validity"] = validity or None
    return filters


@endpoint(
    "/api/v1/entries/",
    "主动公开信息列表与检索",
    ENTRY_LIST,
    ENTRY_FILTERS,
    "按发布时间从新到旧；带 q 时按相关度（名称命中、概述/文号命中、正文命中）再按时间排序。"
    "游标分页：请求 next 给出的地址取下一页。Last-Modified 为该单位（不带 unit 时为全部单位）"
    "公开信息的最近一次变动（含撤回、有效性变化）；带 q 时不提供 Last-Modified（以 ETag 为准）。",
)
@api_view(pagecache.site)
def entries(request):
    filters = _entry_filters(request)
    limit = _int(request, "limit", 1, MAX_PAGE_SIZE, PAGE_SIZE)
    if query := search.normalise_query(request.GET.get("q", "")):
        page, next_url, count, estimate = _search_page(request, query, filters, limit)
        # Equivalent terms and the ranking change an answer too: only its ETag says it did.
        changed = None
    else:
        rows = Entry.objects.public().defer("body")
        if "unit" in filters:
            rows = rows.filter(unit=filters["unit"])
        if "category_ids" in filters:
            rows = rows.filter(category_id__in=filters["category_ids"])
        if filters["year"] is not None:
            rows = rows.filter(published_at__year=filters["year"])
        if filters["validity"]:
            rows = rows.filter(validity=filters["validity"])
        page, next_url = keyset_page(
            request, rows, "published_at", dt.datetime.fromisoformat, limit
        )
        count, estimate = None, False
        changed = _list_changed(filters.get("unit"), page)
    addresses = _Addresses(request)
    return _json(
        {
            "count": count,
            "count_is_estimate": estimate,
            "next": next_url,
            "results": [_entry(request, entry, addresses) for entry in _with_units(request, page)],
        },
        last_modified=changed,
    )


def _search_page(request, query: str, filters: dict, limit: int):
    """One page of a search, ranked, after the offset cursor `o:<n>`; its next page's address,
    the count and whether that count is an estimate."""
    found = search.Search(query, **filters)
    offset = 0
    if request.GET.get("cursor"):
        cursor = _decode(request.GET["cursor"])
        if not cursor.startswith("o:") or not cursor[2:].isdigit():
            raise BadRequest("游标无效，请使用上一页返回的 next 地址。")
        offset = int(cursor[2:])
    if offset > MAX_SEARCH_OFFSET:
        raise BadRequest("检索结果最多翻到第 20,000 条，请增加检索词或筛选条件。")
    ids = found[offset : offset + limit + 1]
    loaded = Entry.objects.defer("body")
    by_pk = {entry.pk: entry for entry in loaded.filter(pk__in=ids[:limit])}
    page = [by_pk[pk] for pk in ids[:limit] if pk in by_pk]
    next_url = _next_url(request, f"o:{offset + limit}") if len(ids) > limit else None
    return page, next_url, found.count(), found.is_estimate


def _list_changed(unit, page) -> dt.datetime | None:
    """The Last-Modified of a catalog list: the newest change of any entry of its unit (of every
    unit without one) that is or was public, a withdrawal included, whatever the other filters
    (an entry whose 有效性 changes leaves the lists it no longer matches; unit and category are
    fixed once an entry is submitted). A scheduled entry whose time has come changed no row: it
    heads the first page, with its publication time."""
    scope = Entry.objects.all() if unit is None else Entry.objects.filter(unit=unit)
    times = [scope.last_public_change(), *(entry.published_at for entry in page)]
    return max(filter(None, times), default=None)


@endpoint(
    "/api/v1/entries/{id}/",
    "一条主动公开信息（含正文和附件地址）",
    ENTRY_DETAIL,
    [Param("id", "编号", "integer", where="path")],
)
@api_view(pagecache.site)
def entry(request, pk):
    found = get_object_or_404(Entry.objects.public().select_related("unit", "category"), pk=pk)
    return _json(
        {
            **_entry(request, found),
            "summary": found.summary,
            "body_html": found.body,
            "keywords": found.keywords,
            "valid_from": found.valid_from.isoformat() if found.valid_from else None,
            "invalid_from": found.invalid_from.isoformat() if found.invalid_from else None,
            "attachments": [
                {
                    "name": attachment.download_name,
                    "kind": attachment.kind,
                    "size": attachment.size,
                    "url": _absolute(request, attachment.get_absolute_url()),
                }
                for attachment in found.attachments.all()
            ],
        },
        # A scheduled entry's row last changed before its time came.
        last_modified=max(found.updated_at, found.published_at),
    )


# ---- annual reports ---------------------------------------------------------------------------

REPORT = declare(
    "Report",
    unit=Field("string", "发布单位标识"),
    unit_name=Field("string", "发布单位"),
    year=Field("integer", "年度"),
    title=Field("string", "标题"),
    format=Field("string", "格式：2021 统一格式（有表格数据），legacy 自由文本"),
    published_on=Field("string", "发布日期", format="date"),
    url=Field("string", "年报页面", format="uri"),
    api_url=Field("string", "本年报接口", format="uri"),
)
FIGURE = declare(
    "Figure",
    key=Field("string", "单元格代码，如 s3.granted.person"),
    label=Field("string", "单元格名称"),
    value=Field("number", "数值"),
)
REPORT_DETAIL = declare(
    "ReportDetail",
    **OBJECTS[REPORT],
    figures=Field("array", "统一格式表格的全部数值（自由文本格式为空）", items="Figure"),
    sections=Field("object", "文字部分（HTML），按节的代码"),
)
REPORT_LIST = declare("ReportList", results=Field("array", "已发布的年报", items="Report"))
# What only a report's own answer shows.
REPORT_TEXT = ["body", "overview", "problems", "other_matters"]


def _report(request, report) -> dict:
    return {
        "unit": report.unit.slug,
        "unit_name": report.unit.name,
        "year": report.year,
        "title": report.display_title,
        "format": report.format,
        "published_on": report.published_on.isoformat(),
        "url": _absolute(request, report.get_absolute_url()),
        "api_url": _absolute(request, reverse("api:report", args=[report.unit.slug, report.year])),
    }


@endpoint(
    "/api/v1/reports/",
    "政府信息公开工作年度报告",
    REPORT_LIST,
    [Param("unit", "发布单位标识"), Param("year", "年度", "integer")],
)
@api_view(pagecache.site)
def reports(request):
    # Every report ever published, a withdrawn one included: its withdrawal is the newest change.
    rows = (
        AnnualReport.objects.filter(published_at__isnull=False)
        .select_related("unit")
        .defer(*REPORT_TEXT)
        .order_by("-year", "unit__lft")
    )
    if slug := request.GET.get("unit"):
        rows = rows.filter(unit__slug=slug)
    if (year := _int(request, "year", 2008, 2100)) is not None:
        rows = rows.filter(year=year)
    rows = list(rows)
    changed = max((report.updated_at for report in rows), default=None)
    return _json(
        {"results": [_report(request, r) for r in rows if r.is_published]}, last_modified=changed
    )


@endpoint(
    "/api/v1/reports/{unit}/{year}/",
    "一份年度报告（统一格式的表格为数值）",
    REPORT_DETAIL,
    [Param("unit", "发布单位标识", where="path"), Param("year", "年度", "integer", "path")],
)
@api_view(lambda request, unit_slug, year: [pagecache.unit(unit_slug)])
def report(request, unit_slug, year):
    found = get_object_or_404(
        AnnualReport.objects.published().select_related("unit"), unit__slug=unit_slug, year=year
    )
    figures = []
    if found.is_official_format:
        values = found.figure_values()
        figures = [
            {"key": key, "label": tables.cell_label(key), "value": float(values[key])}
            for key in tables.ALL_KEYS
        ]
    sections = (
        {
            "overview": found.overview,
            "problems": found.problems,
            "other_matters": found.other_matters,
        }
        if found.is_official_format
        else {"body": found.body}
    )
    return _json(
        {**_report(request, found), "figures": figures, "sections": sections},
        last_modified=found.updated_at,
    )


# ---- request statistics -----------------------------------------------------------------------

COUNT = declare("Count", label=Field("string", "项目"), count=Field("integer", "数量"))
RESULT_COUNT = declare(
    "ResultCount",
    code=Field("string", "办理结果代码"),
    label=Field("string", "办理结果"),
    count=Field("integer", "数量"),
)
STATISTICS = declare(
    "Statistics",
    year=Field("integer", "年度"),
    unit=Field("string", "单位标识；全部单位时为 null", nullable=True),
    include_subtree=Field("boolean", "是否含下级单位"),
    received=Field("integer", "本年收到申请"),
    online=Field("integer", "其中网上申请"),
    written=Field("integer", "其中书面申请"),
    by_applicant=Field("array", "按申请人类型", items="Count"),
    by_result=Field("array", "按办理结果（本年办结）", items="ResultCount"),
    replied=Field("integer", "本年办结"),
    on_time=Field("integer", "按期办结"),
    median_workdays=Field("number", "办理用时中位数（工作日）", nullable=True),
)


def statistics_data(year: int, unit=None, subtree: bool = False) -> dict:
    """The public figures of one year (cached a few minutes: they change slowly)."""
    key = f"api:statistics:{year}:{unit.pk if unit else 'all'}:{int(subtree)}"
    data = cache.get(key)
    if data is None:
        if unit is None:
            unit_ids = list(PublishingUnit.objects.values_list("pk", flat=True))
        elif subtree:
            unit_ids = list(unit.get_descendants(include_self=True).values_list("pk", flat=True))
        else:
            unit_ids = [unit.pk]
        summary = statistics.summary(unit_ids, year)
        data = {
            "year": year,
            "unit": unit.slug if unit else None,
            "include_subtree": subtree,
            "received": summary.received,
            "online": summary.online,
            "written": summary.written,
            "by_applicant": [{"label": label, "count": n} for label, n in summary.by_applicant],
            "by_result": [
                {"code": code, "label": label, "count": n} for code, label, n in summary.by_result
            ],
            "replied": summary.replied,
            "on_time": summary.on_time,
            "median_workdays": summary.median_workdays,
        }
        cache.set(key, data, STATS_CACHE_SECONDS)
    return data


@endpoint(
    "/api/v1/statistics/{year}/",
    "依申请公开统计（公开的汇总数字）",
    STATISTICS,
    [
        Param("year", "年度", "integer", "path"),
        Param("unit", "单位标识；不填为全部单位"),
        Param("subtree", "1：含下级单位"),
    ],
)
@api_view()
def statistics_view(request, year):
    if not 2008 <= year <= timezone.localdate().year:
        raise Http404("没有该年度的统计。")
    unit = None
    if slug := request.GET.get("unit"):
        unit = PublishingUnit.objects.filter(slug=slug).first()
        if unit is None:
            raise BadRequest(f"没有标识为 {slug} 的单位。")
    return _json(statistics_data(year, unit, request.GET.get("subtree") == "1"))


# ---- the description ----------------------------------------------------------------------------


def _base(request) -> str:
    return _absolute(request, "/").rstrip("/")


@api_view(pagecache.site)
def schema(request):
    return _json(openapi(_base(request)))


@api_view(pagecache.site)
def index(request):
    return _json(
        {
            "units": _absolute(request, reverse("api:units")),
            "entries": _absolute(request, reverse("api:entries")),
            "reports": _absolute(request, reverse("api:reports")),
            "statistics": _absolute(
                request, reverse("api:statistics", args=[timezone.localdate().year])
            ),
            "guides": _absolute(request, reverse("api:guides")),
            "messages": _absolute(request, reverse("api:messages")),
            "consultations": _absolute(request, reverse("api:consultations")),
            "openapi": _absolute(request, reverse("api:schema")),
            "docs": _absolute(request, reverse("api:docs")),
        }
    )


@pagecache.cache_public_page(pagecache.site)
def docs(request):
    """The same declarations as openapi.json, for people."""
    document = openapi(_base(request))
    operations = [
        {
            "path": item.path,
            "summary": item.summary,
            "description": item.description,
            "parameters": item.params,
            "response": item.response,
            "example": _example_path(item.path),
        }
        for item in ENDPOINTS
    ]
    return render(
        request,
        "api/docs.html",
        {
            "document": document,
            "operations": operations,
            "schemas": [
                (name, [(key, _type_label(f), f) for key, f in fields.items()])
                for name, fields in OBJECTS.items()
            ],
            "schema_names": list(OBJECTS),
            "rate_limit": settings.API_RATE_LIMIT,
        },
    )


def _type_label(f: Field) -> str:
    label = f"{f.items} 的数组" if f.type == "array" else f.type
    if f.format:
        label += f"（{f.format}）"
    return label + ("，可为 null" if f.nullable else "")


def _example_path(path: str) -> str | None:
    """A link to try the operation, where it needs no path parameter but the year."""
    if "{" in path.replace("{year}", ""):
        return None
    return path.replace("{year}", str(timezone.localdate().year))
