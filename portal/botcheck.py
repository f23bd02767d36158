"""Robot checks for public forms: a honeypot field and a minimum time to fill the form in.

A form sent faster than FORM_MIN_FILL_SECONDS after the page was served (or with a forged or
day-old timestamp) is refused with a message that lets a person simply send it again; a filled-in
honeypot marks the form as spam, and the view answers as if something else failed.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

# The salt predates this module; keeping it keeps forms open in browsers valid across a deploy.
_SALT = "applications.form-started"
MAX_AGE_SECONDS = 24 * 3600


def sign_started() -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(int(timezone.now().timestamp())))


def too_fast(signed: str) -> bool:
    try:
        started = signing.TimestampSigner(salt=_SALT).unsign(signed, max_age=MAX_AGE_SECONDS)
        return timezone.now().timestamp() - int(started) < settings.FORM_MIN_FILL_SECONDS
    except (signing.BadSignature, ValueError):
        return True


class RobotCheckForm(forms.Form):
    """Base of a public form: render `website` hidden from people and `started` as a hidden input
    with `sign_started()`; after validation, `spam` tells a filled-in honeypot."""

    website = forms.CharField(label="网址（请勿填写）", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = sign_started()
        self.spam = False

    def clean(self):
        data = super().clean()
        if data.get("website"):
            self.spam = True
        if too_fast(data.get("started") or ""):
            raise ValidationError(
                "提交过快或页面已过期，请核对填写内容后再次提交。", code="too_fast"
            )
        return data
