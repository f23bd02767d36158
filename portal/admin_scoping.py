"""One admin mixin that confines a staff user to their own units.

Every admin of a unit-owned model inherits `UnitScopedAdmin` and names the path from its model to
the publishing unit (`unit_path = "unit"`, or `"request__unit"` for a child row). It limits the
change list, detail pages (404 outside the scope), form choices, autocompletes, list filters,
actions and exports; a superuser sees everything.
"""

from django.contrib import admin
from django.http import Http404

from portal.models import PublishingUnit


def allowed_units(request, roles=None):
    """The units `request.user` works in, cached on the request."""
    cache_attr = f"_allowed_units_{'-'.join(sorted(roles)) if roles else 'all'}"
    units = getattr(request, cache_attr, None)
    if units is None:
        units = PublishingUnit.objects.for_user(request.user, roles=roles)
        setattr(request, cache_attr, units)
    return units


def allowed_unit_ids(request, roles=None) -> set[int]:
    cache_attr = f"_allowed_unit_ids_{'-'.join(sorted(roles)) if roles else 'all'}"
    ids = getattr(request, cache_attr, None)
    if ids is None:
        ids = set(allowed_units(request, roles).values_list("pk", flat=True))
        setattr(request, cache_attr, ids)
    return ids


class ScopedUnitListFilter(admin.RelatedFieldListFilter):
    """The unit filter offers only the user's own units."""

    def field_choices(self, field, request, model_admin):
        # A superuser's filter also lists abolished units, for history.
        units = (
            allowed_units(request) if request.user.is_superuser else allowed_units(request).active()
        )
        return [(unit.pk, str(unit)) for unit in units.order_by("tree_id", "lft")]


class UnitScopedAdmin:
    """Mix into a ModelAdmin: `unit_path` is the lookup from the model to its PublishingUnit."""

    unit_path = "unit"
    # Facet counts total every filter option over the whole list: a full pass over 100,000
    # entries or years of requests on every click. The filters themselves are indexed.
    show_facets = admin.ShowFacets.NEVER

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        if self.unit_path == "":
            return queryset.filter(pk__in=allowed_unit_ids(request))
        return queryset.filter(**{f"{self.unit_path}__in": allowed_unit_ids(request)})

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self.scope_queryset(request, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    # Detail pages: an object outside the scope does not exist for this user.
    def _require_in_scope(self, request, object_id):
        if object_id is None or request.user.is_superuser:
            return
        model = self.model
        try:
            pk = model._meta.pk.to_python(object_id)
        except Exception:
            raise Http404 from None
        if not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404("对象不存在或不在您的单位范围内。")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    # Form choices: units outside the scope, and abolished units, are never offered.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is PublishingUnit:
            # for_user() already gives a superuser every unit.
            kwargs["queryset"] = allowed_units(request).active()
        else:
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if isinstance(related_admin, UnitScopedAdmin) and "queryset" not in kwargs:
                kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if item == self.unit_path and self.unit_path:
                item = (self.unit_path, ScopedUnitListFilter)
            filters.append(item)
        return filters
