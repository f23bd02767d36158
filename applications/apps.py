from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "依申请公开"

    def ready(self):
        from applications import workbench  # noqa: F401 - registers the start page's panel
        from applications.models import Document, DocumentSettings, Request
        from portal import uploads

        uploads.track_new_files(Request, "id_document")
        uploads.track_new_files(Document, "file")
        uploads.track_new_files(DocumentSettings, "seal")
