"""Public 互动交流 pages. Thin: forms validate, `workflow` changes state, templates render.

The 查询码 never travels in a URL: the look-up is a POST and the tracking session
(`portal.tracking`) remembers the message for the pages that follow. Public pages are cached for
anonymous visitors and invalidated after any change of what they show (`interaction.signals`).
"""

import csv
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from interaction import events, statistics, workflow
from interaction.forms import CommentForm, MessageForm, RatingForm, TrackForm
from interaction.models import (
    CommentState,
    Consultation,
    ConsultationAttachment,
    Message,
    MessageState,
    RatingLevel,
)
from portal import pagecache, ratelimit
from portal.botcheck import sign_started
from portal.models import PublishingUnit
from portal.submissions import submission_page
from portal.tracking import TrackingSession

RECEIPT_KEY = "interaction:receipt"
TRACKING = TrackingSession("interaction:track")
# The applicant's session of 依申请公开 (opened on its tracking page), to rate their request.
REQUEST_TRACKING = TrackingSession("applications:track")
PAGE_SIZE = 20
SUBMISSIONS_LIMITED = (
    "您在一小时内提交的留言已达上限，本次留言未提交。已填写的内容已保留，请一小时后再提交。"
)


# Every change bumps "interaction" and its unit's "interaction:<slug>" (interaction.signals): a
# unit's page follows its own unit only; the other pages, the site-wide scope (which also spares a
# query on each cache hit of a message or consultation page).
def _scope_site(request, *args, **kwargs):
    return ["interaction"]


def _scope_unit(request, slug, *args, **kwargs):
    return [f"interaction:{slug}"]


def _limited(request, message):
    return render(request, "interaction/limited.html", {"message": message}, status=429)


def _published():
    return Message.objects.published().select_related("unit", "reply_unit")


def _search(queryset, q: str):
    for word in q.split()[:5]:
        queryset = queryset.filter(
            Q(public_subject__icontains=word)
            | Q(public_text__icontains=word)
            | Q(public_reply__icontains=word)
        )
    return queryset


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- published messages ----------------------------------------------------------------------


@pagecache.cache_public_page(_scope_site)
def index(request):
    q = (request.GET.get("q") or "").strip()[:50]
    found = _published().order_by("-published_at")
    if q:
        found = _search(found, q)
    today = timezone.localdate()
    return render(
        request,
        "interaction/index.html",
        {
            "q": q,
            "page": _page(request, found),
            "faq": _published().filter(is_faq=True).order_by("-published_at")[:5],
            "open_consultations": Consultation.objects.published()
            .filter(opens_on__lte=today, closes_on__gte=today)
            .select_related("unit")[:5],
        },
    )


@pagecache.cache_public_page(_scope_unit)
def unit_page(request, slug):
    unit = get_object_or_404(PublishingUnit, slug=slug)
    q = (request.GET.get("q") or "").strip()[:50]
    found = _published().filter(unit=unit).order_by("-published_at")
    if q:
        found = _search(found, q)
    year = timezone.localdate().year
    _rows, total = statistics.monthly([unit.pk], year)
    return render(
        request,
        "interaction/unit.html",
        {
            "unit": unit,
            "ancestors": unit.get_ancestors(),
            "q": q,
            "page": _page(request, found),
            "faq": _published().filter(unit=unit, is_faq=True).order_by("-published_at")[:10],
            "year": year,
            "total": total,
        },
    )


@pagecache.cache_public_page(_scope_site)
def message_detail(request, number):
    message = get_object_or_404(_published(), number=number)
    return render(request, "interaction/message.html", {"message": message})


@pagecache.cache_public_page(_scope_site)
def faq(request):
    found = _published().filter(is_faq=True).order_by("unit__tree_id", "unit__lft", "-published_at")
    return render(request, "interaction/faq.html", {"page": _page(request, found)})


# --- leaving and following a message ---------------------------------------------------------


