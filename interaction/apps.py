from django.apps import AppConfig, apps


class InteractionConfig(AppConfig):
    name = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        from interaction import signals, workbench  # noqa: F401 - page cache, start-page panel
        from interaction.models import ConsultationAttachment, Message
        from portal import uploads

        uploads.track_new_files(Message, "attachment")
        uploads.track_new_files(ConsultationAttachment, "file")

        if apps.is_installed("compliance"):
            from interaction import selfcheck  # noqa: F401 - findings and the 年度报表 section
