"""Public 依申请公开 pages. Thin: forms validate, `workflow` changes state, templates render.

The 查询码 never travels in a URL: the lookup is a POST, and a successful one stores the request's
id in the session for the pages that follow (timeline, downloads, supplement, withdrawal).
"""

import csv
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications import deadlines, fees, pdf, statistics, workflow
from applications.forms import (
    ApplicationForm,
    ComplaintForm,
    SupplementForm,
    TrackForm,
    WithdrawForm,
)
from applications.models import Document, Request, Result
from portal import ratelimit, scope
from portal.models import PublishingUnit, SiteProfile
from portal.submissions import submission_page
from portal.tracking import TrackingSession

logger = logging.getLogger(__name__)
RECEIPT_KEY = "applications:receipt"
# The transitions an applicant takes on the tracking page (when they may: workflow.available).
APPLICANT_STEPS = ["receive_supplement", "withdraw"]
TRACKED = TrackingSession("applications:track")
SUBMISSIONS_LIMITED = (
    "您在一小时内提交的申请已达上限，本次申请未提交。已填写的内容已保留，请一小时后再提交，"
    "或到受理单位当面提交。"
)


def _limited(request, message):
    return render(request, "applications/limited.html", {"message": message}, status=429)


def guide(request):
    units = PublishingUnit.objects.active().order_by("tree_id", "lft")
    return render(request, "applications/guide.html", {"units": units})


def process(request):
    return render(request, "applications/process.html")


def fee_standard(request):
    return render(
        request,
        "applications/fees.html",
        {
            "count_examples": [(n, fees.by_count(n)) for n in (10, 11, 30, 31, 41)],
            "page_examples": [(n, fees.by_pages(n)) for n in (30, 31, 100, 150, 250)],
        },
    )


def _file_application(request, form):
    new, code = workflow.submit_online(
        form.cleaned_data["unit"], form.request_data(), id_document=form.cleaned_data["id_document"]
    )
    request.session[RECEIPT_KEY] = {"number": new.number, "code": code}
    return redirect("applications:submitted")


@never_cache
def apply(request):
    def initial():
        unit_slug = request.GET.get("unit")
        if unit_slug:
            return {"unit": PublishingUnit.objects.active().filter(slug=unit_slug).first()}
        return {}

    return submission_page(
        request,
        ApplicationForm,
        action="submit",
        limit_message=SUBMISSIONS_LIMITED,
        template="applications/apply.html",
        limited_template="applications/limited.html",
        save=partial(_file_application, request),
        initial=initial,
    )


@never_cache
def submitted(request):
    receipt = request.session.pop(RECEIPT_KEY, None)
    return render(request, "applications/submitted.html", {"receipt": receipt})


def _tracked(request) -> Request | None:
    return TRACKED.get(request, Request.objects.select_related("unit"))


@never_cache
def track(request):
    if request.method == "POST":
        if not ratelimit.allow(request, "lookup", settings.RATE_LIMIT_LOOKUPS, window_seconds=600):
            return _limited(request, "查询次数过多，请十分钟后再试。")
        form = TrackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if TRACKED.log_in(request, Request.objects.all(), data["number"], data["code"]):
                return redirect("applications:track_detail")
            form.add_error(None, "申请编号或查询码不正确，请核对后重新输入。")
    else:
        form = TrackForm()
    return render(request, "applications/track.html", {"form": form})


@never_cache
def track_detail(request):
    tracked = _tracked(request)
    if tracked is None:
        messages.info(request, "请输入申请编号和查询码。")
        return redirect("applications:track")
    return _render_detail(request, tracked)


def _render_detail(request, tracked, status=200, **forms):
    """The tracking page; `forms` replaces a blank form with one as the applicant sent it."""
    tracked = (
        Request.objects.select_related("unit")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.filter(for_applicant=True)),
            "complaints",
        )
        .get(pk=tracked.pk)
    )
    events = tracked.events.filter(public=True).order_by("created_at", "pk")
    deadline = deadlines.for_request(tracked, timezone.localdate())
    steps = workflow.available(tracked, APPLICANT_STEPS)
    context = {
        "req": tracked,
        "events": events,
        "deadline": deadline,
        "supplement_form": SupplementForm() if "receive_supplement" in steps else None,
        "withdraw_form": WithdrawForm() if "withdraw" in steps else None,
        "complaint_form": ComplaintForm(),
    }
    context.update(forms)
    return render(request, "applications/track_detail.html", context, status=status)


