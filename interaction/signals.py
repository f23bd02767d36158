"""What a change in 互动交流 invalidates (portal/pagecache.py), after the commit.

The site-wide pages (list, 常见问题, statistics, satisfaction, consultations) depend on
"interaction"; a unit's 互动交流 page, its messages and consultations also on "interaction:<slug>".
A new message changes the statistics, so every save counts, not only publications.
"""

import datetime as dt

from django.db.models import Min, Q
from django.utils import timezone

from interaction.models import Consultation
from portal import pagecache


def unit_scopes(unit) -> list[str]:
    return ["interaction", f"interaction:{unit.slug}"]


def next_consultation_change():
    """A consultation opens or closes at midnight, without a write: its pages change then."""
    today = timezone.localdate()
    # One query: this runs on the page view that finds the schedule missing from the cache.
    found = Consultation.objects.published().aggregate(
        opening=Min("opens_on", filter=Q(opens_on__gt=today)),
        closing=Min("closes_on", filter=Q(closes_on__gte=today)),
    )
    # Open through closes_on: it closes at the start of the next day.
    closing = found["closing"] and found["closing"] + dt.timedelta(days=1)
    days = [day for day in (found["opening"], closing) if day]
    if not days:
        return None
    return timezone.make_aware(dt.datetime.combine(min(days), dt.time.min))


pagecache.register("interaction.Message", lambda message: unit_scopes(message.unit))
pagecache.register("interaction.Rating", lambda rating: unit_scopes(rating.unit))
pagecache.register("interaction.Consultation", lambda c: unit_scopes(c.unit))
pagecache.register(
    "interaction.ConsultationComment", lambda comment: unit_scopes(comment.consultation.unit)
)
pagecache.register(
    "interaction.ConsultationAttachment", lambda file: unit_scopes(file.consultation.unit)
)
pagecache.register_schedule(next_consultation_change)
