"""Admin pages where nothing is typed in: records kept as written (the access logs, the admin's
own log, self-check snapshots) and cases that change only through their workflow's own pages
(requests, messages, ratings, comments, an answered complaint)."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect

NOTHING_TO_SAVE = "未作任何修改：本页的内容只能通过办理操作更改。"
NOTHING_CHANGED = "未作任何修改。"


class ViewOnlyAdmin:
    """A record kept as written: listed and opened, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkflowChangePage:
    """Mixed into the admin of a case whose fields change only through its workflow steps (the
    change permission still decides who may take them). The change page is read-only: no 保存
    buttons, and a POST (a stale tab, a hand-made request) saves nothing, writes no admin log entry
    and says so, where Django would save the row as loaded and report "已修改".

    `editable_on_page(request, obj)`: the page does edit a part of the case (a request's
    复议/诉讼 records, an unanswered complaint's answer); it then has its 保存 buttons, and a save
    that changed nothing says so too. `page_context(request, obj)`: what the page shows besides."""

    def editable_on_page(self, request, obj) -> bool:
        return False

    def page_context(self, request, obj) -> dict:
        return {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None:
            editable = self.editable_on_page(request, obj)
            if request.method == "POST" and not editable:
                self.message_user(request, NOTHING_TO_SAVE, messages.INFO)
                return HttpResponseRedirect(request.path)
            extra.update(self.page_context(request, obj))
            extra.update(
                show_save=editable,
                show_save_and_continue=editable,
                show_save_and_add_another=False,
            )
        return super().change_view(request, object_id, form_url, extra)

    def log_change(self, request, obj, message):
        if not message:
            request._nothing_changed = True  # no "没有字段被修改" entry for a save of nothing
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "_nothing_changed", False):
            self.message_user(request, NOTHING_CHANGED, messages.INFO)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
