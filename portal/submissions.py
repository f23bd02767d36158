"""A public form that files a case (an application, a message): the robot check of
`portal.botcheck`, a limit of accepted submissions per hour and address, and on any refusal the
form again with everything typed (only a file must be chosen anew)."""

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import render

from portal import ratelimit
from portal.botcheck import sign_started


def submission_page(
    request,
    form_class,
    *,
    action: str,
    limit_message: str,
    template: str,
    limited_template: str,
    save: Callable,
    initial: Callable[[], dict],
):
    """`save(form)` files the case and returns the response (its receipt), or None after adding
    an error to the form; `initial()` gives a blank form's values."""
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        # Only accepted submissions count against the limit: a mistyped form costs nothing.
        if ratelimit.reached(request, action, settings.RATE_LIMIT_SUBMISSIONS):
            form.add_error(None, limit_message)
            status = 429
        elif form.is_valid():
            if form.spam:
                # Answer a bot as if it failed for another reason, and keep nothing.
                return render(
                    request, limited_template, {"message": "提交未成功，请稍后再试。"}, status=429
                )
            response = save(form)
            if response is not None:
                ratelimit.record(request, action, window_seconds=3600)
                return response
    else:
        form = form_class(initial=initial())
    return render(request, template, {"form": form, "started": sign_started()}, status=status)
