"""E-mails, rendered from templates/applications/email/<name>_{subject,body}.txt and <name>.html.

Called only through `transaction.on_commit`, with primary keys, so a rolled-back change sends
nothing and the message shows the committed state. Addresses are never logged.
"""

import logging
import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from portal import mail
from portal.models import Role, SiteProfile

logger = logging.getLogger(__name__)
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


def _send(name: str, context: dict, recipients: list[str]) -> None:
    recipients = [address for address in recipients if address]
    if not recipients or getattr(_state, "muted", False):
        return
    context = {"site": SiteProfile.load(), **context}
    subject = render_to_string(f"applications/email/{name}_subject.txt", context).strip()
    text = render_to_string(f"applications/email/{name}_body.txt", context)
    html = render_to_string(f"applications/email/{name}.html", context)
    # Queued in the caller's transaction; the queue sends it and retries a failure later.
    mail.queue(" ".join(subject.splitlines()), text, html, recipients)


def _request(pk):
    from applications.models import Request

    return Request.objects.select_related("unit").get(pk=pk)


def unit_staff_emails(unit, roles=(Role.HANDLER, Role.UNIT_ADMIN)) -> list[str]:
    users = get_user_model().objects.filter(
        is_active=True,
        unit_memberships__unit=unit,
        unit_memberships__role__in=list(roles),
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def receipt(request_pk: int, code: str) -> None:
    """The number and 查询码 to the applicant, once, when an e-mail was given."""
    request = _request(request_pk)
    _send("receipt", {"request": request, "code": code}, [request.email])


def applicant_update(request_pk: int, event_pk: int) -> None:
    from applications.models import RequestEvent

    request = _request(request_pk)
    event = RequestEvent.objects.get(pk=event_pk)
    if event.public:
        _send("update", {"request": request, "event": event}, [request.email])


def new_request(request_pk: int) -> None:
    request = _request(request_pk)
    _send("new_request", {"request": request}, unit_staff_emails(request.unit))


def reminder(request_pk: int) -> None:
    request = _request(request_pk)
    _send("reminder", {"request": request}, unit_staff_emails(request.unit))


def complaint_filed(complaint_pk: int) -> None:
    from applications.models import Complaint

    complaint = Complaint.objects.select_related("request__unit", "handled_by").get(pk=complaint_pk)
    if complaint.handled_by is not None:
        # Art. 51: the body handling the complaint, not the unit complained about.
        recipients = unit_staff_emails(complaint.handled_by, roles=(Role.UNIT_ADMIN,))
    else:
        # A unit with no body above it on the platform: the platform's administrators route it.
        superusers = get_user_model().objects.filter(is_active=True, is_superuser=True)
        recipients = sorted(set(superusers.exclude(email="").values_list("email", flat=True)))
    _send("complaint", {"complaint": complaint, "request": complaint.request}, recipients)
