"""The scope of the 互动交流 admins: the units where the user holds the admin's permission."""

from portal.admin_scoping import UnitScopedAdmin
from portal.models import PublishingUnit
from portal.permissions import can, units_where


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """139****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return "*"
    return value[0] + "*" * (len(value) - 1)


class PermissionScopedAdmin(UnitScopedAdmin):
    """UnitScopedAdmin whose scope is the units granting `scope_perm` (portal.permissions), not
    every unit the user belongs to: a 申请办理员 of one unit and 留言办理员 of another sees the
    messages of the second only."""

    scope_perm = ""

    def _scope_ids(self, request) -> set[int]:
        attr = f"_scope_ids_{self.scope_perm}"
        ids = getattr(request, attr, None)
        if ids is None:
            ids = set(units_where(request.user, self.scope_perm).values_list("pk", flat=True))
            setattr(request, attr, ids)
        return ids

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.unit_path}__in": self._scope_ids(request)})

    def unit_of(self, obj):
        for part in self.unit_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def may(self, request, perm: str, obj) -> bool:
        return can(request.user, perm, self.unit_of(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is PublishingUnit:
            kwargs["queryset"] = units_where(request.user, self.scope_perm).active()
            # Past UnitScopedAdmin, whose choice is every unit of the user's memberships.
            return super(UnitScopedAdmin, self).formfield_for_foreignkey(
                db_field, request, **kwargs
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
