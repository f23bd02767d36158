"""Text kept at rest only sealed: encrypted and authenticated (Fernet) with a key derived from
SECRET_KEY, so a database dump or backup holds no 查询码 in clear.

Keys listed in SECRET_KEY_FALLBACKS still open what was sealed before a rotation; new text is
sealed with the current key.
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

PREFIX = "sealed:"
Unreadable = InvalidToken


@functools.lru_cache(maxsize=4)
def _box(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "portal.sealing", "at-rest", secret=secret, algorithm="sha256"
                    ).digest()
                )
            )
            for secret in secrets
        ]
    )


def _current() -> MultiFernet:
    return _box((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


def seal(text: str) -> str:
    if not text:
        return ""
    return PREFIX + _current().encrypt(text.encode()).decode()


def unseal(value: str) -> str:
    """The text sealed in `value` (text stored before sealing existed is returned as is).

    Raises `Unreadable` when no current or fallback key opens it."""
    if not value.startswith(PREFIX):
        return value
    return _current().decrypt(value[len(PREFIX) :].encode()).decode()
