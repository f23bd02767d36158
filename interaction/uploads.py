"""The upload policies of 互动交流 (checked by content, `portal.uploads`)."""

from django.conf import settings

from portal.uploads import MB, FileKind, UploadPolicy

# A citizen's attachment to a message: a photo or a PDF, under a random name (theirs may hold
# their own name).
MESSAGE_ATTACHMENT = UploadPolicy(
    "附件", (FileKind.JPG, FileKind.PNG, FileKind.PDF), lambda: 10 * MB, keep_name=False
)
# A draft published for comment, with its explanatory documents, under the name staff gave it.
CONSULTATION_ATTACHMENT = UploadPolicy(
    "附件", tuple(FileKind), lambda: settings.ATTACHMENT_MAX_BYTES, keep_name=True
)
