"""Masking of applicant data in staff lists, and the permission that unmasks it."""

PERSONAL_PERMISSION = "applications.view_personal_data"


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """Masked for lists: 110***********002X, 139****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return "*"
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
