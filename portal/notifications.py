"""E-mails to citizens and staff, rendered from `<template>_subject.txt`, `<template>_body.txt` and
`<template>.html`, queued in the caller's transaction (`portal.mail`).

Callers run these only through `transaction.on_commit`, with primary keys, so a rolled-back change
sends nothing and the message shows the committed state. Addresses are never logged.
"""

import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from portal import mail, permissions
from portal.models import SiteProfile

_state = threading.local()


@contextmanager
def muted():
    """No e-mail inside this block: demo data and bulk imports must not write to anyone."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def send(template: str, context: dict, recipients: list[str], attachments=()) -> None:
    recipients = [address for address in recipients if address]
    if not recipients or getattr(_state, "muted", False):
        return
    context = {"site": SiteProfile.load(), **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text = render_to_string(f"{template}_body.txt", context)
    html = render_to_string(f"{template}.html", context)
    # Queued in the caller's transaction; the queue sends it and retries a failure later.
    mail.queue(" ".join(subject.splitlines()), text, html, recipients, attachments)


def staff_emails(units, roles) -> list[str]:
    """The addresses of active staff holding one of `roles` in any of `units`, a 单位管理员's role
    in a unit above included (as `permissions.can` counts it)."""
    holding = permissions.memberships_holding(roles, units)
    users = get_user_model().objects.filter(is_active=True, pk__in=holding.values("user_id"))
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))
