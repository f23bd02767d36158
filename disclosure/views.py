"""Public pages of the catalog: a unit's catalog, an entry, attachments, search."""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.http import http_date

from disclosure import catalog as catalog_rules
from disclosure import policy
from disclosure import search as search_rules
from disclosure.models import Attachment, Category, Entry, Validity
from disclosure.search import misses as search_misses
from disclosure.search import results as search_results
from portal import uploads
from portal.models import PublishingUnit

MAX_PAGE = 1000


def _int_param(request, name, minimum=1, maximum=None):
    """A positive integer from the query string, or None; bad input is ignored, never a 500."""
    raw = request.GET.get(name, "")
    if not raw.isdigit() or len(raw) > 6:
        return None
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        return None
    return value


def _base_query(request) -> str:
    """The current filters as a query string prefix for page links (escaped by the template)."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


class _CountedPaginator(Paginator):
    """The total is known from the cached catalog figures: no COUNT(*) per page view."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def _page(request, queryset, count=None):
    if count is None:
        paginator = Paginator(queryset, settings.CATALOG_PAGE_SIZE, allow_empty_first_page=True)
    else:
        paginator = _CountedPaginator(queryset, settings.CATALOG_PAGE_SIZE, count)
    number = _int_param(request, "page", maximum=MAX_PAGE) or 1
    return paginator.get_page(number)


def catalog(request, unit_slug, category_slug=None):
    unit = get_object_or_404(PublishingUnit, slug=unit_slug)
    stats = catalog_rules.unit_stats(unit)
    categories = list(Category.objects.all())
    catalog_rules.annotate_counts(categories, stats)
    category = None
    category_ids = None
    entries = Entry.objects.public().filter(unit=unit)
    if category_slug is not None:
        category = next((c for c in categories if c.slug == category_slug), None)
        if category is None or not (category.is_active or category.entry_count):
            raise Http404("分类不存在。")
        category_ids = catalog_rules.subtree_ids(category, categories)
        entries = entries.filter(category_id__in=category_ids)
    year = _int_param(request, "year", minimum=1900, maximum=2200)
    if year is not None:
        entries = entries.filter(published_at__year=year)
    page = _page(
        request,
        entries.select_related("category")
        .defer("body", "search_document")
        .order_by("-published_at", "-pk"),
        count=catalog_rules.total(stats, category_ids, year),
    )
    return render(
        request,
        "disclosure/catalog.html",
        {
            "unit": unit,
            "ancestors": unit.get_ancestors(),
            # A retired category stays listed while it still holds entries, so they stay
            # reachable.
            "categories": [c for c in categories if c.is_active or c.entry_count],
            "category": category,
            "years": catalog_rules.years(stats, category_ids),
            "year": year,
            "page_obj": page,
            "base_query": _base_query(request),
        },
    )


def entry_detail(request, unit_slug, pk):
    entry = get_object_or_404(
        Entry.objects.public().select_related("unit", "category", "annual_report__unit"),
        pk=pk,
        unit__slug=unit_slug,
    )
    # An annual report or a service guide is filed in the catalog as an entry; its own page
    # shows it whole.
    report = getattr(entry, "annual_report", None)
    if report is not None:
        return redirect(report.get_absolute_url(), permanent=True)
    filed = _filed_page(entry)
    if filed is not None:
        return redirect(filed, permanent=False)
    context = {
        "entry": entry,
        "unit": entry.unit,
        "ancestors": entry.unit.get_ancestors(),
        "attachments": list(entry.attachments.all()),
    }
    if entry.is_policy_document:
        context["changed_by"] = policy.changed_by(entry)
        context["changes_made"] = policy.changes_made(entry)
        context["interpretations"] = policy.interpretations(entry)
    elif entry.interprets_id:
        interpreted = Entry.objects.public().select_related("unit").filter(pk=entry.interprets_id)
        context["interpreted"] = interpreted.first()
    response = render(request, "disclosure/entry_detail.html", context)
    # ConditionalGetMiddleware answers If-Modified-Since / If-None-Match with 304.
    response["Last-Modified"] = http_date(entry.updated_at.timestamp())
    return response


# Apps that file their own pages in the catalog (service guides) register a function here that
# returns the page of an entry they filed, or None.
FILED_PAGE_RESOLVERS = []


def _filed_page(entry):
    for resolver in FILED_PAGE_RESOLVERS:
        url = resolver(entry)
        if url:
            return url
    return None


def _public_attachment(pk):
    attachment = get_object_or_404(Attachment.objects.select_related("entry"), pk=pk)
    if not attachment.entry.is_public:
        raise Http404("附件不存在。")
    return attachment


