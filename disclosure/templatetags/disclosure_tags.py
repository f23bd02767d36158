from django import template

from portal.uploads import human_size

register = template.Library()


@register.filter
def file_size(value) -> str:
    return human_size(int(value or 0))
