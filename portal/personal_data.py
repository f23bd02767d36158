"""A citizen's personal data on the staff pages of a case (a request's applicant, a message's
sender): masked in lists, in full only on the case's own page for it, to a user holding the app's
permission in the case's unit, each opening written to the app's access log where it keeps one."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from portal import permissions


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """Masked for lists: 110***********002X, 139****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_name(value: str) -> str:
    """张*丰, 李*: the first and, from three characters, the last character."""
    if len(value) <= 1:
        return "*"
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def rows(obj, field_names) -> list[tuple[str, object]]:
    """(label, value) of each field, a choice as its label."""
    result = []
    for name in field_names:
        field = obj._meta.get_field(name)
        value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
        result.append((field.verbose_name, value))
    return result


class PersonalDataPage:
    """Mixed into the admin of a case: `personal_view` shows the case's `personal_page_fields`
    in full to a user holding `personal_page_permission` in the case's unit (403 otherwise), after
    `log_personal_opening(obj, user)` has recorded the opening. The admin's `_scoped_object`
    finds the case within the user's scope (404 outside)."""

    personal_page_permission = ""
    personal_page_fields: tuple | list = ()
    personal_page_title = ""  # 申请人信息, 留言人信息 …
    personal_page_template = ""

    def log_personal_opening(self, obj, user) -> None:
        raise NotImplementedError  # an app without a log says so by overriding with `pass`

    def personal_view(self, request, object_id):
        obj = self._scoped_object(request, object_id)
        if not permissions.can(request.user, self.personal_page_permission, self.unit_of(obj)):
            raise PermissionDenied
        self.log_personal_opening(obj, request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "rows": rows(obj, self.personal_page_fields),
            "title": f"{self.personal_page_title}：{obj.number}",
        }
        return TemplateResponse(request, self.personal_page_template, context)


class PersonalLookupGuard:
    """Mixed into an admin whose rows hold a citizen's data: the query string may never filter on
    it (`?phone__startswith=139` would reveal a number digit by digit, in the URL, past the
    logged personal-data page). `personal_fields` are this model's own; `path_fields` are those
    of the case reached through each of `personal_paths` ("" for the case itself, "request__" for
    a row of a request)."""

    personal_fields: frozenset = frozenset()
    personal_paths: tuple = ()
    path_fields: frozenset = frozenset()

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__", 1)[0] in self.personal_fields:
            return False
        for prefix in self.personal_paths:
            if lookup.startswith(prefix) and lookup[len(prefix) :].split("__", 1)[0] in (
                self.path_fields
            ):
                return False
        return super().lookup_allowed(lookup, value, request)