@dataclass(frozen=True)
class PerRequestLimit:
    """How many of one action an applicant may take on one request a day (accepted ones count)."""

    bucket: str
    setting: str
    form_name: str
    message: str

    def reached(self, request, tracked) -> bool:
        limit = getattr(settings, self.setting)
        return ratelimit.reached(request, self.bucket, limit, subject=f"request:{tracked.pk}")

    def record(self, request, tracked) -> None:
        ratelimit.record(request, self.bucket, 24 * 3600, subject=f"request:{tracked.pk}")


COMPLAINTS_LIMIT = PerRequestLimit(
    "complaint",
    "RATE_LIMIT_COMPLAINTS",
    "complaint_form",
    "本申请今天提交的投诉已达上限，本次投诉未提交。已填写的内容已保留，请明天再提交，"
    "或直接联系受理单位。",
)
SUPPLEMENTS_LIMIT = PerRequestLimit(
    "supplement",
    "RATE_LIMIT_SUPPLEMENTS",
    "supplement_form",
    "本申请今天提交的补正已达上限，本次补正未提交。已填写的内容已保留（文件需重新选择），"
    "请明天再提交，或直接联系受理单位。",
)


def _tracked_or_redirect(request):
    tracked = _tracked(request)
    if tracked is None:
        messages.error(request, "查询已失效，请重新输入申请编号和查询码。")
    return tracked


def _transition_view(request, form_class, action, success, limit=None):
    tracked = _tracked_or_redirect(request)
    if tracked is None:
        return redirect("applications:track")
    form = form_class(request.POST, request.FILES)
    if limit and limit.reached(request, tracked):
        # Refused, not lost: the page again with what the applicant typed.
        messages.error(request, limit.message)
        return _render_detail(request, tracked, status=429, **{limit.form_name: form})
    if form.is_valid():
        try:
            action(tracked, form.cleaned_data)
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            if limit:
                limit.record(request, tracked)
            messages.success(request, success)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("applications:track_detail")


@require_POST
def track_supplement(request):
    return _transition_view(
        request,
        SupplementForm,
        lambda req, data: workflow.receive_supplement(
            req, text=data.get("text") or "", file=data.get("file")
        ),
        "补正材料已提交，答复期限自今日起重新计算。",
        limit=SUPPLEMENTS_LIMIT,
    )


@require_POST
def track_withdraw(request):
    return _transition_view(
        request, WithdrawForm, lambda req, data: workflow.withdraw(req), "申请已撤回。"
    )


@require_POST
def track_complaint(request):
    return _transition_view(
        request,
        ComplaintForm,
        lambda req, data: workflow.file_complaint(req, text=data["text"]),
        "投诉已提交，答复后可在本页查看。",
        limit=COMPLAINTS_LIMIT,
    )


@require_POST
def track_logout(request):
    TRACKED.log_out(request)
    messages.info(request, "已退出查询。")
    return redirect("applications:track")


@never_cache
def track_document(request, pk):
    tracked = _tracked(request)
    if tracked is None:
        raise Http404
    document = get_object_or_404(Document, pk=pk, request=tracked, for_applicant=True)
    return document_response(document)


def document_response(document: Document):
    """A stored file as is, or a letter rendered to PDF; always as an attachment."""
    if document.file:
        name = document.file.name.rsplit("/", 1)[-1]
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            logger.error("applications: stored file of document %s is missing", document.pk)
            raise Http404("文件不存在。") from None
        return FileResponse(handle, as_attachment=True, filename=name)
    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{document.request.number}-{document.pk}.pdf"'
    )
    return response


def document_pdf(document: Document, code: str | None = None) -> bytes:
    """An official document as issued (a letter from before the templates: as its text)."""
    if not document.is_letter:
        return pdf.letter(document.title, document.body, document.request.number)
    return pdf.document(document, code=code, seal=seal_image(document.frame.get("seal")))


