"""What the home page and a unit page list: the unit's four first-level columns and the latest items.

The catalog app fills these; the foundation only fixes their shape (国办公开办函〔2019〕61号).
"""

from dataclasses import dataclass, field

COLUMN_TITLES = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]


@dataclass
class Column:
    title: str
    url: str | None = None
    items: list = field(default_factory=list)


def unit_columns(unit) -> list[Column]:
    return [Column(title) for title in COLUMN_TITLES]


def latest_items(limit: int = 10) -> list:
    return []