def _file_message(request, form):
    unit = form.target_unit()
    if unit is None:
        form.add_error("unit", "请选择留言对象。")
        return None
    new, code = workflow.submit(
        unit, form.message_data(), attachment=form.cleaned_data["attachment"]
    )
    request.session[RECEIPT_KEY] = {
        "number": new.number,
        "code": code,
        "due_on": new.due_on.isoformat(),
        "unit": new.unit.name,
    }
    return redirect("interaction:submitted")


@never_cache
def leave_message(request):
    def initial():
        unit = PublishingUnit.objects.active().filter(slug=request.GET.get("unit") or "").first()
        kind = request.GET.get("kind")
        values = {"unit": unit}
        if kind in dict(MessageForm.base_fields["kind"].choices):
            values["kind"] = kind
        return values

    return submission_page(
        request,
        MessageForm,
        action="message",
        limit_message=SUBMISSIONS_LIMITED,
        template="interaction/leave_message.html",
        limited_template="interaction/limited.html",
        save=partial(_file_message, request),
        initial=initial,
    )


@never_cache
def submitted(request):
    receipt = request.session.pop(RECEIPT_KEY, None)
    return render(request, "interaction/submitted.html", {"receipt": receipt})


@never_cache
def track(request):
    if request.method == "POST":
        if not ratelimit.allow(
            request, "message-lookup", settings.RATE_LIMIT_LOOKUPS, window_seconds=600
        ):
            return _limited(request, "查询次数过多，请十分钟后再试。")
        form = TrackForm(request.POST)
        if form.is_valid():
            found = TRACKING.log_in(
                request,
                Message.objects.all(),
                form.cleaned_data["number"],
                form.cleaned_data["code"],
            )
            if found is not None:
                return redirect("interaction:track_detail")
            form.add_error(None, "留言编号或查询码不正确，请核对后重新输入。")
    else:
        form = TrackForm()
    return render(request, "interaction/track.html", {"form": form})


@never_cache
def track_detail(request):
    message = TRACKING.get(request, Message.objects.select_related("unit", "reply_unit"))
    if message is None:
        messages.info(request, "请输入留言编号和查询码。")
        return redirect("interaction:track")
    rating = getattr(message, "rating", None)  # a missing one-to-one raises AttributeError
    return render(
        request,
        "interaction/track_detail.html",
        {
            "message": message,
            "history": events.history(message, for_staff=False),
            "rating": rating,
            "rating_form": RatingForm()
            if message.state == MessageState.REPLIED and rating is None
            else None,
        },
    )


@require_POST
def track_rate(request):
    message = TRACKING.get(request, Message.objects.all())
    if message is None:
        messages.error(request, "查询已失效，请重新输入留言编号和查询码。")
        return redirect("interaction:track")
    _rate(request, RatingForm(request.POST), workflow.rate_message, message)
    return redirect("interaction:track_detail")


def _rate(request, form, rate, subject):
    if form.is_valid():
        try:
            rating = rate(
                subject, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"]
            )
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            done = "感谢您的评价。"
            if rating.is_negative:
                done += f"工作人员将在{rating.followup_due_on:%Y年%m月%d日}前回访，回访情况将在本页显示。"
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)


@require_POST
def track_logout(request):
    TRACKING.log_out(request)
    messages.info(request, "已退出查询。")
    return redirect("interaction:track")


@never_cache
def rate_request(request):
    """满意度评价 of an answered 依申请公开 request, from its tracking session."""
    Request = apps.get_model("applications", "Request")
    req = REQUEST_TRACKING.get(request, Request.objects.select_related("unit"))
    if req is None:
        messages.info(request, "请先输入申请编号和查询码。")
        return redirect("applications:track")
    rating = getattr(req, "rating", None)
    if request.method == "POST":
        _rate(request, RatingForm(request.POST), workflow.rate_request, req)
        return redirect("interaction:rate_request")
    return render(
        request,
        "interaction/rate_request.html",
        {
            "req": req,
            "rating": rating,
            "rating_form": RatingForm() if req.replied_on and rating is None else None,
        },
    )


# --- statistics ------------------------------------------------------------------------------


