"""Staff admin for requests, by concern: lists and pages (requests), the action table (actions),
the personal-data permission and filter guard (common), appeals, complaints and the access log (related)."""

from applications.admin import documents, letters, related, requests  # noqa: F401 - registers the admins
from applications.admin.common import PERSONAL_PERMISSION  # noqa: F401