def attachment_download(request, pk):
    attachment = _public_attachment(pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在。") from None
    # as_attachment + filename: Django writes an RFC 6266 header (filename*=UTF-8''...) with the
    # name quoted, so a crafted name cannot inject headers or become inline HTML.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=uploads.CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )


def attachment_thumbnail(request, pk):
    attachment = _public_attachment(pk)
    if not attachment.thumbnail:
        raise Http404("没有缩略图。")
    try:
        handle = attachment.thumbnail.open("rb")
    except FileNotFoundError:
        raise Http404("缩略图不存在。") from None
    return FileResponse(handle, content_type=uploads.CONTENT_TYPES[attachment.kind])


def _facet_links(request, name, values):
    """[(label, count, url, selected)] for one facet: a link sets that filter, keeping the rest
    (in their order; built from pairs, as copying the QueryDict per link cost more than the
    search itself on a broad query's thirty links)."""
    pairs = [(key, value) for key, value in request.GET.items() if key != "page"]
    position = next((i for i, (key, _value) in enumerate(pairs) if key == name), len(pairs))
    # The parameters around this one are the same in every link: encoded once.
    before, after = urlencode(pairs[:position]), urlencode(pairs[position + 1 :])
    before, after = before and f"{before}&", after and f"&{after}"
    current = request.GET.get(name)
    return [
        (label, count, f"{before}{urlencode([(name, value)])}{after}", current == str(value))
        for value, label, count in values
    ]


def _named(counts, rows) -> list:
    """(slug, name, count) of the facet's `counts` by primary key, for the `rows` shown."""
    by_pk = {row.pk: row for row in rows}
    return [(by_pk[pk].slug, by_pk[pk].name, n) for pk, n in counts if pk in by_pk][:FACET_SIZE]


def _facets(request, found, units, categories):
    facets = found.facets()
    validity_labels = dict(Validity.choices)
    values = {
        "unit": _named(facets["unit"], units),
        "year": [(y, f"{y}年", n) for y, n in facets["year"]],
        "category": _named(facets["category"], categories),
        "validity": [(v, validity_labels.get(v, v), n) for v, n in facets["validity"]],
    }
    titles = {"unit": "发布机构", "year": "发布年份", "category": "信息分类", "validity": "有效性"}
    return [(title, _facet_links(request, name, values[name])) for name, title in titles.items()]


FACET_SIZE = 10


def search(request):
    query = search_rules.normalise_query(request.GET.get("q", ""))
    unit = None
    category = None
    unit_slug = request.GET.get("unit", "")
    category_slug = request.GET.get("category", "")
    validity = request.GET.get("validity", "")
    if validity not in Validity.values:
        validity = ""
    all_units = catalog_rules.all_units(request)
    units = [u for u in all_units if u.is_active]
    all_categories = catalog_rules.all_categories(request)
    categories = [c for c in all_categories if c.is_active]
    if unit_slug:
        unit = next((u for u in units if u.slug == unit_slug), None)
    if category_slug:
        category = next((c for c in categories if c.slug == category_slug), None)
    year = _int_param(request, "year", minimum=1900, maximum=2200)
    page = None
    facets = []
    found = None
    if query:
        found = search_rules.Search(
            query,
            unit=unit,
            year=year,
            category_ids=catalog_rules.subtree_ids(category, all_categories) if category else None,
            validity=validity or None,
        )
        # Rank and page over ids only, then load the page's twenty entries. An exact count is at
        # most about a thousand: Django's paginator takes the search itself.
        page = _EstimatedPage(request, found) if found.is_estimate else _page(request, found)
        page.object_list = search_results.page_results(
            list(page.object_list), found.highlight_terms, all_units, all_categories
        )
        facets = _facets(request, found, units, all_categories)
    current_year = timezone.localdate().year
    response = render(
        request,
        "disclosure/search.html",
        {
            "search_query": query,
            "page_obj": page,
            "count_label": _count_label(found),
            "estimated": found is not None and found.is_estimate,
            "facets": facets,
            "unit_choices": [(u.slug, u.name) for u in units],
            "category_choices": [
                (c.slug, f"— {c.name}" if c.level else c.name) for c in categories
            ],
            "unit": unit,
            "category": category,
            "year": year,
            "validity": validity,
            "validity_choices": Validity.choices,
            "year_choices": [(y, f"{y}年") for y in range(current_year, current_year - 15, -1)],
            "base_query": _base_query(request),
        },
    )
    if found is not None and not found.count():
        filtered = unit or category or year or validity
        if not filtered and page.number == 1:
            search_misses.record(query)
        # Not kept in the page cache: every visitor's empty search is counted for staff.
        patch_cache_control(response, private=True)
    return response


def _count_label(found) -> str:
    if found is None:
        return ""
    return search_rules.count_text(found.count(), found.is_estimate)


class _EstimatedPage:
    """A page of results whose total is an estimate, which may be off either way: whether a next
    page exists is read (one id past the page), so every match is reachable and the last page
    has no 下一页; there is no page count and no last-page link. A page past the end is empty
    (the template says there is nothing more, not that nothing was found)."""

    def __init__(self, request, found):
        size = settings.CATALOG_PAGE_SIZE
        self.number = _int_param(request, "page", maximum=MAX_PAGE) or 1
        start = (self.number - 1) * size
        ids = found[start : start + size + 1]
        self.object_list = ids[:size]
        self.has_next = len(ids) > size and self.number < MAX_PAGE
        self.has_previous = self.number > 1
        # What the pagination template asks of a paginator: a second page exists or not.
        self.paginator = SimpleNamespace(num_pages=self.number + self.has_next, count=found.count())

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def policy_library(request):
    """政策文件库: 规章 and 行政规范性文件, 现行有效 unless another 有效性 is asked for."""
    filters = policy.LibraryFilters.from_query(request.GET)
    page = _page(request, policy.library_queryset(filters))
    current_year = timezone.localdate().year
    return render(
        request,
        "disclosure/policy_library.html",
        {
            "filters": filters,
            "page_obj": page,
            "units": PublishingUnit.objects.active().order_by("tree_id", "lft"),
            "type_choices": [(t.value, t.label) for t in policy.POLICY_TYPES],
            "validity_choices": [*Validity.choices, (policy.VALIDITY_ALL, "全部")],
            "year_choices": range(current_year, current_year - 30, -1),
            "base_query": _base_query(request),
            "export_query": request.GET.urlencode(),
        },
    )


def policy_library_csv(request):
    filters = policy.LibraryFilters.from_query(request.GET)
    body = policy.library_csv(
        policy.library_queryset(filters), request.build_absolute_uri("/")[:-1]
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        "attachment; filename=\"zhengce.csv\"; filename*=UTF-8''%E6%94%BF%E7%AD%96%E6%96%87%E4%BB%B6%E5%BA%93.csv"
    )
    return response
