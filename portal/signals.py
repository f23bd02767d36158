from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from portal import permissions, workdays
from portal.models import CalendarDay, UnitMembership
from portal.roles import sync_user_groups


@receiver(pre_save, sender=UnitMembership)
def remember_previous_user(sender, instance, **kwargs):
    # A membership moved to another user must leave the first user's groups in step too.
    instance._previous_user_id = (
        UnitMembership.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=UnitMembership)
def membership_saved(sender, instance, **kwargs):
    user = instance.user
    sync_user_groups(user)
    permissions.forget(user)
    previous = getattr(instance, "_previous_user_id", None)
    if previous and previous != user.pk:
        sync_user_groups(type(user)._default_manager.get(pk=previous))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@receiver(post_delete, sender=UnitMembership)
def membership_deleted(sender, instance, **kwargs):
    user = (
        type(instance).user.field.related_model._default_manager.filter(pk=instance.user_id).first()
    )
    if user is not None:  # None when the user itself is being deleted
        sync_user_groups(user)


@receiver([post_save, post_delete], sender=CalendarDay)
def forget_calendar_cache(sender, instance, **kwargs):
    workdays.forget_overrides(instance.date.year)
