from django import template

from disclosure.attachments import human_size

register = template.Library()


@register.filter
def file_size(value) -> str:
    return human_size(int(value or 0))
