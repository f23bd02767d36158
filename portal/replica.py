"""Reads from a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

What goes where:
- a GET or HEAD from a visitor without a session (the public pages and the API) reads from the
  replica: that is nearly all the load;
- everything else reads from the primary: staff and applicants following a request (they have a
  session), a visitor who has just sent a form (a short-lived cookie set on every POST pins the
  next requests to the primary, so one sees one's own submission), and every visitor for a few
  seconds after a publication (the page cache is refilled from the primary while the replica
  catches up);
- every write goes to the primary, even during a request that reads from the replica;
- if the replica does not answer, requests read from the primary and the replica is tried again
  after REPLICA_RETRY_SECONDS (logged once).

The middleware sits after the page cache: pages answered from the cache never touch a database.
"""

import contextvars
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "primary_pin"
LAST_PUBLICATION_KEY = "replica:last-publication"
REPLICA_RETRY_SECONDS = 30
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_reads_from = contextvars.ContextVar("reads_from", default=PRIMARY)
_replica_down_until = 0.0


def configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = _reads_from.get()
        # Inside a transaction on the primary, read what that transaction sees.
        if alias == REPLICA and connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def _replica_answers() -> bool:
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning("replica unavailable; reading from the primary")
        connection.close()
        return False
    return True


def _recently_published() -> bool:
    try:
        last = cache.get(LAST_PUBLICATION_KEY)
    except Exception:
        return False
    return last is not None and time.time() - last < settings.DATABASE_REPLICA_PIN_SECONDS


def reads_from_replica(request) -> bool:
    """Whether this request may read from the replica (before asking the replica itself)."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
        and not _recently_published()
    )


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        use_replica = reads_from_replica(request) and _replica_answers()
        token = _reads_from.set(REPLICA if use_replica else PRIMARY)
        try:
            response = self.get_response(request)
        finally:
            _reads_from.reset(token)
        if request.method not in SAFE_METHODS and settings.DATABASE_REPLICA_PIN_SECONDS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _published(sender, **kwargs):
    # Set by whichever process writes (an admin, a timer), for the instances that read replicas.
    seconds = settings.DATABASE_REPLICA_PIN_SECONDS
    if seconds:
        transaction.on_commit(lambda: cache.set(LAST_PUBLICATION_KEY, time.time(), seconds))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (
        "disclosure.Entry",
        "disclosure.Attachment",
        "reports.AnnualReport",
        "portal.PublishingUnit",
        "portal.SiteProfile",
        "disclosure.Category",
    ):
        for signal in (post_save, post_delete):
            signal.connect(_published, sender=model, dispatch_uid=f"replica-{model}-{signal}")
