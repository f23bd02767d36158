"""The tracking session: a citizen opens their case with its number and 查询码.

The code never travels in a URL: the look-up is a POST, and a successful one keeps the case's id
in the session for the pages that follow. A process (依申请公开, a future 互动交流) has its own
session key, so a visitor can follow one case of each.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TrackingSession:
    key: str

    def log_in(self, request, queryset, number: str, code: str):
        """The case numbered `number` when `code` opens it, remembered in the session; else None.

        An unknown number and a wrong code give the same answer, so nothing can be probed.
        """
        found = queryset.filter(number=number).first()
        if found is None or not found.check_access_code(code):
            return None
        if request.session.session_key:
            # A visitor who already had a session gets a new key (no fixation); a new session
            # gets a fresh key anyway, in one write instead of two.
            request.session.cycle_key()
        request.session[self.key] = found.pk
        return found

    def get(self, request, queryset):
        """The case this visitor opened, or None."""
        pk = request.session.get(self.key)
        if not pk:
            return None
        return queryset.filter(pk=pk).first()

    def log_out(self, request) -> None:
        request.session.pop(self.key, None)
