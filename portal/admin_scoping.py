"""One admin mixin that confines a staff user to the units where their role allows the view.

Every admin of a unit-owned model inherits `UnitScopedAdmin` and names the path from its model to
the publishing unit (`unit_path = "unit"`, or `"request__unit"` for a child row). Each question is
asked of `portal.permissions` with the permission the view needs, in the row's own unit:

- rows shown (change list, detail pages, exports, list filters, autocompletes): units where the
  user holds the model's view or change permission (`applications.view_request`...);
- editing or deleting a row: the change or delete permission in the row's unit;
- the units offered in a form: where the user may add (add page) or change (change page) rows;
- another admin's rows offered in a form (an appeal's request): rows in those same units.

A 404 answers a row outside the scope. Menus and add pages ask whether the permission is held in
any unit (`has_anywhere`, through `portal.permissions.UnitRoleBackend`).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal import permissions
from portal.models import PublishingUnit


def unit_ids_where(request, *perms) -> set[int]:
    """Ids of the units where `request.user` holds any of `perms`, cached on the request."""
    cache = request.__dict__.setdefault("_unit_ids_where", {})
    key = tuple(sorted(perms))
    if key not in cache:
        ids = set()
        for perm in perms:
            ids |= set(permissions.units_where(request.user, perm).values_list("pk", flat=True))
        cache[key] = ids
    return cache[key]


def units_where(request, *perms):
    return PublishingUnit.objects.filter(pk__in=unit_ids_where(request, *perms))


class ScopedUnitListFilter(admin.RelatedFieldListFilter):
    """The unit filter offers only the units whose rows this user may see."""

    def field_choices(self, field, request, model_admin):
        units = model_admin.visible_units(request)
        # A superuser's filter also lists abolished units, for history.
        if not request.user.is_superuser:
            units = units.active()
        return [(unit.pk, str(unit)) for unit in units.order_by("tree_id", "lft")]


class UnitScopedAdmin:
    """Mix into a ModelAdmin: `unit_path` is the lookup from the model to its PublishingUnit."""

    unit_path = "unit"
    # Facet counts total every filter option over the whole list: a full pass over 100,000
    # entries or years of requests on every click. The filters themselves are indexed.
    show_facets = admin.ShowFacets.NEVER

    # -- which permission ---------------------------------------------------------------------

    def perm(self, action: str) -> str:
        """The model's permission for `action` ("view", "change", "add", "delete")."""
        return f"{self.opts.app_label}.{action}_{self.opts.model_name}"

    def unit_of(self, obj):
        return permissions.unit_of(obj, self.unit_path)

    def visible_units(self, request):
        if request.user.is_superuser:
            return PublishingUnit.objects.all()
        return units_where(request, self.perm("view"), self.perm("change"))

    def rows_in(self, queryset, unit_ids):
        if self.unit_path == "":
            return queryset.filter(pk__in=unit_ids)
        return queryset.filter(**{f"{self.unit_path}__in": unit_ids})

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return self.rows_in(
            queryset, unit_ids_where(request, self.perm("view"), self.perm("change"))
        )

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self.scope_queryset(request, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def _can(self, request, action, obj) -> bool:
        return permissions.can(request.user, self.perm(action), self.unit_of(obj))

    # -- detail pages: an object outside the scope does not exist for this user ---------------

    def _require_in_scope(self, request, object_id):
        if object_id is None or request.user.is_superuser:
            return
        try:
            pk = self.model._meta.pk.to_python(object_id)
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

    # Model level (obj None) asks Django, i.e. has_anywhere(); a row asks can() in its unit.
    def has_view_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._can(request, "view", obj) or self._can(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._can(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return self._can(request, "delete", obj)

    def delete_queryset(self, request, queryset):
        # The bulk delete action checks the model permission only: check every row's unit.
        if not request.user.is_superuser:
            allowed = unit_ids_where(request, self.perm("delete"))
            if queryset.exclude(pk__in=self.rows_in(queryset, allowed).values("pk")).exists():
                raise PermissionDenied
        super().delete_queryset(request, queryset)

    # -- form choices: units where this user may add (add page) or change (change page) -------

    def form_unit_ids(self, request) -> set[int]:
        match = getattr(request, "resolver_match", None)
        adding = bool(match and match.url_name and match.url_name.endswith("_add"))
        return unit_ids_where(request, self.perm("add" if adding else "change"))

    def limit_choices(self, request, db_field, queryset, unit_ids):
        """`queryset` (of `db_field`'s model) cut to what may be chosen in `unit_ids`."""
        if request.user.is_superuser:
            return queryset
        if db_field.related_model is PublishingUnit:
            return queryset.filter(pk__in=unit_ids)
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related_admin, UnitScopedAdmin):
            return related_admin.rows_in(queryset, unit_ids)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.related_model
            related_admin = self.admin_site._registry.get(related)
            if related is PublishingUnit:
                # Abolished units are never offered.
                kwargs["queryset"] = self.limit_choices(
                    request, db_field, PublishingUnit.objects.active(), self.form_unit_ids(request)
                )
            elif isinstance(related_admin, UnitScopedAdmin):
                kwargs["queryset"] = self.limit_choices(
                    request,
                    db_field,
                    related_admin.get_queryset(request),
                    self.form_unit_ids(request),
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def autocomplete_choices(self, request, db_field, queryset):
        """For the autocomplete of `db_field` on this admin's forms (add or change)."""
        unit_ids = unit_ids_where(request, self.perm("add"), self.perm("change"))
        return self.limit_choices(request, db_field, queryset, unit_ids)

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if item == self.unit_path and self.unit_path:
                item = (self.unit_path, ScopedUnitListFilter)
            filters.append(item)
        return filters


class UnitScopedInline:
    """Mix into an inline: its rows belong to the parent object's unit (`parent_unit_path`)."""

    parent_unit_path = "unit"

    def _can(self, request, action, obj) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:  # the parent's add page: anywhere the user may add such rows
            return permissions.has_anywhere(request.user, self._perm(action))
        return permissions.can(
            request.user, self._perm(action), permissions.unit_of(obj, self.parent_unit_path)
        )

    def _perm(self, action):
        return f"{self.opts.app_label}.{action}_{self.opts.model_name}"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            self._can(request, "view", obj) or self._can(request, "change", obj)
        )

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._can(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._can(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._can(request, "delete", obj)
