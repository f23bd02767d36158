"""Staff accounts. Histories are append-only, so a user who appears in one (an event, the
personal-data access log, the admin log, a drafted entry) is deactivated, never deleted: deleting
would have to rewrite those rows (the database refuses) or lose who did what."""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from portal.models import UnitMembership

User = get_user_model()


def has_history(user) -> bool:
    """Does any record other than the user's own memberships and groups point at `user`?"""
    for relation in user._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        if model is UnitMembership or model._meta.auto_created:  # memberships, m2m tables
            continue
        if model._default_manager.filter(**{relation.field.name: user.pk}).exists():
            return True
    return False


def deactivate(users) -> None:
    for user in users:
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])


admin.site.unregister(User)


# Django stores permission names in English ("Can add user"); staff read them in Chinese.
_ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission) -> str:
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    action = permission.codename.split("_", 1)[0]
    what = (
        f"{_ACTIONS[action]}{model._meta.verbose_name}"
        if action in _ACTIONS and permission.codename == f"{action}_{model._meta.model_name}"
        else permission.name
    )
    app = apps.get_app_config(model._meta.app_label).verbose_name
    return f"{app} | {model._meta.verbose_name} | {what}"


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "user_permissions":
            field.label_from_instance = permission_label
        return field

    actions = ["deactivate_selected"]

    @admin.action(description="停用所选账号", permissions=["change"])
    def deactivate_selected(self, request, queryset):
        users = list(queryset)
        deactivate(users)
        self.message_user(request, f"已停用{len(users)}个账号（记录保留，账号不能再登录）。")

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is None or not has_history(user):
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request, user):
            raise PermissionDenied
        if request.method == "POST":
            deactivate([user])
            self.message_user(
                request,
                f"“{user}”出现在办理记录中，不能删除：已停用该账号，不能再登录。",
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": user,
            "title": "停用账号",
        }
        return TemplateResponse(request, "admin/auth/user/deactivate_confirmation.html", context)

    def delete_queryset(self, request, queryset):
        # The bulk delete: users with a history are deactivated, the others deleted.
        kept = [user for user in queryset if has_history(user)]
        if kept:
            deactivate(kept)
            names = "、".join(str(user) for user in kept[:20])
            self.message_user(
                request, f"{names}出现在办理记录中，不能删除：已停用。", messages.WARNING
            )
        super().delete_queryset(request, queryset.exclude(pk__in=[user.pk for user in kept]))
