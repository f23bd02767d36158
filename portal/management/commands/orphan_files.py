"""Lists stored files no row refers to: what a crash or an untracked path left behind.

Every FileField registered with `portal.uploads.track_new_files` counts; each storage those
fields use is walked whole. Listing only: a file written by a transaction still open would show
here for a moment, so remove what it lists by hand (or from a backup check), not automatically.
"""

from collections import defaultdict

from django.core.management.base import BaseCommand

from portal import uploads


def _walk(storage, folder=""):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


class Command(BaseCommand):
    help = "列出存储中没有任何记录引用的文件（如事务回滚或中断后遗留的上传文件）。"

    def handle(self, *args, **options):
        referenced = defaultdict(set)
        folders = {}  # (storage, top folder of upload_to): one walk each
        for model, name in uploads.FILE_FIELDS:
            field = model._meta.get_field(name)
            key = id(field.storage)
            # Only the field's own folder: storages may nest (attachments inside applicants').
            folders[(key, str(field.upload_to).split("/", 1)[0])] = field.storage
            values = model._base_manager.exclude(**{name: ""}).values_list(name, flat=True)
            referenced[key].update(values.iterator())
        orphans = 0
        for (key, folder), storage in sorted(folders.items(), key=lambda item: item[0][1]):
            try:
                names = sorted(_walk(storage, folder))
            except FileNotFoundError:
                continue  # nothing stored there yet
            for name in names:
                if name not in referenced[key]:
                    orphans += 1
                    self.stdout.write(name)
        self.stderr.write(f"共{orphans}个无引用的文件。")