def _stats_scope(request):
    today = timezone.localdate()
    years = list(range(today.year, 2019 - 1, -1))
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    units = PublishingUnit.objects.active().order_by("tree_id", "lft")
    unit = units.filter(slug=request.GET.get("unit") or "").first()
    if unit is None:
        unit_ids = list(PublishingUnit.objects.values_list("pk", flat=True))
    else:
        unit_ids = [unit.pk]
    return {"year": year, "years": years, "units": units, "unit": unit}, unit_ids


@pagecache.cache_public_page(_scope_site)
def stats(request):
    scope, unit_ids = _stats_scope(request)
    rows, total = statistics.monthly(unit_ids, scope["year"])
    return render(
        request,
        "interaction/stats.html",
        {**scope, "rows": rows, "total": total, "query": request.GET.urlencode()},
    )


def stats_csv(request):
    scope, unit_ids = _stats_scope(request)
    rows, total = statistics.monthly(unit_ids, scope["year"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = scope["unit"].slug if scope["unit"] else "all"
    response["Content-Disposition"] = f'attachment; filename="liuyan-{scope["year"]}-{slug}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 only with a BOM
    writer = csv.writer(response)
    writer.writerow(
        ["年度", scope["year"], "单位", scope["unit"].name if scope["unit"] else "全部单位"]
    )
    writer.writerow(["月份", "收到留言", "答复", "按期答复", "平均答复用时（工作日）", "公开"])

    def cells(label, figures):
        average = "" if figures.average_workdays is None else figures.average_workdays
        return [
            label,
            figures.received,
            figures.answered,
            figures.on_time,
            average,
            figures.published,
        ]

    for row in rows:
        writer.writerow(cells(f"{row.month}月", row))
    writer.writerow(cells("合计", total))
    return response


@pagecache.cache_public_page(_scope_site)
def satisfaction(request):
    scope, unit_ids = _stats_scope(request)
    figures = statistics.ratings(unit_ids, scope["year"])
    return render(
        request,
        "interaction/satisfaction.html",
        {
            **scope,
            "figures": figures,
            "levels": [
                (RatingLevel(level).label, n, share) for level, n, share in figures.by_level
            ],
        },
    )


# --- consultations ---------------------------------------------------------------------------


@pagecache.cache_public_page(_scope_site)
def consultations(request):
    found = Consultation.objects.published().select_related("unit")
    return render(
        request,
        "interaction/consultations.html",
        {"page": _page(request, found), "today": timezone.localdate()},
    )


@pagecache.cache_public_page(_scope_site)
def consultation_detail(request, pk):
    consultation = get_object_or_404(Consultation.objects.published().select_related("unit"), pk=pk)
    return render(
        request,
        "interaction/consultation.html",
        {
            "consultation": consultation,
            "is_open": consultation.is_open(),
            "comments": consultation.comments.filter(state=CommentState.PUBLISHED),
            "attachments": consultation.attachments.all(),
        },
    )


@never_cache
def consultation_comment(request, pk):
    consultation = get_object_or_404(Consultation.objects.published(), pk=pk)
    if not consultation.is_open():
        messages.error(request, "该意见征集不在征集期内，不能提交意见。")
        return redirect(consultation)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if ratelimit.reached(request, "comment", settings.RATE_LIMIT_SUBMISSIONS):
            form.add_error(None, "您在一小时内提交的意见已达上限，请一小时后再提交。")
        elif form.is_valid():
            if form.spam:
                return _limited(request, "提交未成功，请稍后再试。")
            try:
                workflow.submit_comment(
                    consultation,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    text=form.cleaned_data["text"],
                )
            except workflow.WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                ratelimit.record(request, "comment", window_seconds=3600)
                messages.success(request, "意见已提交，经审核后公开。感谢您的参与。")
                return redirect(consultation)
    else:
        form = CommentForm()
    return render(
        request,
        "interaction/comment.html",
        {"consultation": consultation, "form": form, "started": sign_started()},
    )


def consultation_attachment(request, pk):
    attachment = get_object_or_404(
        ConsultationAttachment.objects.filter(consultation__in=Consultation.objects.published()),
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name or "attachment")
