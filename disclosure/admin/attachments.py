"""Attachments and the entry history as inlines of the entry admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from disclosure.admin.review import DraftOnlyInline, ReviewEventInline
from disclosure.models import Attachment, EntryEvent
from portal import uploads
from portal.admin_scoping import UnitScopedInline


class StoredFileInput(forms.ClearableFileInput):
    """The current file by name, without a link: attachments have no public URL (a draft's file
    must not be reachable); the entry page's checked download view serves them once published."""

    template_name = "disclosure/widgets/stored_file.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "name", "order"]
        widgets = {"file": StoredFileInput}

    checked = None

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded is not None and "file" in self.changed_data:
            try:
                self.checked = uploads.check(uploaded, uploads.CATALOG_ATTACHMENT)
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned

    def save(self, commit=True):
        attachment = super().save(commit=False)
        if self.checked is not None:
            attachment.store(self.checked)
        if commit:
            attachment.save()
        return attachment


class AttachmentInline(DraftOnlyInline, UnitScopedInline, admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    view_on_site = False  # the 文件 column links the public download once there is one
    fields = ["file", "name", "order", "kind", "human_size"]
    readonly_fields = ["kind", "human_size"]

    @admin.display(description="大小")
    def human_size(self, obj):
        return uploads.human_size(obj.size) if obj and obj.pk else "—"

    @admin.display(description="文件")
    def stored_file(self, obj):
        # Attachments have no storage URL: once public, the checked download view serves them.
        if obj.entry.is_public:
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.name)
        return obj.file.name

    def get_fields(self, request, obj=None):
        if self._editable(request, obj):
            return self.fields
        return ["stored_file", *self.fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "stored_file"]


class EntryEventInline(ReviewEventInline):
    model = EntryEvent
    verbose_name_plural = "办理记录（谁、何时、做了什么）"
