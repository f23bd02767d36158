import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

from disclosure import navigation
from portal import pagecache
from portal.models import PublishingUnit

logger = logging.getLogger(__name__)


@pagecache.cache_public_page(pagecache.site)
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "units": PublishingUnit.objects.active().order_by("tree_id", "lft"),
            "latest": navigation.latest_items(limit=10),
        },
    )


@pagecache.cache_public_page(lambda request, slug: [pagecache.unit(slug)])
def unit_detail(request, slug):
    unit = get_object_or_404(PublishingUnit, slug=slug)
    return render(
        request,
        "portal/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.get_ancestors(),
            "children": unit.get_children().filter(is_active=True),
            "columns": navigation.unit_columns(unit),
        },
    )


@never_cache
def healthz(request):
    """Readiness, for the load balancer: 200 while the database answers, else 503.

    The cache is reported but not required: with Redis down or hung pages render from the
    database (slower, never stale), so pulling every instance would only turn a slowdown into an
    outage. `"cache": "down"` is for monitoring.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("health check: database unreachable")
        checks["database"] = "error"
    token = uuid.uuid4().hex
    try:
        cache.set("healthz", token, 5)
        checks["cache"] = "ok" if cache.get("healthz") == token else "down"
    except Exception:
        logger.warning("health check: cache unreachable")
        checks["cache"] = "down"
    ready = checks["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if ready else "error", **checks}, status=200 if ready else 503
    )


@never_cache
def liveness(request):
    """Liveness, for a process supervisor: the worker answers; nothing else is consulted, so a
    database or Redis outage never gets healthy workers restarted."""
    return JsonResponse({"status": "ok"})


def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)


def robots_txt(request):
    # The staff admin is not named: robots.txt is public, and a custom ADMIN_PATH is meant to stay
    # unknown. Its pages say noindex themselves (X-Robots-Tag, portal.middleware).
    lines = [
        "User-agent: *",
        # The guide, fees, process and statistics pages are public; the form and tracking are not.
        "Disallow: /yishenqing/shenqing/",
        "Disallow: /yishenqing/chaxun/",
        # A citizen's own case and the forms; the published Q&A stays indexable.
        "Disallow: /hudong/chaxun/",
        "Disallow: /hudong/pingjia/",
        f"Sitemap: {request.build_absolute_uri(reverse('disclosure:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors: the failure may be the database's.
    return HttpResponseServerError(loader.get_template("500.html").render({}))
