"""Queued e-mails stored before sealing existed are sealed now: no 查询码 stays in clear."""

from django.db import migrations


def seal_unsent(apps, schema_editor):
    from portal import sealing

    OutboundEmail = apps.get_model("portal", "OutboundEmail")
    for message in OutboundEmail.objects.filter(sent_at__isnull=True).exclude(
        text__startswith=sealing.PREFIX
    ):
        message.text = sealing.seal(message.text)
        message.html = sealing.seal(sealing.unseal(message.html))
        message.save(update_fields=["text", "html"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_owed_cache_flush")]

    operations = [migrations.RunPython(seal_unsent, migrations.RunPython.noop)]
