"""What the review before publication of catalog entries (disclosure.workflow) and of service
guides (disclosure.guides.workflow) shares: the source-state check with its message and the
history row (a `ReviewEvent` under the row's `events`). Each workflow keeps one function per state
change; what they lock, save and set off differs."""

from django.utils import timezone

from portal import permissions


def check_state(locked, allowed, verb: str, *, title: str, noun: str, error: type[Exception]):
    """Raise `error` unless `locked` is in one of the `allowed` states."""
    if locked.state not in allowed:
        choices = type(locked)._meta.get_field("state").choices
        names = "、".join(str(label) for value, label in choices if value in allowed)
        raise error(f"“{title}”当前为{locked.get_state_display()}，只有{names}的{noun}才能{verb}。")


def record(locked, action, from_state, actor, note: str = "", at=None):
    """Append the step to `locked`'s history; the new state is the row's state now."""
    return locked.events.create(
        action=action,
        from_state=from_state,
        to_state=locked.state,
        actor=permissions.recorded(actor),
        note=note,
        at=at or timezone.now(),
    )
