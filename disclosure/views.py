"""Public pages of the catalog: a unit's catalog, an entry, attachments, search."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date

from disclosure import catalog as catalog_rules
from disclosure import policy
from disclosure import search as search_rules
from disclosure.models import Attachment, Category, Entry, Validity
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


def search(request):
    query = search_rules.normalise_query(request.GET.get("q", ""))
    unit = None
    category = None
    unit_slug = request.GET.get("unit", "")
    category_slug = request.GET.get("category", "")
    units = list(PublishingUnit.objects.active().order_by("tree_id", "lft"))
    categories = list(Category.objects.active())
    if unit_slug:
        unit = next((u for u in units if u.slug == unit_slug), None)
    if category_slug:
        category = next((c for c in categories if c.slug == category_slug), None)
    year = _int_param(request, "year", minimum=1900, maximum=2200)
    page = None
    if query:
        results = Entry.objects.public().search(query)
        if unit is not None:
            results = results.filter(unit=unit)
        if category is not None:
            results = results.filter(
                category__tree_id=category.tree_id,
                category__lft__gte=category.lft,
                category__rght__lte=category.rght,
            )
        if year is not None:
            results = results.filter(published_at__year=year)
        # Rank and page over ids only, then load the page's twenty entries.
        page = _page(request, search_rules.RankedIds(results, query))
        ids = list(page.object_list)
        loaded = Entry.objects.select_related("unit", "category").defer("search_document")
        by_pk = {entry.pk: entry for entry in loaded.filter(pk__in=ids)}
        page.object_list = [by_pk[pk] for pk in ids if pk in by_pk]
        for entry in page.object_list:
            entry.title_html = search_rules.highlight(entry.title, query, width=300)
            source = " ".join(filter(None, [entry.summary, entry.body_text]))
            entry.snippet = search_rules.highlight(source, query)
    current_year = timezone.localdate().year
    return render(
        request,
        "disclosure/search.html",
        {
            "search_query": query,
            "page_obj": page,
            "units": units,
            "categories": categories,
            "unit": unit,
            "category": category,
            "year": year,
            "year_choices": range(current_year, current_year - 15, -1),
            "base_query": _base_query(request),
        },
    )


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
