"""Staff admin for requests, by concern: lists and pages (requests), the action table (actions),
masking (common), appeals, complaints and the access log (related)."""

from applications.admin import documents, letters, related, requests  # noqa: F401 - registers the admins
from applications.admin.common import PERSONAL_PERMISSION, mask, mask_name  # noqa: F401