def seal_image(name: str | None) -> bytes | None:
    """The seal image named in a document's frame, read from the private storage."""
    if not name:
        return None
    from applications.models import private_storage

    try:
        with private_storage().open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        logger.error("applications: a seal image named by a document is missing")
        return None


def form_pdf(request):
    response = HttpResponse(
        pdf.blank_form(SiteProfile.load().site_name), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="zhengfu-xinxi-gongkai-shenqingbiao.pdf"'
    return response


# --- statistics --------------------------------------------------------------------------------


def _stats_scope(request):
    # This year's figures by default: the page follows the work as it happens.
    years = scope.years(request, default=timezone.localdate().year, first=statistics.FIRST_YEAR)
    units = PublishingUnit.objects.active().order_by("tree_id", "lft")
    # "All units" counts abolished ones too: their requests stay in the year's figures.
    chosen = scope.units(request, units, within=PublishingUnit.objects.all(), by="slug")
    return {
        "year": years.year,
        "years": years.choices,
        "units": units,
        "unit": chosen.unit,
        "subtree": chosen.subtree,
    }, chosen.ids


BAR_WIDTH = 360


def _bars(items):
    """(label, value) pairs with the bar width for the server-rendered SVG chart."""
    peak = max((value for _, value in items), default=0) or 1
    return [
        {"label": label, "value": value, "width": round(BAR_WIDTH * value / peak), "y": 28 * i}
        for i, (label, value) in enumerate(items)
    ]


RESULT_GROUPS = [
    ("1", "予以公开"),
    ("2", "部分公开"),
    ("3", "不予公开"),
    ("4", "无法提供"),
    ("5", "不予处理"),
    ("6", "其他处理"),
]


STATS_CACHE_SECONDS = 300


def _summary(scope, unit_ids):
    """The public figures change slowly; a few minutes' cache keeps the page cheap under load."""
    key = "applications:stats:{}:{}:{}".format(
        scope["year"], scope["unit"].pk if scope["unit"] else "all", int(scope["subtree"])
    )
    try:
        summary = cache.get(key)
    except Exception:
        summary = None
    if summary is None:
        summary = statistics.summary(unit_ids, scope["year"])
        try:
            cache.set(key, summary, STATS_CACHE_SECONDS)
        except Exception:
            logger.warning("applications: statistics cache unavailable")
    return summary


def stats(request):
    scope, unit_ids = _stats_scope(request)
    summary = _summary(scope, unit_ids)
    by_group = {code: 0 for code, _ in RESULT_GROUPS}
    for code, _label, count in summary.by_result:
        by_group[Result(code).group] += count
    bars = _bars([(label, by_group[code]) for code, label in RESULT_GROUPS])
    return render(
        request,
        "applications/stats.html",
        {
            **scope,
            "summary": summary,
            "bars": bars,
            "chart_height": 28 * len(bars) + 8,
            "bar_max": BAR_WIDTH,
            "query": request.GET.urlencode(),
        },
    )


def stats_csv(request):
    scope, unit_ids = _stats_scope(request)
    summary = _summary(scope, unit_ids)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="yishenqing-{scope["year"]}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 only with a BOM
    writer = csv.writer(response)
    unit_name = scope["unit"].name if scope["unit"] else "全部单位"
    writer.writerow(
        ["年度", scope["year"], "单位", unit_name, "含下级单位", "是" if scope["subtree"] else "否"]
    )
    writer.writerow(["项目", "数量"])
    writer.writerow(["本年收到申请", summary.received])
    writer.writerow(["其中：网上申请", summary.online])
    writer.writerow(["其中：书面申请", summary.written])
    for label, value in summary.by_applicant:
        writer.writerow([f"申请人：{label}", value])
    for _code, label, value in summary.by_result:
        writer.writerow([f"办理结果：{label}", value])
    writer.writerow(["本年办结", summary.replied])
    writer.writerow(["按期办结", summary.on_time])
    writer.writerow(
        [
            "办理用时中位数（工作日）",
            summary.median_workdays if summary.median_workdays is not None else "",
        ]
    )
    return response
