"""The staff page of one workflow action on a case (a request, a message, a rating's 回访, a
consultation's 采纳情况): refused in the wrong state, its form shown, run on a valid POST, then back
to the case, or to the list when the case left the user's view. The apps keep their own action
tables and what differs (permission, initial values, extra facts on the page)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse


@dataclass(frozen=True)
class Step:
    """An action page outside an app's action table (the table's entries have these too)."""

    name: str
    label: str
    form: type
    run: Callable  # (case, user, cleaned data) -> the case
    help: str = ""
    success: str = ""


def action_page(
    model_admin,
    request,
    obj,
    spec,
    *,
    refusal: str = "",
    initial: dict | None = None,
    form=None,
    error: type[Exception],
    template: str,
    extra_context: dict | None = None,
):
    """`spec` has name, label, form, run(obj, user, data) and optionally help, success (the
    message once done) and done(result) -> (warning text; `run` then returned (case, ...)).
    `form`: one already made (a re-display)."""
    info = model_admin.opts.app_label, model_admin.opts.model_name
    change_url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    if refusal:
        messages.error(request, refusal)
        return redirect(change_url)
    if form is None and request.method == "POST":
        form = spec.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = spec.run(obj, request.user, form.cleaned_data)
            except error as exc:
                form.add_error(None, str(exc))
            else:
                done = getattr(spec, "done", None)
                if done:
                    messages.warning(request, done(result))
                    result = result[0]
                else:
                    success = getattr(spec, "success", "") or f"{spec.label}：已完成。"
                    messages.success(request, success)
                if model_admin.get_queryset(request).filter(pk=result.pk).exists():
                    return redirect(change_url)
                return redirect("admin:{}_{}_changelist".format(*info))
    elif form is None:
        form = spec.form(initial=initial or {})
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": obj,
        "form": form,
        "spec": spec,
        "title": f"{spec.label}：{obj}",
        "change_url": change_url,
        **(extra_context or {}),
    }
    return TemplateResponse(request, template, context)
