"""Where uploaded files live: local (or NFS-shared) folders, or an S3-compatible bucket.

Three storages, named in settings.STORAGES:
- "default": public uploads (MEDIA_ROOT);
- "attachments": catalog attachments and their thumbnails, served only by the checked download
  views (an unpublished entry's file is never reachable by URL);
- "applicant_files": applicants' identity documents and the documents of their requests.

With MEDIA_STORAGE=s3 all three sit in one bucket under media/, private/disclosure/ and
private/applicants/ (django-storages), so several app instances share them without a shared
folder. The model fields hold `attachments` and `applicant_files` below, which look the storage
up by name on first use, so a settings change (a test, a deployment) is followed.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PrivateFolder(FileSystemStorage):
    """A folder under PRIVATE_MEDIA_ROOT, read at each use (tests point it at a temporary folder);
    its files have no URL."""

    def __init__(self, subfolder: str = "", **kwargs):
        super().__init__(**kwargs)
        self.subfolder = subfolder

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT / self.subfolder)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def filesystem_storages() -> dict:
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "attachments": {
            "BACKEND": "portal.storage.PrivateFolder",
            "OPTIONS": {"subfolder": "disclosure"},
        },
        # Applicants' files sit in PRIVATE_MEDIA_ROOT itself (id/, documents/).
        "applicant_files": {"BACKEND": "portal.storage.PrivateFolder"},
    }


def s3_storages(
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
) -> dict:
    """One bucket, three prefixes. Credentials left empty come from the usual AWS sources
    (environment, instance role). Names are never overwritten: a second file of the same name
    gets a suffix, as on the file system."""
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "file_overwrite": False,
        # No ACL on the objects: the bucket stays private; the checked views stream the files.
        "default_acl": None,
    }
    backend = "storages.backends.s3.S3Storage"

    def storage(location, **extra):
        return {"BACKEND": backend, "OPTIONS": {**common, "location": location, **extra}}

    return {
        "default": storage("media", querystring_auth=False),
        "attachments": storage("private/disclosure"),
        "applicant_files": storage("private/applicants"),
    }


class NamedStorage(LazyObject):
    """settings.STORAGES[alias], looked up on first use and again after STORAGES changes."""

    def __init__(self, alias: str):
        self.__dict__["_alias"] = alias
        super().__init__()

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]


attachments = NamedStorage("attachments")
applicant_files = NamedStorage("applicant_files")


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        for storage in (attachments, applicant_files):
            storage._wrapped = empty


class StaticFiles(CompressedManifestStaticFilesStorage):
    """The static files under their hashed names (whitenoise). A file's address is fixed once the
    manifest is loaded, so it is worked out once per process rather than on every {% static %}
    of every page (five in the page frame)."""

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        urls = self.__dict__.setdefault("_urls", {})
        if name not in urls:
            urls[name] = super().url(name)
        return urls[name]
