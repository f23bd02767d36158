"""Staff tools for the catalog, by concern: categories, entries (list, form, review), their
pages (workflow, import/export, timeliness) and the attachment inlines. Every entry view is
confined to the user's units (UnitScopedAdmin)."""

from disclosure.admin import categories, entries  # noqa: F401 - registers the admins
from disclosure.admin.attachments import StoredFileInput  # noqa: F401
from disclosure.search import admin as search_admin  # noqa: F401 - terms and misses
