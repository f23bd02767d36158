"""The request's e-mails (templates/applications/email/): what is sent to whom, and when.

Sending, muting and staff addresses are `portal.notifications`; these run after commit.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.models import Role
from portal.notifications import send, staff_emails

HANDLERS = (Role.HANDLER, Role.UNIT_ADMIN)


def _request(pk):
    from applications.models import Request

    return Request.objects.select_related("unit").get(pk=pk)


def receipt(request_pk: int, code: str) -> None:
    """The number and 查询码 to the applicant, once, when an e-mail was given."""
    request = _request(request_pk)
    context = {"request": request, "code": code, "track_url": track_url()}
    send("applications/email/receipt", context, [request.email])


def new_code(request_pk: int, code: str) -> None:
    """A re-issued 查询码 to the applicant's e-mail address."""
    request = _request(request_pk)
    send("applications/email/new_code", {"request": request, "code": code}, [request.email])


def track_url() -> str:
    return settings.SITE_URL + reverse("applications:track")


def applicant_update(request_pk: int, event_pk: int) -> None:
    """The news of one step; where the applicant chose e-mail, its documents go with it."""
    from applications.models import DeliveryRoute, EventKind, RequestEvent

    request = _request(request_pk)
    event = RequestEvent.objects.get(pk=event_pk)
    if not event.public:
        return
    route = request.delivery_route if event.kind == EventKind.REPLIED else request.delivery
    attached, linked = [], []
    if route == DeliveryRoute.EMAIL:
        documents = list(event.documents.filter(for_applicant=True).order_by("pk"))
        attached = [d for d in documents if d.is_letter]
        files = [d for d in documents if d.file]
        # The information disclosed goes along up to a size; beyond it, the tracking page
        # (with the 查询码, which the e-mail never repeats) serves it.
        if sum(_size(d) for d in files) <= settings.EMAIL_ATTACHMENT_MAX_MB * 1024 * 1024:
            attached += files
        else:
            linked = files
    context = {
        "request": request,
        "event": event,
        "track_url": track_url(),
        "due_on": request.due_on if request.is_open else None,
        "attached": attached,
        "linked": linked,
    }
    send(
        "applications/email/update",
        context,
        [request.email],
        [("applications.documents.attachment", d.pk) for d in attached],
    )


def _size(document) -> int:
    try:
        return document.file.size
    except (FileNotFoundError, OSError):
        return 0


def new_request(request_pk: int) -> None:
    request = _request(request_pk)
    send(
        "applications/email/new_request",
        {"request": request},
        staff_emails([request.unit], HANDLERS),
    )


def reminder(request_pk: int) -> None:
    from applications.models import DUE_SOON_WORKDAYS

    request = _request(request_pk)
    context = {
        "request": request,
        "overdue": request.is_overdue(),
        "due_soon_workdays": DUE_SOON_WORKDAYS,
    }
    send("applications/email/reminder", context, staff_emails([request.unit], HANDLERS))


def complaint_filed(complaint_pk: int) -> None:
    from applications.models import Complaint

    complaint = Complaint.objects.select_related("request__unit", "handled_by").get(pk=complaint_pk)
    if complaint.handled_by is not None:
        # Art. 51: the body handling the complaint, not the unit complained about.
        recipients = staff_emails([complaint.handled_by], (Role.UNIT_ADMIN,))
    else:
        # A unit with no body above it on the platform: the platform's administrators route it.
        superusers = get_user_model().objects.filter(is_active=True, is_superuser=True)
        recipients = sorted(set(superusers.exclude(email="").values_list("email", flat=True)))
    send(
        "applications/email/complaint",
        {"complaint": complaint, "request": complaint.request},
        recipients,
    )
