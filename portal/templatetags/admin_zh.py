"""Chinese where the Django admin renders English in Python rather than in a template."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_BOOLEAN_ALT = re.compile(
    r'(<img src="[^"]*/admin/img/icon-(?:yes|no|unknown)\.svg[^"]*") alt="(True|False|None)"'
)
_ALT_TEXT = {"True": "是", "False": "否", "None": "未知"}


@register.filter
def chinese_boolean_icons(cell: str) -> SafeString:
    """The admin's boolean icons carry alt="True"/"False"/"None" (admin_list._boolean_icon);
    a screen reader reads those aloud."""
    return mark_safe(
        _BOOLEAN_ALT.sub(lambda m: f'{m.group(1)} alt="{_ALT_TEXT[m.group(2)]}"', cell)
    )  # noqa: S308 - the cell is admin-rendered HTML
