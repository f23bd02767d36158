"""The staff start page ("我的工作台", the admin index): each app registers a panel of what waits
for this user today, so portal/ names no app's models.

A panel is a function `(request) -> dict | None`; the dict has `template` and whatever that
template reads. None means the panel does not concern this user (no role for it anywhere).
"""

from collections.abc import Callable

_panels: list[tuple[int, Callable]] = []


def register(order: int):
    """Decorator: add a panel; lower `order` first."""

    def decorator(function):
        _panels.append((order, function))
        _panels.sort(key=lambda item: item[0])
        return function

    return decorator


def panels_for(request) -> list[dict]:
    return [panel for _, function in _panels if (panel := function(request))]
