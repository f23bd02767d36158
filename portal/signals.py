from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal import workdays
from portal.models import CalendarDay, UnitMembership
from portal.roles import group_name


@receiver(post_save, sender=UnitMembership)
def join_role_group(sender, instance, **kwargs):
    user = instance.user
    group, _ = Group.objects.get_or_create(name=group_name(instance.role))
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@receiver(post_delete, sender=UnitMembership)
def leave_role_group(sender, instance, **kwargs):
    still_has_role = UnitMembership.objects.filter(
        user_id=instance.user_id, role=instance.role
    ).exists()
    if not still_has_role:
        group = Group.objects.filter(name=group_name(instance.role)).first()
        if group:
            instance.user.groups.remove(group)


@receiver([post_save, post_delete], sender=CalendarDay)
def forget_calendar_cache(sender, instance, **kwargs):
    workdays.forget_overrides(instance.date.year)
